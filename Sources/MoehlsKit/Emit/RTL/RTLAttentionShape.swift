/// One parameter set of the Verilog attention kernel (`Templates/rtl/moehls_attention.v`): the
/// formats, the head shape, the engine and the scale. The number of heads of an invocation is a
/// run-time input (`n_heads`, at most `heads`), so one compiled simulation serves every call.
public struct RTLAttentionShape: Hashable, Codable, Sendable, CustomStringConvertible {
    /// Format of Q, K, V, the scores and the outputs (the model's activation format).
    public var activation: FixedFormat
    public var accumulator: FixedFormat
    /// N: tokens per head (keys and query rows).
    public var tokens: Int
    /// hd: the head dimension.
    public var headDim: Int
    /// The largest number of heads of one invocation (sizes the counters).
    public var heads: Int
    public var engine: DesignPoint.AttentionEngine
    /// The attention scale (multiplier of Q.K^T).
    public var scale: Double

    public init(activation: FixedFormat, accumulator: FixedFormat, tokens: Int, headDim: Int, heads: Int,
                engine: DesignPoint.AttentionEngine, scale: Double) {
        self.activation = activation
        self.accumulator = accumulator
        self.tokens = tokens
        self.headDim = headDim
        self.heads = heads
        self.engine = engine
        self.scale = scale
    }

    /// The shape of `spec`'s attention (all its heads in one invocation) on `engine`.
    public init(spec: ModelSpec, engine: DesignPoint.AttentionEngine) {
        self.init(activation: spec.precision.activation, accumulator: spec.precision.accumulator, tokens: spec.tokens,
                  headDim: spec.embedDim / spec.heads, heads: spec.heads, engine: engine, scale: spec.attention.scale)
    }

    /// C_a = ceil(hd / T_a).
    public var chunks: Int { ceilDiv(headDim, engine.tA) }
    /// ceil(N / N_a).
    public var blocksPerHead: Int { ceilDiv(tokens, engine.rows) }
    /// G = ceil(log2 N): integer bits added to the value accumulator.
    public var guardBits: Int { FixedKernels.guardBits(tokens) }
    /// The 18-bit scale constant and its fraction bits (`FixedKernels.scaleConstant`).
    public var scaleConstant: (raw: Int64, fractionBits: Int) { FixedKernels.scaleConstant(scale) }
    /// The scale is applied as a shift (its constant is exactly 2^17).
    public var scaleIsShift: Bool { scaleConstant.raw == 1 << 17 }

    /// A short file-name-safe identifier (`a17x16h2_4x4_a32_22_c32_22_s131072_19`).
    public var identifier: String {
        let (raw, bits) = scaleConstant
        return "a\(tokens)x\(headDim)h\(heads)_\(engine.tA)x\(engine.rows)_a\(activation.width)_\(activation.fractionBits)"
            + "\(activation.overflow == .sat ? "s" : "")_c\(accumulator.width)_\(accumulator.fractionBits)_s\(raw)_\(bits)"
    }

    public var description: String {
        "attention \(tokens) tokens x \(headDim) (up to \(heads) heads) on T_a x N_a = \(engine) "
            + "(\(activation), accumulator \(accumulator), scale \(scale))"
    }

