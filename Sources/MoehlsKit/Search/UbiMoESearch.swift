/// UbiMoE's two-stage heuristic (ISCAS'25), reproduced as the paper describes it, as a baseline.
///
/// UbiMoE's design is C = [num, T_a, N_a, T_in, T_out, N_L] on its own architecture: an MSA kernel
/// (LayerNorm, a single-lane T_in x T_out linear unit, the streaming attention) and an FFN kernel
/// (LayerNorm, a T_in x T_out x N_L linear unit, the gate and experts) working on two images in
/// alternation. Here that is the `pipelined` schedule with batch 2, `msa_linear` = T_in x T_out x 1,
/// `linear` = T_in x T_out x N_L, UbiMoE's 8 LayerNorm lanes, BRAM slabs and, per engine, half of
/// the first memory's channels. T_in and T_out are multiples of the weights in one memory beat
/// (UbiMoE asserts multiples of 16 for its 256-bit beats).
///
/// 1. Linear block: every (T_in, T_out, N_L) with the smallest attention block; keep the lowest
///    L_MoE (the slowest FFN-kernel layer) whose design fits the cap.
/// 2. Attention block: a genetic algorithm over (T_a, N_a), seeded (`--seed`): population 16,
///    two elites, binary tournaments, uniform crossover, a one-step mutation with probability 0.25;
///    fitness L_MoE / L_MSA for designs that fit (0 otherwise). It stops at the first generation whose
///    best individual has fitness >= 1 (attention no slower than the FFN kernel), or after 40.
/// 3. Binary search of N_L back down: the smallest N_L whose L_MoE is still at most L_MSA, which
///    frees resources without slowing the slower stage.
/// 4. num: 1 for latency; for throughput the most instances that fit the cap and the channels.
///
/// When it is not optimal: always possibly. It fixes the schedule, the batch and every parameter
/// UbiMoE does not have; stage 1 sizes the linear block against a minimal attention block, so the
/// resources stage 2 can use are whatever stage 1 left; the GA samples a small space and stops at
/// the first balanced design, not the fastest one; and balancing the stages is not the same as
/// minimising latency. `moehls bench search` reports its gap to the exact optimum.
struct UbiMoESearch {
    let context: CostContext
    let space: DesignSpace
    let constraints: SearchConstraints
    let options: SearchOptions
    let progress: (String) -> Void

    /// Stage latencies of a design: the MSA kernel's per-layer time and the slowest FFN layer.
    func stages(_ design: DesignPoint) -> (msa: Int, moe: Int) {
        let c = context
        let msaEngine = c.engineContext(design.msaEngine, ports: design.weightPorts, gelu: false)
        let ffnEngine = c.engineContext(design.linear, ports: design.weightPorts, gelu: c.shape.usesGELU)
        let m = c.msaProfile(msaEngine, design: design)
        let f = c.ffnProfile(ffnEngine, design: design)
        let a = c.attentionProfile(design.attention, design: design)
        let n = c.normProfile(lanes: design.layerNormLanes, design: design)
        let gate = c.gateUnit(design)
        let msa = Composition.msa(design.schedule, m, a, n)
        var moe = 0
        if c.shape.hasDense { moe = max(moe, Composition.ffn(.dense, f, gateUnit: gate, n)) }
        if c.shape.hasMoE { moe = max(moe, Composition.ffn(.moe, f, gateUnit: gate, n)) }
        return (msa, moe)
    }

    func legal(_ design: DesignPoint) -> Bool {
        DesignSpace.violations(design, context).isEmpty && constraints.fits(context.resources(design))
    }

