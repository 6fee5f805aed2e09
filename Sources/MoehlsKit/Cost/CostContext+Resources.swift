/// Resources of a design's components (docs/cost-model.md, "Resources").
extension CostContext {
    /// Which kernels an engine serves.
    public enum EngineRole: String, Hashable, Sendable {
        /// The only engine (sequential, head-overlap).
        case shared
        /// Pipelined: patch embedding, Q/K/V, projection.
        case msa
        /// Pipelined: MLP, gate, experts, classifier.
        case ffn
    }

    /// Depth of a token-major buffer of `rows x columns` banked over `lanes x width`.
    func rowsDepth(_ rows: Int, _ columns: Int, lanes: Int, width: Int) -> Int {
        Sat.mul(ceilDiv(rows, lanes), ceilDiv(columns, width))
    }

    /// One linear engine with its write-back units, slab buffers, weight ports and the activation
    /// buffers it owns (banked by its lanes and T_in); the shared or FFN engine also carries the
    /// MoE gate unit, queues and combine multipliers.
    public func linearComponent(_ engine: DesignPoint.LinearEngine, role: EngineRole, design: DesignPoint) -> ComponentCost {
        linearCore(engine, role: role) + slabComponent(engine, role: role, storage: design.weightBuffer)
            + portComponent(design.weightPorts) + bufferComponent(engine, role: role, design: design)
    }

    /// The engine's grid and GELU units, and (shared or FFN engine with MoE) the gate unit,
    /// queues and combine multipliers.
    func linearCore(_ engine: DesignPoint.LinearEngine, role: EngineRole) -> ComponentCost {
        let s = shape
        let ffn = role != .msa
        let units = ffn && s.usesGELU ? LinearEngineContext.geluUnits(engine: engine, inputs: s.embedDim) : 0
        var c = ResourceModel.linearEngine(engine, geluUnits: units, dsp: dsp)
        if ffn && s.hasMoE {
            c = c + ResourceModel.moe(shape: s, tokens: 0, tIn: engine.tIn, dsp: dsp)
        }
        return c
    }

    /// The engine's two slab buffers.
    func slabComponent(_ engine: DesignPoint.LinearEngine, role: EngineRole, storage: DesignPoint.WeightBuffer) -> ComponentCost {
        ResourceModel.slabBuffers(engine, maxInputs: maxInputs(msa: role != .ffn, ffn: role != .msa),
                                  weightBits: max(shape.weightBits, shape.patchWeightBits), biasBits: shape.biasBits,
                                  storage: storage)
    }

    /// The engine's weight ports.
    func portComponent(_ ports: DesignPoint.WeightPorts) -> ComponentCost {
        ResourceModel.ports(ports.channels, portBits: memory(ports)?.portBits ?? 0)
    }

    /// The activation buffers the engine owns, and the expert queues (sized by the pass's tokens).
    func bufferComponent(_ engine: DesignPoint.LinearEngine, role: EngineRole, design: DesignPoint) -> ComponentCost {
        var c = ComponentCost()
        c.buffers = activationBuffers(engine, role: role, design: design)
        if role != .msa && shape.hasMoE {
            let n = tokensPerGroup(design)
            let entryBits = ceilLog2(max(n, 2)) + shape.activationBits
            c.buffers.append(BufferShape(name: "expert queues", banks: 1, depth: Sat.mul(shape.experts, n), width: entryBits))
        }
        return c
    }

