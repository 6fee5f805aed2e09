import Foundation

/// The MoE units' files: the hand-written templates (copied) and the layer testbench rendered with
/// the shape's parameters (docs/kernels-moe.md).
extension RTLEmitter {
    /// Sources of the MoE units, in dependency order.
    public static let moeSources = ["moehls_convert.v", "moehls_residual_add.v", "moehls_gather.v", "moehls_combine.v"]

    /// Kernel sources and the layer testbench (`moehls_moe_tb_<identifier>.v`, last) for `shape`.
    public static func emitMoE(_ shape: RTLMoEShape) throws -> [RenderedFile] {
        try shape.validate()
        var files = try moeSources.map { name throws -> RenderedFile in
            RenderedFile(path: name, text: try template("rtl/\(name)"))
        }
        files.append(RenderedFile(path: moeTestbenchName(shape), text: try moeTestbench(shape)))
        return files
    }

    static func moeTestbenchName(_ shape: RTLMoEShape) -> String { "moehls_moe_tb_\(shape.identifier).v" }

    /// The layer testbench text for `shape`.
    public static func moeTestbench(_ shape: RTLMoEShape) throws -> String {
        func list(_ parameters: [(String, String)]) -> String { parameters.map { ".\($0.0)(\($0.1))" }.joined(separator: ", ") }
        let header = "built for " + shape.combineParameters.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            + " D=\(shape.embedDim) E=\(shape.experts) TOP_K=\(shape.topK)"
        let k = shape.blocks
        // the longest unit invocation: a finish or a gather/scatter of every token, with slack
        let longest = max(ceilDiv(shape.maxTokens, shape.engine.lanes), shape.maxTokens) * k
        let values: [String: String] = [
            "header": header,
            "t_in": "\(shape.engine.tIn)", "lanes": "\(shape.engine.lanes)", "blocks": "\(k)", "d": "\(shape.embedDim)",
            "experts": "\(shape.experts)", "max_tokens": "\(shape.maxTokens)", "max_pairs": "\(shape.maxPairs)",
            "token_bits": "\(shape.tokenBits)", "block_bits": "\(shape.blockBits)",
            "x_width": "\(shape.activation.width)", "s_width": "\(shape.activation.width)",
            "y_width": "\(shape.activation.width)", "o_width": "\(shape.activation.width)",
            "timeout_cycles": "\(2 * longest + 1000)",
            "gather_parameters": list(shape.gatherParameters), "combine_parameters": list(shape.combineParameters),
        ]
        return try TemplateRenderer(values).renderTemplate("rtl/moehls_moe_tb.v")
    }
}

/// Verilator lint and Yosys synthesis of the MoE units and the residual stage (run in the folder
/// `RTLEmitter.emitMoE` / `emitResidual` wrote).
public enum RTLMoEToolJobs {
    /// `verilator --lint-only -Wall` on one unit with the shape's parameters: `moehls_gather` or
    /// `moehls_combine`.
    public static func lintArguments(_ shape: RTLMoEShape, top: String) -> [String] {
        let parameters = top == "moehls_gather" ? shape.gatherParameters : shape.combineParameters
        let sources = top == "moehls_gather" ? ["moehls_gather.v"] : ["moehls_convert.v", "moehls_residual_add.v", "moehls_combine.v"]
        return ["--lint-only", "-Wall", "--top-module", top] + parameters.map { "-G\($0.0)=\($0.1)" } + sources
    }

    /// `verilator --lint-only -Wall --timing` on the layer testbench with the unit sources.
    public static func testbenchLintArguments(_ shape: RTLMoEShape) -> [String] {
        ["--lint-only", "-Wall", "--timing", "--top-module", "moehls_moe_tb"] + RTLEmitter.moeSources
            + [RTLEmitter.moeTestbenchName(shape)]
    }

    /// The Yosys script: each unit synthesised on its own (`synth_xilinx -family xcup -flatten`),
    /// cell counts to `stat_gather.txt` and `stat_combine.txt`.
    public static func yosysScript(_ shape: RTLMoEShape) -> String {
        func unit(_ top: String, _ sources: [String], _ parameters: [(String, String)], _ stat: String) -> String {
            """
            design -reset
            read_verilog -defer \(sources.joined(separator: " "))
            chparam \(parameters.map { "-set \($0.0) \($0.1)" }.joined(separator: " ")) \(top)
            hierarchy -top \(top)
            synth_xilinx -family xcup -flatten
            tee -o \(stat) stat

            """
        }
        return unit("moehls_gather", ["moehls_gather.v"], shape.gatherParameters, "stat_gather.txt")
            + unit("moehls_combine", ["moehls_convert.v", "moehls_residual_add.v", "moehls_combine.v"],
                   shape.combineParameters, "stat_combine.txt")
    }
}
