/// `floor(n / D)` for every unsigned `n < 2^bits` as a multiplication by a constant:
/// `(n M) >> S` with `S = bits + ceil(log2 D)` and `M = ceil(2^S / D)` (docs/kernels-layernorm.md,
/// "Division by D"). The LayerNorm unit divides its two sums this way; a power-of-two D is a shift.
public struct ConstantDivider: Hashable, Sendable {
    public let divisor: Int
    public let bits: Int

    public init(divisor: Int, bits: Int) {
        self.divisor = divisor
        self.bits = bits
    }

    public var isPowerOfTwo: Bool { divisor > 0 && divisor & (divisor - 1) == 0 }
    /// `S`.
    public var shift: Int { bits + ceilLog2(divisor) }
    /// `M`, or nil when `S` exceeds 127 bits (or D < 2).
    public var multiplier: UInt128? {
        guard divisor >= 2, bits >= 1, shift <= 127 else { return nil }
        let d = UInt128(divisor)
        return ((UInt128(1) << shift) + d - 1) / d
    }

    /// DSP blocks of `n x M` as `moehls_mul` splits it (both operands zero-extended by one bit)
    /// once synthesis sees M as a constant: a constant piece that is 0 or a power of two needs no
    /// DSP, and equal constant pieces share their products with the same piece of n (Yosys merges
    /// identical cells). 0 for a power-of-two D. Without a multiplier, the plain split count.
    public func dsp(family: Device.Family) -> Int {
        if isPowerOfTwo { return 0 }
        let (wide, narrow) = family.multiplier
        let nWidth = bits + 1
        guard let m = multiplier else { return DSPModel.multiply(nWidth, shift + 1, family: family) }
        let mWidth = (128 - m.leadingZeroBitCount) + 1
        let straight = DSPModel.pieces(nWidth, port: wide) * DSPModel.pieces(mWidth, port: narrow)
        let crossed = DSPModel.pieces(mWidth, port: wide) * DSPModel.pieces(nWidth, port: narrow)
        let constantPort = crossed < straight ? wide : narrow
        let variablePort = crossed < straight ? narrow : wide
        let count = DSPModel.pieces(mWidth, port: constantPort)
        var distinct = Set<UInt128>()
        for j in 0..<count {
            let low = j * (constantPort - 1)
            let high = j == count - 1 ? mWidth - 1 : low + constantPort - 2
            let width = high - low + 1
            let piece = (m >> low) & (width >= 128 ? UInt128.max : (UInt128(1) << width) - 1)
            if piece != 0 && piece & (piece - 1) != 0 { distinct.insert(piece) }
        }
        return DSPModel.pieces(nWidth, port: variablePort) * distinct.count
    }
}
