/// The accumulation rule shared by every MAC array (linear layers, attention, MoE combine),
/// written down in docs/numerics.md, "Accumulation":
///
/// each exact product is quantised on its own to the accumulator's fraction bits with the
/// accumulator's quantisation mode, and the quantised products are added modulo `2^width`
/// (the accumulator's overflow mode must be `AP_WRAP`). That is exactly what
/// `acc_t acc = ...; acc += a * b;` computes in C++ with `ap_fixed<W, I, Q, AP_WRAP>`, and,
/// because modular addition is associative, any adder tree gives the same bits.
public struct Accumulation: Hashable, Sendable {
    /// The accumulator (its width, fraction bits, signedness and quantisation mode are used).
    public let format: FixedFormat
    /// Fraction bits of the exact products being accumulated.
    public let productFractionBits: Int

    public init(format: FixedFormat, productFractionBits: Int) {
        self.format = format
        self.productFractionBits = productFractionBits
    }

    /// Bits removed from each product (negative: bits appended).
    @inlinable public var shift: Int { productFractionBits - format.fractionBits }

    /// One product quantised to the accumulator's fraction bits (not yet wrapped).
    @inlinable
    public func quantize(_ product: Int128) -> Int128 {
        let s = shift
        if s <= 0 { return product << (-s) }
        if format.quantization == .trn { return product >> s }
        return Fixed.roundedShift(product, by: s, mode: format.quantization)
    }

    /// A sum reduced modulo `2^width` into the accumulator's range (two's complement if signed).
    @inlinable
    public func wrap(_ value: Int64) -> Int64 {
        let w = format.width
        if w >= 64 { return value }
        if format.isSigned { return (value << (64 - w)) >> (64 - w) }
        return value & ((1 << w) - 1)
    }

    /// `sum` of the products `a[i] * b[i]`, each quantised, plus `start`, wrapped.
    @inlinable
    public func dot(_ a: UnsafeBufferPointer<Int64>, _ b: UnsafeBufferPointer<Int64>, start: Int64) -> Int64 {
        var acc = start
        let s = shift
        let n = a.count
        if s >= 0 && s < 64 && format.quantization == .trn {
            // Fast path: floor of each product is an arithmetic shift; products fit in Int64
            // (the golden model checks operand widths up front). Wrapping adds mod 2^64 reduce
            // to the same value mod 2^width.
            for i in 0..<n { acc &+= (a[i] &* b[i]) >> Int64(s) }
        } else {
            for i in 0..<n { acc &+= Int64(truncatingIfNeeded: quantize(Int128(a[i]) * Int128(b[i]))) }
        }
        return wrap(acc)
    }
}
