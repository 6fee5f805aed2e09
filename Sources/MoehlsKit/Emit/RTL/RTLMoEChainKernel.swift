import Foundation

/// A whole MoE layer's experts in RTL, chained: `moehls_gather` -> `moehls_linear` (fc1, with the
/// experts' activation) -> `moehls_linear` (fc2) -> `moehls_combine` (docs/kernels-moe.md,
/// "Chained testbench"). The units' shape and the two linear shapes share `T_in`, `N_L` and the
/// largest token count.
public struct RTLMoEChainShape: Hashable, Codable, Sendable, CustomStringConvertible {
    public var moe: RTLMoEShape
    public var fc1: RTLLinearShape
    public var fc2: RTLLinearShape

    /// The shapes of `spec`'s experts (formats of `expert`'s weights) on `engine`, with the weight
    /// port and memory latency of the linear kernels' testbench.
    public init?(spec: ModelSpec, expert: FixedWeights.MLP, engine: DesignPoint.LinearEngine, maxTokens: Int? = nil,
                 beatBits: Int, memoryLatency: Int) {
        guard let moeShape = RTLMoEShape(spec: spec, engine: engine, maxTokens: maxTokens), let moeSpec = spec.moe else { return nil }
        let p = spec.precision
        func linear(_ l: FixedWeights.Linear, gelu: Bool) -> RTLLinearShape {
            RTLLinearShape(input: p.activation, weight: l.weight.format, bias: l.bias?.format, accumulator: p.accumulator,
                           output: p.activation, gelu: gelu, engine: engine, inputs: l.weight.columns, outputs: l.weight.rows,
                           maxTokens: moeShape.maxTokens, beatBits: beatBits, memoryLatency: memoryLatency)
        }
        moe = moeShape
        fc1 = linear(expert.fc1, gelu: moeSpec.activation == .gelu)
        fc2 = linear(expert.fc2, gelu: false)
    }

    public var identifier: String { "chain_" + moe.identifier + "_h\(fc1.outputs)" + (fc1.gelu ? "_gelu" : "") }
    public var description: String { "\(moe) with \(fc1) and \(fc2)" }

    public func validate() throws(RTLUnsupported) {
        try moe.validate()
        try fc1.validate()
        try fc2.validate()
        if fc1.inputs != moe.embedDim || fc2.outputs != moe.embedDim || fc2.inputs != fc1.outputs {
            throw RTLUnsupported(message: "expert shapes \(fc1.inputs) -> \(fc1.outputs) -> \(fc2.outputs) do not fit D \(moe.embedDim)")
        }
        if fc1.engine.tIn != moe.engine.tIn || fc1.engine.lanes != moe.engine.lanes || fc1.maxTokens != moe.maxTokens
            || fc2.engine != fc1.engine || fc2.maxTokens != fc1.maxTokens || fc2.beatBits != fc1.beatBits {
            throw RTLUnsupported(message: "the chained units must share T_in, N_L, the token count and the weight port")
        }
        if fc1.output.width != moe.activation.width || fc2.output.width != moe.activation.width {
            throw RTLUnsupported(message: "the experts' outputs must be in the activation format")
        }
    }
}

extension RTLMoEChainShape: RTLKernel {
    public static let kind = RTLKernelKind.moeChain
    public static let testbenchTop = "moehls_moe_chain_tb"
    public static let sources = ["moehls_convert.v", "moehls_gelu.v", "moehls_linear.v", "moehls_residual_add.v",
                                 "moehls_gather.v", "moehls_combine.v"]
    public static var roms: [RenderedFile] { [RTLRom.gelu] }
    public static var testbenchModels: [String] { RTLMoEShape.testbenchModels }
    public var multipliers: Int { fc1.multipliers + moe.multipliers }
    public var units: [RTLUnit] { moe.units + fc1.units }

