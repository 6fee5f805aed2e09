/// Exact-value comparison across formats (`==`, `<`, hashing).
extension Fixed: Comparable, Hashable {
    /// Whether both have the same exact value, whatever their formats.
    @inlinable
    public static func == (lhs: Fixed, rhs: Fixed) -> Bool {
        compareExactly(lhs.raw, lhs.format.fractionBits, rhs.raw, rhs.format.fractionBits) == 0
    }

    /// Whether `lhs` has a smaller exact value than `rhs`, whatever their formats.
    @inlinable
    public static func < (lhs: Fixed, rhs: Fixed) -> Bool {
        compareExactly(lhs.raw, lhs.format.fractionBits, rhs.raw, rhs.format.fractionBits) < 0
    }

    /// Hashes the exact value (so equal values in different formats hash alike).
    public func hash(into hasher: inout Hasher) {
        if raw == 0 {
            hasher.combine(0 as Int128)
            hasher.combine(0)
            return
        }
        let zeros = raw.trailingZeroBitCount
        hasher.combine(raw >> zeros)
        hasher.combine(format.fractionBits - zeros)
    }

    /// The sign of `a * 2^-fa - b * 2^-fb` (-1, 0 or 1), computed exactly.
    @inlinable
    static func compareExactly(_ a: Int128, _ fa: Int, _ b: Int128, _ fb: Int) -> Int {
        if fa == fb { return a == b ? 0 : (a < b ? -1 : 1) }
        if fa < fb { return -compareExactly(b, fb, a, fa) }
        // Scale b up by 2^(fa - fb); if that leaves Int128, b's magnitude exceeds any `a`.
        let shift = fa - fb
        if b == 0 { return a == 0 ? 0 : (a < 0 ? -1 : 1) }
        if shift <= 127 {
            let scaled = b &<< Int128(shift)
            if scaled >> shift == b { return a == scaled ? 0 : (a < scaled ? -1 : 1) }
        }
        return b < 0 ? 1 : -1
    }
}
