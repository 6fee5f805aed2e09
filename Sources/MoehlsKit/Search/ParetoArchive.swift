/// A set of mutually non-dominated designs over (objective value, DSP, BRAM_18K, LUT), lower
/// being better in every coordinate. A point enters unless an existing point is at least as good
/// in all four; it evicts the points it dominates. Exact duplicates keep the first arrival, so the
/// archive depends only on the order points are offered in.
public struct ParetoArchive: Sendable {
    public private(set) var points: [FrontPoint] = []

    public init() {}

    static func key(_ p: FrontPoint) -> (Double, Int, Int, Int) {
        (p.value, p.resources.dsp, p.resources.bram18k, p.resources.lut)
    }

    /// Whether some archived point is at least as good as `point` everywhere.
    public func isDominated(_ point: FrontPoint) -> Bool {
        let k = Self.key(point)
        return points.contains { q in
            let j = Self.key(q)
            return j.0 <= k.0 && j.1 <= k.1 && j.2 <= k.2 && j.3 <= k.3
        }
    }

    /// Offers `point`; returns whether it was kept.
    @discardableResult
    public mutating func offer(_ point: FrontPoint) -> Bool {
        if isDominated(point) { return false }
        let k = Self.key(point)
        points.removeAll { q in
            let j = Self.key(q)
            return k.0 <= j.0 && k.1 <= j.1 && k.2 <= j.2 && k.3 <= j.3
        }
        points.append(point)
        return true
    }

    /// The points within `slack` of `best`, best objective first (ties by DSP, BRAM, LUT, description).
    public func front(best: Double, slack: Double) -> [FrontPoint] {
        points.filter { $0.value <= best * (1 + slack) }.sorted { a, b in
            let ka = Self.key(a), kb = Self.key(b)
            if ka != kb { return ka < kb }
            return a.design.description < b.design.description
        }
    }

    /// Among the points with the lowest objective, the one with the lowest highest utilisation
    /// of `limit` (then fewer DSP, BRAM, LUT; then by description): the optimum the report shows.
    public func preferredOptimum(limit: Device.Resources) -> FrontPoint? {
        guard let best = points.map(\.value).min() else { return nil }
        func utilisation(_ r: Device.Resources) -> Double {
            zip(r.named, limit.named).map { u, l in l.value > 0 ? Double(u.value) / Double(l.value) : 0 }.max() ?? 0
        }
        return points.filter { $0.value == best }.min { a, b in
            let ua = utilisation(a.resources), ub = utilisation(b.resources)
            if ua != ub { return ua < ub }
            let ka = Self.key(a), kb = Self.key(b)
            if ka != kb { return ka < kb }
            return a.design.description < b.design.description
        }
    }
}