    func run() throws(DiagnosticError) -> SearchResult {
        let s = context.shape
        guard s.hasFFN else {
            throw DiagnosticError([.error("strategy ubimoe needs an FFN half (kind vit or moe-vit): UbiMoE pipelines MSA and FFN kernels")])
        }
        guard let memory = context.device.memory.first else {
            throw DiagnosticError([.error("\(context.device.name) has no off-chip memory")])
        }
        var channels = 1
        while channels * 4 <= memory.channels { channels *= 2 }
        let ports = DesignPoint.WeightPorts(memory: memory.name, channels: channels)
        let weightBits = max(s.weightBits, s.patchWeightBits)
        // UbiMoE moves weights in 256-bit beats on every board: 16 weights of 16 bits.
        let beat = max(256 / max(weightBits, 1), 1)
        var tiles = space.tIn.filter { $0 % beat == 0 }
        if tiles.isEmpty { tiles = space.tIn }
        let tOuts = space.tOut.filter { $0 % beat == 0 }.isEmpty ? space.tOut : space.tOut.filter { $0 % beat == 0 }
        let tAs = space.tA.filter { s.headDim % $0 == 0 }.sorted()
        let rows = space.attentionRows.filter { $0 >= 1 && $0 < s.tokens }.sorted()
        guard !tAs.isEmpty, !rows.isEmpty else {
            throw DiagnosticError([.error("strategy ubimoe: no legal attention block in the space")])
        }
        let lnLanes = (space.layerNormLanes.filter { $0 <= 8 && s.embedDim % $0 == 0 }.max()) ?? 1
        func design(_ tIn: Int, _ tOut: Int, _ lanes: Int, _ tA: Int, _ nA: Int) -> DesignPoint {
            DesignPoint(schedule: .pipelined, instances: 1, batch: 2, linear: .init(tIn: tIn, tOut: tOut, lanes: lanes),
                        msaLinear: .init(tIn: tIn, tOut: tOut, lanes: 1), attention: .init(tA: tA, rows: nA),
                        layerNormLanes: min(lnLanes, tIn), ffnPasses: 1, weightBuffer: .bram, weightPorts: ports)
        }
        var evaluated = 0

        // Stage 1: the linear block against the smallest attention block.
        progress("ubimoe: stage 1, sizing the linear block")
        var stage1: (moe: Int, tIn: Int, tOut: Int, lanes: Int)? = nil
        for tIn in tiles {
            for tOut in tOuts {
                for lanes in space.lanes.sorted() {
                    let d = design(tIn, tOut, lanes, min(tAs[0], tIn), rows[0])
                    evaluated += 1
                    guard legal(d) else { continue }
                    let moe = stages(d).moe
                    if stage1 == nil || moe < stage1!.moe { stage1 = (moe, tIn, tOut, lanes) }
                }
            }
        }
        guard let linear = stage1 else {
            let smallest = context.resources(design(tiles.min() ?? 1, tOuts.min() ?? 1, 1, tAs[0], rows[0]))
            throw Search.noFit(context, constraints, minimum: smallest, closest: nil)
        }

        // Stage 2: genetic algorithm over (T_a, N_a) with fitness L_MoE / L_MSA.
        progress("ubimoe: stage 2, genetic algorithm on the attention block (seed \(options.seed))")
        var rng = SplitMix64(seed: options.seed)
        struct Gene: Hashable { var a: Int; var r: Int }
        var cache: [Gene: Double] = [:]
        func fitness(_ g: Gene) -> Double {
            if let f = cache[g] { return f }
            let d = design(linear.tIn, linear.tOut, linear.lanes, tAs[g.a], rows[g.r])
            evaluated += 1
            var f = 0.0
            if legal(d) {
                let st = stages(d)
                f = Double(st.moe) / Double(max(st.msa, 1))
            }
            cache[g] = f
            return f
        }
        func random(_ n: Int) -> Int { Int(rng.next(below: UInt64(n))) }
        var population = (0..<16).map { _ in Gene(a: random(tAs.count), r: random(rows.count)) }
        var best = population[0]
        for generation in 0..<40 {
            let ranked = population.sorted { (fitness($0), $0.a, $0.r) > (fitness($1), $1.a, $1.r) }
            best = ranked[0]
            if fitness(best) >= 1 {
                progress("ubimoe: attention no slower than the FFN kernel at generation \(generation)")
                break
            }
            var next = Array(ranked.prefix(2))
            func tournament() -> Gene {
                let x = population[random(population.count)], y = population[random(population.count)]
                return fitness(x) >= fitness(y) ? x : y
            }
            while next.count < population.count {
                let p1 = tournament(), p2 = tournament()
                var child = Gene(a: random(2) == 0 ? p1.a : p2.a, r: random(2) == 0 ? p1.r : p2.r)
                if rng.nextDouble() < 0.25 {
                    if random(2) == 0 {
                        child.a = max(0, min(tAs.count - 1, child.a + (random(2) == 0 ? -1 : 1)))
                    } else {
                        child.r = max(0, min(rows.count - 1, child.r + (random(2) == 0 ? -1 : 1)))
                    }
                }
                next.append(child)
            }
            population = next
        }
        if fitness(best) == 0 {
            best = Gene(a: 0, r: 0)
        }

        // Stage 3: binary search of N_L back down to the slower stage.
        progress("ubimoe: stage 3, binary search of the linear lanes")
        let tA = tAs[best.a], nA = rows[best.r]
        var chosen = design(linear.tIn, linear.tOut, linear.lanes, tA, nA)
        if !legal(chosen) { chosen = design(linear.tIn, linear.tOut, linear.lanes, tAs[0], rows[0]) }
        let msaStage = stages(chosen).msa
        var low = 1, high = linear.lanes
        while low < high {
            let mid = (low + high) / 2
            let d = design(linear.tIn, linear.tOut, mid, chosen.attention.tA, chosen.attention.rows)
            evaluated += 1
            if legal(d) && stages(d).moe <= msaStage { high = mid } else { low = mid + 1 }
        }
        let trimmed = design(linear.tIn, linear.tOut, low, chosen.attention.tA, chosen.attention.rows)
        if legal(trimmed) { chosen = trimmed }

        // num: replicate for throughput while the cap and the channels allow.
        if constraints.objective == .throughput {
            for count in space.instances.sorted() where count > 1 {
                var d = chosen
                d.instances = count
                if legal(d) { chosen = d }
            }
        }
        let estimate = try CostModel.estimate(chosen, context)
        return SearchResult(strategy: .ubimoe, objective: constraints.objective, cap: constraints.cap, best: estimate,
                            optimal: false, lowerBound: 0, evaluated: evaluated, spaceSize: space.size,
                            front: [FrontPoint(design: chosen, cycles: estimate.latencyCycles,
                                               value: estimate.value(constraints.objective), resources: estimate.resources)],
                            frontComplete: false, frontSlack: 0,
                            notes: ["heuristic: no optimality claim; stage 1 L_MoE \(Format.count(linear.moe)) cycles, "
                                    + "final L_MSA \(Format.count(stages(chosen).msa)), L_MoE \(Format.count(stages(chosen).moe))"])
    }
}
