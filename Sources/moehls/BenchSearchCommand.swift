import ArgumentParser
import Foundation
import MoehlsKit

/// `moehls bench search`: search time per model, board and strategy (release build).
struct BenchSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search time for each strategy, model and board, and the ubimoe heuristic's gap to the exact optimum.",
        discussion: """
        Time only release builds: swift build -c release && .build/release/moehls bench search
        Default: M3ViT and ViT-S on zcu102 at 300 MHz and u280 at 200 MHz, strategies auto, exact and ubimoe,
        followed by UbiMoE's configuration priced beside the paper.
        """
    )

    @Option(parsing: .upToNextOption, help: "Model descriptions.")
    var models: [String] = ["Examples/m3vit.yaml", "Examples/vit-small.yaml"]

    @Option(parsing: .upToNextOption, help: "Boards as NAME@MHZ (built-in names).")
    var targets: [String] = ["zcu102@300", "u280@200"]

    @Option(parsing: .upToNextOption, help: "Strategies to time.")
    var strategies: [SearchStrategy] = [.auto, .exact, .ubimoe]

    @Option(help: "What the search minimises.")
    var objective: SearchObjective = .latency

    @Option(help: "Utilisation cap in (0, 1].")
    var cap: Double = 0.8

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard cap > 0, cap <= 1 else { throw ValidationError("--cap must be in (0, 1], found \(cap)") }
        for t in targets {
            let parts = t.split(separator: "@")
            guard parts.count == 2, Double(parts[1]).map({ $0 > 0 && $0 <= 2_000 }) == true else {
                throw ValidationError("--targets takes NAME@MHZ, found '\(t)'")
            }
        }
    }

    func run() throws {
        let specs = try models.map { path in
            (path: path, spec: try withDiagnostics { () throws(DiagnosticError) in try ModelLoader.load(path: path) })
        }
        let boards = try targets.map { t -> (device: Device, clockMHz: Double) in
            let parts = t.split(separator: "@")
            let device = try withDiagnostics { () throws(DiagnosticError) in try DeviceLoader.builtin(String(parts[0])) }
            return (device, Double(parts[1])!)
        }
        let result = try withDiagnostics { () throws(DiagnosticError) in
            try SearchBenchmark.run(models: specs, targets: boards, strategies: strategies,
                                    objective: objective, cap: cap, seed: 1) { Output.error($0) }
        }
        if json {
            print(try Output.json(result))
            return
        }
        print(result.text, terminator: "")
        if let m3vit = specs.first(where: { $0.spec.kind == .moeViT }) {
            print("")
            print(try withDiagnostics { () throws(DiagnosticError) in try SearchReport.ubimoeComparison(spec: m3vit.spec) },
                  terminator: "")
        }
    }
}
