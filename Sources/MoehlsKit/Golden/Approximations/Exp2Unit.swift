import Foundation

/// exp for the softmaxes (attention rows and the MoE gate), as the hardware computes it.
///
/// Input: `z <= 0`, the raw value of a fixed-point number with `F` fraction bits (a score minus
/// its row maximum). Output: `e ~ exp(z)` in `[0, 1]`, in units of `2^-23` (`1.0` is exactly
/// `2^23`, reached at `z = 0`). Steps (docs/numerics.md, "exp"):
/// 1. `t = z * LOG2E`, exact, with `F + 24` fraction bits (`LOG2E = round(log2(e) * 2^24)`);
/// 2. `n = floor(t)` (`<= 0`) and `f = t - n` in `[0, 1)`;
/// 3. `2^f` from the 257-entry table `P[k] = round(2^(k/256) * 2^23)`, indexed by the top 8 bits
///    of `f` and interpolated with its next 16 bits;
/// 4. `e = floor(2^f / 2^-n)` (a right shift; `0` once `-n >= 64`).
public struct Exp2Unit: Hashable, Codable, Sendable {
    /// `round(log2(e) * 2^24)`.
    public static let log2eRaw: Int64 = 24_204_406
    public static let log2eFractionBits = 24
    /// Fraction bits of the output.
    public static let outputFractionBits = 23

    /// The 2^f table: 256 intervals over `[0, 1)`.
    public let table: InterpolatedTable

    public init() {
        table = .tabulate("exp2", intervals: 256, valueFractionBits: Exp2Unit.outputFractionBits) {
            Foundation.exp2(Double($0) / 256)
        }
    }

    /// `e ~ exp(z)` for `z = zRaw * 2^-fractionBits <= 0`, in units of `2^-23`.
    @inlinable
    public func evaluate(_ zRaw: Int64, fractionBits: Int) -> Int64 {
        precondition(zRaw <= 0, "Exp2Unit: input must be <= 0")
        let tBits = fractionBits + Exp2Unit.log2eFractionBits
        let t = Int128(zRaw) * Int128(Exp2Unit.log2eRaw)
        let n = t >> tBits                       // floor, <= 0
        let f = t - (n << tBits)                 // [0, 2^tBits)
        // Top 8 bits index, next 16 bits interpolate (tBits >= 24 always).
        let aligned = shiftFloor(f, by: 24 - tBits)   // f with 24 fraction bits
        let index = Int(aligned >> 16)
        let fraction = Int64(aligned & 0xFFFF)
        let power = table.interpolate(index: index, fraction: fraction)
        let shift = -n
        return shift >= 64 ? 0 : power >> Int64(shift)
    }
}
