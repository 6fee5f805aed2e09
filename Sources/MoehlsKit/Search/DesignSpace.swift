/// The legal values of every design parameter for one model and board (docs/design-space.md),
/// and the legality check of a single design point.
///
/// Legal values follow from the model's dimensions and the memory beat widths; the lists can be
/// narrowed (tests use small spaces) but never widened past legality: `violations` is the
/// authority every strategy and `CostModel.estimate` use.
public struct DesignSpace: Hashable, Sendable {
    public var schedules: [DesignPoint.Schedule]
    public var instances: [Int]
    public var batches: [Int]
    public var tIn: [Int]
    public var tOut: [Int]
    public var lanes: [Int]
    /// Lanes of the MSA engine when pipelined (its T_in and T_out come from `tIn` and `tOut`).
    public var msaLanes: [Int]
    public var tA: [Int]
    public var attentionRows: [Int]
    public var layerNormLanes: [Int]
    public var ffnPasses: [Int]
    public var weightBuffers: [DesignPoint.WeightBuffer]
    public var weightPorts: [DesignPoint.WeightPorts]

    /// Largest T_in, T_out, T_a considered (wider grids need wider buffers than a bank set offers).
    public static let maxTile = 256
    /// Largest N_L and N_a considered (each lane or row is a bank of every activation buffer).
    public static let maxLanes = 64

    /// Positive divisors of `n` up to `limit`, ascending.
    public static func divisors(_ n: Int, upTo limit: Int) -> [Int] {
        guard n > 0 else { return [] }
        return (1...min(n, limit)).filter { n % $0 == 0 }
    }

    /// The full legal space for `context` and `objective`.
    ///
    /// Two dominance rules keep it small without losing an optimum: for the latency objective
    /// the batch is 1 (2 when pipelined) and there is one instance, because every call's cycles
    /// are non-decreasing in its tokens and instances only add resources.
    public static func full(_ context: CostContext, objective: SearchObjective) -> DesignSpace {
        let s = context.shape
        var schedules: [DesignPoint.Schedule] = [.sequential, .headOverlap]
        if s.hasFFN { schedules.append(.pipelined) }
        let batches = objective == .latency ? [1, 2] : [1, 2, 4, 8]
        let maxTokens = s.tokens * (batches.max() ?? 1)
        let lanes = Array(1...min(maxLanes, maxTokens))
        var ports: [DesignPoint.WeightPorts] = []
        for memory in context.device.memory {
            var counts = Set<Int>()
            var c = 1
            while c <= memory.channels { counts.insert(c); c *= 2 }
            counts.insert(memory.channels)
            ports += counts.sorted().map { DesignPoint.WeightPorts(memory: memory.name, channels: $0) }
        }
        var buffers: [DesignPoint.WeightBuffer] = [.bram, .lutram]
        if context.device.budget.uram > 0 { buffers.append(.uram) }
        return DesignSpace(
            schedules: schedules,
            instances: objective == .latency ? [1] : [1, 2, 3, 4],
            batches: batches,
            tIn: divisors(s.embedDim, upTo: maxTile),
            tOut: divisors(s.embedDim, upTo: maxTile),
            lanes: lanes,
            msaLanes: lanes,
            tA: divisors(s.headDim, upTo: maxTile),
            attentionRows: Array(1...min(maxLanes, s.tokens)),
            layerNormLanes: divisors(s.embedDim, upTo: maxLanes),
            ffnPasses: s.hasDense ? [1, 2, 4, 8].filter { $0 <= s.tokens } : [1],
            weightBuffers: buffers,
            weightPorts: ports)
    }

    /// Whether the latency objective's batch rule admits `batch` for `schedule`.
    public static func batchAllowed(_ batch: Int, schedule: DesignPoint.Schedule, objective: SearchObjective) -> Bool {
        objective == .latency ? batch == (schedule == .pipelined ? 2 : 1) : true
    }

