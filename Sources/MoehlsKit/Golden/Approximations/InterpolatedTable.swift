/// A lookup table with linear interpolation, the building block of every nonlinear unit
/// (exp, reciprocal, 1/sqrt, GELU). One definition, used by the golden model and written out
/// as ROM contents by the HLS and Verilog emitters.
///
/// Entries are integers in units of `2^-valueFractionBits`. The table is evaluated at
/// `index + r / 2^16` (a 16-bit interpolation fraction) as
/// `T[index] + floor((T[index+1] - T[index]) * r / 2^16)`, where the floor is an arithmetic
/// shift right (the difference may be negative). `entries.count` is the number of intervals
/// plus one, so `index + 1` is always in range for `index < intervals`.
public struct InterpolatedTable: Hashable, Codable, Sendable {
    /// Short name used for ROM files (`exp2`, `recip`, `rsqrt`, `gelu_delta`).
    public var name: String
    /// Table values, `intervals + 1` of them.
    public var entries: [Int64]
    /// Units of `entries`: `2^-valueFractionBits`.
    public var valueFractionBits: Int
    /// Bits of the interpolation fraction (always 16).
    public static let fractionBits = 16

    public var intervals: Int { entries.count - 1 }

    /// Width in bits of the widest entry as an unsigned number (ROM width).
    public var entryBits: Int {
        let largest = entries.max() ?? 0
        return Swift.max(1, 64 - largest.leadingZeroBitCount)
    }

    /// `T[index] + floor((T[index+1] - T[index]) * fraction / 2^16)`; `index` in `0..<intervals`,
    /// `fraction` in `0..<2^16`.
    @inlinable
    public func interpolate(index: Int, fraction: Int64) -> Int64 {
        let low = entries[index]
        let step = entries[index + 1] - low
        return low + ((step * fraction) >> Int64(InterpolatedTable.fractionBits))
    }

    /// Builds a table of `intervals + 1` entries `round(f(k) * 2^valueFractionBits)` (ties away
    /// from zero), `k = 0 ... intervals`.
    static func tabulate(_ name: String, intervals: Int, valueFractionBits: Int,
                         _ f: (Int) -> Double) -> InterpolatedTable {
        let scale = Double(sign: .plus, exponent: valueFractionBits, significand: 1)
        let entries = (0...intervals).map { Int64((f($0) * scale).rounded(.toNearestOrAwayFromZero)) }
        return InterpolatedTable(name: name, entries: entries, valueFractionBits: valueFractionBits)
    }
}

/// Floor shift of an integer by `amount` bits: left when positive (exact), right when negative
/// (toward minus infinity). Used to bring a raw value to a given number of fraction bits.
@inlinable
func shiftFloor(_ value: Int128, by amount: Int) -> Int128 {
    if amount >= 0 { return amount >= 127 ? 0 : value << amount }
    return -amount >= 127 ? (value < 0 ? -1 : 0) : value >> (-amount)
}

/// Index of the most significant set bit of a positive value.
@inlinable
func mostSignificantBit(_ value: Int128) -> Int {
    127 - value.leadingZeroBitCount
}
