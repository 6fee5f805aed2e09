/// Exact search by branch and bound (docs/design-space.md, "exact and auto").
///
/// Algorithm. For each outer configuration (schedule, batch, instances) the components are priced
/// once each: every legal linear engine option (T_in, T_out, N_L, ports, slab storage, FFN passes),
/// every attention option (T_a, N_a), every LayerNorm width. A design is a choice of one option per
/// component; its latency is `Composition.total` of the components' timings, which never decreases
/// when any timing of any component increases, and its resources are the sum of the components'
/// (plus, when pipelined, the residual buffers banked by both engines, computed at the leaf).
/// So the latency with the not-yet-chosen components at their per-field minimum is a lower bound
/// for a subtree, and the resources with the remaining components at their per-resource minimum
/// must fit the cap. Linear options are visited in ascending order of that bound and the loop
/// stops at the first whose bound reaches the incumbent: the result is the true optimum of the
/// cost model over the space. A second pass with the bound at `(1 + frontSlack) x optimum`
/// offers every design it reaches to a Pareto archive (objective, DSP, BRAM, LUT).
///
/// When it is not optimal: only `auto` has a node budget (counted once a first design is found,
/// so it always returns one); if the budget runs out it returns the incumbent and the smallest
/// bound of the unexplored subtrees, so the printed gap is proven.
/// Optimal means optimal for the cost model over the given space (see DesignSpace's pruning rules).
struct ExactSearch {
    let context: CostContext
    let space: DesignSpace
    let constraints: SearchConstraints
    let options: SearchOptions
    let progress: (String) -> Void

    /// Timings of one engine on one set of ports, shared by the options that differ only in
    /// slab storage (and, for the FFN side, indexed by the number of MLP passes).
    final class Timings: @unchecked Sendable {
        let msa: MSAProfile
        let ffn: [FFNProfile]
        init(msa: MSAProfile, ffn: [FFNProfile]) {
            self.msa = msa
            self.ffn = ffn
        }
    }

    struct LinearOption {
        var engine: DesignPoint.LinearEngine
        var ports: DesignPoint.WeightPorts
        var buffer: DesignPoint.WeightBuffer
        var passes: Int
        var passIndex: Int
        var timings: Timings
        /// One instance.
        var resources: Device.Resources

        var msa: MSAProfile { timings.msa }
        var ffn: FFNProfile { timings.ffn[passIndex] }
    }

    struct AttentionOption {
        var engine: DesignPoint.AttentionEngine
        var profile: AttentionProfile
        var resources: Device.Resources
    }

    struct NormOption {
        var lanes: Int
        var profile: NormProfile
        var resources: Device.Resources
    }

    struct Config {
        var schedule: DesignPoint.Schedule
        var batch: Int
        var instances: Int
        var floor: Double

        var key: PricingKey { PricingKey(schedule: schedule, batch: batch) }
    }

    /// What component prices depend on.
    struct PricingKey: Hashable {
        var schedule: DesignPoint.Schedule
        var batch: Int
    }

    /// Search state shared by both passes.
    struct State {
        var best: (value: Double, cycles: Int, design: DesignPoint)? = nil
        var archive = ParetoArchive()
        var frontLimit = Double.infinity
        var collecting = false
        var nodes = 0
        var leaves = 0
        var budgetHit = false
        var openBound = Double.infinity
        /// Nodes this pass may visit.
        var nodeLimit = Int.max
        var minimum: Device.Resources? = nil
        var closest: (ratio: Double, resources: Device.Resources)? = nil
    }

    var budget: Int { options.strategy == .auto ? options.nodeBudget : Int.max }

