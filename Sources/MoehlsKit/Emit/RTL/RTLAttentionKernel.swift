/// The attention kernel (docs/kernels-attention.md): `moehls_attention` with the exp and
/// reciprocal ROMs, and its testbench `moehls_attention_tb` (Q, K, V memories; all heads of an
/// invocation in one run).
extension RTLAttentionShape: RTLKernel {
    public static let kind = RTLKernelKind.attention
    public static let testbenchTop = "moehls_attention_tb"
    public static let sources = ["moehls_mul.v", "moehls_convert.v", "moehls_exp.v", "moehls_recip.v", "moehls_attention.v"]
    public static var roms: [RenderedFile] { [RTLRom.exp2, RTLRom.reciprocal] }
    /// The score and value arrays: `N_a T_a` multipliers each.
    public var multipliers: Int { 2 * engine.rows * engine.tA }
    public var units: [RTLUnit] { [RTLUnit(top: "moehls_attention", sources: Self.sources, parameters: verilogParameters)] }

    public func testbench() throws -> String {
        let predicted = RTLAttentionPrediction(shape: self).rtlCycles(heads: heads)
        return try TemplateRenderer(Testbench(
            header: "built for " + verilogAssignments(verilogParameters), tA: engine.tA, aWidth: activation.width,
            tokens: tokens, headDim: headDim, chunks: chunks, maxHeads: heads, headBits: headBits, tokenBits: tokenBits,
            chunkBits: chunkBits, timeoutCycles: 2 * predicted + 1000, kernelParameters: verilogOverrides(verilogParameters)))
            .renderTemplate("rtl/moehls_attention_tb.v")
    }

    /// The placeholders of moehls_attention_tb.v.
    struct Testbench: TemplateContext {
        var header: String
        var tA, aWidth, tokens, headDim, chunks, maxHeads, headBits, tokenBits, chunkBits, timeoutCycles: Int
        var kernelParameters: String
    }
}

extension RTLAttentionStimulus: RTLStimulus {
    /// `q.hex`, `k.hex`, `v.hex` and `expected.hex` under `folder`; one `CYCLES` step.
    public func simulation(on shape: RTLAttentionShape, folder: String) -> (files: [RenderedFile], case: RTLSimulationPlan.Case) {
        let prediction = RTLAttentionPrediction(shape: shape)
        let files = [RenderedFile(path: folder + "q.hex", text: q), RenderedFile(path: folder + "k.hex", text: k),
                     RenderedFile(path: folder + "v.hex", text: v),
                     RenderedFile(path: folder + "expected.hex", text: RTLSimulationPlan.memh(expected, width: shape.activation.width))]
        let c = RTLSimulationPlan.singleOutputCase(
            name: name, shape: shape.identifier,
            plusargs: ["q=\(folder)q.hex", "k=\(folder)k.hex", "v=\(folder)v.hex", "heads=\(heads)"],
            expected: folder + "expected.hex", values: expected.count, width: shape.activation.width,
            signed: shape.activation.isSigned, tokens: shape.tokens, predicted: prediction.cycles(heads: heads),
            kernel: prediction.rtlCycles(heads: heads))
        return (files, c)
    }
}
