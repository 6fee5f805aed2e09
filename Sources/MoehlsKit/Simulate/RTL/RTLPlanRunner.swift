import Foundation

/// The simulator of an RTL run.
public enum RTLSimulator: String, Codable, Hashable, Sendable {
    /// Icarus Verilog: `iverilog -g2005 -Wall`, then `vvp`.
    case icarus
    /// Verilator 5: `verilator --binary --timing` builds one executable per testbench (a minute of
    /// C++ compilation each, then tens to hundreds of times faster than Icarus on full-size grids).
    case verilator

    public var name: String { rawValue }

    /// The programs it needs.
    public var tools: [ExternalTool] { self == .icarus ? [.iverilog, .vvp] : [.verilator] }

    /// The simulator `choice` names, checked to be installed (`auto` means Icarus here;
    /// `ProjectVerifier` resolves `auto` against the plan's size before calling this).
    public static func locate(_ choice: RTLSimulatorChoice) throws(DiagnosticError) -> RTLSimulator {
        let simulator: RTLSimulator = choice == .verilator ? .verilator : .icarus
        for tool in simulator.tools { _ = try tool.locate() }
        return simulator
    }
}

/// Runs an `RTLSimulationPlan`, the one way moehls simulates Verilog (tests, `verify`, `bench sim`):
/// each testbench compiled once, each case simulated (two at a time, one per core), its outputs
/// compared bit for bit with the expected files and every step's cycle count with its
/// predictions. Icarus and Verilator run the same testbenches and must agree bit for bit.
/// Nothing is written into the plan's folder: compiled simulations and outputs go to `scratch`.
/// Every program runs as a `ToolJob` built by `jobs(_:)`, so `--dry-run` prints what runs.
public struct RTLPlanRunner: Sendable {
    public var simulator: RTLSimulator
    /// The folder holding the plan's files (the simulator's working directory).
    public var folder: URL
    /// Compiled testbenches and simulated outputs.
    public var scratch: URL
    /// Concurrent simulation runs.
    public var workers = 2
    public var executor: any ToolExecutor = ToolRunner()

    public init(simulator: RTLSimulator, folder: URL, scratch: URL) {
        self.simulator = simulator
        self.folder = folder
        self.scratch = scratch
    }

    // MARK: Jobs

    /// Compiles one testbench.
    public func compileJob(_ bench: RTLSimulationPlan.Bench) -> ToolJob {
        let files = bench.sources + [bench.testbench]
        switch simulator {
        case .icarus:
            return ToolJob("iverilog", ["-g2005", "-Wall", "-s", bench.top, "-o", compiled(bench).path] + files,
                           in: folder.path, outputs: [compiled(bench).path])
        case .verilator:
            let objects = scratch.appendingPathComponent("obj_\(bench.shape)")
            return ToolJob("verilator", ["--binary", "--timing", "-Wno-fatal", "--top-module", bench.top,
                                         "-Mdir", objects.path, "-o", "sim", "-j", "2"] + files,
                           in: folder.path, outputs: [compiled(bench).path])
        }
    }

    /// The compiled simulation of a testbench.
    func compiled(_ bench: RTLSimulationPlan.Bench) -> URL {
        simulator == .icarus ? scratch.appendingPathComponent("\(bench.shape).vvp")
                             : scratch.appendingPathComponent("obj_\(bench.shape)/sim")
    }

    /// Where case `number`'s output `plusarg` goes.
    func outputFile(_ number: Int, _ plusarg: String) -> URL {
        scratch.appendingPathComponent("case\(number).\(plusarg).hex")
    }

    /// The stack a Verilator-built simulation runs with: 1 GiB (the 32x32x2 grid of the U280
    /// design overflows the default 8 MiB; measured to pass with `ulimit -s unlimited`).
    public static let verilatorStackKiB = 1_048_576

