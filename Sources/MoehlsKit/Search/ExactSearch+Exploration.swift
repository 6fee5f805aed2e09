/// The branch and bound of the exact search over one configuration. The tree's levels are the
/// FFN engine (pipelined) or the only linear engine, the MSA engine (pipelined), the attention
/// engine and the LayerNorm width; each level visits its options in ascending order of a bound and
/// stops at the first that cannot beat the incumbent (or, collecting the front, lies outside it).
extension ExactSearch {
    /// Branch and bound over one configuration. With `boundOnly` it explores nothing and returns
    /// the smallest first-level bound (a lower bound on every design of the configuration);
    /// otherwise it returns the bound where the node budget stopped it (infinity when it did not).
    @discardableResult
    func explore(_ config: Config, _ p: Priced, _ state: inout State, boundOnly: Bool = false) -> Double {
        if !boundOnly { noteMinimum(config, p, &state) }
        guard let explorer = Explorer(self, config, p) else { return .infinity }
        return boundOnly ? explorer.leastFeasibleBound() : explorer.explore(&state)
    }

    /// Records per-resource minima (for the no-fit diagnostic).
    func noteMinimum(_ config: Config, _ p: Priced, _ state: inout State) {
        var total = p.base + p.attentionMinimum + p.normMinimum
        for minimum in p.linearMinimum { total = total + minimum }
        total = total.scaled(by: config.instances)
        state.minimum = state.minimum.map { $0.elementwiseMin(total) } ?? total
    }

    /// Records `resources` (all instances) as the closest design so far when its highest
    /// utilisation of the cap is the lowest yet (for the no-fit diagnostic).
    func noteClosest(_ resources: Device.Resources, _ state: inout State) {
        let ratio = zip(resources.named, constraints.limit.named).map { r, l in
            l.value > 0 ? Double(r.value) / Double(l.value) : (r.value > 0 ? Double.infinity : 0)
        }.max() ?? 0
        if state.closest == nil || ratio < state.closest!.ratio { state.closest = (ratio, resources) }
    }

    /// How one configuration scores a design: its latency from the component timings
    /// (`Composition.total`) and the objective value of that latency (lower is better).
    struct Objective {
        let shape: ModelShape
        let schedule: DesignPoint.Schedule
        let gateUnit: Int
        /// Whether the objective is the latency of a pass; otherwise cycles per image (throughput).
        let latency: Bool
        /// Images one pass of all instances processes.
        let imagesPerPass: Int

        func cycles(_ m: MSAProfile, _ f: FFNProfile, _ a: AttentionProfile, _ n: NormProfile) -> Int {
            Composition.total(shape: shape, schedule: schedule, msa: m, ffn: f, attention: a, norm: n, gateUnit: gateUnit)
        }

        func value(_ cycles: Int) -> Double { latency ? Double(cycles) : Double(cycles) / Double(imagesPerPass) }

        func value(_ m: MSAProfile, _ f: FFNProfile, _ a: AttentionProfile, _ n: NormProfile) -> Double {
            value(cycles(m, f, a, n))
        }
    }

    /// A level-1 option's bound, and the least resources of the components still to choose
    /// within the DSPs it leaves (one instance).
    struct FirstBound {
        var bound: Double
        var rest: Device.Resources
    }

    /// A subtree with the linear engines chosen: what is left is the attention engine and the
    /// LayerNorm width.
    struct Branch {
        /// The FFN engine's option, or the only engine's.
        var ffnOption: LinearOption
        /// The MSA engine's option; the same as `ffnOption` unless pipelined.
        var msaOption: LinearOption
        var design: DesignPoint
        /// Resources of the chosen components and the base (one instance).
        var fixed: Device.Resources
        /// DSPs left for attention and LayerNorm (one instance).
        var budget: Int
        /// The level-1 bound, the open bound if the node budget stops the search here.
        var bound: Double
    }

    /// Pipelined MSA engine options that share (ports, slab storage), which the two engines must
    /// agree on, ordered by Q/K/V + projection cycles.
    struct MSAGroup {
        /// Indices into `Priced.msa`.
        var order: [Int]
        /// Q/K/V + projection cycles of each option, in `order`.
        var qkvProj: [Int]
        /// Jumps over options that need more DSPs than the FFN option leaves.
        var skip: DSPSkipList
    }

