/// Per-component timings of one image pass, and the composition of a schedule from them
/// (docs/cost-model.md, "Schedules"). The search prices each component option once and composes
/// combinations with `Composition.total`; `CostModel.estimate` composes with the breakdown.

/// The time of one run of the linear engine (one or more invocations with continuous prefetch).
public struct RunTime: Hashable, Codable, Sendable {
    public var cycles: Int
    /// Cycles the engine waited for weights.
    public var stall: Int
    /// Cycles the weight ports transferred.
    public var portBusy: Int
    public var bytes: Int

    public static let zero = RunTime(cycles: 0, stall: 0, portBusy: 0, bytes: 0)
}

/// The MSA engine's runs (the only engine unless pipelined) and the input read over its ports.
public struct MSAProfile: Hashable, Sendable {
    public var input: RunTime
    public var patch: RunTime
    /// Q/K/V of all heads, one invocation.
    public var qkv: RunTime
    /// Head-overlap: end of each head's Q/K/V invocation within the run (the last is the run's end).
    public var qkvHeadEnds: [Int]
    public var qkvHeads: RunTime
    public var proj: RunTime
}

/// The FFN engine's runs and the output write over its ports.
public struct FFNProfile: Hashable, Sendable {
    /// fc1/fc2 of a dense layer over all passes.
    public var dense: RunTime
    /// The gate's linear invocation.
    public var gateLinear: RunTime
    /// Gather, fc1, fc2, scatter of every active expert, and the final combine with the residual.
    public var experts: RunTime
    public var classifier: RunTime
    public var output: RunTime
}

/// The attention engine's calls in one pass.
public struct AttentionProfile: Hashable, Sendable {
    /// All heads of all images of the pass in one invocation.
    public var all: Int
    /// One head over the images of the pass (head-overlap).
    public var perHead: Int
    public var timing: AttentionTiming
}

/// LayerNorm calls in one pass: inside a layer and the final one.
public struct NormProfile: Hashable, Sendable {
    public var layer: Int
    public var final: Int
}

/// Composition of a schedule's latency from component timings.
public enum Composition {
    /// The Q/K/V + attention chain of head-overlap: head h's attention starts when its Q/K/V and
    /// the previous head's attention are done; returns when both the chain and the Q/K/V run end.
    public static func headOverlapChain(qkvEnds: [Int], attentionPerHead: Int) -> Int {
        var attentionEnd = 0
        for end in qkvEnds { attentionEnd = Sat.add(max(attentionEnd, end), attentionPerHead) }
        return max(attentionEnd, qkvEnds.last ?? 0)
    }

    /// MSA half of one layer: LN1 + Q/K/V + attention + projection (head-overlap: the chain).
    public static func msa(_ schedule: DesignPoint.Schedule, _ m: MSAProfile, _ a: AttentionProfile, _ n: NormProfile) -> Int {
        if schedule == .headOverlap {
            return Sat.sum([n.layer, headOverlapChain(qkvEnds: m.qkvHeadEnds, attentionPerHead: a.perHead), m.proj.cycles])
        }
        return Sat.sum([n.layer, m.qkv.cycles, a.all, m.proj.cycles])
    }

    /// FFN half of a layer: LN2 + MLP, or LN2 + gate + gate unit + experts.
    public static func ffn(_ kind: ModelShape.LayerKind, _ f: FFNProfile, gateUnit: Int, _ n: NormProfile) -> Int {
        kind == .dense ? Sat.add(n.layer, f.dense.cycles)
            : Sat.sum([n.layer, f.gateLinear.cycles, gateUnit, f.experts.cycles])
    }

    /// Latency of one pass: input, patch embedding, the layers, final LayerNorm, classifier, output.
    /// Sequential and head-overlap add the halves; pipelined alternates them over two halves of
    /// the batch: `M + sum_l max(M, F_l) + sum_{l < L-1} max(M, F_l) + F_{L-1}`.
    public static func total(shape: ModelShape, schedule: DesignPoint.Schedule, msa m: MSAProfile, ffn f: FFNProfile,
                             attention a: AttentionProfile, norm n: NormProfile, gateUnit: Int) -> Int {
        let layersCycles = layers(shape: shape, schedule: schedule, msa: msa(schedule, m, a, n),
                                  dense: shape.hasFFN ? ffn(.dense, f, gateUnit: gateUnit, n) : 0,
                                  moe: shape.hasMoE ? ffn(.moe, f, gateUnit: gateUnit, n) : 0)
        return Sat.sum([m.input.cycles, m.patch.cycles, layersCycles, shape.hasFFN ? n.final : 0, f.classifier.cycles,
                        f.output.cycles])
    }

    /// The encoder layers' share of the latency.
    static func layers(shape: ModelShape, schedule: DesignPoint.Schedule, msa: Int, dense: Int, moe: Int) -> Int {
        var total = 0
        let count = shape.layerKinds.count
        for (index, kind) in shape.layerKinds.enumerated() {
            let f = shape.hasFFN ? (kind == .dense ? dense : moe) : 0
            total = Sat.add(total, layerShare(schedule: schedule, msa: msa, ffn: f, index: index, count: count))
        }
        return total
    }

    /// What layer `index` of `count` adds to the latency.
    static func layerShare(schedule: DesignPoint.Schedule, msa: Int, ffn: Int, index: Int, count: Int) -> Int {
        guard schedule == .pipelined else { return Sat.add(msa, ffn) }
        // Steps 2l+1 and 2l+2: MSA of one half beside FFN of the other; the first step is MSA
        // alone, the last FFN alone.
        let step = max(msa, ffn)
        let first = index == 0 ? msa : 0
        let second = index == count - 1 ? ffn : step
        return Sat.sum([first, step, second])
    }
}
