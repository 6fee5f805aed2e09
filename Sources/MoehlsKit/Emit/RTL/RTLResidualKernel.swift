import Foundation

/// The dense residual write-back `x = Q_A(x + linear(in))` (attention projection, MLP fc2):
/// `moehls_residual` on the linear kernel's write port (docs/kernels-moe.md, "Residual").
public struct RTLResidualShape: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The linear kernel whose write port the stage sits on.
    public var linear: RTLLinearShape
    /// The residual's format, also the result's (the buffer is updated in place): the activation.
    public var residual: FixedFormat

    public init(linear: RTLLinearShape, residual: FixedFormat) {
        self.linear = linear
        self.residual = residual
    }

    public var identifier: String { "r\(residual.width)_\(residual.fractionBits)_" + linear.identifier }
    public var description: String { "\(linear) + residual \(residual)" }
    /// Bits of the linear kernel's column port.
    var columnBits: Int { bitsFor(linear.outputBlocks * linear.engine.tOut + linear.engine.tIn) }

    public func validate() throws(RTLUnsupported) {
        try linear.validate()
        if !residual.isSigned { throw RTLUnsupported(message: "residual format \(residual) must be signed") }
        let f = max(residual.fractionBits, linear.output.fractionBits)
        if residual.quantization != .trn && f > residual.fractionBits {
            throw RTLUnsupported(message: "residual quantisation \(residual.quantization.rawValue) is not implemented in RTL yet (AP_TRN only)")
        }
        if residual.overflow != .wrap && residual.overflow != .sat {
            throw RTLUnsupported(message: "residual overflow \(residual.overflow.rawValue) is not implemented in RTL yet (AP_WRAP, AP_SAT)")
        }
    }

    /// `#(...)` parameter overrides of `moehls_residual`.
    public var residualParameters: [(String, String)] {
        let x = residual, y = linear.output
        return [("XW", "\(x.width)"), ("XF", "\(x.fractionBits)"), ("YW", "\(y.width)"), ("YF", "\(y.fractionBits)"),
                ("OW", "\(x.width)"), ("OF", "\(x.fractionBits)"), ("O_SAT", x.overflow == .sat ? "1" : "0"),
                ("T_IN", "\(linear.engine.tIn)"), ("N_L", "\(linear.engine.lanes)"),
                ("TOKB", "\(bitsFor(linear.maxTokens))"), ("COLB", "\(columnBits)")]
    }

    /// Cycles of the linear kernel plus the stage, start pulse to the stage's done: the kernel's
    /// `rtlCycles` plus `buffer_read_depth + 2` (read the residual, add, convert).
    public func rtlCycles(tokens: Int, micro: MicroArchitecture = .v1) -> Int {
        RTLLinearPrediction(shape: linear).rtlCycles(tokens: tokens) + micro.bufferReadDepth + 2
    }

    /// The cost model's figure for the same invocation with the `residual` write-back (op_depth `buffer_read_depth + 2`),
    /// minus `invocation_overhead` (as `RTLLinearPrediction.cycles`).
    public func cycles(tokens: Int, micro: MicroArchitecture = .v1) -> Int {
        let prediction = RTLLinearPrediction(shape: linear)
        var call = prediction.invocation(tokens: tokens)
        call.writeBack = .residual
        var pipeline = WeightPipeline(memoryLatency: linear.memoryLatency)
        return pipeline.invoke(prediction.engineContext.cost(call)).end - micro.invocationOverhead
    }
}

/// The residual stage on the linear kernel's write port, and its testbench `moehls_residual_tb`
/// (the linear testbench with the residual buffer in place of the result buffer).
extension RTLResidualShape: RTLKernel {
    public static let kind = RTLKernelKind.residual
    public static let testbenchTop = "moehls_residual_tb"
    public static let sources = RTLLinearShape.sources + ["moehls_residual_add.v", "moehls_residual.v"]
    public static var roms: [RenderedFile] { [RTLRom.gelu] }
    public var multipliers: Int { linear.multipliers }
    public var units: [RTLUnit] {
        [RTLUnit(top: "moehls_residual", sources: ["moehls_convert.v", "moehls_residual_add.v", "moehls_residual.v"],
                 parameters: residualParameters)]
    }

    public func testbench() throws -> String {
        var bench = linear.testbenchContext
        bench.header += " residual " + verilogAssignments(residualParameters)
        bench.columnBits = columnBits
        return try TemplateRenderer(Testbench(linear: bench, rWidth: residual.width,
                                              residualParameters: verilogOverrides(residualParameters)))
            .renderTemplate("rtl/moehls_residual_tb.v")
    }

