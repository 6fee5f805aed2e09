/// Integer helpers for the cost models: ceiling division, ceiling log2 and saturating arithmetic.
///
/// Cycle and byte counts of absurdly large models could exceed 64 bits; the cost models never
/// trap on them. Every product and sum goes through `Sat`, which clamps at `Sat.limit`
/// (2^62, far above any real design), and `Estimate.isSaturated` reports when that happened.
enum Sat {
    /// The clamp value: 2^62, so that adding two clamped values cannot overflow either.
    static let limit = 1 << 62

    /// `a + b`, clamped to `limit` (inputs are non-negative).
    @inline(__always)
    static func add(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow || sum > limit ? limit : sum
    }

    /// `a * b`, clamped to `limit` (inputs are non-negative).
    @inline(__always)
    static func mul(_ a: Int, _ b: Int) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow || product > limit ? limit : product
    }

    /// The sum of `values`, clamped.
    static func sum<S: Sequence>(_ values: S) -> Int where S.Element == Int {
        values.reduce(0) { add($0, $1) }
    }

    /// `ceil(Double)` of a non-negative finite value as an Int, clamped; NaN and infinity clamp too.
    @inline(__always)
    static func ceil(_ value: Double) -> Int {
        guard value.isFinite else { return limit }
        if value <= 0 { return 0 }
        let rounded = value.rounded(.up)
        return rounded >= Double(limit) ? limit : Int(rounded)
    }
}

/// `ceil(a / b)` for `a >= 0`, `b > 0`.
@inline(__always)
func ceilDiv(_ a: Int, _ b: Int) -> Int {
    a == 0 ? 0 : (a - 1) / b + 1
}

/// `ceil(log2(n))` for `n >= 1` (0 for 1, 1 for 2, 2 for 3 and 4, ...): adder-tree levels for `n` inputs.
@inline(__always)
func ceilLog2(_ n: Int) -> Int {
    n <= 1 ? 0 : Int.bitWidth - (n - 1).leadingZeroBitCount
}
