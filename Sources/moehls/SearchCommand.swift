import ArgumentParser
import Foundation
import MoehlsKit

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find the fastest accelerator for a model that fits a board: design point, estimate, Pareto front.",
        discussion: """
        Prints the best design, its resources (used / cap / available), the latency by phase, kernel
        and layer, the bound that limits it and the top of the Pareto front; progress goes to stderr.
        -o writes design.json, the input of the generators (docs/design-space.md).

        Strategies: auto (default; exact branch and bound with a node budget, prints a proven gap if
        the budget runs out), exact (no budget), ubimoe (UbiMoE's heuristic), brute (small spaces).

        Examples:
          moehls search Examples/m3vit.yaml --device zcu102
          moehls search Examples/m3vit.yaml --device u280 --clock 200 -o design.json
          moehls search Examples/vit-small.yaml --device u280 --objective throughput --json
          moehls search Examples/m3vit.yaml --reference ubimoe
        """
    )

    @Argument(help: "Model description (.yaml, .yml or .json).")
    var model: String

    @Option(help: "Built-in board (moehls devices).")
    var device: String?

    @Option(name: .customLong("device-file"), help: "Device description (docs/device-format.md).")
    var deviceFile: String?

    @Option(help: "Kernel clock in MHz (default: the board's).")
    var clock: Double?

    @Option(help: "Largest fraction of every budget resource a design may use, in (0, 1].")
    var cap: Double = 0.8

    @Option(help: "auto, exact, ubimoe or brute.")
    var strategy: String = "auto"

    @Option(help: "latency (per pass) or throughput (images per second).")
    var objective: String = "latency"

    @Option(help: "Seed of the ubimoe genetic algorithm.")
    var seed: UInt64 = 1

    @Flag(help: "Print design.json on stdout instead of the report.")
    var json = false

    @Option(name: .shortAndLong, help: "Write design.json to this file.")
    var output: String?

    @Option(help: "Print a published design priced by the cost model beside the paper (ubimoe) instead of searching.")
    var reference: String?

    func validate() throws {
        if reference != nil {
            guard reference == "ubimoe" else { throw ValidationError("--reference supports 'ubimoe'") }
            return
        }
        if device != nil && deviceFile != nil { throw ValidationError("give either --device or --device-file, not both") }
        if device == nil && deviceFile == nil { throw ValidationError("give a board with --device NAME or --device-file FILE") }
        guard cap > 0, cap <= 1 else { throw ValidationError("--cap must be in (0, 1], found \(cap)") }
        if let clock, !(clock > 0 && clock <= 2_000) { throw ValidationError("--clock must be in (0, 2000] MHz, found \(clock)") }
        guard SearchStrategy(rawValue: strategy) != nil else {
            throw ValidationError("--strategy must be one of \(SearchStrategy.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard SearchObjective(rawValue: objective) != nil else {
            throw ValidationError("--objective must be latency or throughput")
        }
    }

    func run() throws {
        let spec = try withDiagnostics { () throws(DiagnosticError) in try ModelLoader.load(path: model) }
        if reference != nil {
            print(try withDiagnostics { () throws(DiagnosticError) in try SearchReport.ubimoeComparison(spec: spec) },
                  terminator: "")
            return
        }
        let board = try withDiagnostics { () throws(DiagnosticError) in try DeviceLoader.resolve(name: device, file: deviceFile) }
        let context = try withDiagnostics { () throws(DiagnosticError) in
            try CostContext(spec: spec, device: board, clockMHz: clock)
        }
        let options = SearchOptions(strategy: SearchStrategy(rawValue: strategy)!, objective: SearchObjective(rawValue: objective)!,
                                    cap: cap, seed: seed)
        let started = ContinuousClock.now
        func elapsed() -> String {
            let d = ContinuousClock.now - started
            return Format.fixed(Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18, 2)
        }
        let result = try withDiagnostics { () throws(DiagnosticError) in
            try Search.run(context, options: options) { Output.error("[\(elapsed()) s] \($0)") }
        }
        Output.error("search took \(elapsed()) s")
        let file = DesignFile(result: result, context: context, seed: seed)
        let data = try file.encoded()
        if let output {
            do {
                try data.write(to: URL(fileURLWithPath: output))
            } catch {
                throw Output.fail(DiagnosticError([.error("cannot write \(output): \(error.localizedDescription)")]))
            }
            Output.error("wrote \(output)")
        }
        if json {
            print(String(decoding: data, as: UTF8.self), terminator: "")
        } else {
            print(SearchReport.text(result, context), terminator: "")
        }
    }
}
