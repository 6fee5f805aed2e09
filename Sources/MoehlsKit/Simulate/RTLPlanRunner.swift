import Foundation

/// The simulator of an RTL run.
public enum RTLSimulator: Hashable, Sendable {
    /// Icarus Verilog: `iverilog -g2005 -Wall`, then `vvp`.
    case icarus(iverilog: URL, vvp: URL)
    /// Verilator 5: `verilator --binary --timing` builds one executable per testbench (a minute of
    /// C++ compilation each, then tens to hundreds of times faster than Icarus on full-size grids).
    case verilator(URL)

    public var name: String {
        switch self {
        case .icarus: return "icarus"
        case .verilator: return "verilator"
        }
    }
}

/// Runs an `RTLSimulationPlan`: each testbench compiled once, each case simulated (two at a time,
/// one per core), its outputs compared bit for bit with the expected file and its cycle count
/// with the predictions. Icarus and Verilator run the same testbenches and must agree bit for bit.
/// Nothing is written into the plan's folder: compiled simulations and outputs go to `scratch`.
public struct RTLPlanRunner: Sendable {
    public var simulator: RTLSimulator
    /// The folder holding the plan's files (the simulator's working directory).
    public var folder: URL
    /// Compiled testbenches and simulated outputs.
    public var scratch: URL
    /// Concurrent vvp runs.
    public var workers = 2

    public init(simulator: RTLSimulator, folder: URL, scratch: URL) {
        self.simulator = simulator
        self.folder = folder
        self.scratch = scratch
    }

    /// The commands the plan runs, one line each (for `--dry-run`), relative to the plan's folder.
    public static func commands(_ plan: RTLSimulationPlan, simulator: String = "icarus") -> [String] {
        var lines: [String] = []
        for bench in plan.benches {
            let files = (bench.sources + [bench.testbench]).joined(separator: " ")
            let run: String
            if simulator == "verilator" {
                lines.append("verilator --binary --timing -Wno-fatal --top-module \(bench.top) -Mdir obj_\(bench.shape) -o sim \(files)")
                run = "obj_\(bench.shape)/sim"
            } else {
                lines.append("iverilog -g2005 -Wall -s \(bench.top) -o \(bench.shape).vvp \(files)")
                run = "vvp -n \(bench.shape).vvp"
            }
            for c in plan.cases where c.shape == bench.shape {
                lines.append(run + " " + (c.plusargs + ["outputs=\(c.name).out.hex"]).map { "+" + $0 }.joined(separator: " "))
            }
        }
        return lines
    }

    /// Compiles one testbench; returns the command that runs it (executable and leading
    /// arguments) or the compiler's first complaint.
    func compile(_ bench: RTLSimulationPlan.Bench) throws -> Result<[String], RTLCompileError> {
        let files = bench.sources + [bench.testbench]
        switch simulator {
        case .icarus(let iverilog, let vvp):
            let output = scratch.appendingPathComponent("\(bench.shape).vvp")
            let run = try RTLProcess.run(iverilog, ["-g2005", "-Wall", "-s", bench.top, "-o", output.path] + files, in: folder)
            guard run.status == 0 else { return .failure(.init(message: "iverilog: " + Self.firstLine(run.output, status: run.status))) }
            return .success([vvp.path, "-n", output.path])
        case .verilator(let verilator):
            let objects = scratch.appendingPathComponent("obj_\(bench.shape)")
            let run = try RTLProcess.run(verilator, ["--binary", "--timing", "-Wno-fatal", "--top-module", bench.top,
                                                     "-Mdir", objects.path, "-o", "sim", "-j", "2"] + files, in: folder)
            let executable = objects.appendingPathComponent("sim")
            guard run.status == 0, FileManager.default.isExecutableFile(atPath: executable.path) else {
                let complaint = run.output.split(separator: "\n").first { $0.contains("%Error") }.map(String.init)
                return .failure(.init(message: "verilator: " + (complaint ?? Self.firstLine(run.output, status: run.status))))
            }
            return .success([executable.path])
        }
    }

    static func firstLine(_ output: String, status: Int32) -> String {
        output.split(separator: "\n").first.map(String.init) ?? "exit \(status)"
    }

