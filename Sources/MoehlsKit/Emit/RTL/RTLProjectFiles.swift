import Foundation

/// Which kernel invocations of a forward pass get RTL stimulus.
public enum RTLSelection: Hashable, Sendable {
    /// Every invocation of one transformer layer (`blocks.<n>.`).
    case layer(Int)
    /// The longest invocation of every distinct kernel shape in the pass (the benchmark's choice).
    case distinctShapes
    /// Every invocation of the pass.
    case all

    /// The layer `moehls generate` puts in a project: the first MoE layer (it exercises the most
    /// kernels: Q/K/V, attention, projection, gate, experts, combine), else layer 0.
    public static func projectDefault(_ spec: ModelSpec) -> RTLSelection {
        .layer((0..<spec.layers).first { spec.isMoELayer($0) } ?? 0)
    }
}

/// The `rtl/` folder of a project: kernel sources and ROMs, one testbench per kernel shape, the
/// stimulus and expected outputs of the selected invocations (from the golden model), and the
/// simulation plan `simulations.json` that `moehls verify` runs.
public enum RTLProjectFiles {
    /// The kernel shapes of a design: engines from the design point (`msaEngine` for the
    /// patch embedding, Q/K/V, projection and classifier; `linear` for the FFN and experts), the
    /// weight port as one stream of `portBytesPerCycle` bytes per cycle, the memory latency.
    public struct Target: Sendable {
        public var spec: ModelSpec
        public var design: DesignFile

        public init(spec: ModelSpec, design: DesignFile) {
            self.spec = spec
            self.design = design
        }

        /// Bits per weight beat: the design's bytes per cycle over its weight ports, in whole bytes.
        public var beatBits: Int { max(8, Int(design.derived.portBytesPerCycle.rounded(.down)) * 8) }

        public func engine(forCall name: String) -> DesignPoint.LinearEngine {
            let msa = name.contains(".attn.") || name == "patch_embed.proj" || name == "head"
            return msa ? design.design.msaEngine : design.design.linear
        }

        public func linearShape(_ call: RTLLinearCall, maxTokens: Int) -> RTLLinearShape {
            let p = spec.precision
            var shape = RTLLinearShape(input: call.input.format, weight: call.layer.weight.format, bias: call.layer.bias?.format,
                                       accumulator: p.accumulator, output: p.activation, gelu: call.gelu,
                                       engine: engine(forCall: call.name), inputs: call.input.columns,
                                       outputs: call.layer.weight.rows, maxTokens: maxTokens, beatBits: beatBits,
                                       memoryLatency: design.derived.memoryLatencyCycles)
            shape.relu = call.relu
            return shape
        }
    }

