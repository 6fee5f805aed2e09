/// The one conversion routine: an exact value into a format, with ap_fixed's quantisation and
/// overflow semantics.
extension Fixed {
    /// Converts the exact value `raw * 2^-fractionBits` into `format`, applying the format's
    /// quantisation mode and then its overflow mode exactly as ap_fixed's conversion does.
    ///
    /// `fractionBits` may be anything within `±2 * FixedFormat.maxBinaryPointOffset` (negative
    /// means the value is a multiple of a power of two above one). Every conversion in this
    /// module (between formats, from `Double`) calls this.
    @inlinable
    public static func quantize(raw: Int128, fractionBits: Int, into format: FixedFormat) -> Fixed {
        Fixed(uncheckedRaw: quantizedRaw(raw, fractionBits: fractionBits, into: format),
              format: format)
    }

    /// The raw value of `quantize(raw:fractionBits:into:)`, without building a `Fixed`.
    @inlinable
    public static func quantizedRaw(_ raw: Int128, fractionBits: Int, into format: FixedFormat) -> Int128 {
        precondition(format.isRepresentable, "Fixed.quantize: format \(format) is not representable")
        precondition(Swift.abs(fractionBits) <= 2 * FixedFormat.maxBinaryPointOffset,
                     "Fixed.quantize: fractionBits \(fractionBits) is out of range")
        if raw == 0 { return 0 }
        let shift = fractionBits - format.fractionBits
        if shift > 0 {
            // Bits are removed below the target's LSB: round, then check the range.
            let rounded = roundedShift(raw, by: shift, mode: format.quantization)
            if format.contains(raw: rounded) { return symmetric(rounded, format) }
            return overflowed(isNegative: rounded < 0, wrapped: wrapped(rounded, format), format)
        }
        // Bits are appended below: exact unless the value does not fit the integer bits.
        // `raw << k` is in range iff ceil(min / 2^k) <= raw <= floor(max / 2^k).
        let k = -shift
        let high = format.maxRaw >> Swift.min(k, 127)
        let low: Int128 = format.isSigned && k < format.width ? format.minRaw >> k : 0
        if raw >= low && raw <= high { return symmetric(raw << k, format) }
        let wrappedBits: Int128 = k >= format.width ? 0 : wrapped(raw &<< k, format)
        return overflowed(isNegative: raw < 0, wrapped: wrappedBits, format)
    }

    /// `floor(raw / 2^shift)` plus the rounding increment of `mode`, for `shift >= 1` (no range
    /// check: the result is the exact rounded value, for the overflow step to handle).
    ///
    /// ap_fixed decides the increment from the sign of the value, the first removed bit (the
    /// half-LSB, `half`) and whether any removed bit below it is set (`sticky`).
    @inlinable
    static func roundedShift(_ raw: Int128, by shift: Int, mode: QuantizationMode) -> Int128 {
        let negative = raw < 0
        let floor: Int128 = shift >= 128 ? (negative ? -1 : 0) : raw >> shift
        if case .trn = mode { return floor }
        let half: Bool, sticky: Bool
        if shift > 128 {
            // The half bit is a copy of the sign; the bits below it include all of `raw`.
            (half, sticky) = (negative, raw != 0)
        } else {
            let halfPosition = shift - 1
            half = (raw >> halfPosition) & 1 != 0
            sticky = raw & ((1 &<< Int128(halfPosition)) &- 1) != 0
        }
        let increment: Bool
        switch mode {
        case .trn: increment = false
        case .trnZero: increment = negative && (half || sticky)
        case .rnd: increment = half
        case .rndZero: increment = half && (negative || sticky)
        case .rndInf: increment = half && (!negative || sticky)
        case .rndMinInf: increment = half && sticky
        case .rndConv: increment = half && (floor & 1 != 0 || sticky)
        }
        return increment ? floor + 1 : floor
    }

    /// ap_fixed's `AP_SAT_SYM` also moves an in-range signed minimum to `-max` (`min + 1`), except
    /// in a 1-bit format, where `-max` would be 0 and ap_fixed keeps the minimum.
    @inlinable @inline(__always)
    static func symmetric(_ raw: Int128, _ format: FixedFormat) -> Int128 {
        if case .satSym = format.overflow, format.isSigned, format.width > 1, raw == format.minRaw {
            return raw + 1
        }
        return raw
    }

    /// The result of an out-of-range value: `wrapped` (its low `width` bits) or a saturation value.
    @inlinable @inline(__always)
    static func overflowed(isNegative: Bool, wrapped: Int128, _ format: FixedFormat) -> Int128 {
        switch format.overflow {
        case .wrap: return wrapped
        case .satZero: return 0
        case .sat: return isNegative ? format.minRaw : format.maxRaw
        case .satSym:
            guard isNegative else { return format.maxRaw }
            return format.isSigned && format.width > 1 ? format.minRaw + 1 : format.minRaw
        }
    }

    /// The low `width` bits of `value`, read as a value of `format` (sign-extended when signed).
    @inlinable @inline(__always)
    static func wrapped(_ value: Int128, _ format: FixedFormat) -> Int128 {
        let unused = 128 - format.width
        return format.isSigned ? (value &<< unused) &>> unused : value & format.maxRaw
    }
}
