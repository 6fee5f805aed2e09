import Foundation

/// `moehls verify DIR`: the checks a generated project must pass before it leaves the laptop,
/// planned as stages of `ToolJob`s (`--dry-run` prints exactly these jobs) and run one after
/// another:
/// - **C simulation**: hls/ compiled with g++ against the ap_types headers; every stage compared
///   with the golden model bit for bit (`CSimulation`);
/// - **RTL simulation**: `rtl/simulations.json` run by `RTLPlanRunner` (every kernel invocation
///   bit for bit, cycles against the cost model);
/// - **host program**: on Alveo boards, the XRT host built with its C-simulation backend and run
///   over the weights and test data, checking every output byte; on Zynq boards, the PYNQ
///   host compiled by Python (a syntax check: PYNQ itself exists only on the board).
public enum ProjectVerifier {
    public struct Stage: Codable, Hashable, Sendable {
        public enum Kind: String, Codable, Hashable, Sendable {
            case cSimulation = "C simulation", rtlSimulation = "RTL simulation", alveoHost = "host program", pynqHost = "PYNQ host"
        }
        public var kind: Kind
        /// What the stage checks, in one line.
        public var summary: String
        /// The folder (or file) of the project the stage checks, relative to the project.
        public var target: String
        /// Every program the stage runs, in order (a failing job stops the stage early).
        public var jobs: [ToolJob]
        /// RTL simulation: the simulator chosen.
        public var simulator: RTLSimulator? = nil
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

    /// How `verify` plans and runs.
    public struct Options: Sendable {
        /// `auto` (Icarus unless the plan would take Icarus more than `autoIcarusLimit` seconds and
        /// Verilator is installed), `icarus` or `verilator`.
        public var simulator: RTLSimulatorChoice = .auto
        public var autoIcarusLimit = 120.0
        /// One line per finished invocation.
        public var progress: @Sendable (String) -> Void = { _ in }
        public var executor: any ToolExecutor = ToolRunner()
        public init() {}
    }

    /// The RTL simulation plan of a project.
    public static let rtlPlanPath = "rtl/simulations.json"

    /// A fresh scratch folder for one run.
    public static func temporaryScratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("moehls-verify-\(UUID().uuidString)")
    }

    /// The stages for the project in `project`, intermediate files under `scratch`; a folder that
    /// is not a project, or a damaged plan, is a diagnostic.
    public static func plan(project: URL, scratch: URL, options: Options = Options()) throws(DiagnosticError) -> [Stage] {
        let fm = FileManager.default
        guard fm.fileExists(atPath: project.appendingPathComponent("hls/run_hls.tcl").path) else {
            throw DiagnosticError([.error("not a moehls project (no hls/run_hls.tcl); generate one with `moehls generate`",
                                          file: project.path)])
        }
        let csim: CSimulation.Jobs
        do {
            csim = try CSimulation.jobs(project: project, scratch: scratch.appendingPathComponent("csim"))
        } catch {
            throw DiagnosticError([.error(error.message)])
        }
        var stages = [Stage(kind: .cSimulation, summary: "hls/ with g++ against ap_types; every stage against the golden model",
                            target: "hls", jobs: csim.all)]
        if fm.fileExists(atPath: project.appendingPathComponent(rtlPlanPath).path) {
            let plan = try readPlan(project: project)
            let simulator = chooseSimulator(plan, options: options)
            let runner = rtlRunner(project: project, scratch: scratch, simulator: simulator, options: options)
            stages.append(Stage(kind: .rtlSimulation,
                                summary: "\(plan.stepCount) kernel invocations in \(plan.cases.count) runs (\(plan.scope))",
                                target: "rtl", jobs: runner.jobs(plan), simulator: simulator))
        }
        let boards = (try? fm.contentsOfDirectory(atPath: project.appendingPathComponent("board").path))?.sorted() ?? []
        for board in boards {
            let folder = "board/\(board)"
            if fm.fileExists(atPath: project.appendingPathComponent("\(folder)/host/accel_csim.cpp").path) {
                stages.append(Stage(kind: .alveoHost, summary: "the XRT host on its C-simulation backend",
                                    target: "\(folder)/host",
                                    jobs: alveoHostJobs(project: project, host: "\(folder)/host", headers: csim,
                                                        scratch: scratch.appendingPathComponent("host-\(board)"))))
            }
            if fm.fileExists(atPath: project.appendingPathComponent("\(folder)/host.py").path) {
                stages.append(Stage(kind: .pynqHost, summary: "host.py parses (PYNQ runs on the board)", target: "\(folder)/host.py",
                                    jobs: [ToolJob("python3", ["-c", "import ast,sys; ast.parse(open(sys.argv[1]).read())",
                                                               project.appendingPathComponent("\(folder)/host.py").path])]))
            }
        }
        return stages
    }

