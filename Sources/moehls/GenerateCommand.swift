import ArgumentParser
import Foundation
import MoehlsKit

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a complete project: HLS C++, weights, test data, board files, report.",
        discussion: """
        Runs the search unless --design gives a design.json. Refuses to write into a folder that holds
        files moehls did not write (or generated files you edited) unless --force; a failed run leaves
        the previous output as it was. docs/generated-project.md describes the folder.

        Examples:
          moehls generate Examples/m3vit.yaml --device zcu102 -o out/m3vit-zcu102
          moehls search Examples/m3vit.yaml --device u280 --clock 200 -o design.json
          moehls generate Examples/m3vit.yaml --device u280 --design design.json -o out/m3vit-u280
        """
    )

    @Argument(help: "Model description (.yaml, .yml or .json).")
    var model: String

    @OptionGroup var target: TargetOptions

    @Option(help: "design.json from `moehls search` (default: search now).")
    var design: String?

    @Option(name: .shortAndLong, help: "Project folder to write.")
    var output: String

    @OptionGroup var weights: WeightOptions

    @Option(help: "Which task's gate the test data uses (multi-task models).")
    var task: Int = 0

    @Flag(help: "Write into a folder that holds other files, or over edited generated files.")
    var force = false

    @Flag(name: .customLong("dry-run"), help: "List the files that would be written, write nothing.")
    var dryRun = false

    @Flag(name: .customLong("omit-data"), help: "Leave out the weight image and test vectors (*.bin), as Generated/ does.")
    var omitData = false

    func validate() throws {
        try target.requireBoard()
    }

    func run() throws {
        let progress: (String) -> Void = { Output.error("generate: \($0)") }
        var files = try withDiagnostics { () throws(DiagnosticError) -> [RenderedFile] in
            let spec = try ModelLoader.load(path: model)
            let board = try target.board()
            let source: DesignSource = design.map { .file($0) } ?? .search(cap: target.cap)
            let (designFile, front) = try source.resolve(spec: spec, device: board, clockMHz: target.clock, progress: progress)
            progress("golden model weights")
            let golden = try weights.source.model(spec: spec, task: task)
            let inputs = ProjectGenerator.Inputs(spec: spec, device: board, design: designFile, golden: golden,
                                                 input: .synthetic(spec: spec, seed: weights.seed), front: front)
            return try ProjectGenerator.render(inputs, progress: progress)
        }
        if omitData { files.removeAll { ProjectGenerator.isBulkData($0.path) } }
        if dryRun {
            for file in files { print("\(file.path)  \(Format.bytes(file.bytes.count))") }
            print("\(files.count) files, \(Format.bytes(files.reduce(0) { $0 + $1.bytes.count })) (dry run: nothing written)")
            return
        }
        let outcome = try withDiagnostics { () throws(DiagnosticError) in try ProjectWriter.write(files, to: output, force: force) }
        print("wrote \(output): \(outcome.written) file(s) written, \(outcome.unchanged) unchanged"
              + (outcome.removed.isEmpty ? "" : ", \(outcome.removed.count) obsolete removed")
              + (outcome.keptUserFiles.isEmpty ? "" : ", \(outcome.keptUserFiles.count) of your files kept"))
        print("next: moehls verify \(output)")
    }
}
