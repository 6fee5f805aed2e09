/// Pricing of the linear engine options, the bulk of the exact search's pricing: every legal
/// (T_in, T_out, N_L, weight ports, slab storage, FFN passes) for one role, one engine shape
/// (T_in, T_out) per task of a concurrent map.
extension ExactSearch {
    /// Every legal linear option for `role`, engine by engine, for each schedule of `variants`
    /// (sequential and head-overlap share their timings; head-overlap adds a buffer), and the
    /// per-resource minima over every legal option before the cap (nil when there is none).
    func linearOptions(_ template: DesignPoint, role: CostContext.EngineRole,
                       variants: [DesignPoint.Schedule]) -> (options: [[LinearOption]], minimum: [Device.Resources?]) {
        let pricing = LinearPricing(self, template, role: role, variants: variants)
        let pairs = space.tIn.filter { $0 >= 1 && $0 <= DesignSpace.maxTile }.flatMap { tIn in
            space.tOut.filter { $0 >= 1 && $0 <= DesignSpace.maxTile }.map { (tIn, $0) }
        }
        let chunks = concurrentMap(pairs.count) { index in pricing.options(tIn: pairs[index].0, tOut: pairs[index].1) }
        let options = variants.indices.map { v in chunks.flatMap { $0.options[v] } }
        let minima = variants.indices.map { v -> Device.Resources? in
            let found = chunks.compactMap { $0.minimum[v] }
            return found.isEmpty ? nil : Self.minResources(found)
        }
        return (options, minima)
    }

    /// What pricing the linear options of one role shares across engine shapes: the space's
    /// lists filtered for the template, and the weight ports each memory can give every engine
    /// of every instance.
    struct LinearPricing {
        let search: ExactSearch
        let role: CostContext.EngineRole
        let variants: [DesignPoint.Schedule]
        /// The template, as head-overlap when that is a variant (whose timings serve sequential too).
        let timingDesign: DesignPoint
        let instances: Int
        let weightBits: Int
        let gelu: Bool
        /// N_L candidates, ascending.
        let lanesList: [Int]
        let buffers: [DesignPoint.WeightBuffer]
        let passesList: [Int]
        /// Each memory with legal ports, its ports by ascending channel count.
        let groups: [(memory: Device.Memory, ports: [DesignPoint.WeightPorts])]
        let portTallies: [DesignPoint.WeightPorts: ComponentCost.Tally]

        var context: CostContext { search.context }

        init(_ search: ExactSearch, _ template: DesignPoint, role: CostContext.EngineRole, variants: [DesignPoint.Schedule]) {
            let context = search.context, space = search.space, s = context.shape
            self.search = search
            self.role = role
            self.variants = variants
            instances = template.instances
            weightBits = max(s.weightBits, s.patchWeightBits)
            gelu = role != .msa && s.usesGELU
            lanesList = (role == .msa ? space.msaLanes : space.lanes).sorted()
            buffers = space.weightBuffers.filter { $0 != .uram || context.device.budget.uram > 0 }
            let engines = template.linearEngines
            var groups: [(memory: Device.Memory, ports: [DesignPoint.WeightPorts])] = []
            for memory in context.device.memory {
                let ports = space.weightPorts.filter {
                    $0.memory == memory.name && $0.channels >= 1
                        && Sat.mul(Sat.mul($0.channels, engines), template.instances) <= memory.channels
                }.sorted { $0.channels < $1.channels }
                if !ports.isEmpty { groups.append((memory, ports)) }
            }
            self.groups = groups
            var portTallies: [DesignPoint.WeightPorts: ComponentCost.Tally] = [:]
            for ports in space.weightPorts { portTallies[ports] = context.portComponent(ports).tally }
            self.portTallies = portTallies
            var timingDesign = template
            if variants.contains(.headOverlap) { timingDesign.schedule = .headOverlap }
            self.timingDesign = timingDesign
            passesList = (role != .msa && s.hasDense ? space.ffnPasses : [1])
                .filter { $0 >= 1 && $0 <= context.tokensPerGroup(template) }
        }

        /// The options of one engine shape within the cap, and the per-resource minima over every
        /// legal one (for all instances), for each variant.
        struct Chunk {
            var options: [[LinearOption]]
            var minimum: [Device.Resources?]