    func run() throws(DiagnosticError) -> SearchResult {
        var state = State()
        state.nodeLimit = budget
        let configs = outerConfigs()
        progress("exact: \(configs.count) configurations of schedule, batch and instances")
        // Components are priced per (schedule, batch) for one instance and shared by every
        // instance count: only the cap and the channels per instance differ.
        var priced: [PricingKey: Priced] = [:]
        func pricing(_ config: Config) -> Priced {
            if let p = priced[config.key] { return p }
            let p = price(config, sibling: &priced)
            priced[config.key] = p
            return p
        }
        for config in configs {
            if let best = state.best, config.floor >= best.value { continue }
            if state.nodes >= budget && state.best != nil {
                // Out of budget: the configuration's best is at least its first-level bound (pricing
                // it if needed, which is cheap next to exploring it).
                state.budgetHit = true
                let bound = max(config.floor, explore(config, pricing(config), &state, boundOnly: true))
                state.openBound = min(state.openBound, bound)
                continue
            }
            explore(config, pricing(config), &state)
        }
        guard let best = state.best else {
            throw Search.noFit(context, constraints, minimum: state.minimum ?? .zero, closest: state.closest?.resources)
        }
        let optimumBound = min(best.value, state.openBound)
        // Second pass: the Pareto front within the slack of the optimum.
        var frontState = state
        frontState.collecting = true
        frontState.frontLimit = best.value * (1 + options.frontSlack)
        frontState.nodes = 0
        frontState.budgetHit = false
        frontState.openBound = .infinity
        progress("exact: optimum \(Format.count(best.cycles)) cycles after \(Format.count(state.nodes)) nodes; "
                 + "collecting the Pareto front within \(Format.fixed(options.frontSlack * 100, 0))%")
        frontState.nodeLimit = options.frontBudget
        for config in configs where config.floor <= frontState.frontLimit {
            if frontState.nodes >= options.frontBudget { frontState.budgetHit = true; break }
            explore(config, pricing(config), &frontState)
        }
        // Among equally fast designs, report the one the front shows first (non-dominated, least
        // utilised).
        var chosen = best.design
        if let preferred = frontState.archive.preferredOptimum(limit: constraints.limit), preferred.value == best.value {
            chosen = preferred.design
        }
        let estimate = try CostModel.estimate(chosen, context)
        var notes: [String] = []
        if state.budgetHit { notes.append("node budget of \(Format.count(budget)) reached: result within the printed bound") }
        return SearchResult(strategy: options.strategy, objective: constraints.objective, cap: constraints.cap, best: estimate,
                            optimal: !state.budgetHit, lowerBound: optimumBound,
                            evaluated: state.leaves + frontState.leaves, spaceSize: space.size,
                            front: frontState.archive.front(best: best.value, slack: options.frontSlack),
                            frontComplete: !frontState.budgetHit, frontSlack: options.frontSlack, notes: notes)
    }

    // MARK: Outer configurations

    func outerConfigs() -> [Config] {
        var configs: [Config] = []
        let dspPerMultiply = max(1, min(context.dsp.grid, context.dsp.score))
        let multipliers = Double(max(constraints.limit.dsp / dspPerMultiply, 1))
        for schedule in space.schedules {
            if schedule == .pipelined && !context.shape.hasFFN { continue }
            for batch in space.batches where DesignSpace.batchAllowed(batch, schedule: schedule, objective: constraints.objective) {
                if schedule == .pipelined && batch % 2 != 0 { continue }
                for instances in space.instances {
                    // Compute floor: every MAC of the pass needs a multiplier-cycle, and all instances
                    // share the capped DSPs.
                    let macs = Double(context.macsPerImage) * Double(batch)
                    let cycles = macs / (multipliers / Double(instances))
                    let floor = constraints.objective == .latency ? cycles : cycles / Double(instances * batch)
                    configs.append(Config(schedule: schedule, batch: batch, instances: instances, floor: floor))
                }
            }
        }
        return configs.enumerated().sorted { a, b in
            a.element.floor != b.element.floor ? a.element.floor < b.element.floor : a.offset < b.offset
        }.map(\.element)
    }

    /// A design of `config` with placeholder components, for one instance (pricing is per instance).
    func template(_ config: Config) -> DesignPoint {
        let one = DesignPoint.LinearEngine(tIn: 1, tOut: 1, lanes: 1)
        return DesignPoint(schedule: config.schedule, instances: 1, batch: config.batch, linear: one,
                           msaLinear: config.schedule == .pipelined ? one : nil, attention: .init(tA: 1, rows: 1),
                           layerNormLanes: 1, ffnPasses: 1, weightBuffer: .bram,
                           weightPorts: space.weightPorts.first ?? .init(memory: "", channels: 1))
    }

    // MARK: Pricing

    struct Priced {
        var shared: [LinearOption] = []
        var msa: [LinearOption] = []
        var ffn: [LinearOption] = []
        var attention: [AttentionOption] = []
        var norm: [NormOption] = []
        var gateUnit = 0
        var base = Device.Resources.zero
        /// Per-resource minima over every legal option, before the cap (for the no-fit diagnostic).
        var linearMinimum: [Device.Resources] = []
        var attentionMinimum = Device.Resources.zero
        var normMinimum = Device.Resources.zero
    }

