import Foundation

/// 1/sqrt(x) for LayerNorm (one per token).
///
/// Input: a positive raw integer `x` with `F` fraction bits (the variance plus eps). Output: a
/// mantissa `m` in units of `2^-24` (in `(0.5, 1]`) and an exponent `h` with
/// `1/sqrt(x) ~ m * 2^-24 * 2^-h`. Steps (docs/numerics.md):
/// 1. `p = msb(x) - F`, the power of two of the leading one; `q = p` rounded down to even;
/// 2. `y = x` scaled so that `x * 2^-F / 2^q` has 24 fraction bits (`y` in `[2^24, 2^26)`, floor);
/// 3. `1/sqrt(y/2^24)` from the 385-entry table `S[k] = round(2^24 / sqrt(1 + k/128))` over
///    `[1, 4)`, indexed by `(y - 2^24) >> 17` and interpolated with the 16 bits below
///    (`((y - 2^24) >> 1) & 0xFFFF`);
/// 4. `h = q / 2`.
public struct RsqrtUnit: Hashable, Codable, Sendable {
    public static let mantissaFractionBits = 24
    public let table: InterpolatedTable

    public init() {
        table = .tabulate("rsqrt", intervals: 384, valueFractionBits: RsqrtUnit.mantissaFractionBits) {
            1 / (1 + Double($0) / 128).squareRoot()
        }
    }

    /// `(mantissa, exponent)` with `1/sqrt(x) ~ mantissa * 2^-(24 + exponent)`.
    @inlinable
    public func evaluate(_ raw: Int128, fractionBits: Int) -> (mantissa: Int64, exponent: Int) {
        precondition(raw > 0, "RsqrtUnit: input must be positive")
        let p = mostSignificantBit(raw) - fractionBits
        let q = p & ~1                                  // round down to even (two's complement)
        let y = shiftFloor(raw, by: 24 - q - fractionBits)   // [2^24, 2^26)
        let offset = y - (1 << 24)
        let index = Int(offset >> 17)
        let fraction = Int64((offset >> 1) & 0xFFFF)
        return (table.interpolate(index: index, fraction: fraction), q / 2)
    }
}