    /// Runs every case of `plan` (or those `include` accepts); results in plan order.
    /// `progress` gets one line per finished case.
    public func run(_ plan: RTLSimulationPlan, include: (RTLSimulationPlan.Case) -> Bool = { _ in true },
                    compiling: (String) -> Void = { _ in },
                    progress: @escaping @Sendable (RTLInvocationResult) -> Void = { _ in }) throws -> [RTLInvocationResult] {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let cases = plan.cases.filter(include)
        var compiled: [String: [String]] = [:]
        var failed: [String: String] = [:]
        let benches = plan.benches.filter { bench in cases.contains { $0.shape == bench.shape } }
        for (number, bench) in benches.enumerated() {
            compiling("compiling \(bench.shape) with \(simulator.name) (\(number + 1) of \(benches.count))")
            switch try compile(bench) {
            case .success(let command): compiled[bench.shape] = command
            case .failure(let error): failed[bench.shape] = error.message
            }
        }
        let binaries = compiled, errors = failed
        let results = ResultSlots(count: cases.count)
        let workers = max(1, min(self.workers, cases.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < cases.count {
                let c = cases[index]
                let result = simulate(c, number: index, binary: binaries[c.shape], compileError: errors[c.shape])
                results.set(index, result)
                progress(result)
                index += workers
            }
        }
        return results.values.map { $0! }
    }

    func simulate(_ c: RTLSimulationPlan.Case, number: Int, binary: [String]?, compileError: String?) -> RTLInvocationResult {
        var result = RTLInvocationResult(name: c.name, shape: c.shape, tokens: c.tokens, mismatches: 0, firstMismatch: nil,
                                         measuredCycles: nil, predictedCycles: c.predictedCycles, error: nil)
        guard let binary else {
            result.error = compileError ?? "no testbench for shape \(c.shape)"
            return result
        }
        let output = scratch.appendingPathComponent("out\(number).hex")
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let run = try RTLProcess.run(URL(fileURLWithPath: binary[0]),
                                         Array(binary.dropFirst()) + c.plusargs.map { "+" + $0 } + ["+outputs=\(output.path)"],
                                         in: folder)
            let d = clock.now - start
            result.seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            if let line = run.output.split(separator: "\n").first(where: { $0.hasPrefix("CYCLES ") }) {
                result.measuredCycles = Int(line.dropFirst(7))
            }
            if run.status != 0 || result.measuredCycles == nil {
                result.error = simulator.name + ": " + (run.output.split(separator: "\n").first(where: { $0.contains("ERROR") }).map(String.init)
                                          ?? "exit \(run.status)")
                return result
            }
            let expectedText = try String(contentsOf: folder.appendingPathComponent(c.expected), encoding: .utf8)
            let expected = parseMemh(expectedText, width: c.outputWidth, signed: c.outputSigned)
            let got = parseMemh(try String(contentsOf: output, encoding: .utf8), width: c.outputWidth, signed: c.outputSigned)
            for (i, want) in expected.enumerated() {
                let value = i < got.count ? got[i] : nil
                if value != want {
                    result.mismatches += 1
                    if result.firstMismatch == nil { result.firstMismatch = .init(index: i, expected: want ?? 0, got: value) }
                }
            }
            if expected.isEmpty { result.error = "no expected values in \(c.expected)" }
            try? FileManager.default.removeItem(at: output)
        } catch {
            result.error = "\(error)"
        }
        return result
    }
}

extension RTLPlanRunner {
    /// Icarus Verilog's compiler and runtime from PATH, or a diagnostic saying how to install them.
    public static func locateIcarus() throws(DiagnosticError) -> (iverilog: URL, vvp: URL) {
        guard let iverilog = ToolProcess("iverilog", []).resolvedExecutable,
              let vvp = ToolProcess("vvp", []).resolvedExecutable else {
            throw DiagnosticError([.error("Icarus Verilog (iverilog, vvp) is not on PATH; install it with "
                                          + "`sudo apt-get install iverilog` (Debian/Ubuntu) or `brew install icarus-verilog`, "
                                          + "or run scripts/setup.sh")])
        }
        return (iverilog, vvp)
    }

    /// Verilator from PATH, or a diagnostic saying how to install it.
    public static func locateVerilator() throws(DiagnosticError) -> URL {
        guard let verilator = ToolProcess("verilator", []).resolvedExecutable else {
            throw DiagnosticError([.error("Verilator is not on PATH; install it with `sudo apt-get install verilator` "
                                          + "(Debian/Ubuntu, version 5) or run scripts/setup.sh")])
        }
        return verilator
    }

    /// The simulator `choice` names (`auto` means Icarus here; `ProjectVerifier` resolves `auto`
    /// against the plan's size before calling this).
    public static func simulator(_ choice: RTLSimulatorChoice) throws(DiagnosticError) -> RTLSimulator {
        switch choice {
        case .auto, .icarus:
            let tools = try locateIcarus()
            return .icarus(iverilog: tools.iverilog, vvp: tools.vvp)
        case .verilator: return .verilator(try locateVerilator())
        }
    }
}

/// A testbench that did not compile.
struct RTLCompileError: Error {
    var message: String
}