    /// Prices the components of `config`; sequential and head-overlap share their linear timings,
    /// so pricing one also prices the other (returned in `sibling`).
    func price(_ config: Config, sibling: inout [PricingKey: Priced]) -> Priced {
        var p = Priced()
        let design = template(config)
        if config.schedule == .pipelined {
            let msa = linearOptions(design, role: .msa, variants: [.pipelined])
            let ffn = linearOptions(design, role: .ffn, variants: [.pipelined])
            p.msa = msa.options[0]
            p.ffn = ffn.options[0]
            p.linearMinimum = [msa.minimum[0], ffn.minimum[0]].map { $0 ?? .zero }
        } else {
            let other: DesignPoint.Schedule = config.schedule == .sequential ? .headOverlap : .sequential
            let siblingConfig = Config(schedule: other, batch: config.batch, instances: 1, floor: 0)
            let wanted = space.schedules.contains(other) && sibling[siblingConfig.key] == nil
            let variants: [DesignPoint.Schedule] = wanted ? [config.schedule, other] : [config.schedule]
            let lists = linearOptions(design, role: .shared, variants: variants)
            p.shared = lists.options[0]
            p.linearMinimum = [lists.minimum[0] ?? .zero]
            if wanted {
                var q = priceSmall(siblingConfig)
                q.shared = lists.options[1]
                q.linearMinimum = [lists.minimum[1] ?? .zero]
                sibling[siblingConfig.key] = q
            }
        }
        let small = priceSmall(config)
        p.attention = small.attention
        p.norm = small.norm
        p.attentionMinimum = small.attentionMinimum
        p.normMinimum = small.normMinimum
        p.gateUnit = small.gateUnit
        p.base = small.base
        progress("exact: \(config.schedule.rawValue) batch \(config.batch): "
                 + "\(p.shared.count + p.msa.count + p.ffn.count) linear, \(p.attention.count) attention, "
                 + "\(p.norm.count) LayerNorm options")
        return p
    }

    /// Attention, LayerNorm, gate unit and control of `config`.
    func priceSmall(_ config: Config) -> Priced {
        var p = Priced()
        let design = template(config)
        var attentionSeen: [Device.Resources] = [], normSeen: [Device.Resources] = []
        for tA in space.tA where tA >= 1 && context.shape.headDim % tA == 0 {
            for rows in space.attentionRows where rows >= 1 && rows <= min(context.shape.tokens, DesignSpace.maxLanes) {
                let engine = DesignPoint.AttentionEngine(tA: tA, rows: rows)
                let resources = context.attentionComponent(engine).resources(context.fabric)
                attentionSeen.append(resources)
                guard constraints.fits(resources) else { continue }
                p.attention.append(AttentionOption(engine: engine, profile: context.attentionProfile(engine, design: design),
                                                   resources: resources))
            }
        }
        p.attention = paretoFilter(p.attention) { [$0.profile.all, $0.profile.perHead] + resourceKey($0.resources) }
        for lanes in space.layerNormLanes where lanes >= 1 && context.shape.embedDim % lanes == 0 {
            let resources = context.normComponent(lanes: lanes, design: design).resources(context.fabric)
            normSeen.append(resources)
            guard constraints.fits(resources) else { continue }
            p.norm.append(NormOption(lanes: lanes, profile: context.normProfile(lanes: lanes, design: design), resources: resources))
        }
        p.gateUnit = context.gateUnit(design)
        p.base = context.baseComponent.resources(context.fabric)
        p.attentionMinimum = Self.minResources(attentionSeen)
        p.normMinimum = Self.minResources(normSeen)
        return p
    }

    func resourceKey(_ r: Device.Resources) -> [Int] { [r.lut, r.ff, r.bram18k, r.dsp, r.uram] }

