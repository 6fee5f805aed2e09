import ArgumentParser
import Foundation
import MoehlsKit

/// `moehls bench sim`: the Verilog kernels on a model's full-size shapes in Icarus.
struct BenchSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Simulate every distinct kernel shape of a model in Icarus: bit-exactness, cycles vs the cost model, speed.",
        discussion: """
        Runs the search for the board (or reads --design), writes the RTL of the first invocation of every
        distinct kernel shape of one forward pass, and simulates them two at a time.
        Time only release builds: swift build -c release && .build/release/moehls bench sim Examples/m3vit.yaml --device zcu102
        """
    )

    @Argument(help: "Model description.")
    var model: String = "Examples/m3vit.yaml"

    @Option(help: "Built-in board (moehls devices).")
    var device: String?

    @Option(name: .customLong("device-file"), help: "Device description (docs/device-format.md).")
    var deviceFile: String?

    @Option(help: "design.json from `moehls search` (default: search now).")
    var design: String?

    @Option(help: "Kernel clock in MHz for the search (default: the board's).")
    var clock: Double?

    @Option(help: "Utilisation cap for the search, in (0, 1].")
    var cap: Double = 0.8

    @Option(help: "Seed of the synthetic weights and input.")
    var seed: UInt64 = 1

    @Option(help: "icarus or verilator (verilator: a minute of C++ compilation per shape, then far faster on full-size grids).")
    var simulator: String = "verilator"

    @Option(parsing: .upToNextOption, help: "Kernels to simulate: linear (every distinct shape), attention (layer 0, Icarus), moe (one MoE layer's gather/combine, Icarus).")
    var kernels: [String] = ["linear", "attention", "moe"]

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if device != nil && deviceFile != nil { throw ValidationError("give either --device or --device-file, not both") }
        if design == nil && device == nil && deviceFile == nil {
            throw ValidationError("give a board with --device NAME or --device-file FILE, or a --design file")
        }
        guard cap > 0, cap <= 1 else { throw ValidationError("--cap must be in (0, 1], found \(cap)") }
        if let clock, !(clock > 0 && clock <= 2_000) { throw ValidationError("--clock must be in (0, 2000] MHz") }
        for k in kernels where RTLBenchmark.Kernel(rawValue: k) == nil {
            throw ValidationError("--kernels takes linear, attention or moe, found '\(k)'")
        }
    }

    func run() throws {
        let progress: @Sendable (String) -> Void = { Output.error("bench sim: \($0)") }
        let result = try withDiagnostics { () throws(DiagnosticError) -> RTLBenchmark.Result in
            let spec = try ModelLoader.load(path: model)
            let sim = try RTLPlanRunner.simulator(RTLSimulatorChoice(rawValue: simulator) ?? .verilator)
            let designFile: DesignFile
            if let design {
                designFile = try DesignFile.decode(try UserFile.read(path: design), file: design)
            } else {
                let board = try DeviceLoader.resolve(name: device, file: deviceFile)
                progress("searching \(board.name)")
                let context = try CostContext(spec: spec, device: board, clockMHz: clock)
                designFile = DesignFile(result: try Search.run(context, options: SearchOptions(cap: cap), progress: progress),
                                        context: context, seed: 1)
            }
            do {
                return try RTLBenchmark.run(spec: spec, design: designFile, seed: seed, simulator: sim,
                                            kernels: Set(kernels.compactMap(RTLBenchmark.Kernel.init(rawValue:))), progress: progress)
            } catch let error as DiagnosticError {
                throw error
            } catch {
                throw DiagnosticError([.error("RTL simulation failed: \(error)")])
            }
        }
        print(json ? try Output.json(result) : result.text, terminator: json ? "\n" : "")
        if !result.allBitExact { throw ExitCode(1) }
    }
}
