import Foundation

/// `moehls verify DIR`: the checks a generated project must pass before it leaves the laptop,
/// planned as jobs (`--dry-run` prints them) and run one after another:
/// - **C simulation**: hls/ compiled with g++ against the ap_types headers; every stage compared
///   with the golden model bit for bit (`CSimulation`);
/// - **host program**: on Alveo boards, the XRT host built with its C-simulation backend and run
///   twice over the weights and test data, checking every output byte; on Zynq boards, the PYNQ
///   host compiled by Python (a syntax check: PYNQ itself exists only on the board).
public enum ProjectVerifier {
    public struct Job: Hashable, Sendable {
        public enum Kind: String, Hashable, Sendable { case cSimulation = "C simulation", alveoHost = "host program", pynqHost = "PYNQ host" }
        public var kind: Kind
        /// What the job runs, for `--dry-run`.
        public var command: String
        /// The folder (or file) of the project the job checks, relative to the project.
        public var target: String = "hls"
    }

    public struct Outcome: Codable, Hashable, Sendable {
        public var stage: String
        public var passed: Bool
        /// The first mismatch or the error; the stages matched on success.
        public var detail: String
        public var seconds: Double
    }

    /// The jobs for the project in `project`, in order; a folder that is not a project is a diagnostic.
    public static func plan(project: URL) throws(DiagnosticError) -> [Job] {
        let fm = FileManager.default
        guard fm.fileExists(atPath: project.appendingPathComponent("hls/run_hls.tcl").path) else {
            throw DiagnosticError([.error("not a moehls project (no hls/run_hls.tcl); generate one with `moehls generate`",
                                          file: project.path)])
        }
        var jobs = [Job(kind: .cSimulation, command: "g++ -std=c++14 -O2 hls/src/*.cpp hls/tb/*.cpp && ./csim tb/data ../weights/weights.bin")]
        let boards = (try? fm.contentsOfDirectory(atPath: project.appendingPathComponent("board").path))?.sorted() ?? []
        for board in boards {
            if fm.fileExists(atPath: project.appendingPathComponent("board/\(board)/host/accel_csim.cpp").path) {
                jobs.append(Job(kind: .alveoHost, command: "g++ board/\(board)/host/host.cpp accel_csim.cpp hls/src/moehls_top.cpp && "
                                + "./host - weights/weights.bin hls/tb/data 2", target: "board/\(board)/host"))
            }
            if fm.fileExists(atPath: project.appendingPathComponent("board/\(board)/host.py").path) {
                jobs.append(Job(kind: .pynqHost, command: "python3: parse board/\(board)/host.py", target: "board/\(board)/host.py"))
            }
        }
        return jobs
    }

    public static func run(_ job: Job, project: URL) -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        func seconds() -> Double {
            let d = clock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        switch job.kind {
        case .cSimulation:
            do {
                let result = try CSimulation.run(project: project)
                let detail = result.passed
                    ? "\(result.stagesMatched.count) stages bit-exact" + (result.warnings.isEmpty ? "" : ", \(result.warnings.count) warning(s)")
                    : result.mismatch.map { "first mismatch: \($0)" } ?? "failed:\n\(result.output)"
                return Outcome(stage: job.kind.rawValue, passed: result.passed && result.warnings.isEmpty, detail: detail, seconds: seconds())
            } catch {
                return Outcome(stage: job.kind.rawValue, passed: false, detail: error.message, seconds: seconds())
            }
        case .alveoHost:
            let (passed, detail) = runAlveoHost(job, project: project)
            return Outcome(stage: job.kind.rawValue, passed: passed, detail: detail, seconds: seconds())
        case .pynqHost:
            let outcome = ToolProcess.runAll([ToolProcess("python3", ["-c", "import ast,sys; ast.parse(open(sys.argv[1]).read())",
                                                                      project.appendingPathComponent(job.target).path])])[0]
            return Outcome(stage: job.kind.rawValue, passed: outcome.status == 0,
                           detail: outcome.status == 0 ? "parses (runs on the board with PYNQ)" : outcome.standardError, seconds: seconds())
        }
    }

    static func runAlveoHost(_ job: Job, project: URL) -> (Bool, String) {
        let board = job.target
        let headers: URL
        do {
            headers = try CSimulation.locateHeaders(project: project, options: CSimulation.Options())
        } catch {
            return (false, error.message)
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-host-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let binary = scratch.appendingPathComponent("moehls_host").path
        let p = project.path
        let compile = ToolProcess.runAll([ToolProcess("g++", [
            "-std=c++14", "-O2", "-w", "-I", "\(p)/hls/include", "-I", "\(p)/hls/src", "-isystem", headers.path,
            "\(p)/\(board)/host.cpp", "\(p)/\(board)/accel_csim.cpp", "\(p)/hls/src/moehls_top.cpp", "-o", binary,
        ])])[0]
        guard compile.status == 0 else { return (false, "g++ failed:\n\(compile.standardError.prefix(2000))") }
        let run = ToolProcess.runAll([ToolProcess(binary, ["-", "\(p)/weights/weights.bin", "\(p)/hls/tb/data", "2"])])[0]
        let output = (run.standardOutput + run.standardError).trimmingCharacters(in: .whitespacesAndNewlines)
        return (run.status == 0 && output.contains("PASS"), output)
    }
}
