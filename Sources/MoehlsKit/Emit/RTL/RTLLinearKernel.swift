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

    /// The testbench context shared with the residual testbench (which adds its stage).
    var testbenchValues: [String: String] {
        [
            "t_in": "\(engine.tIn)", "lanes": "\(engine.lanes)",
            "input_blocks": "\(inputBlocks)", "d_out": "\(outputs)",
            "max_tokens": "\(maxTokens)", "token_bits": "\(bitsFor(maxTokens))",
            "column_bits": "\(bitsFor(outputBlocks * engine.tOut + engine.tIn))",
            "block_bits": "\(bitsFor(inputBlocks))",
            "x_width": "\(input.width)", "o_width": "\(output.width)",
            "beat_bits": "\(beatBits)", "beats": "\(outputBlocks * slabBeats)",
            "memory_latency": "\(memoryLatency)", "timeout_cycles": "\(timeoutCycles)",
            "kernel_parameters": verilogOverrides(verilogParameters),
        ]
    }

    public func testbench() throws -> String {
        var values = testbenchValues
        values["header"] = "built for " + verilogAssignments(verilogParameters) + " LATENCY=\(memoryLatency)"
        return try TemplateRenderer(values).renderTemplate("rtl/moehls_linear_tb.v")
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
