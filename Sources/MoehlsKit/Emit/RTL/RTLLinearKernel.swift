/// The linear kernel (docs/kernels.md): `moehls_linear` with the GELU ROM, and its testbench
/// `moehls_linear_tb` (weight memory with the design's latency, one invocation per run).
extension RTLLinearShape: RTLKernel {
    public static let kind = RTLKernelKind.linear
    public static let testbenchTop = "moehls_linear_tb"
    public static let sources = ["moehls_convert.v", "moehls_gelu.v", "moehls_linear.v"]
    public static var roms: [RenderedFile] { [RTLRom.gelu] }
    public var multipliers: Int { engine.multipliers }
    public var units: [RTLUnit] { [RTLUnit(top: "moehls_linear", sources: Self.sources, parameters: verilogParameters)] }

    /// Testbench timeout: ten times the longest invocation the shape accepts, plus slack.
    var timeoutCycles: Int {
        10 * (memoryLatency + outputBlocks * (slabBeats + inputBlocks * ceilDiv(maxTokens, engine.lanes))) + 1000
    }

    /// The testbench context, which the residual testbench extends.
    var testbenchContext: Testbench {
        Testbench(header: "built for " + verilogAssignments(verilogParameters) + " LATENCY=\(memoryLatency)",
                  tIn: engine.tIn, lanes: engine.lanes, inputBlocks: inputBlocks, dOut: outputs, maxTokens: maxTokens,
                  tokenBits: bitsFor(maxTokens), columnBits: bitsFor(outputBlocks * engine.tOut + engine.tIn),
                  blockBits: bitsFor(inputBlocks), xWidth: input.width, oWidth: output.width, beatBits: beatBits,
                  beats: outputBlocks * slabBeats, memoryLatency: memoryLatency, timeoutCycles: timeoutCycles,
                  kernelParameters: verilogOverrides(verilogParameters))
    }

    public func testbench() throws -> String {
        try TemplateRenderer(testbenchContext).renderTemplate("rtl/moehls_linear_tb.v")
    }

    /// The placeholders of moehls_linear_tb.v.
    struct Testbench: TemplateContext {
        var header: String
        var tIn, lanes, inputBlocks, dOut, maxTokens, tokenBits, columnBits, blockBits: Int
        var xWidth, oWidth, beatBits, beats, memoryLatency, timeoutCycles: Int
        var kernelParameters: String
    }
}

extension RTLLinearStimulus: RTLStimulus {
    /// `weights.hex`, `inputs.hex` and `expected.hex` under `folder`; one `CYCLES` step.
    public func simulation(on shape: RTLLinearShape, folder: String) -> (files: [RenderedFile], case: RTLSimulationPlan.Case) {
        let prediction = RTLLinearPrediction(shape: shape)
        let files = [RenderedFile(path: folder + "weights.hex", text: weights),
                     RenderedFile(path: folder + "inputs.hex", text: inputs),
                     RenderedFile(path: folder + "expected.hex", text: RTLSimulationPlan.memh(expected, width: shape.output.width))]
        let c = RTLSimulationPlan.singleOutputCase(
            name: name, shape: shape.identifier,
            plusargs: ["weights=\(folder)weights.hex", "inputs=\(folder)inputs.hex", "tokens=\(tokens)", "beats=\(beats)"],
            expected: folder + "expected.hex", values: expected.count, width: shape.output.width, signed: shape.output.isSigned,
            tokens: tokens, predicted: prediction.cycles(tokens: tokens), kernel: prediction.rtlCycles(tokens: tokens))
        return (files, c)
    }
}