    /// Keeps the options no other option (of the same group) matches or beats in every
    /// coordinate of `key` (first of equals kept). Sound because the latency never decreases
    /// when a timing grows and resources only add.
    func paretoFilter<T>(_ items: [T], key: (T) -> [Int], sameGroup: (T, T) -> Bool = { _, _ in true }) -> [T] {
        let keys = items.map(key)
        let order = keys.indices.sorted { keys[$0].lexicographicallyPrecedes(keys[$1]) || (keys[$0] == keys[$1] && $0 < $1) }
        var kept: [Int] = []
        for i in order {
            let k = keys[i]
            if kept.contains(where: { j in sameGroup(items[j], items[i]) && zip(keys[j], k).allSatisfy { $0 <= $1 } }) { continue }
            kept.append(i)
        }
        return kept.sorted().map { items[$0] }
    }

    /// Every legal linear option for `role`, engine by engine, for each schedule of `variants`
    /// (sequential and head-overlap share their timings; head-overlap adds a buffer).
    func linearOptions(_ template: DesignPoint, role: CostContext.EngineRole,
                       variants: [DesignPoint.Schedule]) -> (options: [[LinearOption]], minimum: [Device.Resources?]) {
        let s = context.shape
        let weightBits = max(s.weightBits, s.patchWeightBits)
        let engines = template.linearEngines
        let gelu = role != .msa && s.usesGELU
        let lanesList = (role == .msa ? space.msaLanes : space.lanes).sorted()
        let buffers = space.weightBuffers.filter { $0 != .uram || context.device.budget.uram > 0 }
        var groups: [(memory: Device.Memory, ports: [DesignPoint.WeightPorts])] = []
        for memory in context.device.memory {
            let ports = space.weightPorts.filter {
                $0.memory == memory.name && $0.channels >= 1
                    && Sat.mul(Sat.mul($0.channels, engines), template.instances) <= memory.channels
            }.sorted { $0.channels < $1.channels }
            if !ports.isEmpty { groups.append((memory, ports)) }
        }
        var portTallies: [DesignPoint.WeightPorts: ComponentCost.Tally] = [:]
        for ports in space.weightPorts { portTallies[ports] = context.portComponent(ports).tally }
        var timingDesign = template
        if variants.contains(.headOverlap) { timingDesign.schedule = .headOverlap }
        let passesList = (role != .msa && s.hasDense ? space.ffnPasses : [1])
            .filter { $0 >= 1 && $0 <= context.tokensPerGroup(template) }
        let pairs = space.tIn.filter { $0 >= 1 && $0 <= DesignSpace.maxTile }.flatMap { tIn in
            space.tOut.filter { $0 >= 1 && $0 <= DesignSpace.maxTile }.map { (tIn, $0) }
        }
        let chunks = concurrentMap(pairs.count) { index -> ([[LinearOption]], [Device.Resources?]) in
            let (tIn, tOut) = pairs[index]
            var result = [[LinearOption]](repeating: [], count: variants.count)
            var minimum = [Device.Resources?](repeating: nil, count: variants.count)
            func note(_ v: Int, _ r: Device.Resources) {
                minimum[v] = minimum[v].map { Self.minResources([$0, r]) } ?? r
            }
            let rowBits = Sat.mul(Sat.mul(tIn, tOut), weightBits)
            if !groups.contains(where: { rowBits % $0.memory.portBits == 0 }) { return (result, minimum) }
            for lanes in lanesList where lanes >= 1 && lanes <= DesignSpace.maxLanes {
                let engine = DesignPoint.LinearEngine(tIn: tIn, tOut: tOut, lanes: lanes)
                let core = context.linearCore(engine, role: role).tally
                if Sat.mul(core.dsp, template.instances) > constraints.limit.dsp {
                    // Too many DSPs, and more lanes only add more: record the smallest for the
                    // no-fit diagnostic and stop.
                    if lanes == lanesList.first {
                        for group in groups where rowBits % group.memory.portBits == 0 {
                            for ports in group.ports {
                                for v in variants.indices {
                                    var d = timingDesign
                                    d.schedule = variants[v]
                                    if role == .msa { d.msaLinear = engine } else { d.linear = engine }
                                    for buffer in buffers {
                                        d.weightBuffer = buffer
                                        d.weightPorts = ports
                                        note(v, context.linearComponent(engine, role: role, design: d).resources(context.fabric)
                                            .scaled(by: template.instances))
                                    }
                                }
                            }
                        }
                    }
                    break
                }
                var design = timingDesign
                if role == .msa { design.msaLinear = engine } else { design.linear = engine }
                let slabs = buffers.map { context.slabComponent(engine, role: role, storage: $0).tally }
                let activations = variants.map { schedule in
                    passesList.map { passes -> ComponentCost.Tally in
                        var d = design
                        d.schedule = schedule
                        d.ffnPasses = passes
                        return context.bufferComponent(engine, role: role, design: d).tally
                    }
                }
                for group in groups where rowBits % group.memory.portBits == 0 {
                    for ports in group.ports {
                        design.weightPorts = ports
                        let ctx = context.engineContext(engine, ports: ports, gelu: gelu)
                        let msa = role != .ffn ? context.msaProfile(ctx, design: design) : zeroMSA
                        let ffnBase = role != .msa ? context.ffnProfile(ctx, design: design) : zeroFFN
                        let port = portTallies[ports] ?? ComponentCost.Tally()
                        let ffns = passesList.map { passes -> FFNProfile in
                            var ffn = ffnBase
                            if passes != 1 { ffn.dense = context.denseRun(ctx, tokens: context.tokensPerGroup(design), passes: passes) }
                            return ffn
                        }
                        let timings = Timings(msa: msa, ffn: ffns)
                        for (pi, passes) in passesList.enumerated() {
                            for (bi, buffer) in buffers.enumerated() {
                                let fixed = core + slabs[bi] + port
                                for v in variants.indices {
                                    let resources = (fixed + activations[v][pi]).resources(context.fabric)
                                    note(v, resources.scaled(by: template.instances))
                                    guard constraints.fits(resources.scaled(by: template.instances)) else { continue }
                                    result[v].append(LinearOption(engine: engine, ports: ports, buffer: buffer, passes: passes,
                                                                  passIndex: pi, timings: timings, resources: resources))
                                }
                            }
                        }
                    }
                }
            }
            return (result, minimum)
        }
        let options = variants.indices.map { v in chunks.flatMap { $0.0[v] } }
        let minima = variants.indices.map { v -> Device.Resources? in
            let found = chunks.compactMap { $0.1[v] }
            return found.isEmpty ? nil : Self.minResources(found)
        }
        return (options, minima)
    }

