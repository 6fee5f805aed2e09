/// ap_fixed's full-precision operators: the result has ap_fixed's result type (see
/// `FixedFormat.productFormat(with:)` and friends) and holds the exact result.
///
/// The operands' quantisation and overflow modes play no part, as in ap_fixed. The result formats
/// must be representable (`FixedFormat.isRepresentable`), which holds for every pair of model
/// formats except those listed in docs/numerics.md; the operators check it with `precondition`.
extension Fixed {
    /// The exact product, in `lhs.format.productFormat(with: rhs.format)`.
    @inlinable
    public static func * (lhs: Fixed, rhs: Fixed) -> Fixed {
        let format = lhs.format.productFormat(with: rhs.format)
        precondition(format.isRepresentable, "Fixed *: product format \(format) is too wide")
        return Fixed(uncheckedRaw: lhs.raw &* rhs.raw, format: format)
    }

    /// The exact sum, in `lhs.format.sumFormat(with: rhs.format)`.
    @inlinable
    public static func + (lhs: Fixed, rhs: Fixed) -> Fixed {
        let format = lhs.format.sumFormat(with: rhs.format)
        precondition(format.isRepresentable, "Fixed +: sum format \(format) is too wide")
        let (a, b) = aligned(lhs, rhs, to: format.fractionBits)
        return Fixed(uncheckedRaw: a &+ b, format: format)
    }

    /// The exact difference, in `lhs.format.differenceFormat(with: rhs.format)` (always signed).
    @inlinable
    public static func - (lhs: Fixed, rhs: Fixed) -> Fixed {
        let format = lhs.format.differenceFormat(with: rhs.format)
        precondition(format.isRepresentable, "Fixed -: difference format \(format) is too wide")
        let (a, b) = aligned(lhs, rhs, to: format.fractionBits)
        return Fixed(uncheckedRaw: a &- b, format: format)
    }

    /// The exact negation, in `format.negationFormat` (`ap_fixed<W+1, I+1>`), as ap_fixed's
    /// unary minus.
    @inlinable
    public static prefix func - (operand: Fixed) -> Fixed {
        let format = operand.format.negationFormat
        precondition(format.isRepresentable, "Fixed -: negation format \(format) is too wide")
        return Fixed(uncheckedRaw: 0 &- operand.raw, format: format)
    }

    /// Both raw values scaled to `fractionBits`, which is at least each operand's fraction bits
    /// and small enough for the result format to be representable, so the shifts are exact.
    @inlinable
    static func aligned(_ lhs: Fixed, _ rhs: Fixed, to fractionBits: Int) -> (Int128, Int128) {
        (lhs.raw &<< Int128(fractionBits - lhs.format.fractionBits),
         rhs.raw &<< Int128(fractionBits - rhs.format.fractionBits))
    }
}