    /// What pipelined FFN and MSA options must share to be combined.
    struct MSAGroupKey: Hashable {
        var ports: DesignPoint.WeightPorts
        var buffer: DesignPoint.WeightBuffer

        init(_ option: LinearOption) {
            ports = option.ports
            buffer = option.buffer
        }
    }

    /// One configuration's tree: its priced options, their bounds and visiting orders, built once,
    /// and one method per level. The search state is passed in, so the explorer itself is fixed.
    struct Explorer {
        let search: ExactSearch
        let config: Config
        let p: Priced
        let pipelined: Bool
        let objective: Objective
        let bounds: ComponentBounds
        /// Level-1 options: the FFN engine's (pipelined) or the only engine's.
        let firstOptions: [LinearOption]
        /// DSPs of one instance.
        let dspLimit: Int
        /// Linear engines whose weight ports each instance needs.
        let engines: Int
        /// The design of `config` before its components are chosen.
        let design: DesignPoint
        /// Attention options by ascending timing of the schedule (per head for head-overlap), and
        /// a skip list over their DSPs.
        let attentionOrder: [Int]
        let attentionSkip: DSPSkipList
        /// LayerNorm options by ascending in-layer timing.
        let normOrder: [Int]
        /// Pipelined only.
        let msaGroups: [MSAGroupKey: MSAGroup]
        /// The optimistic pipelined MSA timings: the least input + patch, the rest zero.
        let optimisticMSA: MSAProfile
        /// `firstOptions`' bounds (nil where the rest does not fit the DSPs it leaves), and the
        /// indices of those with a bound, by ascending bound.
        private(set) var firstBounds: [FirstBound?] = []
        private(set) var firstOrder: [Int] = []

        /// Nil when a component has no option.
        init?(_ search: ExactSearch, _ config: Config, _ p: Priced) {
            pipelined = config.schedule == .pipelined
            firstOptions = pipelined ? p.ffn : p.shared
            let msaList = pipelined ? p.msa : p.shared
            guard !msaList.isEmpty, !firstOptions.isEmpty, !p.attention.isEmpty, !p.norm.isEmpty else { return nil }
            self.search = search
            self.config = config
            self.p = p
            objective = Objective(shape: search.context.shape, schedule: config.schedule, gateUnit: p.gateUnit,
                                  latency: search.constraints.objective == .latency,
                                  imagesPerPass: config.instances * config.batch)
            bounds = ComponentBounds(p, pipelined: pipelined, zeroMSA: search.zeroMSA)
            dspLimit = search.constraints.limit.dsp / max(config.instances, 1)
            engines = pipelined ? 2 : 1
            var design = search.template(config)
            design.instances = config.instances
            self.design = design
            attentionOrder = Self.attentionOrder(p.attention, perHead: config.schedule == .headOverlap)
            attentionSkip = DSPSkipList(dsp: attentionOrder.map { p.attention[$0].resources.dsp })
            normOrder = p.norm.indices.sorted { p.norm[$0].profile.layer != p.norm[$1].profile.layer
                ? p.norm[$0].profile.layer < p.norm[$1].profile.layer : $0 < $1 }
            msaGroups = pipelined ? Self.groups(p.msa) : [:]
            var optimistic = search.zeroMSA
            optimistic.input.cycles = bounds.leastEntry
            optimisticMSA = optimistic
            firstBounds = firstOptions.map(firstBound)
            firstOrder = Self.ascending(firstBounds)
        }

        /// Attention option indices by ascending timing (per head, or all heads), ties by index.
        static func attentionOrder(_ options: [AttentionOption], perHead: Bool) -> [Int] {
            options.indices.sorted { i, j in
                let a = options[i].profile, b = options[j].profile
                let ka = perHead ? a.perHead : a.all, kb = perHead ? b.perHead : b.all
                return ka != kb ? ka < kb : i < j
            }
        }

