import Foundation
import MoehlsTemplates

/// Renders the Verilog files of a kernel shape: the hand-written kernel templates (copied), the ROM
/// contents from the golden tables, and the testbench with the shape's parameters.
public enum RTLEmitter {
    /// The kernel source files, in dependency order.
    public static let linearSources = ["moehls_convert.v", "moehls_gelu.v", "moehls_linear.v"]

    /// Kernel sources, the GELU ROM and the testbench for `shape` (paths relative to one folder).
    public static func emitLinear(_ shape: RTLLinearShape) throws -> [RenderedFile] {
        try shape.validate()
        var files = try linearSources.map { name throws -> RenderedFile in
            RenderedFile(path: name, text: try template("rtl/\(name)"))
        }
        files.append(RTLRom.gelu)
        files.append(RenderedFile(path: "moehls_linear_tb_\(shape.identifier).v", text: try linearTestbench(shape)))
        return files
    }

    /// The testbench text for `shape`.
    public static func linearTestbench(_ shape: RTLLinearShape) throws -> String {
        let params = shape.verilogParameters.map { ".\($0.0)(\($0.1))" }.joined(separator: ", ")
        let header = "built for " + shape.verilogParameters.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            + " LATENCY=\(shape.memoryLatency)"
        let values: [String: String] = [
            "header": header,
            "t_in": "\(shape.engine.tIn)", "lanes": "\(shape.engine.lanes)",
            "input_blocks": "\(shape.inputBlocks)", "d_out": "\(shape.outputs)",
            "max_tokens": "\(shape.maxTokens)", "token_bits": "\(bitsFor(shape.maxTokens))",
            "column_bits": "\(bitsFor(shape.outputBlocks * shape.engine.tOut + shape.engine.tIn))",
            "block_bits": "\(bitsFor(shape.inputBlocks))",
            "x_width": "\(shape.input.width)", "o_width": "\(shape.output.width)",
            "beat_bits": "\(shape.beatBits)", "beats": "\(shape.outputBlocks * shape.slabBeats)",
            "memory_latency": "\(shape.memoryLatency)",
            "timeout_cycles": "\(10 * (shape.memoryLatency + shape.outputBlocks * (shape.slabBeats + shape.inputBlocks * ceilDiv(shape.maxTokens, shape.engine.lanes))) + 1000)",
            "kernel_parameters": params,
        ]
        return try TemplateRenderer(values).renderTemplate("rtl/moehls_linear_tb.v")
    }

    static func template(_ path: String) throws -> String {
        guard let url = TemplateBundle.url(path), let data = FileManager.default.contents(atPath: url.path) else {
            throw RTLUnsupported(message: "template \(path) is missing from the MoehlsTemplates bundle")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
