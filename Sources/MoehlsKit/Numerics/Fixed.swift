/// A fixed-point number with the exact meaning of a Xilinx `ap_fixed<W,I,Q,O>` /
/// `ap_ufixed<W,I,Q,O>` value: the integer `raw` scaled by `2^-format.fractionBits`.
///
/// `raw` is the value in units of the format's least significant bit, always within
/// `format.minRaw...format.maxRaw`. It is kept in an `Int128`, so a `Fixed` can hold every
/// model format (width 1...64) and the full-precision results of ap_fixed's operators on them
/// (see `FixedFormat.isRepresentable`).
///
/// Everything that rounds goes through `Fixed.quantize(raw:fractionBits:into:)`, which applies
/// the target format's quantisation and overflow modes bit for bit as ap_fixed does. The operators
/// `*`, `+`, `-` return ap_fixed's full-precision result types; convert the result with
/// `converted(to:)`, as the C++ does when it assigns to a variable.
///
/// `==`, `<` and hashing compare exact values, across formats: `1.0` as `fixed<8,4>` equals `1.0`
/// as `ufixed<16,2>`. Use `isIdentical(to:)` to compare raw value and format, and
/// `apCompare(_:_:)` to reproduce ap_fixed's own comparison operators, which differ for some
/// mixed-signedness operands.
public struct Fixed: Sendable {
    /// The value in units of the format's least significant bit (two's complement meaning).
    public let raw: Int128
    /// The format the value is in.
    public let format: FixedFormat

    /// A value from its raw integer, which must already be a value of `format`
    /// (`format.contains(raw:)`), in a representable format (`format.isRepresentable`).
    @inlinable
    public init(raw: Int128, format: FixedFormat) {
        precondition(format.isRepresentable, "Fixed: format \(format) is not representable")
        precondition(format.contains(raw: raw), "Fixed: raw \(raw) is out of range for \(format)")
        self.raw = raw
        self.format = format
    }

    /// A value whose range the caller has already established.
    @inlinable
    init(uncheckedRaw raw: Int128, format: FixedFormat) {
        self.raw = raw
        self.format = format
    }

    /// Zero in `format`.
    @inlinable
    public static func zero(_ format: FixedFormat) -> Fixed { Fixed(raw: 0, format: format) }

    /// The smallest value of `format` (`-2^(I-1)` signed, `0` unsigned).
    @inlinable
    public static func min(_ format: FixedFormat) -> Fixed { Fixed(raw: format.minRaw, format: format) }

    /// The largest value of `format` (`2^(I-1) - 2^-F` signed, `2^I - 2^-F` unsigned).
    @inlinable
    public static func max(_ format: FixedFormat) -> Fixed { Fixed(raw: format.maxRaw, format: format) }

    /// The value converted into `target` with the target's quantisation and overflow modes, as
    /// ap_fixed's assignment `target_t y = x;` does.
    @inlinable
    public func converted(to target: FixedFormat) -> Fixed {
        Fixed.quantize(raw: raw, fractionBits: format.fractionBits, into: target)
    }

    /// The `width` low bits of `raw`, as the hardware register holds them (two's complement).
    @inlinable
    public var bitPattern: UInt128 {
        UInt128(truncatingIfNeeded: raw) & (UInt128.max >> (128 - format.width))
    }

    /// Whether `other` has the same raw value and the same format (modes included).
    @inlinable
    public func isIdentical(to other: Fixed) -> Bool { raw == other.raw && format == other.format }
}

extension Fixed: CustomStringConvertible {
    /// The value as a `Double` followed by its format, e.g. `-1.25 fixed<8,4>`.
    public var description: String { "\(toDouble()) \(format)" }
}

extension Fixed: Codable {
    private enum CodingKeys: String, CodingKey { case raw, format }

    /// Decodes `{"raw": ..., "format": ...}`, rejecting raw values outside the format.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let format = try container.decode(FixedFormat.self, forKey: .format)
        let raw = try container.decode(Int128.self, forKey: .raw)
        guard format.isRepresentable, format.contains(raw: raw) else {
            throw DecodingError.dataCorruptedError(
                forKey: .raw, in: container,
                debugDescription: "raw \(raw) is not a value of \(format)")
        }
        self.init(uncheckedRaw: raw, format: format)
    }

    /// Encodes `{"raw": ..., "format": ...}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(raw, forKey: .raw)
        try container.encode(format, forKey: .format)
    }
}