    /// Everything that makes `design` illegal for the model and board of `context` (empty: legal).
    /// Resource caps are not checked here (see `SearchConstraints`).
    public static func violations(_ design: DesignPoint, _ context: CostContext) -> [String] {
        let s = context.shape
        var problems: [String] = []
        func positive(_ value: Int, _ name: String) { if value < 1 { problems.append("\(name) must be at least 1, found \(value)") } }
        positive(design.instances, "instances")
        positive(design.batch, "batch")
        positive(design.layerNormLanes, "layer_norm_lanes")
        positive(design.ffnPasses, "ffn_passes")
        positive(design.attention.tA, "attention.t_a")
        positive(design.attention.rows, "attention.rows")
        let weightBits = max(s.weightBits, s.patchWeightBits)
        let memory = context.memory(design.weightPorts)
        if memory == nil {
            let names = context.device.memory.map(\.name).joined(separator: ", ")
            problems.append("weight_ports.memory '\(design.weightPorts.memory)' is not a memory of \(context.device.name) (\(names))")
        }
        func checkEngine(_ engine: DesignPoint.LinearEngine, _ name: String) {
            positive(engine.tIn, "\(name).t_in")
            positive(engine.tOut, "\(name).t_out")
            positive(engine.lanes, "\(name).lanes")
            guard engine.tIn >= 1, engine.tOut >= 1, engine.lanes >= 1 else { return }
            if engine.tIn > maxTile || engine.tOut > maxTile || engine.lanes > maxLanes {
                problems.append("\(name) \(engine) exceeds the template's limits (T_in, T_out <= \(maxTile), lanes <= \(maxLanes))")
            }
            if let memory, Sat.mul(Sat.mul(engine.tIn, engine.tOut), weightBits) % memory.portBits != 0 {
                problems.append("\(name): a grid row of T_in x T_out = \(engine.tIn) x \(engine.tOut) weights of \(weightBits) bits "
                                + "is not a whole number of \(memory.portBits)-bit beats")
            }
        }
        checkEngine(design.linear, "linear")
        switch design.schedule {
        case .pipelined:
            if !s.hasFFN { problems.append("schedule pipelined needs an FFN half (kind vit or moe-vit)") }
            if design.batch % 2 != 0 { problems.append("schedule pipelined needs an even batch, found \(design.batch)") }
            if let msa = design.msaLinear { checkEngine(msa, "msa_linear") } else {
                problems.append("schedule pipelined needs msa_linear (the MSA kernel's engine)")
            }
        case .sequential, .headOverlap:
            if design.msaLinear != nil { problems.append("msa_linear is only used by schedule pipelined") }
        }
        if design.attention.tA >= 1 && s.headDim % design.attention.tA != 0 {
            problems.append("attention.t_a \(design.attention.tA) does not divide the head width \(s.headDim)")
        }
        if design.attention.tA > design.msaEngine.tIn {
            problems.append("attention.t_a \(design.attention.tA) exceeds the MSA engine's T_in \(design.msaEngine.tIn) "
                            + "(Q/K/V and attention-out buffers are banked T_in columns wide)")
        }
        if design.attention.rows > min(s.tokens, maxLanes) {
            problems.append("attention.rows \(design.attention.rows) exceeds min(tokens \(s.tokens), \(maxLanes))")
        }
        let feeds = design.schedule == .pipelined ? min(design.linear.tIn, design.msaEngine.tIn) : design.linear.tIn
        if design.layerNormLanes >= 1 {
            if s.embedDim % design.layerNormLanes != 0 {
                problems.append("layer_norm_lanes \(design.layerNormLanes) does not divide D = \(s.embedDim)")
            }
            if design.layerNormLanes > feeds {
                problems.append("layer_norm_lanes \(design.layerNormLanes) exceeds T_in \(feeds) of the engine it feeds")
            }
        }
        if design.ffnPasses > 1 && (!s.hasDense || design.ffnPasses > context.tokensPerGroup(design)) {
            problems.append("ffn_passes \(design.ffnPasses) needs a dense MLP and at most one pass per token")
        }
        if design.weightBuffer == .uram && context.device.budget.uram == 0 {
            problems.append("weight_buffer uram: \(context.device.name) has no URAM")
        }
        if let memory {
            let used = Sat.mul(Sat.mul(design.weightPorts.channels, design.linearEngines), design.instances)
            if design.weightPorts.channels < 1 || used > memory.channels {
                problems.append("weight ports: \(design.linearEngines) engine(s) x \(design.instances) instance(s) x "
                                + "\(design.weightPorts.channels) channels = \(used) exceeds the \(memory.channels) channels of \(memory.name)")
            }
        }
        return problems
    }

    /// Points in the space (product of the list sizes, saturating; pipelined adds its MSA lists).
    public var size: Int {
        let common = Sat.mul(Sat.mul(Sat.mul(instances.count, batches.count), Sat.mul(tA.count, attentionRows.count)),
                             Sat.mul(Sat.mul(layerNormLanes.count, ffnPasses.count), Sat.mul(weightBuffers.count, weightPorts.count)))
        let engine = Sat.mul(Sat.mul(tIn.count, tOut.count), lanes.count)
        let msa = Sat.mul(Sat.mul(tIn.count, tOut.count), msaLanes.count)
        var total = 0
        for schedule in schedules {
            total = Sat.add(total, Sat.mul(common, schedule == .pipelined ? Sat.mul(engine, msa) : engine))
        }
        return total
    }
}