    /// Reads `rtl/simulations.json`, with a located error for a damaged or foreign file.
    static func readPlan(project: URL) throws(DiagnosticError) -> RTLSimulationPlan {
        let data: Data
        do { data = try Data(contentsOf: project.appendingPathComponent(rtlPlanPath)) } catch {
            throw DiagnosticError([.error("cannot read the simulation plan: \(error.localizedDescription)", file: rtlPlanPath)])
        }
        return try RTLSimulationPlan.decode(data, file: rtlPlanPath)
    }

    static func chooseSimulator(_ plan: RTLSimulationPlan, options: Options) -> RTLSimulator {
        switch options.simulator {
        case .icarus: return .icarus
        case .verilator: return .verilator
        case .auto:
            return plan.icarusSecondsEstimate > options.autoIcarusLimit && ExternalTool.verilator.location != nil ? .verilator : .icarus
        }
    }

    static func rtlRunner(project: URL, scratch: URL, simulator: RTLSimulator, options: Options) -> RTLPlanRunner {
        var runner = RTLPlanRunner(simulator: simulator, folder: project.appendingPathComponent("rtl"),
                                   scratch: scratch.appendingPathComponent("rtl"))
        runner.executor = options.executor
        return runner
    }

    /// The Alveo host built against the kernel's C++ and its C-simulation backend, then run.
    static func alveoHostJobs(project: URL, host: String, headers csim: CSimulation.Jobs, scratch: URL) -> [ToolJob] {
        let p = project.path
        let binary = scratch.appendingPathComponent("moehls_host").path
        return [
            ToolJob("g++", ["-std=c++14", "-O2", "-w", "-I", "\(p)/hls/include", "-I", "\(p)/hls/src", "-isystem", csim.headers,
                            "\(p)/\(host)/host.cpp", "\(p)/\(host)/accel_csim.cpp", "\(p)/hls/src/moehls_top.cpp", "-o", binary],
                    outputs: [binary]),
            ToolJob(binary, ["-", "\(p)/weights/weights.bin", "\(p)/hls/tb/data", "2"]),
        ]
    }

    /// Runs `stage` (as planned by `plan(project:scratch:options:)` with the same scratch).
    public static func run(_ stage: Stage, project: URL, scratch: URL, options: Options = Options()) -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        func seconds() -> Double {
            let d = clock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        let name = stage.kind.rawValue
        switch stage.kind {
        case .cSimulation:
            do {
                let result = try CSimulation.run(project: project, scratch: scratch.appendingPathComponent("csim"),
                                                 executor: options.executor)
                let detail = result.passed
                    ? "\(result.stagesMatched.count) stages bit-exact" + (result.warnings.isEmpty ? "" : ", \(result.warnings.count) warning(s)")
                    : result.mismatch.map { "first mismatch: \($0)" } ?? "failed:\n\(result.output)"
                return Outcome(stage: name, passed: result.passed && result.warnings.isEmpty, detail: detail, seconds: seconds())
            } catch {
                return Outcome(stage: name, passed: false, detail: error.message, seconds: seconds())
            }
        case .rtlSimulation:
            var outcome = runRTL(project: project, scratch: scratch, simulator: stage.simulator ?? .icarus, options: options)
            outcome.seconds = seconds()
            return outcome
        case .alveoHost, .pynqHost:
            var output = ""
            for job in stage.jobs {
                for file in job.outputs {
                    try? FileManager.default.createDirectory(at: URL(fileURLWithPath: file).deletingLastPathComponent(),
                                                             withIntermediateDirectories: true)
                }
                let run = options.executor.run(job)
                output = (run.standardOutput + run.standardError).trimmingCharacters(in: .whitespacesAndNewlines)
                if !run.succeeded {
                    return Outcome(stage: name, passed: false, detail: "\(run.failure ?? "failed")\n\(output.prefix(2000))",
                                   seconds: seconds())
                }
            }
            if stage.kind == .pynqHost {
                return Outcome(stage: name, passed: true, detail: "parses (runs on the board with PYNQ)", seconds: seconds())
            }
            return Outcome(stage: name, passed: output.contains("PASS"), detail: output, seconds: seconds())
        }
    }

    /// Runs `rtl/simulations.json`: every invocation bit for bit, cycles against the cost model.
    static func runRTL(project: URL, scratch: URL, simulator: RTLSimulator, options: Options) -> Outcome {
        let stage = Stage.Kind.rtlSimulation.rawValue
        let plan: RTLSimulationPlan
        do {
            plan = try readPlan(project: project)
            for tool in simulator.tools { _ = try tool.locate() }
        } catch {
            return Outcome(stage: stage, passed: false, detail: error.description, seconds: 0)
        }
        let folder = project.appendingPathComponent("rtl")
        let expected = plan.cases.flatMap { $0.outputs.map(\.expected) }
        if let missing = expected.first(where: { !FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }) {
            return Outcome(stage: stage, passed: false,
                           detail: "stimulus missing (rtl/\(missing)); the project was generated with --omit-data: "
                               + "regenerate it without that flag", seconds: 0)
        }
        let results: [RTLInvocationResult]
        do {
            results = try rtlRunner(project: project, scratch: scratch, simulator: simulator, options: options)
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
}
