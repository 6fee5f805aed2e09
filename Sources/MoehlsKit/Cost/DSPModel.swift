/// DSP blocks per multiplier, from operand widths and the device's DSP multiplier shape.
///
/// A DSP48E2 multiplies a 27-bit by an 18-bit signed operand (Versal DSP58: 27 x 24). A wider
/// signed operand is split into a signed top piece of up to `port` bits and unsigned lower pieces
/// of up to `port - 1` bits each (an unsigned piece needs one bit more as a signed input), so a
/// `w`-bit operand on a `port`-bit input takes `pieces(w, port) = 1 + ceil((w - port) / (port - 1))`
/// pieces (1 when `w <= port`). A product takes one DSP per pair of pieces, and the operands go
/// to whichever ports give fewer: `min(pieces(a, 27) * pieces(b, 18), pieces(b, 27) * pieces(a, 18))`.
/// 32 x 16 takes 2, 32 x 32 takes 4, 16 x 16 takes 1 (Yosys `synth_xilinx` maps them the same way).
public enum DSPModel {
    /// Pieces a signed `width`-bit operand splits into on a signed `port`-bit multiplier input.
    public static func pieces(_ width: Int, port: Int) -> Int {
        width <= port ? 1 : 1 + ceilDiv(width - port, port - 1)
    }

    /// DSP blocks for one `a` x `b` signed multiplier on `family`.
    public static func multiply(_ a: Int, _ b: Int, family: Device.Family) -> Int {
        let (wide, narrow) = family.multiplier
        let a = max(a, 1), b = max(b, 1)
        return min(pieces(a, port: wide) * pieces(b, port: narrow), pieces(b, port: wide) * pieces(a, port: narrow))
    }
}

/// Signed operand widths of every multiplier kind in the template, derived from the model's
/// formats and the arithmetic of docs/numerics.md. An unsigned format takes one more bit.
public struct OperandWidths: Hashable, Codable, Sendable {
    /// A signed operand width: a pair of bit widths.
    public struct Pair: Hashable, Codable, Sendable {
        public var a: Int
        public var b: Int
        public init(_ a: Int, _ b: Int) {
            self.a = a
            self.b = b
        }
    }

    /// Linear grid: activation (or pixel) x weight (or patch weight).
    public var grid: Pair
    /// Attention scores: Q x K, both activations.
    public var score: Pair
    /// Score scaling: accumulator x the 18-bit unsigned scale constant (skipped for powers of two).
    public var scale: Pair
    /// Attention values: exp output (24-bit unsigned) x V.
    public var value: Pair
    /// Attention normalisation: widened accumulator x reciprocal mantissa (25-bit unsigned).
    public var normalise: Pair
    /// Table interpolation in exp, GELU, reciprocal and 1/sqrt: table slope x 16-bit fraction.
    public var interpolation: Pair
    /// exp range reduction: score difference x log2(e) (25-bit unsigned constant).
    public var log2e: Pair
    /// LayerNorm: x^2 per lane, mean^2 per token.
    public var square: Pair
    /// LayerNorm: (x - mean) x 1/sqrt mantissa.
    public var centre: Pair
    /// LayerNorm: normalised x gamma.
    public var gamma: Pair
    /// LayerNorm: floor(sum / D) and floor(sum of squares / D) as multiplications by a constant:
    /// `a` is the unsigned width of the dividend (the offset sum of x, the sum of x^2), from which
    /// `ConstantDivider` derives the constant and counts its DSPs; `b` (`a + 1`) is kept for the
    /// record and is not the constant's width (that is `bits(M) + 1`, one more).
    public var divideSum: Pair
    public var divideSquares: Pair
    /// Gate: exp output x reciprocal mantissa.
    public var gateScore: Pair
    /// MoE combine: score x expert output.
    public var combine: Pair

    public init(_ spec: ModelSpec) {
        let p = spec.precision
        func bits(_ f: FixedFormat) -> Int { f.width + (f.isSigned ? 0 : 1) }
        let act = bits(p.activation), acc = bits(p.accumulator)
        let sumBits = act + ceilLog2(spec.embedDim)
        let guardBits = ceilLog2(spec.tokens)
        grid = Pair(max(act, bits(p.pixel)), max(bits(p.weight), bits(p.patchWeight)))
        score = Pair(act, act)
        scale = Pair(acc, 19)
        value = Pair(25, act)
        normalise = Pair(acc + guardBits, 26)
        interpolation = Pair(18, 17)
        log2e = Pair(act, 26)
        square = Pair(act, act)
        centre = Pair(act + 1, 26)
        gamma = Pair(act, bits(p.layerNorm))
        divideSum = Pair(sumBits, sumBits + 1)
        divideSquares = Pair(2 * act + ceilLog2(spec.embedDim) - 1, 2 * act + ceilLog2(spec.embedDim))
        gateScore = Pair(25, 26)
        combine = Pair(act, act)
    }
}

/// DSP blocks per multiplier kind and per nonlinear unit on one device family.
public struct DSPCosts: Hashable, Codable, Sendable {
    public var grid: Int
    public var score: Int
    public var scale: Int
    public var value: Int
    public var normalise: Int
    public var square: Int
    public var centre: Int
    public var gamma: Int
    public var gateScore: Int
    public var combine: Int
    /// exp unit: range reduction multiply + table interpolation.
    public var expUnit: Int
    /// Reciprocal unit: table interpolation.
    public var reciprocalUnit: Int
    /// 1/sqrt unit: table interpolation.
    public var rsqrtUnit: Int
    /// GELU unit: table interpolation.
    public var geluUnit: Int
    /// Both LayerNorm dividers (0 when D is a power of two: a shift).
    public var dividers: Int

    public init(_ widths: OperandWidths, family: Device.Family, embedDim: Int) {
        func dsp(_ pair: OperandWidths.Pair) -> Int { DSPModel.multiply(pair.a, pair.b, family: family) }
        grid = dsp(widths.grid)
        score = dsp(widths.score)
        scale = dsp(widths.scale)
        value = dsp(widths.value)
        normalise = dsp(widths.normalise)
        square = dsp(widths.square)
        centre = dsp(widths.centre)
        gamma = dsp(widths.gamma)
        gateScore = dsp(widths.gateScore)
        combine = dsp(widths.combine)
        let interpolation = dsp(widths.interpolation)
        expUnit = dsp(widths.log2e) + interpolation
        reciprocalUnit = interpolation
        rsqrtUnit = interpolation
        geluUnit = interpolation
        dividers = ConstantDivider(divisor: embedDim, bits: widths.divideSum.a).dsp(family: family)
            + ConstantDivider(divisor: embedDim, bits: widths.divideSquares.a).dsp(family: family)
    }
}
