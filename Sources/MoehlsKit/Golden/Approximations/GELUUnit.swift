import Foundation

/// GELU as `relu(x) - delta(|x|)`, `delta(a) = a * Phi(-a)` (Phi the normal CDF), which is exact
/// algebra: `x Phi(x) = relu(x) - |x| Phi(-|x|)`. Edge-MoE tabulates delta on [0, 5.5) in steps of
/// 1/32; we use steps of 1/64 on [0, 6) for a smaller error at the same cost (one multiplier).
///
/// Steps for `x` with `F` fraction bits (docs/numerics.md, "GELU"):
/// 1. `a = |x|` brought to 22 fraction bits (6 index bits per unit + 16 interpolation bits; floor);
/// 2. `k = a >> 16`; `delta = 0` when `k >= 384` (a >= 6), otherwise
///    `delta = D[k] + floor((D[k+1] - D[k]) * (a & 0xFFFF) / 2^16)` with
///    `D[k] = round(delta(k/64) * 2^20)`;
/// 3. `gelu = relu(x) - delta`, exact at `max(F, 20)` fraction bits, then converted to the output
///    format with its quantisation and overflow modes.
public struct GELUUnit: Hashable, Codable, Sendable {
    public static let valueFractionBits = 20
    public static let stepsPerUnit = 64
    public let table: InterpolatedTable

    public init() {
        table = .tabulate("gelu_delta", intervals: 384, valueFractionBits: GELUUnit.valueFractionBits) { k in
            let a = Double(k) / Double(GELUUnit.stepsPerUnit)
            return a * 0.5 * erfc(a / 2.0.squareRoot())
        }
    }

    /// delta(|x|) in units of `2^-20`.
    @inlinable
    public func delta(_ raw: Int64, fractionBits: Int) -> Int64 {
        let magnitude = Int128(raw).magnitude
        let a = shiftFloor(Int128(magnitude), by: 22 - fractionBits)
        let index = a >> 16
        if index >= Int128(table.intervals) { return 0 }
        return table.interpolate(index: Int(index), fraction: Int64(a & 0xFFFF))
    }

    /// GELU of `raw * 2^-fractionBits` as the exact value `(value, fractionBits)` before the
    /// final conversion.
    @inlinable
    public func evaluateExact(_ raw: Int64, fractionBits: Int) -> (raw: Int128, fractionBits: Int) {
        let d = Int128(delta(raw, fractionBits: fractionBits))
        let relu = Int128(Swift.max(raw, 0))
        if fractionBits >= GELUUnit.valueFractionBits {
            return (relu - (d << (fractionBits - GELUUnit.valueFractionBits)), fractionBits)
        }
        return ((relu << (GELUUnit.valueFractionBits - fractionBits)) - d, GELUUnit.valueFractionBits)
    }

    /// GELU of `raw` (format `input`) converted into `output`.
    @inlinable
    public func evaluate(_ raw: Int64, input: FixedFormat, output: FixedFormat) -> Int64 {
        let exact = evaluateExact(raw, fractionBits: input.fractionBits)
        return Int64(Fixed.quantizedRaw(exact.raw, fractionBits: exact.fractionBits, into: output))
    }
}