    public func testbench() throws -> String {
        let m = moe, f1 = fc1, f2 = fc2
        let timeout = max(f1.timeoutCycles, f2.timeoutCycles, 10 * m.longestUnitCycles + 1000)
        return try TemplateRenderer(Testbench(
            header: m.headerParameters + " H=\(f1.outputs) E=\(m.experts) TOP_K=\(m.topK) LATENCY=\(f1.memoryLatency)",
            layer: m.layerContext(timeout: timeout), timeoutCycles: timeout, lanes: m.engine.lanes, d: m.embedDim,
            maxTokens: m.maxTokens, hidden: f1.outputs, hiddenBlockBits: bitsFor(f2.inputBlocks),
            fc1ColumnBits: bitsFor(f1.outputBlocks * f1.engine.tOut + f1.engine.tIn),
            fc2ColumnBits: bitsFor(f2.outputBlocks * f2.engine.tOut + f2.engine.tIn),
            beatBits: f1.beatBits, fc1Beats: f1.outputBlocks * f1.slabBeats, fc2Beats: f2.outputBlocks * f2.slabBeats,
            memoryLatency: f1.memoryLatency, fc1Parameters: verilogOverrides(f1.verilogParameters),
            fc2Parameters: verilogOverrides(f2.verilogParameters)))
            .renderTemplate("rtl/moehls_moe_chain_tb.v")
    }

    /// The placeholders of moehls_moe_chain_tb.v: the layer's and the two linears'.
    struct Testbench: TemplateContext {
        var header: String
        var layer: RTLMoEShape.LayerBench
        var timeoutCycles, lanes, d, maxTokens, hidden, hiddenBlockBits, fc1ColumnBits, fc2ColumnBits: Int
        var beatBits, fc1Beats, fc2Beats, memoryLatency: Int
        var fc1Parameters, fc2Parameters: String
    }
}

/// The files of one chained layer: the MoE units' inputs plus every active expert's fc1 and fc2
/// weight streams (in expert order); expectations as `RTLMoEStimulus`.
public struct RTLMoEChainStimulus: Hashable, Sendable {
    public var units: RTLMoEStimulus
    public var fc1Weights: String
    public var fc2Weights: String

    /// `experts` are the layer's expert weights (`golden.fixedWeights.layers[layer.layer].experts`).
    public init(layer: RTLMoELayer, experts: [FixedWeights.MLP], shape: RTLMoEChainShape, kernels: FixedKernels) {
        units = RTLMoEStimulus(layer: layer, shape: shape.moe, kernels: kernels)
        var w1: [String] = [], w2: [String] = []
        for (expert, queue) in layer.queues.enumerated() where !queue.isEmpty {
            // only the weight stream is used: the inputs and outputs are the chained units' business
            let x1 = FixedMatrix(zeros: 1, shape.fc1.inputs, format: shape.fc1.input)
            let x2 = FixedMatrix(zeros: 1, shape.fc2.inputs, format: shape.fc2.input)
            w1.append(RTLLinearStimulus(name: "\(layer.name).experts.\(expert).fc1", shape: shape.fc1, x: x1,
                                        layer: experts[expert].fc1, expected: x1).weights)
            w2.append(RTLLinearStimulus(name: "\(layer.name).experts.\(expert).fc2", shape: shape.fc2, x: x2,
                                        layer: experts[expert].fc2, expected: x2).weights)
        }
        fc1Weights = w1.joined()
        fc2Weights = w2.joined()
    }
}

extension RTLMoEChainStimulus: RTLStimulus {
    public var name: String { units.name }

    /// The units' inputs plus `w1.hex` and `w2.hex`; per active expert the steps gather, fc1,
    /// fc2 (predicted: the cost model's `RTLLinearPrediction.cycles`; kernel: its `rtlCycles`) and
    /// scatter, then the finishes.
    public func simulation(on shape: RTLMoEChainShape, folder: String) -> (files: [RenderedFile], case: RTLSimulationPlan.Case) {
        let unit = RTLMoEPrediction(shape: shape.moe)
        let fc1 = RTLLinearPrediction(shape: shape.fc1), fc2 = RTLLinearPrediction(shape: shape.fc2)
        return units.layerCase(shape: shape.moe, bench: shape.identifier, folder: folder,
                               extraInputs: [("w1", fc1Weights), ("w2", fc2Weights)], units: [
            ("gather", "GATHER", { m in (unit.gather(tokens: m), unit.gather(tokens: m)) }),
            ("fc1", "FC1", { m in (fc1.cycles(tokens: m), fc1.rtlCycles(tokens: m)) }),
            ("fc2", "FC2", { m in (fc2.cycles(tokens: m), fc2.rtlCycles(tokens: m)) }),
            ("scatter", "SCATTER", { m in (unit.scatter(tokens: m), unit.scatter(tokens: m)) }),
        ])
    }
}
