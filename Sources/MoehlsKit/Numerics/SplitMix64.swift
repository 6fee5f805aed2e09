/// SplitMix64, the small seeded generator every part of moehls uses (Swift golden model, C++
/// test benches, test-case generators), so that a seed means the same numbers everywhere.
///
/// Each step adds `0x9E3779B97F4A7C15` to the state and scrambles it:
/// `z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
/// z ^ (z >> 31)`, all modulo 2^64. `next()`, `nextDouble()` and `next(below:)` are defined
/// bit for bit so other languages can reproduce them; the `RandomNumberGenerator` conformance
/// lets Swift's own APIs use it too (those are not portable).
public struct SplitMix64: RandomNumberGenerator, Hashable, Codable, Sendable {
    /// The current state; the next output is derived from `state + 0x9E3779B97F4A7C15`.
    public var state: UInt64

    /// A generator starting from `seed`.
    @inlinable
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform `Double` in `[0, 1)`: the top 53 bits of `next()` times `2^-53`.
    @inlinable
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform integer in `0..<bound` (`bound > 0`), by Lemire's multiply-and-reject method:
    /// take the high 64 bits of `next() * bound`; reject while the low 64 bits are below
    /// `2^64 mod bound`. Exactly uniform and reproducible in C with a 128-bit product.
    @inlinable
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "SplitMix64.next(below:): bound must be positive")
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return product.high
    }

    /// A uniform integer in `range`, as `range.lowerBound + next(below: count)` (the full `Int64`
    /// range takes `next()` as is).
    @inlinable
    public mutating func next(in range: ClosedRange<Int64>) -> Int64 {
        let span = UInt64(bitPattern: range.upperBound &- range.lowerBound)
        let offset = span == .max ? next() : next(below: span &+ 1)
        return range.lowerBound &+ Int64(bitPattern: offset)
    }
}