    /// Runs case `number` of `plan`. The wall-clock limit is generous (fifty times the Icarus
    /// estimate, at least ten minutes): the testbenches stop themselves on a cycle timeout.
    public func simulateJob(_ c: RTLSimulationPlan.Case, number: Int, plan: RTLSimulationPlan) -> ToolJob? {
        guard let bench = plan.benches.first(where: { $0.shape == c.shape }) else { return nil }
        let arguments = c.plusargs.map { "+" + $0 } + c.outputs.map { "+\($0.plusarg)=\(outputFile(number, $0.plusarg).path)" }
        let limit = max(600, 50 * plan.icarusSecondsEstimate(c))
        let inputs = c.plusargs.compactMap { $0.split(separator: "=", maxSplits: 1).last.map(String.init) }
            .filter { $0.hasSuffix(".hex") }
        let outputs = c.outputs.map { outputFile(number, $0.plusarg).path }
        switch simulator {
        case .icarus:
            return ToolJob("vvp", ["-n", compiled(bench).path] + arguments, in: folder.path, inputs: inputs, outputs: outputs,
                           timeoutSeconds: limit)
        case .verilator:
            // Verilator keeps wide signals (8,192-bit weight beats on HBM boards) on the stack.
            return ToolJob(compiled(bench).path, arguments, in: folder.path, inputs: inputs, outputs: outputs,
                           timeoutSeconds: limit, stackKiB: Self.verilatorStackKiB)
        }
    }

    /// Every job a run of `plan` (cases `include` accepts) starts, in order: the compilations,
    /// then the simulations.
    public func jobs(_ plan: RTLSimulationPlan, include: (RTLSimulationPlan.Case) -> Bool = { _ in true }) -> [ToolJob] {
        let (numbered, benches) = Self.selection(plan, include)
        return benches.map(compileJob) + numbered.compactMap { simulateJob($0.element, number: $0.offset, plan: plan) }
    }

    /// The cases `include` accepts with their plan index, and the benches they need.
    static func selection(_ plan: RTLSimulationPlan, _ include: (RTLSimulationPlan.Case) -> Bool)
        -> (cases: [EnumeratedSequence<[RTLSimulationPlan.Case]>.Element], benches: [RTLSimulationPlan.Bench]) {
        let numbered = plan.cases.enumerated().filter { include($0.element) }
        let shapes = Set(numbered.map(\.element.shape))
        return (numbered, plan.benches.filter { shapes.contains($0.shape) })
    }

    // MARK: Running

    /// Runs every case of `plan` (or those `include` accepts); one result per step, in plan
    /// order. `compiling` gets a line per testbench compiled, `progress` one per finished step.
    public func run(_ plan: RTLSimulationPlan, include: (RTLSimulationPlan.Case) -> Bool = { _ in true },
                    compiling: (String) -> Void = { _ in },
                    progress: @escaping @Sendable (RTLInvocationResult) -> Void = { _ in }) throws -> [RTLInvocationResult] {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let (numbered, benches) = Self.selection(plan, include)
        var failed: [String: String] = [:]
        for (number, bench) in benches.enumerated() {
            compiling("compiling \(bench.shape) with \(simulator.name) (\(number + 1) of \(benches.count))")
            let run = executor.run(compileJob(bench))
            if !run.succeeded || !FileManager.default.fileExists(atPath: compiled(bench).path) {
                failed[bench.shape] = Self.complaint(run, marker: simulator == .icarus ? "error" : "%Error")
            }
        }
        let errors = failed
        let results = concurrentMap(numbered, workers: workers) { numberedCase -> [RTLInvocationResult] in
            let results = simulate(numberedCase.element, number: numberedCase.offset, plan: plan, compileError: errors[numberedCase.element.shape])
            results.forEach(progress)
            return results
        }
        return results.flatMap { $0 }
    }

    /// The first line of `run`'s output holding `marker` (after the tool's name), else its failure line.
    static func complaint(_ run: ToolRun, marker: String) -> String {
        guard let line = run.output.split(separator: "\n").first(where: { $0.contains(marker) }) else {
            return run.failure ?? "no output"
        }
        return "\(URL(fileURLWithPath: run.job.tool).lastPathComponent): \(line)"
    }

