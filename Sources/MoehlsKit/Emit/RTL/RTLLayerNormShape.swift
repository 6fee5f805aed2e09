/// One parameter set of the Verilog LayerNorm unit (`Templates/rtl/moehls_layernorm.v`,
/// docs/kernels-layernorm.md): the activation and parameter formats, the lanes, D and eps.
/// The token count is a run-time input, so every LayerNorm of a model with the same formats
/// shares one compiled simulation.
public struct RTLLayerNormShape: Hashable, Codable, Sendable, CustomStringConvertible {
    /// Input and output format (the residual stream and the LayerNorm output).
    public var activation: FixedFormat
    public var gamma: FixedFormat
    public var beta: FixedFormat
    /// `T_ln`: values per cycle of each pass.
    public var lanes: Int
    /// D: features per token.
    public var embedDim: Int
    /// The largest token count the compiled testbench accepts.
    public var maxTokens: Int
    public var epsilon: Double

    public init(activation: FixedFormat, gamma: FixedFormat, beta: FixedFormat, lanes: Int, embedDim: Int,
                maxTokens: Int, epsilon: Double) {
        self.activation = activation
        self.gamma = gamma
        self.beta = beta
        self.lanes = lanes
        self.embedDim = embedDim
        self.maxTokens = maxTokens
        self.epsilon = epsilon
    }

    /// The shape of `spec`'s LayerNorms on `lanes` lanes.
    public init(spec: ModelSpec, lanes: Int) {
        self.init(activation: spec.precision.activation, gamma: spec.precision.layerNorm, beta: spec.precision.layerNorm,
                  lanes: lanes, embedDim: spec.embedDim, maxTokens: spec.tokens, epsilon: spec.layerNormEps)
    }

    /// K = ceil(D / T_ln): cycles per token of each pass.
    public var chunks: Int { ceilDiv(embedDim, lanes) }
    /// eps in units of 2^-(2 AF), as the golden model rounds it.
    public var epsilonRaw: Int128 { FixedKernels.layerNormEpsilonRaw(epsilon, fractionBits: activation.fractionBits) }

    public var identifier: String {
        let a = activation
        return "ln\(embedDim)_\(lanes)_a\(a.width)_\(a.fractionBits)\(a.overflow == .sat ? "s" : "")"
            + "_g\(gamma.width)_\(gamma.fractionBits)_b\(beta.width)_\(beta.fractionBits)_e\(String(epsilonRaw, radix: 16))"
            + "_t\(maxTokens)"
    }

    public var description: String {
        "LayerNorm D \(embedDim) on \(lanes) lanes (\(activation), gamma \(gamma), beta \(beta), eps \(epsilon))"
    }

    /// ceil(log2 D).
    var dBits: Int { ceilLog2(embedDim) }
    /// Bits of the offset sum of x and of the sum of x^2 (the divider inputs).
    var sumBits: Int { activation.width + dBits }
    var squareSumBits: Int { 2 * activation.width + dBits - 1 }
    var isPowerOfTwo: Bool { embedDim & (embedDim - 1) == 0 }

    /// `M` of `floor(n / D) = (n M) >> S` for `n < 2^bits` (`ConstantDivider`); nil past 127 bits.
    func divisor(bits: Int) -> UInt128? { ConstantDivider(divisor: embedDim, bits: bits).multiplier }

    /// Checks that the RTL implements the shape; the message names what it does not.
    public func validate() throws(RTLUnsupported) {
        func fail(_ message: String) throws(RTLUnsupported) { throw RTLUnsupported(message: message) }
        if !activation.isSigned { try fail("LayerNorm activation format \(activation) must be signed") }
        if activation.quantization != .trn {
            try fail("LayerNorm output quantisation \(activation.quantization.rawValue) is not implemented in RTL yet (AP_TRN only)")
        }
        if activation.overflow != .wrap && activation.overflow != .sat {
            try fail("LayerNorm output overflow \(activation.overflow.rawValue) is not implemented in RTL yet (AP_WRAP, AP_SAT)")
        }
        if !gamma.isSigned || !beta.isSigned { try fail("LayerNorm gamma \(gamma) and beta \(beta) must be signed") }
        if embedDim < 2 { try fail("LayerNorm over D = \(embedDim) features: D must be at least 2") }
        if lanes < 1 || lanes > embedDim { try fail("LayerNorm lanes \(lanes) must be in 1 ... D = \(embedDim)") }
        if maxTokens < 1 { try fail("max tokens must be at least 1") }
        if divisor(bits: squareSumBits) == nil {
            try fail("LayerNorm sums of \(activation) over D = \(embedDim) need a \(squareSumBits + dBits)-bit divider shift; at most 127 is implemented")
        }
        if epsilonRaw >= Int128(1) << (2 * activation.width) {
            try fail("LayerNorm eps \(epsilon) is too large for \(activation) (eps x 2^(2 AF) must be below 2^(2 AW))")
        }
    }

    /// `#(...)` parameter overrides of `moehls_layernorm`.
    public var verilogParameters: [(String, String)] {
        func literal(_ value: UInt128) -> (width: String, value: String) {
            let bits = max(1, 128 - value.leadingZeroBitCount)
            return ("\(bits)", "\(bits)'h" + String(value, radix: 16))
        }
        let m1 = literal(isPowerOfTwo ? 1 : divisor(bits: sumBits) ?? 1)
        let m2 = literal(isPowerOfTwo ? 1 : divisor(bits: squareSumBits) ?? 1)
        let eps = literal(UInt128(epsilonRaw))
        let rsqrt = RsqrtUnit().table
        return [("AW", "\(activation.width)"), ("AF", "\(activation.fractionBits)"),
                ("O_SAT", activation.overflow == .sat ? "1" : "0"),
                ("GW", "\(gamma.width)"), ("GF", "\(gamma.fractionBits)"), ("BW", "\(beta.width)"), ("BF", "\(beta.fractionBits)"),
                ("L", "\(lanes)"), ("D", "\(embedDim)"), ("MAX_TOK", "\(maxTokens)"),
                ("POW2", isPowerOfTwo ? "1" : "0"), ("LOG2D", "\(dBits)"),
                ("M1W", m1.width), ("M1", m1.value), ("M2W", m2.width), ("M2", m2.value),
                ("EPSW", eps.width), ("EPS", eps.value),
                ("ROM", "\"\(RTLRom.rsqrtFile)\""), ("ENTRIES", "\(rsqrt.entries.count)"), ("EW", "\(rsqrt.entryBits)")]
    }

    /// Cycles from the start pulse to done, as the testbench counts them:
    /// `(n + 1) K + 40 + log2c(T_ln)` (docs/kernels-layernorm.md).
    public func rtlCycles(tokens: Int) -> Int {
        (tokens + 1) * chunks + 40 + ceilLog2(lanes)
    }

    /// The cost model's figure for the same call (`LayerNormTiming.cycles`) minus
    /// `invocation_overhead`, the controller's turnaround a unit testbench does not see.
    public func cycles(tokens: Int, micro m: MicroArchitecture = .v1) -> Int {
        LayerNormTiming(lanes: lanes, embedDim: embedDim, micro: m).cycles(tokens: tokens) - m.invocationOverhead
    }

    /// Multipliers in the unit: x^2, (x - mean) mant and normalised gamma per lane, mean^2, the
    /// two dividers (not for a power-of-two D) and the 1/sqrt interpolation.
    public var multiplierCount: Int { 3 * lanes + 2 + (isPowerOfTwo ? 0 : 2) }
}
