/// One of C++'s six comparison operators (the raw value is the C++ spelling).
public enum FixedComparison: String, Hashable, Sendable, CaseIterable {
    /// `==`
    case equal = "=="
    /// `!=`
    case notEqual = "!="
    /// `<`
    case less = "<"
    /// `<=`
    case lessOrEqual = "<="
    /// `>`
    case greater = ">"
    /// `>=`
    case greaterOrEqual = ">="
}

/// ap_fixed's comparison operators, quirks included.
///
/// ap_fixed first aligns the binary points (widening the operand with fewer fraction bits) and
/// then compares the raw integers with C's rules for mixed signedness at 32 bits and above. Two
/// consequences differ from comparing exact values (`==`, `<`):
///
/// 1. Signed against unsigned: when either aligned width is at least 32 and the unsigned
///    operand's aligned width is at least the signed one's, `<`/`>` compare bit patterns as
///    unsigned numbers, so a negative value is *greater* than every unsigned value; and `==`
///    holds between a negative value `-x` and the unsigned value `2^M - x` (in raw units) when
///    the unsigned operand's aligned width is `M`, where `M` is 64 for two aligned widths that
///    are equal and at most 64, and otherwise the larger aligned width, at least 32 (so
///    `ap_fixed<64,64>(-1) == ap_ufixed<64,64>(2^64 - 1)` and
///    `ap_fixed<31,31>(-1) == ap_ufixed<32,32>(2^32 - 1)` hold, while 32-bit operands of equal
///    widths compare exactly).
/// 2. An `AP_SAT_SYM` signed right-hand operand with fewer fraction bits is aligned through a
///    conversion into its own modes, which turns its minimum into `min + 2^-F` (`F` the left
///    operand's fraction bits) before comparing.
///
/// Values that only come out of `quantize` never hit (2); (1) needs mixed signedness and 32-bit
/// widths. `apCompare` reproduces both so a golden model can follow C++ `if (a < b)` exactly.
extension Fixed {
    /// The result of the C++ expression `self op other` on the corresponding ap_fixed values.
    @inlinable
    public func apCompare(_ op: FixedComparison, _ other: Fixed) -> Bool {
        let comparison = APComparison(self, other)
        switch op {
        case .equal: return comparison.equal
        case .notEqual: return !comparison.equal
        case .less: return comparison.less
        case .greaterOrEqual: return !comparison.less
        case .greater: return comparison.greater
        case .lessOrEqual: return !comparison.greater
        }
    }
}

/// The operands of an ap_fixed comparison after ap_fixed's alignment.
@usableFromInline
struct APComparison {
    @usableFromInline let equal: Bool
    @usableFromInline let less: Bool
    @usableFromInline let greater: Bool

    @inlinable
    init(_ a: Fixed, _ b: Fixed) {
        let fa = a.format.fractionBits, fb = b.format.fractionBits
        // Aligned widths: ap_fixed widens the right operand to the left one's fraction bits, or
        // the left one to the right one's fraction bits plus one integer bit.
        let widthA = fa >= fb ? a.format.width : a.format.width + fb - fa + 1
        let widthB = fa > fb ? b.format.width + fa - fb : b.format.width
        // Quirk 2: the right operand's AP_SAT_SYM minimum becomes min + 2^-fa.
        let bumpsB = fa > fb && b.format.isSigned && b.format.overflow.isSymmetricSaturation
            && b.raw == b.format.minRaw
        let aNegative = a.raw < 0, bNegative = b.raw < 0

        let order = Self.order(a.raw, fa, b, bumped: bumpsB)
        var equal = order == 0
        if a.format.isSigned != b.format.isSigned && (aNegative || bNegative) {
            // Quirk 1 for ==: the unsigned operand, read as a signed number of its aligned width.
            // ap_private compares equal widths up to 64 bits as 64-bit words, other widths after
            // extending both to the wider width (at least 32 bits).
            let m = widthA == widthB && widthA <= 64 ? 64 : Swift.max(widthA, widthB, 32)
            if aNegative, widthB == m, b.raw >> (b.format.width - 1) == 1 {
                let signedB = b.raw - (1 << Int128(b.format.width))
                equal = Fixed.compareExactly(a.raw, fa, signedB, fb) == 0
            } else if bNegative, fa >= fb, widthA == m, a.raw >> (a.format.width - 1) == 1 {
                let signedA = a.raw - (1 << Int128(a.format.width))
                equal = Self.order(signedA, fa, b, bumped: bumpsB) == 0
            }
        }
        var less = order < 0, greater = order > 0
        let unsignedOrder = a.format.isSigned != b.format.isSigned
            && !(widthA < 32 && widthB < 32)
            && (a.format.isSigned ? widthB >= widthA : widthA >= widthB)
        if unsignedOrder && aNegative != bNegative {
            // Quirk 1 for < and >: the negative (signed) operand's pattern is the larger one.
            less = bNegative
            greater = aNegative
        }
        self.equal = equal
        self.less = less
        self.greater = greater
    }

    /// The sign of `a * 2^-fa - b_eff`, where `b_eff` is `b`, plus `2^-fa` when `bumped`.
    @inlinable
    static func order(_ a: Int128, _ fa: Int, _ b: Fixed, bumped: Bool) -> Int {
        let plain = Fixed.compareExactly(a, fa, b.raw, b.format.fractionBits)
        guard bumped else { return plain }
        // a and b are multiples of 2^-fa, so a <= b means a < b + 2^-fa, and otherwise
        // a - 2^-fa >= b decides. (a == Int128.min with a > b leaves a - 2^-fa an odd multiple of
        // 2^-fa, never equal to the coarser b.)
        if plain <= 0 { return -1 }
        if a == Int128.min { return 1 }
        return Fixed.compareExactly(a - 1, fa, b.raw, b.format.fractionBits)
    }
}

extension OverflowMode {
    /// Whether this is `AP_SAT_SYM` (a `switch`, cheaper in hot code than `==` on a raw-value enum).
    @inlinable
    var isSymmetricSaturation: Bool {
        if case .satSym = self { return true }
        return false
    }
}
