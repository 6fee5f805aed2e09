/// The result formats of ap_fixed's full-precision operators (`ap_fixed_base::RType`).
///
/// Every result has the default modes `AP_TRN`/`AP_WRAP` and is wide enough to hold the exact
/// result, so the operator itself never rounds or overflows; precision is lost only when the
/// result is later converted into a narrower format.
extension FixedFormat {
    /// `RType::mult`: width `W1 + W2`, integer bits `I1 + I2`, signed if either operand is.
    @inlinable
    public func productFormat(with other: FixedFormat) -> FixedFormat {
        .plain(width: width + other.width, integerBits: integerBits + other.integerBits,
               isSigned: isSigned || other.isSigned)
    }

    /// `RType::plus`: integer bits `max(I1 + s, I2 + t) + 1` where an unsigned operand added to a
    /// signed one gets one more integer bit (`s = 1` when only the other operand is signed, `t`
    /// likewise), fraction bits `max(F1, F2)`, signed if either operand is.
    @inlinable
    public func sumFormat(with other: FixedFormat) -> FixedFormat {
        let i = alignedIntegerBits(with: other) + 1
        return .plain(width: i + Swift.max(fractionBits, other.fractionBits), integerBits: i,
                      isSigned: isSigned || other.isSigned)
    }

    /// `RType::minus`: the same width and integer bits as `sumFormat(with:)`, but always signed
    /// (so `ufixed - ufixed` is signed).
    @inlinable
    public func differenceFormat(with other: FixedFormat) -> FixedFormat {
        var format = sumFormat(with: other)
        format.isSigned = true
        return format
    }

    /// The type of ap_fixed's unary minus: `ap_fixed<W+1, I+1>` (signed, one bit wider).
    @inlinable
    public var negationFormat: FixedFormat {
        .plain(width: width + 1, integerBits: integerBits + 1, isSigned: true)
    }

    /// `max(I1 + (S2 && !S1), I2 + (S1 && !S2))`, the integer part shared by plus and minus.
    @inlinable
    func alignedIntegerBits(with other: FixedFormat) -> Int {
        let mine = integerBits + (other.isSigned && !isSigned ? 1 : 0)
        let theirs = other.integerBits + (isSigned && !other.isSigned ? 1 : 0)
        return Swift.max(mine, theirs)
    }
}