    func simulate(_ c: RTLSimulationPlan.Case, number: Int, plan: RTLSimulationPlan, compileError: String?) -> [RTLInvocationResult] {
        var results = c.steps.map { step in
            RTLInvocationResult(name: step.name, shape: c.shape, tokens: step.tokens, mismatches: 0, firstMismatch: nil,
                                measuredCycles: nil, predictedCycles: step.predictedCycles, error: nil,
                                kernelCycles: step.kernelCycles, checkOnly: step.checkOnly)
        }
        func fail(_ message: String) -> [RTLInvocationResult] {
            results.map { var r = $0; r.error = r.error ?? message; return r }
        }
        if let compileError { return fail(compileError) }
        guard let job = simulateJob(c, number: number, plan: plan) else { return fail("no testbench for shape \(c.shape)") }
        let run = executor.run(job)
        // the testbench's cycle lines, in order: `TAG ... cycles`
        let tags = Set(c.steps.map(\.tag))
        let counts = run.output.split(separator: "\n").compactMap { line -> Int? in
            let fields = line.split(separator: " ")
            guard let tag = fields.first, tags.contains(String(tag)), let last = fields.last else { return nil }
            return Int(last)
        }
        for (i, cycles) in counts.enumerated() where i < results.count { results[i].measuredCycles = cycles }
        // wall time belongs to the run; it is one invocation's only when the run has one step
        if results.count == 1 { results[0].seconds = run.seconds }
        // a testbench's own checks (write counts, the busy rule, timeouts) print ERROR lines: any
        // one fails the case, even when the run completed
        let complaint = run.output.split(separator: "\n").first { $0.hasPrefix("ERROR") }.map(String.init)
        if !run.succeeded || counts.count != results.count || complaint != nil {
            return fail("\(simulator.name): " + (complaint ?? run.failure
                                                  ?? "\(counts.count) of \(results.count) invocations reported their cycles"))
        }
        var got: [String: [Int64?]] = [:], expected: [String: [Int64?]] = [:]
        for output in c.outputs {
            guard let text = try? String(contentsOf: folder.appendingPathComponent(output.expected), encoding: .utf8) else {
                return fail("cannot read \(output.expected)")
            }
            expected[output.plusarg] = parseMemh(text, width: output.width, signed: output.signed)
            let simulated = (try? String(contentsOf: outputFile(number, output.plusarg), encoding: .utf8)) ?? ""
            got[output.plusarg] = parseMemh(simulated, width: output.width, signed: output.signed)
            try? FileManager.default.removeItem(at: outputFile(number, output.plusarg))
        }
        for (index, step) in c.steps.enumerated() {
            for check in step.checks {
                let want = expected[check.output] ?? [], have = got[check.output] ?? []
                guard check.offset >= 0, check.count >= 0, check.offset + check.count <= want.count else {
                    results[index].error = "\(check.output): the expected file has \(want.count) values, "
                        + "the plan checks \(check.offset) ..< \(check.offset + check.count)"
                    continue
                }
                for i in 0..<check.count {
                    let position = check.offset + i
                    let value = position < have.count ? have[position] : nil
                    if value != want[position] {
                        results[index].mismatches += 1
                        if results[index].firstMismatch == nil {
                            results[index].firstMismatch = .init(index: i, expected: want[position] ?? 0, got: value)
                        }
                    }
                }
            }
        }
        return results
    }
}

extension RTLPlanRunner {
    /// Writes `files` under `directory` and runs `plan` there (scratch in `directory/sim`): how
    /// tests and benchmarks simulate kernels they render themselves.
    public static func run(_ files: [RenderedFile], _ plan: RTLSimulationPlan, in directory: URL,
                           simulator: RTLSimulator = .icarus,
                           progress: @escaping @Sendable (RTLInvocationResult) -> Void = { _ in }) throws -> [RTLInvocationResult] {
        try RenderedFile.write(files, to: directory)
        return try RTLPlanRunner(simulator: simulator, folder: directory, scratch: directory.appendingPathComponent("sim"))
            .run(plan, progress: progress)
    }

    /// Renders `stimuli` on `kernel` into `directory` and simulates them.
    public static func simulate<S: RTLStimulus>(_ kernel: S.Kernel, _ stimuli: [S], in directory: URL,
                                                simulator: RTLSimulator = .icarus) throws -> [RTLInvocationResult] {
        let (files, plan) = try RTLSimulationPlan.build(kernel, stimuli, scope: kernel.identifier)
        return try run(files, plan, in: directory.appendingPathComponent(kernel.identifier), simulator: simulator)
    }
}