    var zeroMSA: MSAProfile {
        MSAProfile(input: .zero, patch: .zero, qkv: .zero, qkvHeadEnds: Array(repeating: 0, count: context.shape.heads),
                   qkvHeads: .zero, proj: .zero)
    }

    var zeroFFN: FFNProfile { FFNProfile(dense: .zero, gateLinear: .zero, experts: .zero, classifier: .zero, output: .zero) }

    // MARK: Minima for bounds

    static func minRun(_ runs: [RunTime]) -> RunTime {
        RunTime(cycles: runs.map(\.cycles).min() ?? 0, stall: 0, portBusy: 0, bytes: 0)
    }

    func minMSA(_ options: [LinearOption]) -> MSAProfile {
        guard !options.isEmpty else { return zeroMSA }
        let heads = options[0].msa.qkvHeadEnds.indices.map { i in options.map { $0.msa.qkvHeadEnds[i] }.min()! }
        return MSAProfile(input: Self.minRun(options.map(\.msa.input)), patch: Self.minRun(options.map(\.msa.patch)),
                          qkv: Self.minRun(options.map(\.msa.qkv)), qkvHeadEnds: heads,
                          qkvHeads: Self.minRun(options.map(\.msa.qkvHeads)), proj: Self.minRun(options.map(\.msa.proj)))
    }

    func minFFN(_ options: [LinearOption]) -> FFNProfile {
        guard !options.isEmpty else { return zeroFFN }
        return FFNProfile(dense: Self.minRun(options.map(\.ffn.dense)), gateLinear: Self.minRun(options.map(\.ffn.gateLinear)),
                          experts: Self.minRun(options.map(\.ffn.experts)), classifier: Self.minRun(options.map(\.ffn.classifier)),
                          output: Self.minRun(options.map(\.ffn.output)))
    }

    static func minResources(_ list: [Device.Resources]) -> Device.Resources {
        guard let first = list.first else { return .zero }
        return list.dropFirst().reduce(first) { m, r in
            Device.Resources(lut: min(m.lut, r.lut), ff: min(m.ff, r.ff), bram18k: min(m.bram18k, r.bram18k),
                             dsp: min(m.dsp, r.dsp), uram: min(m.uram, r.uram))
        }
    }

    // MARK: Branch and bound

