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
///
/// This file runs the two passes; the pricing of configurations and component options is in
/// ExactSearch+Pricing.swift (linear options in ExactSearch+LinearOptions.swift), the bounds in
/// ExactSearch+Bounds.swift and the branch and bound in ExactSearch+Exploration.swift.
struct ExactSearch {
    let context: CostContext
    let space: DesignSpace
    let constraints: SearchConstraints
    let options: SearchOptions
    let progress: (String) -> Void

    /// Search state shared by both passes.
    struct State {
        /// The incumbent: the best design found so far (first pass).
        var best: (value: Double, cycles: Int, design: DesignPoint)? = nil
        /// The Pareto front collected in the second pass.
        var archive = ParetoArchive()
        /// Second pass: the largest objective value the front covers.
        var frontLimit = Double.infinity
        /// Whether this is the second pass, which offers designs to `archive` instead of `best`.
        var collecting = false
        var nodes = 0
        var leaves = 0
        var budgetHit = false
        /// The smallest bound of the subtrees the node budget left unexplored.
        var openBound = Double.infinity
        /// Nodes this pass may visit.
        var nodeLimit = Int.max
        /// Per-resource minima over the space, and the design closest to fitting (for the no-fit
        /// diagnostic).
        var minimum: Device.Resources? = nil
        var closest: (ratio: Double, resources: Device.Resources)? = nil
    }

    /// Nodes the first pass may visit: `auto`'s budget, unlimited for `exact`.
    var budget: Int { options.strategy == .auto ? options.nodeBudget : Int.max }

    /// The optimum (first pass), then the Pareto front within `options.frontSlack` of it
    /// (second pass), over the same configurations and priced components.
    func run() throws(DiagnosticError) -> SearchResult {
        let configs = outerConfigs()
        progress("exact: \(configs.count) configurations of schedule, batch and instances")
        var pricing = PricingCache()
        let state = optimumPass(configs, &pricing)
        guard let best = state.best else {
            throw Search.noFit(context, constraints, minimum: state.minimum ?? .zero, closest: state.closest?.resources)
        }
        progress("exact: optimum \(Format.count(best.cycles)) cycles after \(Format.count(state.nodes)) nodes; "
                 + "collecting the Pareto front within \(Format.fixed(options.frontSlack * 100, 0))%")
        let frontState = frontPass(configs, after: state, optimum: best.value, &pricing)
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
                            optimal: !state.budgetHit, lowerBound: min(best.value, state.openBound),
                            evaluated: state.leaves + frontState.leaves, spaceSize: space.size,
                            front: frontState.archive.front(best: best.value, slack: options.frontSlack),
                            frontComplete: !frontState.budgetHit, frontSlack: options.frontSlack, notes: notes)
    }

    /// First pass: the optimum over `configs` in ascending order of floor, skipping those whose
    /// floor reaches the incumbent. Once the node budget runs out the remaining configurations
    /// are only bounded.
    func optimumPass(_ configs: [Config], _ pricing: inout PricingCache) -> State {
        var state = State()
        state.nodeLimit = budget
        for config in configs {
            if let best = state.best, config.floor >= best.value { continue }
            if state.nodes >= budget && state.best != nil {
                // Out of budget: the configuration's best is at least its first-level bound (pricing
                // it if needed, which is cheap next to exploring it).
                state.budgetHit = true
                let bound = max(config.floor, explore(config, pricing.priced(config, by: self), &state, boundOnly: true))
                state.openBound = min(state.openBound, bound)
                continue
            }
            explore(config, pricing.priced(config, by: self), &state)
        }
        return state
    }

    /// Second pass: the Pareto front within the slack of the first pass's `optimum`, with its own
    /// node budget (`options.frontBudget`).
    func frontPass(_ configs: [Config], after state: State, optimum: Double, _ pricing: inout PricingCache) -> State {
        var frontState = state
        frontState.collecting = true
        frontState.frontLimit = optimum * (1 + options.frontSlack)
        frontState.nodes = 0
        frontState.budgetHit = false
        frontState.openBound = .infinity
        frontState.nodeLimit = options.frontBudget
        for config in configs where config.floor <= frontState.frontLimit {
            if frontState.nodes >= options.frontBudget { frontState.budgetHit = true; break }
            explore(config, pricing.priced(config, by: self), &frontState)
        }
        return frontState
    }
}

extension ExactSearch.State {
    /// Whether a subtree whose designs are at best `bound` can be skipped: in the first pass when
    /// it cannot beat the incumbent, when collecting the front when it lies outside the front's slack.
    func prunes(_ bound: Double) -> Bool {
        collecting ? bound > frontLimit : bound >= (best?.value ?? .infinity)
    }

    /// Counts a node. Past the pass's node limit (once there is a result to return) it records
    /// `bound` as open and returns true: the search stops.
    mutating func countNode(stoppingAt bound: Double) -> Bool {
        nodes += 1
        guard nodes > nodeLimit && (collecting || best != nil) else { return false }
        budgetHit = true
        openBound = min(openBound, bound)
        return true
    }

    /// A design that fits: an incumbent candidate in the first pass, a front candidate in the second.
    mutating func offer(_ design: DesignPoint, cycles: Int, value: Double, resources: Device.Resources) {
        if collecting {
            archive.offer(FrontPoint(design: design, cycles: cycles, value: value, resources: resources))
        } else if best == nil || value < best!.value {
            best = (value, cycles, design)
        }
    }
}
