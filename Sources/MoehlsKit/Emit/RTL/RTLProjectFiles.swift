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

    /// Files under `prefix` (`rtl/` in a project) and the plan they hold: the selected linear
    /// and attention invocations, and for the selected layers the MoE units' layer runs, the
    /// routers, the dense residual write-backs and the LayerNorms. The golden model runs once (`trace`, recorded here unless given).
    public static func render(_ target: Target, golden: GoldenModel, input: ModelInput, trace: GoldenTrace? = nil,
                              selection: RTLSelection, prefix: String = "rtl/")
        throws(DiagnosticError) -> (files: [RenderedFile], plan: RTLSimulationPlan) {
        let trace = trace ?? GoldenTrace(golden, input: input)
        let calls = RTLLinearTrace.calls(golden, trace: trace)
        let maxTokens = max(1, calls.map(\.input.rows).max() ?? 1, target.design.design.linear.lanes,
                            target.design.design.msaEngine.lanes)
        func selected(_ name: String) -> Bool {
            if case .layer(let n) = selection { return name.hasPrefix("blocks.\(n).") }
            return true
        }
        let chosen: [RTLLinearCall]
        if case .distinctShapes = selection {
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
        } else {
            chosen = calls.filter { selected($0.name) }
        }
        var collected = Collected(prefix: prefix)
        for call in chosen {
            let shape = target.linearShape(call, maxTokens: maxTokens)
            let stimulus = RTLLinearStimulus(name: call.name, shape: shape, x: call.input, layer: call.layer, expected: call.output)
            try collected.add(shape, [stimulus], context: call.name)
        }
        // the attention kernel: the selected layers' attention invocations (all heads in one)
        let attentionCalls = RTLAttentionTrace.calls(golden, trace: trace)
        let attention = selection == .distinctShapes ? Array(attentionCalls.prefix(1)) : attentionCalls.filter { selected($0.name) }
        if !attention.isEmpty {
            let shape = RTLAttentionShape(spec: target.spec, engine: target.design.design.attention)
            try collected.add(shape, attention.map {
                RTLAttentionStimulus(name: $0.name, shape: shape, qkv: $0.qkv, heads: $0.heads, output: $0.output)
            }, context: "attention")
        }
        // the MoE units: one layer run per selected MoE layer (the first one for distinct shapes)
        let moeLayers = RTLMoETrace.layers(golden, trace: trace)
        let moe = selection == .distinctShapes ? Array(moeLayers.prefix(1)) : moeLayers.filter { selected($0.name) }
        if !moe.isEmpty, let shape = RTLMoEShape(spec: target.spec, engine: target.design.design.linear, maxTokens: maxTokens) {
            try collected.add(shape, moe.map { RTLMoEStimulus(layer: $0, shape: shape, kernels: golden.fixedKernels) },
                              context: "MoE units")
        }
        // the router: the selected MoE layers' gate softmax and top-k (the first for distinct shapes)
        // (a model the unit does not implement, e.g. one expert, keeps its other kernels' RTL)
        if let router = RTLRouterShape(spec: target.spec, maxTokens: maxTokens), (try? router.validate()) != nil {
            let calls = RTLRouterStimulus.calls(golden, trace: trace, shape: router)
            let chosen = selection == .distinctShapes ? Array(calls.prefix(1)) : calls.filter { selected($0.name) }
            if !chosen.isEmpty { try collected.add(router, chosen, context: "router") }
        }
        // the dense residual write-backs behind the projection and the dense fc2
        var residuals: [(RTLResidualShape, RTLResidualStimulus)] = []
        for add in RTLResidualStimulus.calls(golden, trace: trace) where selected(add.name) {
            let shape = RTLResidualShape(linear: target.linearShape(add.call, maxTokens: maxTokens), residual: target.spec.precision.activation)
            if selection == .distinctShapes && residuals.contains(where: { $0.0 == shape }) { continue }
            let linear = RTLLinearStimulus(name: add.name, shape: shape.linear, x: add.call.input, layer: add.call.layer,
                                           expected: add.call.output)
            residuals.append((shape, RTLResidualStimulus(linear: linear, residual: add.residual, expected: add.output)))
        }
        for (shape, stimulus) in residuals { try collected.add(shape, [stimulus], context: stimulus.name) }
        // the LayerNorm unit on the design's layer_norm_lanes: the selected layers' norm1 and
        // norm2 (the first call for distinct shapes: every LayerNorm of a model has one shape)
        let norms = RTLLayerNormStimulus.calls(golden, trace: trace)
        let chosenNorms = selection == .distinctShapes ? Array(norms.prefix(1)) : norms.filter { selected($0.name) }
        var norm = RTLLayerNormShape(spec: target.spec, lanes: target.design.design.layerNormLanes)
        norm.maxTokens = max(norm.maxTokens, chosenNorms.map(\.tokens).max() ?? 1)
        if !chosenNorms.isEmpty, (try? norm.validate()) != nil {
            try collected.add(norm, chosenNorms, context: "LayerNorm")
        }
        let scope: String
        switch selection {
        case .layer(let n): scope = "layer \(n) of \(target.spec.name) on \(target.design.device.name)"
        case .distinctShapes: scope = "each distinct kernel shape of \(target.spec.name) on \(target.design.device.name)"
        case .all: scope = "every kernel invocation of \(target.spec.name) on \(target.design.device.name)"
        }
        var plan = collected.plan
        plan.scope = scope
        var files = collected.files
        files.append(RenderedFile(path: prefix + "simulations.json", bytes: [UInt8](plan.encoded())))
        return (files, plan)
    }

    /// The files and plan of several kernels: each source file once, each testbench once, the
    /// stimulus of an invocation under `data/<name>/`.
    struct Collected {
        var prefix: String
        var files: [RenderedFile] = []
        var paths = Set<String>()
        var plan = RTLSimulationPlan(scope: "", benches: [], cases: [])

        mutating func add<S: RTLStimulus>(_ kernel: S.Kernel, _ stimuli: [S], context: String) throws(DiagnosticError) {
            let built: (files: [RenderedFile], plan: RTLSimulationPlan)
            do {
                built = try RTLSimulationPlan.build(kernel, stimuli, scope: "", folder: { _, s in "data/\(s.name)/" })
            } catch let error as RTLUnsupported {
                throw DiagnosticError([.error("\(context): \(error.message)")])
            } catch {
                throw DiagnosticError([.error("\(context): \(error)")])
            }
            for file in built.files where paths.insert(prefix + file.path).inserted {
                files.append(RenderedFile(path: prefix + file.path, bytes: file.bytes))
            }
            plan.append(built.plan)
        }
    }

    /// Stimulus and expected outputs are bulk data (left out of Generated/, like the weight image).
    public static func isBulkData(_ path: String) -> Bool {
        path.hasPrefix("rtl/data/") && path.hasSuffix(".hex")
    }
}
