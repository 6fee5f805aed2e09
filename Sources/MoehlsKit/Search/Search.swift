import Foundation

/// What the search minimises.
public enum SearchObjective: String, Hashable, Codable, Sendable, CaseIterable {
    /// Cycles of one pass (latency per image; every image of a batch finishes with the pass).
    case latency
    /// Cycles per image over all instances: `cycles / (instances * batch)`.
    case throughput
}

/// The search strategies (docs/design-space.md, "Search strategies").
public enum SearchStrategy: String, Hashable, Codable, Sendable, CaseIterable {
    /// Branch and bound with a node budget: the exact optimum when the budget suffices (it does
    /// for the shipped examples), otherwise the best design found and a proven bound on the gap.
    case auto
    /// Branch and bound without a budget: the optimum of the cost model and the Pareto front.
    case exact
    /// UbiMoE's two-stage heuristic (linear block, genetic algorithm on attention, binary search back).
    case ubimoe
    /// Every point of the space priced with `CostModel.estimate` (small spaces only; tests).
    case brute
}

/// Utilisation cap and objective shared by every strategy.
public struct SearchConstraints: Hashable, Sendable {
    /// Fraction of each budget resource a design may use (0 < cap <= 1).
    public var cap: Double
    public var objective: SearchObjective
    /// The capped budget.
    public var limit: Device.Resources

    public init(device: Device, cap: Double, objective: SearchObjective) {
        self.cap = cap
        self.objective = objective
        limit = .capped(device.budget, cap: cap)
    }

    /// Whether `resources` fit the capped budget.
    public func fits(_ resources: Device.Resources) -> Bool { resources.fits(limit) }

    /// The objective value of a pass of `cycles` for `design` (lower is better).
    public func value(cycles: Int, design: DesignPoint) -> Double {
        objective == .latency ? Double(cycles) : Double(cycles) / Double(max(design.instances, 1) * max(design.batch, 1))
    }
}

/// Knobs of a search run.
public struct SearchOptions: Hashable, Sendable {
    public var strategy: SearchStrategy
    public var objective: SearchObjective
    public var cap: Double
    /// Seed of the `ubimoe` genetic algorithm.
    public var seed: UInt64
    /// Nodes `auto` may visit before it stops with a bound (deterministic, unlike a time limit).
    public var nodeBudget: Int
    /// The Pareto front covers designs within this fraction of the optimum's objective.
    public var frontSlack: Double
    /// Largest space `brute` agrees to enumerate.
    public var bruteLimit: Int
    /// Nodes the Pareto-front pass may visit (any strategy); past it the front is marked partial.
    public var frontBudget: Int

    public init(strategy: SearchStrategy = .auto, objective: SearchObjective = .latency, cap: Double = 0.8,
                seed: UInt64 = 1, nodeBudget: Int = 2_000_000, frontSlack: Double = 0.10, bruteLimit: Int = 2_000_000,
                frontBudget: Int = 1_000_000) {
        self.strategy = strategy
        self.objective = objective
        self.cap = cap
        self.seed = seed
        self.nodeBudget = nodeBudget
        self.frontSlack = frontSlack
        self.bruteLimit = bruteLimit
        self.frontBudget = frontBudget
    }
}

/// One point of the Pareto front: objective against DSP, BRAM and LUT.
public struct FrontPoint: Hashable, Codable, Sendable {
    public var design: DesignPoint
    public var cycles: Int
    public var value: Double
    public var resources: Device.Resources
}

/// What a search returns.
public struct SearchResult: Sendable {
    public var strategy: SearchStrategy
    public var objective: SearchObjective
    public var cap: Double
    /// The best design, priced in full.
    public var best: Estimate
    /// Whether `best` is proven optimal over `space`.
    public var optimal: Bool
    /// Proven lower bound on the objective over the space (equals the best's value when optimal).
    public var lowerBound: Double
    /// Designs priced (leaves of the search).
    public var evaluated: Int
    /// Points in the legal space searched.
    public var spaceSize: Int
    /// Non-dominated designs (objective, DSP, BRAM, LUT) within `frontSlack` of the optimum, best first.
    public var front: [FrontPoint]
    /// Whether the front is complete within its slack (false when a budget cut it short).
    public var frontComplete: Bool
    /// The slack the front was collected with.
    public var frontSlack: Double
    /// Notes from the strategy (what it fixed, what it could not prove).
    public var notes: [String]

    /// `(value - lowerBound) / value`: 0 when optimal.
    public var gap: Double {
        let value = best.value(objective)
        return value > 0 ? max(0, (value - lowerBound) / value) : 0
    }
}

extension Estimate {
    /// The objective value of this estimate.
    public func value(_ objective: SearchObjective) -> Double {
        objective == .latency ? Double(latencyCycles)
            : Double(latencyCycles) / Double(max(design.instances, 1) * max(design.batch, 1))
    }
}

/// The entry point of the search stage.
public enum Search {
    /// Runs `options.strategy` over `space` (the full legal space when nil). Progress goes to
    /// `progress`; throws a diagnostic when no design fits, naming the binding resource.
    public static func run(_ context: CostContext, space: DesignSpace? = nil, options: SearchOptions,
                           progress: @escaping (String) -> Void = { _ in }) throws(DiagnosticError) -> SearchResult {
        guard options.cap > 0, options.cap <= 1 else {
            throw DiagnosticError([.error("--cap must be in (0, 1], found \(options.cap)")])
        }
        let space = space ?? DesignSpace.full(context, objective: options.objective)
        let constraints = SearchConstraints(device: context.device, cap: options.cap, objective: options.objective)
        switch options.strategy {
        case .auto, .exact:
            return try ExactSearch(context: context, space: space, constraints: constraints, options: options,
                                   progress: progress).run()
        case .ubimoe:
            return try UbiMoESearch(context: context, space: space, constraints: constraints, options: options,
                                    progress: progress).run()
        case .brute:
            return try BruteForceSearch(context: context, space: space, constraints: constraints, options: options,
                                        progress: progress).run()
        }
    }

    /// The diagnostic for an empty feasible set: which resources even the smallest legal design
    /// exceeds (`minimum` holds per-resource minima over the space), or, when each fits alone,
    /// the resources of the closest design found.
    static func noFit(_ context: CostContext, _ constraints: SearchConstraints, minimum: Device.Resources,
                      closest: Device.Resources?) -> DiagnosticError {
        let cap = Format.fixed(constraints.cap * 100, 0)
        var over: [String] = []
        for ((name, need), (_, limit)) in zip(minimum.named, constraints.limit.named) where need > limit {
            over.append("\(name) \(Format.count(need)) / \(Format.count(limit))")
        }
        if over.isEmpty, let closest {
            for ((name, need), (_, limit)) in zip(closest.named, constraints.limit.named) where need > limit {
                over.append("\(name) \(Format.count(need)) / \(Format.count(limit))")
            }
            return DiagnosticError([.error("no design fits \(context.device.name) at \(cap)% cap: each resource fits alone "
                                           + "but not together; the closest needs \(over.joined(separator: ", "))")])
        }
        return DiagnosticError([.error("no design fits \(context.device.name) at \(cap)% cap: the smallest needs "
                                       + over.joined(separator: ", "))])
    }
}
