/// The LayerNorm unit (docs/kernels-layernorm.md): `moehls_layernorm` with the 1/sqrt ROM, and
/// its testbench `moehls_layernorm_tb` (two read ports of one input buffer, gamma and beta
/// buffers, the result buffer counting its writes).
extension RTLLayerNormShape: RTLKernel {
    public static let kind = RTLKernelKind.layerNorm
    public static let testbenchTop = "moehls_layernorm_tb"
    public static let sources = ["moehls_convert.v", "moehls_mul.v", "moehls_layernorm.v"]
    public static var roms: [RenderedFile] { [RTLRom.rsqrt] }
    public var multipliers: Int { multiplierCount }
    public var units: [RTLUnit] { [RTLUnit(top: "moehls_layernorm", sources: Self.sources, parameters: verilogParameters)] }

    /// Testbench timeout: ten times the longest call the shape accepts, plus slack.
    var timeoutCycles: Int { 10 * rtlCycles(tokens: maxTokens) + 1000 }

    public func testbench() throws -> String {
        try TemplateRenderer(Testbench(
            header: "built for " + verilogAssignments(verilogParameters), lanes: lanes, d: embedDim, maxTokens: maxTokens,
            tokenBits: bitsFor(maxTokens), columnBits: bitsFor(chunks * lanes), aWidth: activation.width,
            gWidth: gamma.width, bWidth: beta.width, timeoutCycles: timeoutCycles,
            unitParameters: verilogOverrides(verilogParameters)))
            .renderTemplate("rtl/moehls_layernorm_tb.v")
    }

    /// The placeholders of moehls_layernorm_tb.v.
    struct Testbench: TemplateContext {
        var header: String
        var lanes, d, maxTokens, tokenBits, columnBits, aWidth, gWidth, bWidth, timeoutCycles: Int
        var unitParameters: String
    }
}

/// One LayerNorm call of a forward pass: the input, gamma and beta, and the golden output.
public struct RTLLayerNormStimulus: Hashable, Sendable {
    public var name: String
    public var tokens: Int
    /// `$readmemh` texts: the input (token-major), gamma and beta (D values each).
    public var inputs: String
    public var gamma: String
    public var beta: String
    public var expected: [Int64]

    public init(name: String, x: FixedMatrix, norm: FixedWeights.Norm, expected: FixedMatrix) {
        self.name = name
        tokens = x.rows
        inputs = "// \(name) input\n" + RTLSimulationPlan.memh(x.raw, width: x.format.width)
        gamma = "// \(name) gamma\n" + RTLSimulationPlan.memh(norm.gamma.raw, width: norm.gamma.format.width)
        beta = "// \(name) beta\n" + RTLSimulationPlan.memh(norm.beta.raw, width: norm.beta.format.width)
        self.expected = expected.raw
    }

    /// Every LayerNorm call of a forward pass (`blocks.i.norm1`, `blocks.i.norm2`, `norm`) with
    /// its gamma and beta.
    public static func calls(_ golden: GoldenModel, trace: GoldenTrace) -> [RTLLayerNormStimulus] {
        let w = golden.fixedWeights
        return trace.calls(.layerNorm).compactMap { call -> RTLLayerNormStimulus? in
            let parts = call.name.split(separator: ".")
            let norm: FixedWeights.Norm?
            if call.name == "norm" {
                norm = w.norm
            } else if parts.count == 3, parts[0] == "blocks", let i = Int(parts[1]), i < w.layers.count {
                norm = parts[2] == "norm1" ? w.layers[i].norm1 : parts[2] == "norm2" ? w.layers[i].norm2 : nil
            } else {
                norm = nil
            }
            guard let norm else { return nil }
            return RTLLayerNormStimulus(name: call.name, x: call.inputs[0], norm: norm, expected: call.output)
        }
    }
}

extension RTLLayerNormStimulus: RTLStimulus {
    /// `inputs.hex`, `gamma.hex`, `beta.hex` and `expected.hex` under `folder`; one `CYCLES` step.
    public func simulation(on shape: RTLLayerNormShape, folder: String) -> (files: [RenderedFile], case: RTLSimulationPlan.Case) {
        let files = [RenderedFile(path: folder + "inputs.hex", text: inputs),
                     RenderedFile(path: folder + "gamma.hex", text: gamma),
                     RenderedFile(path: folder + "beta.hex", text: beta),
                     RenderedFile(path: folder + "expected.hex", text: RTLSimulationPlan.memh(expected, width: shape.activation.width))]
        let c = RTLSimulationPlan.singleOutputCase(
            name: name, shape: shape.identifier,
            plusargs: ["inputs=\(folder)inputs.hex", "gamma=\(folder)gamma.hex", "beta=\(folder)beta.hex", "tokens=\(tokens)"],
            expected: folder + "expected.hex", values: expected.count, width: shape.activation.width, signed: true,
            tokens: tokens, predicted: shape.cycles(tokens: tokens), kernel: shape.rtlCycles(tokens: tokens))
        return (files, c)
    }
}
