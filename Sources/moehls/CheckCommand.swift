import ArgumentParser
import MoehlsKit

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a model description and print its size: tokens, parameters, MACs, weight bytes.",
        discussion: """
        Every problem in the file is reported in one run as file:line:col: error: message.

        Example:
          moehls check Examples/m3vit.yaml
        """
    )

    @Argument(help: "Model description (.yaml, .yml or .json).")
    var model: String

    @Flag(help: "Print the validated model and its workload as JSON.")
    var json = false

    func run() throws {
        let spec = try withDiagnostics { () throws(DiagnosticError) in try ModelLoader.load(path: model) }
        let report = try withDiagnostics { () throws(DiagnosticError) in try ModelSummary(spec) }
        if json {
            print(try Output.json(report))
        } else {
            print(report.text, terminator: "")
        }
    }
}