        /// The indices of the options with a bound, by ascending bound, ties by index.
        static func ascending(_ bounds: [FirstBound?]) -> [Int] {
            var keyed: [(Double, Int)] = []
            keyed.reserveCapacity(bounds.count)
            for (i, b) in bounds.enumerated() { if let b { keyed.append((b.bound, i)) } }
            keyed.sort { $0 < $1 }
            return keyed.map(\.1)
        }

        /// The pipelined MSA options for level 2. The latency depends on an MSA option only
        /// through input + patch and Q/K/V + projection (the MSA half is LN + Q/K/V + attention +
        /// projection), so with input + patch at its minimum the bound is monotone in Q/K/V +
        /// projection: level 2 visits the options in that order and stops at the first whose
        /// bound reaches the incumbent. Options are grouped by (ports, slab storage), which the two
        /// engines share, and within a group a skip list jumps over options that need more DSPs
        /// than the FFN option leaves.
        static func groups(_ msa: [LinearOption]) -> [MSAGroupKey: MSAGroup] {
            let keys = msa.map { Sat.add($0.msa.qkv.cycles, $0.msa.proj.cycles) }
            let order = msa.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
            var members: [MSAGroupKey: [Int]] = [:]
            for i in order { members[MSAGroupKey(msa[i]), default: []].append(i) }
            return members.mapValues { list in
                MSAGroup(order: list, qkvProj: list.map { keys[$0] }, skip: DSPSkipList(dsp: list.map { msa[$0].resources.dsp }))
            }
        }

        /// Level 1's bound for `option`: the other components at their best within the DSPs it leaves.
        func firstBound(_ option: LinearOption) -> FirstBound? {
            let budget = dspLimit - option.resources.dsp - p.base.dsp
            var rest = Device.Resources.zero
            var m: MSAProfile = option.msa
            if pipelined {
                guard let msa = bounds.msa(within: budget - bounds.leastAttentionDSP - bounds.leastNormDSP) else { return nil }
                m = msa.profile
                rest = rest + msa.resources
            }
            guard let a = bounds.attention(within: budget - bounds.leastNormDSP - bounds.leastMSADSP),
                  let n = bounds.norm(within: budget - bounds.leastAttentionDSP - bounds.leastMSADSP) else { return nil }
            rest = rest + a.resources + n.resources
            return FirstBound(bound: objective.value(m, option.ffn, a.profile, n.profile), rest: rest)
        }

        /// Whether `resources` (one instance) fit the cap with every instance.
        func fits(_ resources: Device.Resources) -> Bool { search.constraints.fits(resources.scaled(by: config.instances)) }

        /// Whether the memory of `option`'s ports has channels for every engine of every instance.
        func hasChannels(_ option: LinearOption) -> Bool {
            guard let memory = search.context.memory(option.ports) else { return false }
            return option.ports.channels * engines * config.instances <= memory.channels
        }

        /// The smallest level-1 bound of an option that fits: a lower bound on every design.
        func leastFeasibleBound() -> Double {
            for i in firstOrder {
                let f = firstOptions[i]
                guard let first = firstBounds[i], hasChannels(f), fits(f.resources + p.base + first.rest) else { continue }
                return first.bound
            }
            return .infinity
        }

        /// Level 1: the FFN engine (pipelined) or the only engine, in ascending order of bound.
        /// Returns the bound where the node budget stopped it, or infinity.
        func explore(_ state: inout State) -> Double {
            for i in firstOrder {
                let f = firstOptions[i]
                guard let first = firstBounds[i] else { continue }
                if state.prunes(first.bound) { break }
                guard hasChannels(f) else { continue }
                if state.countNode(stoppingAt: first.bound) { return first.bound }
                if !fits(f.resources + p.base + first.rest) { continue }
                if exploreMSA(f, bound: first.bound, &state) { return first.bound }
            }
            return .infinity
        }

