/// Bit-level conversions between `Float`/`Double` and the 16-bit float formats of tensor files:
/// IEEE 754 binary16 ("F16": 1 sign, 5 exponent, 10 fraction bits) and bfloat16 ("BF16": 1 sign,
/// 8 exponent, 7 fraction bits, the top half of a binary32).
///
/// Widening is exact for every pattern (subnormals, infinities and NaN payloads included).
/// Narrowing rounds the exact value once to the nearest representable value, ties to even;
/// values beyond the largest finite value round to infinity as IEEE 754 requires; NaN stays NaN
/// (quiet, sign and the top payload bits kept). Implemented on bits, not `Float16`, which
/// is unavailable on some platforms Swift supports.
public enum HalfPrecision {
    // MARK: Widening (exact)

    /// The `Float` equal to the binary16 pattern `bits`.
    public static func float(fromFloat16Bits bits: UInt16) -> Float {
        Float(bitPattern: float32Bits(fromFloat16Bits: bits))
    }

    /// The `Double` equal to the binary16 pattern `bits`.
    public static func double(fromFloat16Bits bits: UInt16) -> Double {
        Double(float(fromFloat16Bits: bits))
    }

    /// The `Float` equal to the bfloat16 pattern `bits`.
    public static func float(fromBFloat16Bits bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// The `Double` equal to the bfloat16 pattern `bits`.
    public static func double(fromBFloat16Bits bits: UInt16) -> Double {
        Double(float(fromBFloat16Bits: bits))
    }

    /// binary16 -> binary32 bit pattern, exact.
    static func float32Bits(fromFloat16Bits bits: UInt16) -> UInt32 {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        var fraction = UInt32(bits & 0x03FF)
        switch exponent {
        case 0:
            if fraction == 0 { return sign }  // +-0
            // Subnormal: fraction * 2^-24. Normalise so the leading 1 becomes the implicit bit.
            var e: Int32 = -14
            while fraction & 0x0400 == 0 {
                fraction <<= 1
                e -= 1
            }
            fraction &= 0x03FF
            return sign | UInt32(e + 127) << 23 | fraction << 13
        case 0x1F:
            return sign | 0x7F80_0000 | fraction << 13  // infinity or NaN (payload kept)
        default:
            return sign | (exponent + 112) << 23 | fraction << 13  // rebias 15 -> 127
        }
    }

    // MARK: Narrowing (round to nearest, ties to even)

    /// The binary16 pattern nearest to `value`.
    public static func float16Bits(_ value: Float) -> UInt16 { float16Bits(Double(value)) }

    /// The binary16 pattern nearest to `value` (rounded once, directly from the `Double`).
    public static func float16Bits(_ value: Double) -> UInt16 {
        UInt16(truncatingIfNeeded: narrow(value, exponentBits: 5, fractionBits: 10))
    }

    /// The bfloat16 pattern nearest to `value`.
    public static func bfloat16Bits(_ value: Float) -> UInt16 { bfloat16Bits(Double(value)) }

    /// The bfloat16 pattern nearest to `value` (rounded once, directly from the `Double`).
    public static func bfloat16Bits(_ value: Double) -> UInt16 {
        UInt16(truncatingIfNeeded: narrow(value, exponentBits: 8, fractionBits: 7))
    }

    /// Rounds `value` to a binary format with the given field widths (sign bit on top, at most
    /// 31 bits in all) and returns its bit pattern. A `Float` argument converts to `Double`
    /// exactly, so rounding a `Float` this way is a single rounding too.
    static func narrow(_ value: Double, exponentBits: Int, fractionBits: Int) -> UInt32 {
        let bits = value.bitPattern
        let sign = UInt32(bits >> 63) << UInt32(exponentBits + fractionBits)
        let exponentField = Int((bits >> 52) & 0x7FF)
        let fraction = bits & 0x000F_FFFF_FFFF_FFFF
        let maxField = UInt32((1 << exponentBits) - 1)
        let infinity = sign | maxField << UInt32(fractionBits)
        let dropped = 52 - fractionBits  // fraction bits lost when the exponent stays normal

        if exponentField == 0x7FF {
            if fraction == 0 { return infinity }
            // NaN: keep the top payload bits, force the quiet bit so it cannot become infinity.
            let quiet = UInt32(1) << UInt32(fractionBits - 1)
            return infinity | UInt32(fraction >> UInt64(dropped)) | quiet
        }
        if exponentField == 0 {
            // Zero or a Double subnormal (< 2^-1022): far below half the smallest target
            // subnormal (2^-25 for binary16, 2^-134 for bfloat16), so it rounds to a signed zero.
            return sign
        }
        let bias = (1 << (exponentBits - 1)) - 1
        let exponent = exponentField - 1023  // unbiased
        if exponent > bias { return infinity }  // at least 2^(emax + 1): overflows
        let significand = fraction | (1 << 52)  // 53 bits with the implicit one
        let minExponent = 1 - bias
        if exponent >= minExponent {
            // Normal result. Adding the rounding increment may carry into the exponent field,
            // which is right: the largest finite value rounds up into infinity's pattern.
            let truncated = UInt64(exponent + bias) << UInt64(fractionBits) | fraction >> UInt64(dropped)
            return sign | UInt32(truncated + roundUp(significand, shift: dropped))
        }
        // Subnormal result: count units of 2^(minExponent - fractionBits).
        let shift = dropped + (minExponent - exponent)
        if shift > 53 { return sign }  // below half the smallest subnormal
        let kept = significand >> UInt64(shift)
        // A carry out of the subnormal range gives exponent field 1, fraction 0: the smallest normal.
        return sign | UInt32(kept + roundUp(significand, shift: shift))
    }

    /// 1 when dropping the low `shift` bits of `significand` must round the kept part up
    /// (more than half, or exactly half with an odd kept part), else 0. `shift` is 1...53.
    private static func roundUp(_ significand: UInt64, shift: Int) -> UInt64 {
        let half = UInt64(1) << UInt64(shift - 1)
        let remainder = significand & ((half << 1) - 1)
        let kept = significand >> UInt64(shift)
        if remainder > half || (remainder == half && kept & 1 == 1) { return 1 }
        return 0
    }
}
