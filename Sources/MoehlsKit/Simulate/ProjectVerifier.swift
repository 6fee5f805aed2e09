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
        public enum Kind: String, Hashable, Sendable {
            case cSimulation = "C simulation", rtlSimulation = "RTL simulation", alveoHost = "host program", pynqHost = "PYNQ host"
        }
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
        /// RTL simulation: one result per kernel invocation.
        public var invocations: [RTLInvocationResult]? = nil
    }

    /// How `verify` simulates the RTL.
    public struct Options: Sendable {
        /// `auto` (Icarus unless the plan would take Icarus more than `autoIcarusLimit` seconds and
        /// Verilator is installed), `icarus` or `verilator`.
        public var simulator: RTLSimulatorChoice = .auto
        public var autoIcarusLimit = 120.0
        /// One line per finished invocation.
        public var progress: @Sendable (String) -> Void = { _ in }
        public init() {}
    }

    /// The jobs for the project in `project`, in order; a folder that is not a project is a diagnostic.
    public static func plan(project: URL) throws(DiagnosticError) -> [Job] {
        let fm = FileManager.default
        guard fm.fileExists(atPath: project.appendingPathComponent("hls/run_hls.tcl").path) else {
            throw DiagnosticError([.error("not a moehls project (no hls/run_hls.tcl); generate one with `moehls generate`",
                                          file: project.path)])
        }
        var jobs = [Job(kind: .cSimulation, command: "g++ -std=c++14 -O2 hls/src/*.cpp hls/tb/*.cpp && ./csim tb/data ../weights/weights.bin")]
        let plan = project.appendingPathComponent(rtlPlanPath)
        if fm.fileExists(atPath: plan.path) {
            let scope = (try? RTLSimulationPlan.decode(Data(contentsOf: plan), file: rtlPlanPath)).map {
                "\($0.cases.count) kernel invocations (\($0.scope))"
            } ?? "the plan"
            jobs.append(Job(kind: .rtlSimulation, command: "\(rtlPlanPath): \(scope); compile each testbench, simulate, compare",
                            target: "rtl"))
        }
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

    /// The RTL simulation plan of a project.
    public static let rtlPlanPath = "rtl/simulations.json"

    public static func run(_ job: Job, project: URL, options: Options = Options()) -> Outcome {
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
        case .rtlSimulation:
            var outcome = runRTL(project: project, options: options)
            outcome.seconds = seconds()
            return outcome
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

    /// Runs `rtl/simulations.json`: every invocation bit for bit, cycles against the cost model.
    static func runRTL(project: URL, options: Options) -> Outcome {
        let stage = Job.Kind.rtlSimulation.rawValue
        let plan: RTLSimulationPlan
        do {
            plan = try RTLSimulationPlan.decode(try Data(contentsOf: project.appendingPathComponent(rtlPlanPath)), file: rtlPlanPath)
        } catch let error as DiagnosticError {
            return Outcome(stage: stage, passed: false, detail: error.description, seconds: 0)
        } catch {
            return Outcome(stage: stage, passed: false, detail: "cannot read \(rtlPlanPath): \(error)", seconds: 0)
        }
        let folder = project.appendingPathComponent("rtl")
        if let missing = plan.cases.first(where: { !FileManager.default.fileExists(atPath: folder.appendingPathComponent($0.expected).path) }) {
            return Outcome(stage: stage, passed: false,
                           detail: "stimulus missing (rtl/\(missing.expected)); the project was generated with --omit-data: "
                               + "regenerate it without that flag", seconds: 0)
        }
        let simulator: RTLSimulator
        do {
            var choice = options.simulator
            if choice == .auto {
                choice = plan.icarusSecondsEstimate > options.autoIcarusLimit && (try? RTLPlanRunner.locateVerilator()) != nil
                    ? .verilator : .icarus
            }
            simulator = try RTLPlanRunner.simulator(choice)
        } catch {
            return Outcome(stage: stage, passed: false, detail: error.description, seconds: 0)
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-rtl-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let results: [RTLInvocationResult]
        do {
            results = try RTLPlanRunner(simulator: simulator, folder: folder, scratch: scratch)
                .run(plan, compiling: { options.progress($0) }, progress: { options.progress($0.description) })
        } catch {
            return Outcome(stage: stage, passed: false, detail: "\(error)", seconds: 0)
        }
        let passed = results.filter(\.passed).count
        let worst = results.compactMap { $0.ratio.map { abs($0 - 1) } }.max() ?? 0
        var detail = "\(simulator.name): \(passed) of \(results.count) invocations bit-exact, worst cycle deviation from the "
            + "cost model \(Format.fixed(worst * 100, 2))%"
        if let failure = results.first(where: { !$0.passed }) { detail += "; first failure: \(failure)" }
        return Outcome(stage: stage, passed: passed == results.count && !results.isEmpty, detail: detail, seconds: 0,
                       invocations: results)
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