    /// Branch and bound over one configuration. With `boundOnly` it explores nothing and returns
    /// the smallest first-level bound (a lower bound on every design of the configuration);
    /// otherwise it returns the bound where the node budget stopped it (infinity when it did not).
    @discardableResult
    func explore(_ config: Config, _ p: Priced, _ state: inout State, boundOnly: Bool = false) -> Double {
        let s = context.shape
        let inst = config.instances
        let pipelined = config.schedule == .pipelined
        let headOverlap = config.schedule == .headOverlap
        let msaList = pipelined ? p.msa : p.shared
        let ffnList = pipelined ? p.ffn : p.shared
        if !boundOnly { noteMinimum(config, p, &state) }
        guard !msaList.isEmpty, !ffnList.isEmpty, !p.attention.isEmpty, !p.norm.isEmpty else { return .infinity }
        let dspLimit = constraints.limit.dsp / max(inst, 1)
        let timing = p.attention[0].profile.timing

        // Bounds within a DSP budget: timings and non-DSP resources of the best option that fits.
        func nonDSP(_ r: Device.Resources) -> [Int] { [r.lut, r.ff, r.bram18k, r.uram] }
        func withDSP(_ r: [Int], _ dsp: Int) -> Device.Resources {
            Device.Resources(lut: r[0], ff: r[1], bram18k: r[2], dsp: dsp, uram: r[3])
        }
        let attentionMinima = BudgetMinima(p.attention.map { ($0.resources.dsp, [$0.profile.all, $0.profile.perHead] + nonDSP($0.resources)) })
        let normMinima = BudgetMinima(p.norm.map { ($0.resources.dsp, [$0.profile.layer, $0.profile.final] + nonDSP($0.resources)) })
        let msaMinima = BudgetMinima(p.msa.map { ($0.resources.dsp, [$0.msa.input.cycles, $0.msa.patch.cycles, $0.msa.qkv.cycles,
                                                                       $0.msa.proj.cycles] + nonDSP($0.resources)) })
        let leastAttention = attentionMinima.leastDSP ?? 0, leastNorm = normMinima.leastDSP ?? 0
        let leastMSA = pipelined ? (msaMinima.leastDSP ?? 0) : 0

        func attentionBound(_ budget: Int) -> (AttentionProfile, Device.Resources)? {
            guard let k = attentionMinima.query(budget) else { return nil }
            return (AttentionProfile(all: k[0], perHead: k[1], timing: timing), withDSP(Array(k[2...]), leastAttention))
        }
        func normBound(_ budget: Int) -> (NormProfile, Device.Resources)? {
            guard let k = normMinima.query(budget) else { return nil }
            return (NormProfile(layer: k[0], final: k[1]), withDSP(Array(k[2...]), leastNorm))
        }
        func msaBound(_ budget: Int) -> (MSAProfile, Device.Resources)? {
            guard let k = msaMinima.query(budget) else { return nil }
            var m = zeroMSA
            m.input.cycles = k[0]
            m.patch.cycles = k[1]
            m.qkv.cycles = k[2]
            m.proj.cycles = k[3]
            return (m, withDSP(Array(k[4...]), leastMSA))
        }
        func total(_ m: MSAProfile, _ f: FFNProfile, _ a: AttentionProfile, _ n: NormProfile) -> Int {
            Composition.total(shape: s, schedule: config.schedule, msa: m, ffn: f, attention: a, norm: n, gateUnit: p.gateUnit)
        }
        func value(_ cycles: Int) -> Double {
            constraints.objective == .latency ? Double(cycles) : Double(cycles) / Double(inst * config.batch)
        }
        func pruned(_ bound: Double) -> Bool {
            state.collecting ? bound > state.frontLimit : bound >= (state.best?.value ?? .infinity)
        }
        func fits(_ r: Device.Resources) -> Bool { constraints.fits(r.scaled(by: inst)) }

        let base = p.base
        // Level 1: the FFN engine (pipelined) or the only engine, in ascending order of bound.
        var firstBounds: [(bound: Double, rest: Device.Resources)?] = []
        firstBounds.reserveCapacity(ffnList.count)
        for option in ffnList {
            let budget = dspLimit - option.resources.dsp - base.dsp
            var rest = Device.Resources.zero
            var m: MSAProfile = option.msa
            if pipelined {
                guard let (bm, br) = msaBound(budget - leastAttention - leastNorm) else { firstBounds.append(nil); continue }
                m = bm
                rest = rest + br
            }
            guard let (a, ar) = attentionBound(budget - leastNorm - leastMSA),
                  let (n, nr) = normBound(budget - leastAttention - leastMSA) else { firstBounds.append(nil); continue }
            rest = rest + ar + nr
            firstBounds.append((value(total(m, option.ffn, a, n)), rest))
        }
        var keyed: [(Double, Int)] = []
        keyed.reserveCapacity(ffnList.count)
        for (i, b) in firstBounds.enumerated() { if let b { keyed.append((b.bound, i)) } }
        keyed.sort { $0 < $1 }
        let order = keyed.map(\.1)
        let attentionOrder = p.attention.indices.sorted { i, j in
            let a = p.attention[i].profile, b = p.attention[j].profile
            let ka = headOverlap ? a.perHead : a.all, kb = headOverlap ? b.perHead : b.all
            return ka != kb ? ka < kb : i < j
        }
        let attentionSkip = DSPSkipList(dsp: attentionOrder.map { p.attention[$0].resources.dsp })
        let normOrder = p.norm.indices.sorted { p.norm[$0].profile.layer != p.norm[$1].profile.layer
            ? p.norm[$0].profile.layer < p.norm[$1].profile.layer : $0 < $1 }
        // Pipelined, level 2: the latency depends on an MSA option only through input + patch and
        // Q/K/V + projection (the MSA half is LN + Q/K/V + attention + projection), so with
        // input + patch at its minimum the bound is monotone in Q/K/V + projection: visit the
        // options in that order and stop at the first whose bound reaches the incumbent.
        // Options are grouped by (ports, slab storage), which the two engines share, and within a
        // group a skip list jumps over options that need more DSPs than the FFN option leaves.
        struct Group {
            var order: [Int]
            var skip: DSPSkipList
        }
        var msaKeys: [Int] = []
        var leastEntry = 0
        var groups: [String: Group] = [:]
        func groupKey(_ o: LinearOption) -> String { "\(o.ports.memory) \(o.ports.channels) \(o.buffer.rawValue)" }
        if pipelined {
            msaKeys = p.msa.map { Sat.add($0.msa.qkv.cycles, $0.msa.proj.cycles) }
            leastEntry = p.msa.map { Sat.add($0.msa.input.cycles, $0.msa.patch.cycles) }.min() ?? 0
            let order = p.msa.indices.sorted { msaKeys[$0] != msaKeys[$1] ? msaKeys[$0] < msaKeys[$1] : $0 < $1 }
            var members: [String: [Int]] = [:]
            for i in order { members[groupKey(p.msa[i]), default: []].append(i) }
            for (key, list) in members {
                groups[key] = Group(order: list, skip: DSPSkipList(dsp: list.map { p.msa[$0].resources.dsp }))
            }
        }
        let globalAttention = AttentionProfile(all: p.attention.map(\.profile.all).min() ?? 0,
                                               perHead: p.attention.map(\.profile.perHead).min() ?? 0, timing: timing)
        let globalNorm = NormProfile(layer: p.norm.map(\.profile.layer).min() ?? 0, final: p.norm.map(\.profile.final).min() ?? 0)
        var design0 = template(config)
        design0.instances = config.instances
        let engines = pipelined ? 2 : 1
        if boundOnly {
            for i in order {
                let f = ffnList[i]
                guard let (bound1, rest1) = firstBounds[i], let memory = context.memory(f.ports),
                      f.ports.channels * engines * inst <= memory.channels, fits(f.resources + base + rest1) else { continue }
                return bound1
            }
            return .infinity
        }
        for i in order {
            let f = ffnList[i]
            guard let (bound1, rest1) = firstBounds[i] else { continue }
            if pruned(bound1) { break }
            guard let memory = context.memory(f.ports), f.ports.channels * engines * inst <= memory.channels else { continue }
            state.nodes += 1
            if state.nodes > state.nodeLimit && (state.collecting || state.best != nil) {
                state.budgetHit = true
                state.openBound = min(state.openBound, bound1)
                return bound1
            }
            if !fits(f.resources + base + rest1) { continue }
            let budget1 = dspLimit - f.resources.dsp - base.dsp
            let group = pipelined ? groups[groupKey(f)] : nil
            if pipelined && group == nil { continue }
            let msaBudget = budget1 - leastAttention - leastNorm
            var position = 0
            while true {
                let second: Int
                if pipelined {
                    guard let g = group, let next = g.skip.next(from: position, budget: msaBudget) else { break }
                    position = next + 1
                    second = g.order[next]
                    var optimistic = zeroMSA
                    optimistic.input.cycles = leastEntry
                    optimistic.qkv.cycles = msaKeys[second]
                    if pruned(value(total(optimistic, f.ffn, globalAttention, globalNorm))) { break }
                } else {
                    if position > 0 { break }
                    position = 1
                    second = i
                }
                let m = pipelined ? p.msa[second] : f
                state.nodes += 1
                if state.nodes > state.nodeLimit && (state.collecting || state.best != nil) {
                    state.budgetHit = true
                    state.openBound = min(state.openBound, bound1)
                    return bound1
                }
                var design = design0
                design.linear = f.engine
                design.weightPorts = f.ports
                design.weightBuffer = f.buffer
                design.ffnPasses = f.passes
                var fixed = f.resources + base
                var budget2 = budget1
                if pipelined {
                    budget2 -= m.resources.dsp
                    guard let (a, ar) = attentionBound(budget2 - leastNorm), let (n, nr) = normBound(budget2 - leastAttention)
                    else { continue }
                    if pruned(value(total(m.msa, f.ffn, a, n))) { continue }
                    design.msaLinear = m.engine
                    var c = ComponentCost()
                    c.buffers = context.sharedResidualBuffers(design)
                    fixed = fixed + m.resources + c.resources(context.fabric)
                    if !fits(fixed + ar + nr) { continue }
                }
                let engineMSA = pipelined ? m.engine : f.engine
                guard let (nBound, nResources) = normBound(budget2 - leastAttention) else { continue }
                var attentionPosition = 0
                while let next = attentionSkip.next(from: attentionPosition, budget: budget2 - leastNorm) {
                    attentionPosition = next + 1
                    let a = p.attention[attentionOrder[next]]
                    state.nodes += 1
                    if a.engine.tA > engineMSA.tIn { continue }
                    if pruned(value(total(m.msa, f.ffn, a.profile, nBound))) { break }
                    if !fits(fixed + a.resources + nResources) { continue }
                    let budget3 = budget2 - a.resources.dsp
                    for ni in normOrder {
                        let n = p.norm[ni]
                        if n.lanes > engineMSA.tIn || n.lanes > f.engine.tIn || n.resources.dsp > budget3 { continue }
                        state.leaves += 1
                        state.nodes += 1
                        if state.nodes > state.nodeLimit && (state.collecting || state.best != nil) {
                            state.budgetHit = true
                            state.openBound = min(state.openBound, bound1)
                            return bound1
                        }
                        let cycles = total(m.msa, f.ffn, a.profile, n.profile)
                        let v = value(cycles)
                        if pruned(v) { break }
                        let resources = (fixed + a.resources + n.resources).scaled(by: inst)
                        noteClosest(resources, &state)
                        if !constraints.fits(resources) { continue }
                        var d = design
                        d.attention = a.engine
                        d.layerNormLanes = n.lanes
                        if state.collecting {
                            state.archive.offer(FrontPoint(design: d, cycles: cycles, value: v, resources: resources))
                        } else if state.best == nil || v < state.best!.value {
                            state.best = (v, cycles, d)
                        }
                    }
                }
            }
        }
        return .infinity
    }

    /// Records per-resource minima (for the no-fit diagnostic).
    func noteMinimum(_ config: Config, _ p: Priced, _ state: inout State) {
        var total = p.base + p.attentionMinimum + p.normMinimum
        for minimum in p.linearMinimum { total = total + minimum }
        total = total.scaled(by: config.instances)
        state.minimum = state.minimum.map { Self.minResources([$0, total]) } ?? total
    }

    func noteClosest(_ resources: Device.Resources, _ state: inout State) {
        let ratio = zip(resources.named, constraints.limit.named).map { r, l in
            l.value > 0 ? Double(r.value) / Double(l.value) : (r.value > 0 ? Double.infinity : 0)
        }.max() ?? 0
        if state.closest == nil || ratio < state.closest!.ratio { state.closest = (ratio, resources) }
    }
}
