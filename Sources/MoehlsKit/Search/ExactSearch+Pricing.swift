/// Pricing for the exact search: the outer configurations (schedule, batch, instances) and, per
/// (schedule, batch), every legal option of each component with its timings and its resources
/// for one instance. Options that exceed the cap alone are dropped, and so are attention options
/// that another matches or beats everywhere; the per-resource minima over every legal option are
/// kept for the no-fit diagnostic.
extension ExactSearch {
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

        /// What bounds the option and what the Pareto filter compares.
        var cost: AttentionCost { AttentionCost(all: profile.all, perHead: profile.perHead, resources: resources) }
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

    /// Priced components per (schedule, batch), priced on first use. Components are priced for
    /// one instance and shared by every instance count: only the cap and the channels per
    /// instance differ.
    struct PricingCache {
        private var priced: [PricingKey: Priced] = [:]

        mutating func priced(_ config: Config, by search: ExactSearch) -> Priced {
            if let p = priced[config.key] { return p }
            let p = search.price(config, sibling: &priced)
            priced[config.key] = p
            return p
        }
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
        p.attention = Self.paretoFilter(p.attention, key: \.cost)
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

    /// Keeps the items whose `key` no other item's dominates (of exact duplicates, the first).
    /// Sound because the latency never decreases when a timing grows and resources only add.
    static func paretoFilter<T, Key: ParetoCoordinates>(_ items: [T], key: (T) -> Key) -> [T] {
        let keys = items.map(key)
        // A dominating key comes first in this order, so one pass against the kept keys suffices.
        let order = keys.indices.sorted { keys[$0].precedes(keys[$1]) || (keys[$0] == keys[$1] && $0 < $1) }
        var kept: [Int] = []
        for i in order {
            if kept.contains(where: { keys[$0].dominates(keys[i]) }) { continue }
            kept.append(i)
        }
        return kept.sorted().map { items[$0] }
    }

    var zeroMSA: MSAProfile {
        MSAProfile(input: .zero, patch: .zero, qkv: .zero, qkvHeadEnds: Array(repeating: 0, count: context.shape.heads),
                   qkvHeads: .zero, proj: .zero)
    }

    var zeroFFN: FFNProfile { FFNProfile(dense: .zero, gateLinear: .zero, experts: .zero, classifier: .zero, output: .zero) }
}

/// Coordinates compared for Pareto dominance, lower being better in each.
protocol ParetoCoordinates: Equatable {
    /// Whether no coordinate exceeds `other`'s (weak dominance).
    func dominates(_ other: Self) -> Bool
    /// A total order that puts every value before the other values it dominates.
    func precedes(_ other: Self) -> Bool
}
