/// The attention kernel's files (docs/kernels-attention.md): the hand-written Verilog (copied), the
/// exp and reciprocal ROMs from the golden tables, and the testbench with the shape's parameters.
extension RTLEmitter {
    /// The attention kernel's source files, in dependency order.
    public static let attentionSources = ["moehls_mul.v", "moehls_convert.v", "moehls_exp.v", "moehls_recip.v",
                                          "moehls_attention.v"]

    /// Kernel sources, the exp and reciprocal ROMs and the testbench for `shape` (paths relative to
    /// one folder).
    public static func emitAttention(_ shape: RTLAttentionShape) throws -> [RenderedFile] {
        try shape.validate()
        var files = try attentionSources.map { name throws -> RenderedFile in
            RenderedFile(path: name, text: try template("rtl/\(name)"))
        }
        files.append(RTLRom.exp2)
        files.append(RTLRom.reciprocal)
        files.append(RenderedFile(path: attentionTestbenchName(shape), text: try attentionTestbench(shape)))
        return files
    }

    /// The testbench's file name for `shape`.
    public static func attentionTestbenchName(_ shape: RTLAttentionShape) -> String {
        "moehls_attention_tb_\(shape.identifier).v"
    }

    /// The testbench text for `shape`.
    public static func attentionTestbench(_ shape: RTLAttentionShape) throws -> String {
        let params = shape.verilogParameters.map { ".\($0.0)(\($0.1))" }.joined(separator: ", ")
        let header = "built for " + shape.verilogParameters.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
        let predicted = RTLAttentionPrediction(shape: shape).rtlCycles(heads: shape.heads)
        let values: [String: String] = [
            "header": header,
            "t_a": "\(shape.engine.tA)", "a_width": "\(shape.activation.width)",
            "tokens": "\(shape.tokens)", "head_dim": "\(shape.headDim)", "chunks": "\(shape.chunks)",
            "max_heads": "\(shape.heads)", "head_bits": "\(shape.headBits)", "token_bits": "\(shape.tokenBits)",
            "chunk_bits": "\(shape.chunkBits)", "timeout_cycles": "\(2 * predicted + 1000)",
            "kernel_parameters": params,
        ]
        return try TemplateRenderer(values).renderTemplate("rtl/moehls_attention_tb.v")
    }
}

/// Command lines for Verilator and Yosys on the attention kernel (run in the folder
/// `RTLEmitter.emitAttention` wrote).
public enum RTLAttentionToolJobs {
    /// `verilator --lint-only -Wall` on the kernel sources with the shape's parameters (`-G`).
    public static func lintArguments(_ shape: RTLAttentionShape) -> [String] {
        ["--lint-only", "-Wall", "--top-module", "moehls_attention"]
            + shape.verilogParameters.map { "-G\($0.0)=\($0.1)" }
            + RTLEmitter.attentionSources
    }

    /// `verilator --lint-only -Wall --timing` on the testbench (with the kernel sources).
    public static func testbenchLintArguments(_ shape: RTLAttentionShape) -> [String] {
        ["--lint-only", "-Wall", "--timing", "--top-module", "moehls_attention_tb"]
            + RTLEmitter.attentionSources + [RTLEmitter.attentionTestbenchName(shape)]
    }

    /// The Yosys script: read the kernel, set the shape's parameters, `synth_xilinx -family xcup`,
    /// and write the cell counts to `stat.txt`.
    public static func yosysScript(_ shape: RTLAttentionShape) -> String {
        let params = shape.verilogParameters.map { "-set \($0.0) \($0.1)" }.joined(separator: " ")
        return """
            read_verilog -defer \(RTLEmitter.attentionSources.joined(separator: " "))
            chparam \(params) moehls_attention
            hierarchy -top moehls_attention
            synth_xilinx -family xcup -flatten
            tee -o stat.txt stat

            """
    }
}
