import ArgumentParser
import Foundation
import MoehlsKit

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the golden model: the hardware-exact fixed-point forward pass beside the float reference.",
        discussion: """
        Prints, stage by stage, how far fixed point drifts from float (max |difference|, cosine
        similarity, fraction of reference values outside the activation format), then the outputs.

        Examples:
          moehls run Examples/m3vit.yaml --seed 1
          moehls run Examples/tiny-moe.yaml --mode fixed --dump out/
          moehls run Examples/vit-tiny.yaml --weights vit_tiny.safetensors --input image.npy
        """
    )

    @Argument(help: "Model description (.yaml or .json).")
    var model: String

    @OptionGroup var weights: WeightOptions

    @Option(help: "Input from a .npy file: C x H x W pixels for ViTs, tokens x D for attention blocks.")
    var input: String?

    @Option(help: "fixed, float or both.")
    var mode: GoldenRunner.Mode = .both

    @Option(help: "Which task's gate routes the MoE layers (multi-task models).")
    var task: Int = 0

    @Option(help: "Write every stage's activations and the kernel trace as .npy files with a manifest.")
    var dump: String?

    @Flag(help: "Write the dump into a folder that holds files moehls did not write (they are kept).")
    var force = false

    @Flag(help: "Print the comparison as JSON.")
    var json = false

    func run() throws {
        let spec = try withDiagnostics { () throws(DiagnosticError) in try ModelLoader.load(path: model) }
        let options = GoldenRunner.Options(seed: weights.seed, weightsFile: weights.weights, inputFile: input, mode: mode, task: task,
                                           dumpDirectory: dump, forceDump: force)
        let report = try withDiagnostics { () throws(DiagnosticError) in
            try GoldenRunner.run(spec, options: options) { Output.error($0) }
        }
        if json {
            print(try Output.json(report))
        } else {
            print(report.text, terminator: "")
        }
    }
}

extension GoldenRunner.Mode: ExpressibleByArgument {}
