import ArgumentParser
import MoehlsKit

/// `moehls bench ...`: benchmarks (build with `swift build -c release` before timing).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks of the golden model (and, as they land, the search, generation and simulation).",
        discussion: "Time only release builds: swift build -c release && .build/release/moehls bench golden",
        subcommands: [BenchGoldenCommand.self, BenchSearchCommand.self, BenchSimCommand.self]
    )
}

struct BenchGoldenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "golden",
        abstract: "Images and MACs per second of the fixed and float forward passes; approximation errors.",
        discussion: "Example: moehls bench golden Examples/m3vit.yaml --runs 5"
    )

    @Argument(help: "Model description.")
    var model: String = "Examples/m3vit.yaml"

    @Option(help: "Timed runs per mode (the median is reported).")
    var runs: Int = 5

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard (1...1000).contains(runs) else { throw ValidationError("--runs must be in 1...1000") }
    }

    func run() throws {
        let spec = try withDiagnostics { () throws(DiagnosticError) in try ModelLoader.load(path: model) }
        let result = try withDiagnostics { () throws(DiagnosticError) in
            try GoldenBenchmark.run(spec, runs: runs) { Output.error($0) }
        }
        print(json ? try Output.json(result) : result.text, terminator: json ? "\n" : "")
    }
}
