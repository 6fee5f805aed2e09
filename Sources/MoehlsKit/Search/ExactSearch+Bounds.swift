/// Lower bounds for the exact search. A component not yet chosen can only use the DSPs the
/// chosen ones leave, so the least of each of its timings and resources over the options within
/// that budget bounds it from below; the latency never decreases when a timing grows, so
/// composing those least timings bounds every design of the subtree.
extension ExactSearch {
    /// What bounds an attention option: its two timings and its resources (one instance). Also
    /// the key of the attention options' Pareto filter.
    struct AttentionCost: ElementwiseMinimum, ParetoCoordinates {
        var all: Int
        var perHead: Int
        var resources: Device.Resources

        func elementwiseMin(_ other: Self) -> Self {
            Self(all: min(all, other.all), perHead: min(perHead, other.perHead),
                 resources: resources.elementwiseMin(other.resources))
        }

        func dominates(_ other: Self) -> Bool {
            all <= other.all && perHead <= other.perHead && resources.dominates(other.resources)
        }

        /// Lexicographic: timings first, then resources in report order.
        func precedes(_ other: Self) -> Bool {
            (all, perHead) != (other.all, other.perHead) ? (all, perHead) < (other.all, other.perHead)
                : resources.lexicographicallyPrecedes(other.resources)
        }
    }

    /// What bounds a LayerNorm option: its two timings and its resources (one instance).
    struct NormCost: ElementwiseMinimum {
        var layer: Int
        var final: Int
        var resources: Device.Resources

        func elementwiseMin(_ other: Self) -> Self {
            Self(layer: min(layer, other.layer), final: min(final, other.final),
                 resources: resources.elementwiseMin(other.resources))
        }
    }

    /// What bounds a pipelined MSA engine option: the cycles of the runs the latency reads (input,
    /// patch embedding, Q/K/V, projection) and its resources (one instance).
    struct MSACost: ElementwiseMinimum {
        var input: Int
        var patch: Int
        var qkv: Int
        var proj: Int
        var resources: Device.Resources

        init(_ option: LinearOption) {
            input = option.msa.input.cycles
            patch = option.msa.patch.cycles
            qkv = option.msa.qkv.cycles
            proj = option.msa.proj.cycles
            resources = option.resources
        }

        func elementwiseMin(_ other: Self) -> Self {
            var m = self
            m.input = min(input, other.input)
            m.patch = min(patch, other.patch)
            m.qkv = min(qkv, other.qkv)
            m.proj = min(proj, other.proj)
            m.resources = resources.elementwiseMin(other.resources)
            return m
        }
    }

    /// Bounds on the attention, LayerNorm and (pipelined) MSA engine of one configuration, within
    /// the DSPs left for them and over every option. Timings and resources are for one instance;
    /// a bound's DSPs are the least of any option of the component.
    struct ComponentBounds {
        private let attention: BudgetMinima<AttentionCost>
        private let norm: BudgetMinima<NormCost>
        private let msa: BudgetMinima<MSACost>
        /// Shared by every attention option of a configuration.
        private let timing: AttentionTiming
        private let zeroMSA: MSAProfile
        /// The fewest DSPs an option of each component uses: what choosing one later costs at
        /// least (zero for the MSA engine unless pipelined, where it is a separate engine).
        let leastAttentionDSP: Int, leastNormDSP: Int, leastMSADSP: Int
        /// The least of each timing over every option, whatever its DSPs.
        let anyAttention: AttentionProfile, anyNorm: NormProfile
        /// The least input + patch embedding cycles of any pipelined MSA option (zero otherwise).
        let leastEntry: Int

        /// Bounds over `p`'s attention and LayerNorm options (not empty) and its MSA options.
        init(_ p: Priced, pipelined: Bool, zeroMSA: MSAProfile) {
            attention = BudgetMinima(p.attention.map { ($0.resources.dsp, $0.cost) })
            norm = BudgetMinima(p.norm.map {
                ($0.resources.dsp, NormCost(layer: $0.profile.layer, final: $0.profile.final, resources: $0.resources))
            })
            msa = BudgetMinima(p.msa.map { ($0.resources.dsp, MSACost($0)) })
            timing = p.attention[0].profile.timing
            self.zeroMSA = zeroMSA
            leastAttentionDSP = attention.leastDSP ?? 0
            leastNormDSP = norm.leastDSP ?? 0
            leastMSADSP = pipelined ? (msa.leastDSP ?? 0) : 0
            anyAttention = AttentionProfile(all: p.attention.map(\.profile.all).min() ?? 0,
                                            perHead: p.attention.map(\.profile.perHead).min() ?? 0, timing: timing)
            anyNorm = NormProfile(layer: p.norm.map(\.profile.layer).min() ?? 0, final: p.norm.map(\.profile.final).min() ?? 0)
            leastEntry = pipelined ? (p.msa.map { Sat.add($0.msa.input.cycles, $0.msa.patch.cycles) }.min() ?? 0) : 0
        }

        /// The best attention timings and resources within `budget` DSPs (nil when none fits).
        func attention(within budget: Int) -> (profile: AttentionProfile, resources: Device.Resources)? {
            guard let c = attention.query(budget) else { return nil }
            return (AttentionProfile(all: c.all, perHead: c.perHead, timing: timing), c.resources)
        }

        /// The best LayerNorm timings and resources within `budget` DSPs (nil when none fits).
        func norm(within budget: Int) -> (profile: NormProfile, resources: Device.Resources)? {
            guard let c = norm.query(budget) else { return nil }
            return (NormProfile(layer: c.layer, final: c.final), c.resources)
        }

        /// The best pipelined MSA engine timings and resources within `budget` DSPs (nil when none
        /// fits); the runs the latency does not read stay zero.
        func msa(within budget: Int) -> (profile: MSAProfile, resources: Device.Resources)? {
            guard let c = msa.query(budget) else { return nil }
            var m = zeroMSA
            m.input.cycles = c.input
            m.patch.cycles = c.patch
            m.qkv.cycles = c.qkv
            m.proj.cycles = c.proj
            return (m, c.resources)
        }
    }

    /// Each resource's least over `list` (zero for an empty list).
    static func minResources(_ list: [Device.Resources]) -> Device.Resources {
        guard let first = list.first else { return .zero }
        return list.dropFirst().reduce(first) { $0.elementwiseMin($1) }
    }
}