    /// The activation buffers an engine owns (docs/cost-model.md, "On-chip buffers").
    public func activationBuffers(_ engine: DesignPoint.LinearEngine, role: EngineRole, design: DesignPoint) -> [BufferShape] {
        let s = shape, n = tokensPerGroup(design), d = s.embedDim, a = s.activationBits
        let lanes = engine.lanes, width = engine.tIn
        func depth(_ rows: Int, _ columns: Int) -> Int { rowsDepth(rows, columns, lanes: lanes, width: width) }
        func buffer(_ name: String, _ depth: Int, bits: Int? = nil) -> BufferShape {
            BufferShape(name: name, banks: Sat.mul(lanes, width), depth: depth, width: bits ?? a)
        }
        var buffers: [BufferShape] = []
        let msa = role != .ffn, ffn = role != .msa
        var pool = 0
        if msa {
            pool = max(pool, Sat.mul(3, depth(n, d)))
            if s.patchInputs > 0 {
                let words = depth(Sat.mul(design.batch, s.patches), s.patchInputs)
                pool = max(pool, ceilDiv(Sat.mul(words, s.pixelBits), a))
            }
        }
        if ffn && s.hasFFN {
            if s.hasDense { pool = max(pool, depth(ceilDiv(n, max(design.ffnPasses, 1)), s.hidden)) }
            if s.hasMoE {
                // Worst-case routing: one expert may receive every token of the pass.
                let moe = Sat.sum([Sat.mul(4, depth(n, d)), depth(n, s.expertHidden), depth(n, s.experts)])
                pool = max(pool, moe)
            }
        }
        if role == .shared {
            buffers.append(buffer("residual X", depth(n, d)))
        }
        let normName = msa && ffn ? "LayerNorm out / attention out" : (msa ? "LayerNorm1 out / attention out" : "LayerNorm2 out")
        buffers.append(buffer(normName, depth(n, d)))
        if msa && design.schedule == .headOverlap { buffers.append(buffer("attention out", depth(n, d))) }
        buffers.append(buffer(role == .shared ? "pool (Q/K/V, hidden, MoE staging, pixels)" :
                              (role == .msa ? "MSA pool (Q/K/V, pixels)" : "FFN pool (hidden, MoE staging)"), pool))
        if ffn && s.hasMoE {
            buffers.append(buffer("MoE accumulators", depth(n, d), bits: s.accumulatorBits))
        }
        return buffers
    }

    /// Pipelined only: the two halves' residual buffers, shared by both engines and banked by the
    /// larger lanes and T_in of the two.
    public func sharedResidualBuffers(_ design: DesignPoint) -> [BufferShape] {
        guard design.schedule == .pipelined, let msa = design.msaLinear else { return [] }
        let lanes = max(msa.lanes, design.linear.lanes), width = max(msa.tIn, design.linear.tIn)
        let depth = rowsDepth(tokensPerGroup(design), shape.embedDim, lanes: lanes, width: width)
        return (0..<2).map { BufferShape(name: "residual X half \($0)", banks: Sat.mul(lanes, width), depth: depth,
                                         width: shape.activationBits) }
    }

    /// The attention engine.
    public func attentionComponent(_ engine: DesignPoint.AttentionEngine) -> ComponentCost {
        ResourceModel.attention(engine, shape: shape, dsp: dsp)
    }

    /// The LayerNorm unit(s): one, or two when pipelined (one per kernel).
    public func normComponent(lanes: Int, design: DesignPoint) -> ComponentCost {
        ResourceModel.layerNorm(lanes: lanes, units: design.schedule == .pipelined && shape.hasFFN ? 2 : 1, shape: shape,
                                layerNormBits: spec.precision.layerNorm.width, dsp: dsp)
    }

    /// Top-level control.
    public var baseComponent: ComponentCost {
        var c = ComponentCost()
        c.features.base = 1
        return c
    }

    /// Every component of one instance, priced.
    public func resourceItems(_ design: DesignPoint) -> [ResourceItem] {
        func item(_ name: String, _ c: ComponentCost) -> ResourceItem {
            ResourceItem(component: name, resources: c.resources(fabric), buffers: c.buffers)
        }
        var items: [ResourceItem] = []
        if design.schedule == .pipelined, let msa = design.msaLinear {
            items.append(item("MSA linear engine \(msa)", linearComponent(msa, role: .msa, design: design)))
            items.append(item("FFN linear engine \(design.linear)", linearComponent(design.linear, role: .ffn, design: design)))
            var shared = ComponentCost()
            shared.buffers = sharedResidualBuffers(design)
            items.append(item("residual buffers", shared))
        } else {
            items.append(item("linear engine \(design.linear)", linearComponent(design.linear, role: .shared, design: design)))
        }
        items.append(item("attention engine \(design.attention)", attentionComponent(design.attention)))
        items.append(item("LayerNorm \(design.layerNormLanes) lanes", normComponent(lanes: design.layerNormLanes, design: design)))
        items.append(item("control", baseComponent))
        return items
    }

    /// Resources of the whole design: one instance's items times `instances`.
    public func resources(_ design: DesignPoint) -> Device.Resources {
        resourceItems(design).reduce(Device.Resources.zero) { $0 + $1.resources }.scaled(by: max(design.instances, 1))
    }
}