    /// Checks that the RTL implements these formats; the message names the unsupported mode.
    public func validate() throws(RTLUnsupported) {
        func fail(_ message: String) throws(RTLUnsupported) { throw RTLUnsupported(message: message) }
        if tokens < 2 { try fail("attention needs at least 2 tokens (got \(tokens))") }
        if headDim < 1 || heads < 1 { try fail("head dimension and heads must be positive") }
        if engine.tA < 1 || engine.rows < 1 { try fail("engine \(engine): T_a and N_a must be positive") }
        if !activation.isSigned { try fail("activation format \(activation) must be signed") }
        if activation.quantization != .trn {
            try fail("activation quantisation \(activation.quantization.rawValue) is not implemented in RTL yet (AP_TRN only)")
        }
        if activation.overflow != .wrap && activation.overflow != .sat {
            try fail("activation overflow \(activation.overflow.rawValue) is not implemented in RTL yet (AP_WRAP, AP_SAT)")
        }
        if activation.fractionBits < 0 || activation.fractionBits > activation.width {
            try fail("activation format \(activation) needs 0 <= I <= W")
        }
        if !accumulator.isSigned { try fail("accumulator format \(accumulator) must be signed") }
        if accumulator.overflow != .wrap {
            try fail("accumulator format \(accumulator) must wrap (AP_WRAP); docs/numerics.md, \"Accumulation\"")
        }
        let f = activation.fractionBits, c = accumulator.fractionBits
        if accumulator.quantization != .trn && (2 * f > c || Exp2Unit.outputFractionBits + f > c) {
            try fail("accumulator quantisation \(accumulator.quantization.rawValue) is not implemented in RTL yet (AP_TRN only)")
        }
        if !(scale > 0) || !scale.isFinite { try fail("attention scale \(scale) must be positive and finite") }
        if scaleConstant.raw >= 1 << 18 { try fail("attention scale \(scale) rounds to a 19-bit constant; use a power of two") }
        if Exp2Unit().table.entryBits > 25 || ReciprocalUnit().table.entryBits > 25 {
            try fail("exp or reciprocal table wider than 25 bits")
        }
    }

    /// `#(.AW(32), ...)` parameter overrides of the kernel instance.
    public var verilogParameters: [(String, String)] {
        let (raw, bits) = scaleConstant
        let exp = Exp2Unit().table, recip = ReciprocalUnit().table
        return [
            ("AW", "\(activation.width)"), ("AF", "\(activation.fractionBits)"),
            ("O_SAT", activation.overflow == .sat ? "1" : "0"),
            ("CW", "\(accumulator.width)"), ("CF", "\(accumulator.fractionBits)"),
            ("SCALE_RAW", "\(raw)"), ("SCALE_BITS", "\(bits)"),
            ("N", "\(tokens)"), ("HD", "\(headDim)"), ("T_A", "\(engine.tA)"), ("N_A", "\(engine.rows)"),
            ("MAX_HEADS", "\(heads)"),
            ("EXP_ROM", "\"\(RTLRom.exp2File)\""), ("EXP_ENTRIES", "\(exp.entries.count)"), ("EXP_EW", "\(exp.entryBits)"),
            ("RECIP_ROM", "\"\(RTLRom.reciprocalFile)\""), ("RECIP_ENTRIES", "\(recip.entries.count)"),
            ("RECIP_EW", "\(recip.entryBits)"),
        ]
    }

    // Port widths as the kernel computes them (for the testbench).
    var headBits: Int { bitsFor(heads + 1) }
    var tokenBits: Int { bitsFor(blocksPerHead * engine.rows) }
    var chunkBits: Int { bitsFor(chunks) }

    /// DSP48E2 blocks the RTL uses (`moehls_mul` splits every product as `DSPModel.multiply`
    /// counts it): per row T_a score products (A x A), T_a value products (exp output, 24-bit
    /// unsigned, x A), an exp unit (`(A + 1) x 26` for log2(e), `26 x 17` for the interpolation) and,
    /// unless the scale is a shift, the scale product (C x 19); T_a normalising products
    /// (`(C + G) x 26`); the reciprocal unit's interpolation (`26 x 17`).
    public var rtlDSP: Int {
        func dsp(_ a: Int, _ b: Int) -> Int { DSPModel.multiply(a, b, family: .ultrascalePlus) }
        let a = activation.width, c = accumulator.width
        let interpolation = dsp(Exp2Unit().table.entryBits + 1, 17)
        let perRow = engine.tA * (dsp(a, a) + dsp(a, 25)) + dsp(a + 1, 26) + interpolation
            + (scaleIsShift ? 0 : dsp(c, 19))
        return engine.rows * perRow + engine.tA * dsp(c + guardBits, ReciprocalUnit().table.entryBits + 1)
            + dsp(ReciprocalUnit().table.entryBits + 1, 17)
    }
}
