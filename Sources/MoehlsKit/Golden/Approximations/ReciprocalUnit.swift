import Foundation

/// 1/x for the softmax normaliser (one per row and head, and one per token in the gate).
///
/// Input: a positive raw integer `x` with `F` fraction bits. Output: a mantissa `m` in units of
/// `2^-24` (in `(0.5, 1]`) and an exponent `s` with `1/x ~ m * 2^-24 * 2^-s`, where
/// `s = msb(x) - F` and `msb` is the index of the leading one. Steps (docs/numerics.md):
/// 1. normalise: `y = x` shifted so the leading one sits at bit 24 (`y` in `[2^24, 2^25)`,
///    floor when shifting right);
/// 2. `1/(y/2^24)` from the 257-entry table `R[k] = round(2^24 / (1 + k/256))`, indexed by
///    bits 23..16 of `y` and interpolated with bits 15..0.
/// The caller multiplies by `m` and folds `24 + s` into the fraction bits of the product, so the
/// only rounding after the table is the final conversion to the output format.
public struct ReciprocalUnit: Hashable, Codable, Sendable {
    public static let mantissaFractionBits = 24
    public let table: InterpolatedTable

    public init() {
        table = .tabulate("recip", intervals: 256, valueFractionBits: ReciprocalUnit.mantissaFractionBits) {
            1 / (1 + Double($0) / 256)
        }
    }

    /// `(mantissa, exponent)` with `1/x ~ mantissa * 2^-(24 + exponent)` for `x = raw * 2^-fractionBits > 0`.
    @inlinable
    public func evaluate(_ raw: Int128, fractionBits: Int) -> (mantissa: Int64, exponent: Int) {
        precondition(raw > 0, "ReciprocalUnit: input must be positive")
        let msb = mostSignificantBit(raw)
        let y = shiftFloor(raw, by: 24 - msb)        // [2^24, 2^25)
        let index = Int((y >> 16) & 0xFF)
        let fraction = Int64(y & 0xFFFF)
        return (table.interpolate(index: index, fraction: fraction), msb - fractionBits)
    }
}
