/// Brute-force enumeration: every point of the space, legal or not, priced with the full
/// `CostModel.estimate`. The reference the exact search is tested against; refuses spaces larger
/// than `SearchOptions.bruteLimit`. Always optimal over the space it is given.
struct BruteForceSearch {
    let context: CostContext
    let space: DesignSpace
    let constraints: SearchConstraints
    let options: SearchOptions
    let progress: (String) -> Void

    /// Calls `body` with every point of `space` (legal or not), in a fixed order.
    static func forEachPoint(_ space: DesignSpace, _ body: (DesignPoint) -> Void) {
        for schedule in space.schedules {
            for batch in space.batches {
                for instances in space.instances {
                    for passes in space.ffnPasses {
                        for tIn in space.tIn {
                            for tOut in space.tOut {
                                for lanes in space.lanes {
                                    let engine = DesignPoint.LinearEngine(tIn: tIn, tOut: tOut, lanes: lanes)
                                    var msaEngines: [DesignPoint.LinearEngine?] = [nil]
                                    if schedule == .pipelined {
                                        msaEngines = space.tIn.flatMap { i in space.tOut.flatMap { o in
                                            space.msaLanes.map { DesignPoint.LinearEngine(tIn: i, tOut: o, lanes: $0) } } }
                                    }
                                    for msa in msaEngines {
                                        for tA in space.tA {
                                            for rows in space.attentionRows {
                                                for norm in space.layerNormLanes {
                                                    for buffer in space.weightBuffers {
                                                        for ports in space.weightPorts {
                                                            body(DesignPoint(
                                                                schedule: schedule, instances: instances, batch: batch,
                                                                linear: engine, msaLinear: msa,
                                                                attention: .init(tA: tA, rows: rows), layerNormLanes: norm,
                                                                ffnPasses: passes, weightBuffer: buffer, weightPorts: ports))
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    func run() throws(DiagnosticError) -> SearchResult {
        let size = space.size
        guard size <= options.bruteLimit else {
            throw DiagnosticError([.error("strategy brute refuses a space of \(Format.count(size)) points "
                                          + "(limit \(Format.count(options.bruteLimit))); use exact")])
        }
        progress("brute force: pricing \(Format.count(size)) points")
        var best: (value: Double, estimate: Estimate)? = nil
        var archive = ParetoArchive()
        var feasible: [(Double, FrontPoint)] = []
        var minimum: Device.Resources? = nil
        var evaluated = 0
        Self.forEachPoint(space) { design in
            guard DesignSpace.violations(design, context).isEmpty,
                  let estimate = try? CostModel.estimate(design, context) else { return }
            evaluated += 1
            let r = estimate.resources
            minimum = minimum.map { m in Device.Resources(lut: min(m.lut, r.lut), ff: min(m.ff, r.ff),
                                                          bram18k: min(m.bram18k, r.bram18k), dsp: min(m.dsp, r.dsp),
                                                          uram: min(m.uram, r.uram)) } ?? r
            guard constraints.fits(r), !estimate.isSaturated else { return }
            let value = estimate.value(constraints.objective)
            if best == nil || value < best!.value { best = (value, estimate) }
            feasible.append((value, FrontPoint(design: design, cycles: estimate.latencyCycles, value: value, resources: r)))
        }
        guard let best else {
            throw Search.noFit(context, constraints, minimum: minimum ?? .zero, closest: nil)
        }
        for (value, point) in feasible where value <= best.value * (1 + options.frontSlack) { archive.offer(point) }
        var chosen = best.estimate
        if let preferred = archive.preferredOptimum(limit: constraints.limit), preferred.value == best.value {
            chosen = try CostModel.estimate(preferred.design, context)
        }
        return SearchResult(strategy: .brute, objective: constraints.objective, cap: constraints.cap, best: chosen,
                            optimal: true, lowerBound: best.value, evaluated: evaluated, spaceSize: size,
                            front: archive.front(best: best.value, slack: options.frontSlack), frontComplete: true,
                            frontSlack: options.frontSlack,
                            notes: ["every point of the space priced"])
    }
}
