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

extension RTLEmitter {
    /// Sources of the chained testbench, in dependency order.
    public static var moeChainSources: [String] { ["moehls_convert.v", "moehls_gelu.v", "moehls_linear.v", "moehls_residual_add.v",
                                                   "moehls_gather.v", "moehls_combine.v"] }

    /// Sources, the GELU ROM and the chained testbench (`moehls_moe_chain_tb_<identifier>.v`, last).
    public static func emitMoEChain(_ shape: RTLMoEChainShape) throws -> [RenderedFile] {
        try shape.validate()
        var files = try moeChainSources.map { name throws -> RenderedFile in
            RenderedFile(path: name, text: try template("rtl/\(name)"))
        }
        files.append(RTLRom.gelu)
        files.append(RenderedFile(path: "moehls_moe_chain_tb_\(shape.identifier).v", text: try moeChainTestbench(shape)))
        return files
    }

    public static func moeChainTestbench(_ shape: RTLMoEChainShape) throws -> String {
        func list(_ parameters: [(String, String)]) -> String { parameters.map { ".\($0.0)(\($0.1))" }.joined(separator: ", ") }
        let m = shape.moe, f1 = shape.fc1, f2 = shape.fc2
        let header = "built for " + m.combineParameters.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            + " D=\(m.embedDim) H=\(f1.outputs) E=\(m.experts) TOP_K=\(m.topK) LATENCY=\(f1.memoryLatency)"
        let linear = { (l: RTLLinearShape) in l.memoryLatency + l.outputBlocks * (l.slabBeats + l.inputBlocks * ceilDiv(l.maxTokens, l.engine.lanes)) }
        let longest = max(ceilDiv(m.maxTokens, m.engine.lanes), m.maxTokens) * m.blocks
        let values: [String: String] = [
            "header": header,
            "t_in": "\(m.engine.tIn)", "lanes": "\(m.engine.lanes)", "blocks": "\(m.blocks)", "d": "\(m.embedDim)",
            "experts": "\(m.experts)", "max_tokens": "\(m.maxTokens)", "max_pairs": "\(m.maxPairs)",
            "token_bits": "\(m.tokenBits)", "block_bits": "\(m.blockBits)",
            "x_width": "\(m.activation.width)", "s_width": "\(m.activation.width)",
            "y_width": "\(m.activation.width)", "o_width": "\(m.activation.width)",
            "timeout_cycles": "\(10 * max(linear(f1), linear(f2), longest) + 1000)",
            "hidden": "\(f1.outputs)", "hidden_block_bits": "\(bitsFor(f2.inputBlocks))",
            "fc1_column_bits": "\(bitsFor(f1.outputBlocks * f1.engine.tOut + f1.engine.tIn))",
            "fc2_column_bits": "\(bitsFor(f2.outputBlocks * f2.engine.tOut + f2.engine.tIn))",
            "beat_bits": "\(f1.beatBits)", "fc1_beats": "\(f1.outputBlocks * f1.slabBeats)",
            "fc2_beats": "\(f2.outputBlocks * f2.slabBeats)", "memory_latency": "\(f1.memoryLatency)",
            "gather_parameters": list(m.gatherParameters), "combine_parameters": list(m.combineParameters),
            "fc1_parameters": list(f1.verilogParameters), "fc2_parameters": list(f2.verilogParameters),
        ]
        return try TemplateRenderer(values).renderTemplate("rtl/moehls_moe_chain_tb.v")
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

/// Compiles the chained testbench once per shape and runs it per layer (two at a time). Results per
/// active expert: gather (staging rows), fc1 and fc2 (cycles: predicted = the cost model's
/// `RTLLinearPrediction.cycles`), scatter; then finish (layer output) and the cleared pass.
public struct RTLMoEChainSimulation: Sendable {
    public var iverilog: URL
    public var vvp: URL
    public var directory: URL

    public init(iverilog: URL, vvp: URL, directory: URL) {
        self.iverilog = iverilog
        self.vvp = vvp
        self.directory = directory
    }

    public func run(_ shape: RTLMoEChainShape, _ stimuli: [RTLMoEChainStimulus]) throws -> [RTLInvocationResult] {
        let folder = directory.appendingPathComponent(shape.identifier)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = try RTLEmitter.emitMoEChain(shape)
        for file in files {
            try Data(file.bytes).write(to: folder.appendingPathComponent(file.path))
        }
        let compile = try RTLProcess.run(iverilog, ["-g2005", "-Wall", "-o", "sim.vvp", "-s", "moehls_moe_chain_tb"]
                                         + RTLEmitter.moeChainSources + [files.last!.path], in: folder)
        guard compile.status == 0 else {
            throw RTLUnsupported(message: "iverilog failed for \(shape.identifier):\n\(compile.output)")
        }
        let units = RTLMoEPrediction(shape: shape.moe)
        let fc1 = RTLLinearPrediction(shape: shape.fc1), fc2 = RTLLinearPrediction(shape: shape.fc2)
        let slots = LayerSlots(count: stimuli.count)
        DispatchQueue.concurrentPerform(iterations: min(2, max(stimuli.count, 1))) { worker in
            var index = worker
            while index < stimuli.count {
                let s = stimuli[index], u = s.units
                let layer = RTLMoELayerRun(
                    name: u.name, tokens: u.tokens, queueLengths: u.queueLengths, units: ["gather", "fc1", "fc2", "scatter"],
                    predicted: { unit, m in
                        switch unit {
                        case "gather": return units.gather(tokens: m)
                        case "fc1": return fc1.cycles(tokens: m)
                        case "fc2": return fc2.cycles(tokens: m)
                        default: return units.scatter(tokens: m)
                        }
                    },
                    finishPredicted: units.finish(tokens: u.tokens),
                    inputs: [("ln", u.normalized), ("residual", u.residual), ("lengths", u.lengths), ("queues", u.queues),
                             ("w1", s.fc1Weights), ("w2", s.fc2Weights)],
                    expectedGathered: u.expectedGathered, expected: u.expected, expectedCleared: u.expectedCleared)
                slots.set(index, layer.simulate(vvp: vvp, number: index, shape: shape.moe, folder: folder))
                index += 2
            }
        }
        return slots.values.flatMap { $0 }
    }
}
