/// Conversion from and to `Double`, as ap_fixed's `ap_fixed_base(double)` and `to_double()`.
extension Fixed {
    /// Converts a `Double` into `format` exactly as ap_fixed's constructor from `double` does.
    ///
    /// The constructor reads the IEEE fields directly: the value is taken as
    /// `±1.mantissa * 2^(exponentField - 1023)` and quantised like any other value. Consequences,
    /// all matched here:
    /// - values far out of range saturate or wrap according to the overflow mode (wrapping keeps
    ///   the low bits of the exact value, which are often all zero);
    /// - `±infinity` behaves as `±2^1024` (saturates to max/min, wraps to 0);
    /// - subnormals are read with the implicit leading 1 as if their exponent were -1023, so they
    ///   are not their true value (only visible in formats with more than 1022 fraction bits);
    /// - `±0` gives 0.
    ///
    /// NaN is rejected with `FixedPointError.notANumber`: the header documents it as unsupported
    /// ("do not support NaN") and only prints a warning before producing a meaningless value.
    @inlinable
    public init(_ value: Double, format: FixedFormat) throws(FixedPointError) {
        guard !value.isNaN else { throw .notANumber(format) }
        let bits = value.bitPattern
        if bits & 0x7FFF_FFFF_FFFF_FFFF == 0 {
            self = .zero(format)
            return
        }
        let exponent = Int((bits >> 52) & 0x7FF) - 1023
        let magnitude = Int128((bits & 0x000F_FFFF_FFFF_FFFF) | (1 << 52))
        let mantissa = value.sign == .minus ? -magnitude : magnitude
        self = Fixed.quantize(raw: mantissa, fractionBits: 52 - exponent, into: format)
    }

    /// The value as the nearest `Double`, ties to even, as ap_fixed's `to_double()`.
    ///
    /// Exact for values with at most 53 significant bits. (ap_fixed builds the IEEE fields by
    /// hand and would produce garbage for results beyond the normal `Double` range; formats that
    /// could reach that have more than 1000 fraction or integer bits and are not used.)
    @inlinable
    public func toDouble() -> Double {
        if raw == 0 { return 0 }
        return Double(sign: .plus, exponent: -format.fractionBits, significand: Double(raw))
    }
}

/// Errors of fixed-point conversions.
public enum FixedPointError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A NaN cannot be converted to a fixed-point format.
    case notANumber(FixedFormat)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .notANumber(let format): return "cannot convert NaN to \(format)"
        }
    }
}
