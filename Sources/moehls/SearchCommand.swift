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

    @OptionGroup var target: TargetOptions

    @Option(help: "auto, exact, ubimoe or brute.")
    var strategy: SearchStrategy = .auto

    @Option(help: "latency (per pass) or throughput (images per second).")
    var objective: SearchObjective = .latency

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
        try target.requireBoard()
    }

    func run() throws {
        let spec = try withDiagnostics { () throws(DiagnosticError) in try ModelLoader.load(path: model) }
        if reference != nil {
            print(try withDiagnostics { () throws(DiagnosticError) in try SearchReport.ubimoeComparison(spec: spec) },
                  terminator: "")
            return
        }
        let board = try withDiagnostics { () throws(DiagnosticError) in try target.board() }
        let context = try withDiagnostics { () throws(DiagnosticError) in
            try CostContext(spec: spec, device: board, clockMHz: target.clock)
        }
        let options = SearchOptions(strategy: strategy, objective: objective,
                                    cap: target.cap, seed: seed)
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

extension SearchStrategy: ExpressibleByArgument {}
extension SearchObjective: ExpressibleByArgument {}
