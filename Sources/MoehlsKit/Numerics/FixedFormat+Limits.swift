/// Range and representability of a `FixedFormat`, as `Fixed` stores it.
///
/// A `Fixed` keeps its raw value in an `Int128`, so it can hold every format whose raw range fits:
/// signed widths 1...128 and unsigned widths 1...127. Model formats (width 1...64, see
/// `FixedFormat.maxWidth`) always fit, and so do the full-precision products, sums and negations
/// of model formats, except the few listed in docs/numerics.md (for example
/// `ufixed<64,I1> * ufixed<64,I2>`, which needs 128 unsigned bits).
extension FixedFormat {
    /// Largest `|integerBits|` (and so `|fractionBits|`) a `Fixed` accepts; keeps every shift
    /// amount computed from two formats far away from `Int` overflow.
    public static let maxBinaryPointOffset = 1 << 20

    /// Whether a `Fixed` can hold values of this format: width 1...128 when signed, 1...127 when
    /// unsigned, and `|integerBits| <= maxBinaryPointOffset`.
    @inlinable
    public var isRepresentable: Bool {
        width >= 1 && width <= (isSigned ? 128 : 127)
            && integerBits >= -Self.maxBinaryPointOffset && integerBits <= Self.maxBinaryPointOffset
    }

    /// The smallest raw value: `-2^(width-1)` when signed, `0` when unsigned (for representable
    /// formats; others give meaningless values).
    @inlinable @inline(__always)
    public var minRaw: Int128 { isSigned ? Int128.min &>> Int128(128 - width) : 0 }

    /// The largest raw value: `2^(width-1) - 1` when signed, `2^width - 1` when unsigned.
    @inlinable @inline(__always)
    public var maxRaw: Int128 { Int128.max &>> Int128(isSigned ? 128 - width : 127 - width) }

    /// Whether `raw` is a value of this format.
    @inlinable @inline(__always)
    public func contains(raw: Int128) -> Bool { raw >= minRaw && raw <= maxRaw }

    /// The same width, integer bits and signedness with the ap_fixed default modes
    /// (`AP_TRN`, `AP_WRAP`), as ap_fixed gives every result type of an operator.
    @inlinable
    static func plain(width: Int, integerBits: Int, isSigned: Bool) -> FixedFormat {
        FixedFormat(width: width, integerBits: integerBits, isSigned: isSigned,
                    quantization: .trn, overflow: .wrap)
    }
}