            init(variants: Int) {
                options = Array(repeating: [], count: variants)
                minimum = Array(repeating: nil, count: variants)
            }

            mutating func note(_ variant: Int, _ resources: Device.Resources) {
                minimum[variant] = minimum[variant].map { $0.elementwiseMin(resources) } ?? resources
            }
        }

        /// Prices the engines T_in x T_out x N_L for every N_L, up to the first over the DSP cap.
        func options(tIn: Int, tOut: Int) -> Chunk {
            var chunk = Chunk(variants: variants.count)
            let rowBits = Sat.mul(Sat.mul(tIn, tOut), weightBits)
            if !groups.contains(where: { rowBits % $0.memory.portBits == 0 }) { return chunk }
            for lanes in lanesList where lanes >= 1 && lanes <= DesignSpace.maxLanes {
                let engine = DesignPoint.LinearEngine(tIn: tIn, tOut: tOut, lanes: lanes)
                let core = context.linearCore(engine, role: role).tally
                if Sat.mul(core.dsp, instances) > search.constraints.limit.dsp {
                    // Too many DSPs, and more lanes only add more: record the smallest for the
                    // no-fit diagnostic and stop.
                    if lanes == lanesList.first { noteOverCap(engine, rowBits: rowBits, &chunk) }
                    break
                }
                addOptions(engine, core: core, rowBits: rowBits, &chunk)
            }
            return chunk
        }

        /// Notes the resources of `engine`, whose DSPs alone exceed the cap, with every port
        /// choice, variant and slab storage.
        func noteOverCap(_ engine: DesignPoint.LinearEngine, rowBits: Int, _ chunk: inout Chunk) {
            for group in groups where rowBits % group.memory.portBits == 0 {
                for ports in group.ports {
                    for v in variants.indices {
                        var d = timingDesign
                        d.schedule = variants[v]
                        if role == .msa { d.msaLinear = engine } else { d.linear = engine }
                        for buffer in buffers {
                            d.weightBuffer = buffer
                            d.weightPorts = ports
                            chunk.note(v, context.linearComponent(engine, role: role, design: d).resources(context.fabric)
                                .scaled(by: instances))
                        }
                    }
                }
            }
        }

        /// Adds the options of `engine` (grid tally `core`) that fit the cap, for every port choice,
        /// number of FFN passes, slab storage and variant, and notes the resources of each.
        func addOptions(_ engine: DesignPoint.LinearEngine, core: ComponentCost.Tally, rowBits: Int, _ chunk: inout Chunk) {
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
                    let timings = self.timings(engine, design: design)
                    let port = portTallies[ports] ?? ComponentCost.Tally()
                    for (pi, passes) in passesList.enumerated() {
                        for (bi, buffer) in buffers.enumerated() {
                            let fixed = core + slabs[bi] + port
                            for v in variants.indices {
                                let resources = (fixed + activations[v][pi]).resources(context.fabric)
                                chunk.note(v, resources.scaled(by: instances))
                                guard search.constraints.fits(resources.scaled(by: instances)) else { continue }
                                chunk.options[v].append(LinearOption(engine: engine, ports: ports, buffer: buffer, passes: passes,
                                                                     passIndex: pi, timings: timings, resources: resources))
                            }
                        }
                    }
                }
            }
        }

        /// The MSA and FFN timings of `engine` on `design`'s weight ports, the FFN side for each
        /// number of passes.
        func timings(_ engine: DesignPoint.LinearEngine, design: DesignPoint) -> Timings {
            let ctx = context.engineContext(engine, ports: design.weightPorts, gelu: gelu)
            let msa = role != .ffn ? context.msaProfile(ctx, design: design) : search.zeroMSA
            let ffnBase = role != .msa ? context.ffnProfile(ctx, design: design) : search.zeroFFN
            let ffns = passesList.map { passes -> FFNProfile in
                var ffn = ffnBase
                if passes != 1 { ffn.dense = context.denseRun(ctx, tokens: context.tokensPerGroup(design), passes: passes) }
                return ffn
            }
            return Timings(msa: msa, ffn: ffns)
        }
    }
}