        /// Level 2: the pipelined MSA engines beside FFN option `f` (or `f` itself as the only
        /// engine). Returns whether the node budget stopped the search.
        func exploreMSA(_ f: LinearOption, bound: Double, _ state: inout State) -> Bool {
            let budget = dspLimit - f.resources.dsp - p.base.dsp
            guard pipelined else { return exploreEngines(f, f, budget: budget, bound: bound, &state) }
            guard let group = msaGroups[MSAGroupKey(f)] else { return false }
            let msaBudget = budget - bounds.leastAttentionDSP - bounds.leastNormDSP
            var position = 0
            while let next = group.skip.next(from: position, budget: msaBudget) {
                position = next + 1
                var optimistic = optimisticMSA
                optimistic.qkv.cycles = group.qkvProj[next]
                if state.prunes(objective.value(optimistic, f.ffn, bounds.anyAttention, bounds.anyNorm)) { break }
                if exploreEngines(f, p.msa[group.order[next]], budget: budget, bound: bound, &state) { return true }
            }
            return false
        }

        /// The linear engines `f` (FFN or only) and `m` (MSA) chosen, with `budget` DSPs left
        /// after `f`: bounds the subtree (pipelined) and explores its attention engines.
        /// Returns whether the node budget stopped the search.
        func exploreEngines(_ f: LinearOption, _ m: LinearOption, budget: Int, bound: Double, _ state: inout State) -> Bool {
            if state.countNode(stoppingAt: bound) { return true }
            var branch = Branch(ffnOption: f, msaOption: m, design: design, fixed: f.resources + p.base, budget: budget,
                                bound: bound)
            branch.design.linear = f.engine
            branch.design.weightPorts = f.ports
            branch.design.weightBuffer = f.buffer
            branch.design.ffnPasses = f.passes
            if pipelined {
                branch.budget -= m.resources.dsp
                guard let a = bounds.attention(within: branch.budget - bounds.leastNormDSP),
                      let n = bounds.norm(within: branch.budget - bounds.leastAttentionDSP) else { return false }
                if state.prunes(objective.value(m.msa, f.ffn, a.profile, n.profile)) { return false }
                branch.design.msaLinear = m.engine
                var buffers = ComponentCost()
                buffers.buffers = search.context.sharedResidualBuffers(branch.design)
                branch.fixed = branch.fixed + m.resources + buffers.resources(search.context.fabric)
                if !fits(branch.fixed + a.resources + n.resources) { return false }
            }
            return exploreAttention(branch, &state)
        }

        /// Level 3: the attention engines within the DSPs `branch` leaves, by ascending timing.
        /// Returns whether the node budget stopped the search.
        func exploreAttention(_ branch: Branch, _ state: inout State) -> Bool {
            guard let norm = bounds.norm(within: branch.budget - bounds.leastAttentionDSP) else { return false }
            let f = branch.ffnOption, m = branch.msaOption
            var position = 0
            while let next = attentionSkip.next(from: position, budget: branch.budget - bounds.leastNormDSP) {
                position = next + 1
                let a = p.attention[attentionOrder[next]]
                state.nodes += 1
                if a.engine.tA > m.engine.tIn { continue }
                if state.prunes(objective.value(m.msa, f.ffn, a.profile, norm.profile)) { break }
                if !fits(branch.fixed + a.resources + norm.resources) { continue }
                if exploreNorm(branch, a, &state) { return true }
            }
            return false
        }

        /// Level 4, the leaves: the LayerNorm widths beside attention option `a`, by ascending
        /// timing; each design that fits is offered to the state. Returns whether the node budget
        /// stopped the search.
        func exploreNorm(_ branch: Branch, _ a: AttentionOption, _ state: inout State) -> Bool {
            let f = branch.ffnOption, m = branch.msaOption
            let budget = branch.budget - a.resources.dsp
            for index in normOrder {
                let n = p.norm[index]
                if n.lanes > m.engine.tIn || n.lanes > f.engine.tIn || n.resources.dsp > budget { continue }
                state.leaves += 1
                if state.countNode(stoppingAt: branch.bound) { return true }
                let cycles = objective.cycles(m.msa, f.ffn, a.profile, n.profile)
                let value = objective.value(cycles)
                if state.prunes(value) { break }
                let resources = (branch.fixed + a.resources + n.resources).scaled(by: config.instances)
                search.noteClosest(resources, &state)
                if !search.constraints.fits(resources) { continue }
                var design = branch.design
                design.attention = a.engine
                design.layerNormLanes = n.lanes
                state.offer(design, cycles: cycles, value: value, resources: resources)
            }
            return false
        }
    }
}