    /// Files under `prefix` (`rtl/` in a project) and the plan they hold.
    public static func render(_ target: Target, golden: GoldenModel, input: ModelInput, selection: RTLSelection,
                              prefix: String = "rtl/") throws(DiagnosticError) -> (files: [RenderedFile], plan: RTLSimulationPlan) {
        let calls = RTLLinearTrace.calls(golden, input: input)
        let maxTokens = max(1, calls.map(\.input.rows).max() ?? 1, target.design.design.linear.lanes,
                            target.design.design.msaEngine.lanes)
        let chosen: [RTLLinearCall]
        switch selection {
        case .all: chosen = calls
        case .layer(let n): chosen = calls.filter { $0.name.hasPrefix("blocks.\(n).") }
        case .distinctShapes:
            // per shape, its longest invocation (the most tokens; the first of equals)
            var best: [String: RTLLinearCall] = [:]
            var order: [String] = []
            for call in calls {
                let id = target.linearShape(call, maxTokens: maxTokens).identifier
                if let current = best[id] {
                    if call.input.rows > current.input.rows { best[id] = call }
                } else {
                    best[id] = call
                    order.append(id)
                }
            }
            chosen = order.map { best[$0]! }
        }
        var files: [RenderedFile] = []
        var benches: [RTLSimulationPlan.Bench] = []
        var cases: [RTLSimulationPlan.Case] = []
        var sourcesWritten = false
        for call in chosen {
            let shape = target.linearShape(call, maxTokens: maxTokens)
            do {
                try shape.validate()
            } catch {
                throw DiagnosticError([.error("\(call.name): \(error.message)")])
            }
            if !benches.contains(where: { $0.shape == shape.identifier }) {
                let emitted: [RenderedFile]
                do {
                    emitted = try RTLEmitter.emitLinear(shape)
                } catch {
                    throw DiagnosticError([.error("\(call.name): \(error)")])
                }
                let testbench = emitted.last!
                files.append(RenderedFile(path: prefix + testbench.path, bytes: testbench.bytes))
                if !sourcesWritten {
                    for file in emitted.dropLast() { files.append(RenderedFile(path: prefix + file.path, bytes: file.bytes)) }
                    sourcesWritten = true
                }
                benches.append(.init(shape: shape.identifier, kind: "linear", top: "moehls_linear_tb", testbench: testbench.path,
                                     sources: RTLEmitter.linearSources, summary: shape.description,
                                     multipliers: shape.engine.multipliers))
            }
            let stimulus = RTLLinearStimulus(name: call.name, shape: shape, x: call.input, layer: call.layer, expected: call.output)
            let folder = "data/\(call.name)/"
            files.append(RenderedFile(path: prefix + folder + "weights.hex", text: stimulus.weights))
            files.append(RenderedFile(path: prefix + folder + "inputs.hex", text: stimulus.inputs))
            files.append(RenderedFile(path: prefix + folder + "expected.hex",
                                      text: stimulus.expected.map { hexField($0, width: shape.output.width) }.joined(separator: "\n") + "\n"))
            let prediction = RTLLinearPrediction(shape: shape)
            cases.append(.init(name: call.name, shape: shape.identifier,
                               plusargs: ["weights=\(folder)weights.hex", "inputs=\(folder)inputs.hex",
                                          "tokens=\(stimulus.tokens)", "beats=\(stimulus.beats)"],
                               tokens: stimulus.tokens, expected: folder + "expected.hex", outputWidth: shape.output.width,
                               outputSigned: shape.output.isSigned, predictedCycles: prediction.cycles(tokens: stimulus.tokens),
                               kernelCycles: prediction.rtlCycles(tokens: stimulus.tokens)))
        }
        // the attention kernel: the selected layers' attention invocations (all heads in one)
        let attentionCalls = RTLAttentionTrace.calls(golden, input: input)
        let attention: [RTLAttentionCall]
        switch selection {
        case .all: attention = attentionCalls
        case .layer(let n): attention = attentionCalls.filter { $0.name.hasPrefix("blocks.\(n).") }
        case .distinctShapes: attention = Array(attentionCalls.prefix(1))
        }
        if !attention.isEmpty {
            let shape = RTLAttentionShape(spec: target.spec, engine: target.design.design.attention)
            let emitted: [RenderedFile]
            do {
                emitted = try RTLEmitter.emitAttention(shape)
            } catch {
                throw DiagnosticError([.error("attention: \(error)")])
            }
            for file in emitted where !files.contains(where: { $0.path == prefix + file.path }) {
                files.append(RenderedFile(path: prefix + file.path, bytes: file.bytes))
            }
            benches.append(.init(shape: shape.identifier, kind: "attention", top: "moehls_attention_tb",
                                 testbench: RTLEmitter.attentionTestbenchName(shape), sources: RTLEmitter.attentionSources,
                                 summary: "attention \(shape.identifier)", multipliers: 2 * shape.engine.rows * shape.engine.tA))
            let prediction = RTLAttentionPrediction(shape: shape)
            for call in attention {
                let stimulus = RTLAttentionStimulus(name: call.name, shape: shape, qkv: call.qkv, heads: call.heads, output: call.output)
                let folder = "data/\(call.name)/"
                files.append(RenderedFile(path: prefix + folder + "q.hex", text: stimulus.q))
                files.append(RenderedFile(path: prefix + folder + "k.hex", text: stimulus.k))
                files.append(RenderedFile(path: prefix + folder + "v.hex", text: stimulus.v))
                files.append(RenderedFile(path: prefix + folder + "expected.hex",
                                          text: stimulus.expected.map { hexField($0, width: shape.activation.width) }
                                              .joined(separator: "\n") + "\n"))
                cases.append(.init(name: call.name, shape: shape.identifier,
                                   plusargs: ["q=\(folder)q.hex", "k=\(folder)k.hex", "v=\(folder)v.hex", "heads=\(call.heads)"],
                                   tokens: shape.tokens, expected: folder + "expected.hex", outputWidth: shape.activation.width,
                                   outputSigned: shape.activation.isSigned, predictedCycles: prediction.cycles(heads: call.heads),
                                   kernelCycles: prediction.rtlCycles(heads: call.heads)))
            }
        }
        let scope: String
        switch selection {
        case .layer(let n): scope = "layer \(n) of \(target.spec.name) on \(target.design.device.name)"
        case .distinctShapes: scope = "each distinct kernel shape of \(target.spec.name) on \(target.design.device.name)"
        case .all: scope = "every kernel invocation of \(target.spec.name) on \(target.design.device.name)"
        }
        let plan = RTLSimulationPlan(scope: scope, benches: benches, cases: cases)
        files.append(RenderedFile(path: prefix + "simulations.json", bytes: [UInt8](plan.encoded())))
        return (files, plan)
    }

    /// Stimulus and expected outputs are bulk data (left out of Generated/, like the weight image).
    public static func isBulkData(_ path: String) -> Bool {
        path.hasPrefix("rtl/data/") && path.hasSuffix(".hex")
    }
}
