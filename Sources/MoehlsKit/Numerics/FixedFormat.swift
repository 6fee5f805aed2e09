/// The format of a fixed-point number, with the meaning of Xilinx `ap_fixed<W,I,Q,O>` /
/// `ap_ufixed<W,I,Q,O>`.
///
/// A value is an integer `raw` of `width` bits (two's complement when `isSigned`) scaled by
/// `2^-fractionBits`, where `fractionBits = width - integerBits`. The integer bits include the
/// sign bit for signed formats. `quantization` says how a wider value is rounded into this
/// format, `overflow` what happens when it does not fit.
public struct FixedFormat: Hashable, Codable, Sendable, CustomStringConvertible {
    /// Total bits, 1...64.
    public var width: Int
    /// Integer bits (sign included for signed formats), 0...width.
    public var integerBits: Int
    /// `true` for `ap_fixed`, `false` for `ap_ufixed`.
    public var isSigned: Bool
    /// Quantisation (rounding) mode used when a value is converted into this format.
    public var quantization: QuantizationMode
    /// Overflow mode used when a value is converted into this format.
    public var overflow: OverflowMode

    /// Largest width a model may use; products are computed at up to twice this in `Int128`.
    public static let maxWidth = 64

    public init(width: Int, integerBits: Int, isSigned: Bool = true,
                quantization: QuantizationMode = .trn, overflow: OverflowMode = .wrap) {
        self.width = width
        self.integerBits = integerBits
        self.isSigned = isSigned
        self.quantization = quantization
        self.overflow = overflow
    }

    /// Bits right of the binary point.
    public var fractionBits: Int { width - integerBits }

    /// The model-file spelling: `fixed<32,10>`, `ufixed<8,0>`, `fixed<16,2,AP_RND,AP_SAT>`.
    public var description: String {
        var text = "\(isSigned ? "fixed" : "ufixed")<\(width),\(integerBits)"
        if quantization != .trn || overflow != .wrap { text += ",\(quantization.rawValue)" }
        if overflow != .wrap { text += ",\(overflow.rawValue)" }
        return text + ">"
    }

    /// The Vitis HLS C++ type: `ap_fixed<32,10>`, `ap_ufixed<8,0,AP_RND,AP_SAT>`.
    public var cppType: String { "ap_" + description }
}

/// ap_fixed quantisation modes (how bits below the format's LSB are removed).
public enum QuantizationMode: String, Hashable, Codable, Sendable, CaseIterable {
    /// Truncate toward minus infinity (the ap_fixed default).
    case trn = "AP_TRN"
    /// Truncate toward zero.
    case trnZero = "AP_TRN_ZERO"
    /// Round to nearest, ties toward plus infinity.
    case rnd = "AP_RND"
    /// Round to nearest, ties toward zero.
    case rndZero = "AP_RND_ZERO"
    /// Round to nearest, ties away from zero.
    case rndInf = "AP_RND_INF"
    /// Round to nearest, ties toward minus infinity.
    case rndMinInf = "AP_RND_MIN_INF"
    /// Round to nearest, ties to even.
    case rndConv = "AP_RND_CONV"
}

/// ap_fixed overflow modes (what happens when a value does not fit the integer bits).
public enum OverflowMode: String, Hashable, Codable, Sendable, CaseIterable {
    /// Drop the high bits (the ap_fixed default).
    case wrap = "AP_WRAP"
    /// Saturate to the minimum or maximum.
    case sat = "AP_SAT"
    /// Set to zero on overflow.
    case satZero = "AP_SAT_ZERO"
    /// Saturate symmetrically: the minimum of a signed format is -max.
    case satSym = "AP_SAT_SYM"
}