    /// The placeholders of moehls_residual_tb.v: the linear testbench's and the stage's.
    struct Testbench: TemplateContext {
        var linear: RTLLinearShape.Testbench
        var rWidth: Int
        var residualParameters: String
    }
}

/// One dense residual invocation: the linear kernel's stimulus, the residual x and the expected
/// result `add(x, linear output)`.
public struct RTLResidualStimulus: Hashable, Sendable {
    public var linear: RTLLinearStimulus
    public var name: String { linear.name }
    /// The residual x, one value per line (`tokens x d_out`, token-major).
    public var residual: String
    public var expected: [Int64]

    public init(linear: RTLLinearStimulus, residual x: FixedMatrix, expected: FixedMatrix) {
        self.linear = linear
        residual = "// \(linear.name) residual\n" + x.raw.map { hexField($0, width: x.format.width) }.joined(separator: "\n") + "\n"
        self.expected = expected.raw
    }

    /// The dense residual adds of a forward pass (`blocks.i.residual1` after the projection,
    /// `blocks.i.residual2` after a dense MLP's fc2), with the linear call that produced the
    /// added value and the residual x (the layer's input, or its attention half's output).
    public static func calls(_ golden: GoldenModel, input: ModelInput)
        -> [(name: String, call: RTLLinearCall, residual: FixedMatrix, output: FixedMatrix)] {
        calls(golden, trace: GoldenTrace(golden, input: input))
    }

    public static func calls(_ golden: GoldenModel, trace: GoldenTrace)
        -> [(name: String, call: RTLLinearCall, residual: FixedMatrix, output: FixedMatrix)] {
        var linear: [String: KernelCall<FixedMatrix>] = [:]
        var adds: [(String, FixedMatrix)] = []
        let result = trace.result
        for call in trace.calls {
            if call.kind == .linear { linear[call.name] = call }
            if call.kind == .add, call.name.hasSuffix(".residual1") || call.name.hasSuffix(".residual2") {
                adds.append((call.name, call.output))
            }
        }
        var out: [(name: String, call: RTLLinearCall, residual: FixedMatrix, output: FixedMatrix)] = []
        for (name, output) in adds {
            let parts = name.split(separator: ".")
            guard parts.count == 3, let index = Int(parts[1]) else { continue }
            let source = name.hasSuffix("residual1") ? "blocks.\(index).attn.proj" : "blocks.\(index).mlp.fc2"
            guard let call = linear[source] else { continue }      // MoE layers: the combine finish adds
            let x = name.hasSuffix("residual1") ? (index == 0 ? result.embedded : result.layers[index - 1].output)
                                                : result.layers[index].attention
            let (layer, gelu) = RTLLinearTrace.weights(named: source, golden)
            out.append((name, RTLLinearCall(name: source, input: call.inputs[0], layer: layer, gelu: gelu, output: call.output),
                        x, output))
        }
        return out
    }
}

extension RTLResidualStimulus: RTLStimulus {
    /// The linear stimulus's files plus `residual.hex`; the output is the residual buffer after
    /// the invocation, cycles against `RTLResidualShape.cycles` (the cost model).
    public func simulation(on shape: RTLResidualShape, folder: String) -> (files: [RenderedFile], case: RTLSimulationPlan.Case) {
        let files = [RenderedFile(path: folder + "weights.hex", text: linear.weights),
                     RenderedFile(path: folder + "inputs.hex", text: linear.inputs),
                     RenderedFile(path: folder + "residual.hex", text: residual),
                     RenderedFile(path: folder + "expected.hex", text: RTLSimulationPlan.memh(expected, width: shape.residual.width))]
        let tokens = linear.tokens
        let c = RTLSimulationPlan.singleOutputCase(
            name: name + " + residual", shape: shape.identifier,
            plusargs: ["weights=\(folder)weights.hex", "inputs=\(folder)inputs.hex", "residual=\(folder)residual.hex",
                       "tokens=\(tokens)", "beats=\(linear.beats)"],
            expected: folder + "expected.hex", values: expected.count, width: shape.residual.width, signed: true,
            tokens: tokens, predicted: shape.cycles(tokens: tokens), kernel: shape.rtlCycles(tokens: tokens))
        return (files, c)
    }
}
