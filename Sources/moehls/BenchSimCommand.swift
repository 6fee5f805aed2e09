import ArgumentParser
import Foundation
import MoehlsKit

/// `moehls bench sim`: the Verilog kernels on a model's full-size shapes in Icarus.
struct BenchSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Simulate every distinct kernel shape of a model in RTL: bit-exactness, cycles vs the cost model, speed.",
        discussion: """
        Runs the search for the board (or reads --design), writes the RTL of the first invocation of every
        distinct kernel shape of one forward pass, and simulates them two at a time.
        Time only release builds: swift build -c release && .build/release/moehls bench sim Examples/m3vit.yaml --device zcu102
        """
    )

    @Argument(help: "Model description.")
    var model: String = "Examples/m3vit.yaml"

    @OptionGroup var target: TargetOptions

    @Option(help: "design.json from `moehls search` (default: search now).")
    var design: String?

    @Option(help: "Seed of the synthetic weights and input.")
    var seed: UInt64 = 1

    @Option(help: "icarus or verilator (verilator: a minute of C++ compilation per shape, then far faster on full-size grids).")
    var simulator: RTLSimulatorChoice = .verilator

    @Option(parsing: .upToNextOption, help: "Kernels to simulate: linear (every distinct shape), attention (layer 0), moe (one MoE layer's gather/combine and router), layernorm; the dense residual write-backs come with linear.")
    var kernels: [String] = RTLBenchmark.Kernel.allCases.map(\.rawValue)

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if design == nil { try target.requireBoard(", or a --design file") }
        for k in kernels where RTLBenchmark.Kernel(rawValue: k) == nil {
            let names = RTLBenchmark.Kernel.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--kernels takes \(names) (space-separated), found '\(k)'")
        }
    }

    func run() throws {
        let progress: @Sendable (String) -> Void = { Output.error("bench sim: \($0)") }
        let result = try withDiagnostics { () throws(DiagnosticError) -> RTLBenchmark.Result in
            let spec = try ModelLoader.load(path: model)
            let sim = try RTLSimulator.locate(simulator)
            let source: DesignSource = design.map { .file($0) } ?? .search(cap: target.cap)
            let designFile = try source.resolve(spec: spec, device: target.hasBoard ? try target.board() : nil,
                                                clockMHz: target.clock, progress: progress).design
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
