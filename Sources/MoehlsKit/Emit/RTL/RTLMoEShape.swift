/// One parameter set of the MoE units (`Templates/rtl/moehls_gather.v`, `moehls_combine.v`):
/// the formats, the engine's `T_in` and `N_L`, the layer's width, the experts and the largest
/// token count. Queue lengths and the token count are run-time inputs, so every MoE layer of a
/// model (and every routing) shares one compiled simulation.
public struct RTLMoEShape: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The activation format: LayerNorm output, scores, expert outputs, residual and result
    /// (`FixedKernels.route`, `combine`, `combineFinish`, `add` all use it).
    public var activation: FixedFormat
    public var accumulator: FixedFormat
    /// The linear engine the units serve: `T_in` columns per chunk, `N_L` token lanes (`T_out` is
    /// not used).
    public var engine: DesignPoint.LinearEngine
    /// D, the width of a token.
    public var embedDim: Int
    public var experts: Int
    public var topK: Int
    /// The largest token count of a layer (sizes the accumulators and the testbench's buffers).
    public var maxTokens: Int

    public init(activation: FixedFormat, accumulator: FixedFormat, engine: DesignPoint.LinearEngine,
                embedDim: Int, experts: Int, topK: Int, maxTokens: Int) {
        self.activation = activation
        self.accumulator = accumulator
        self.engine = engine
        self.embedDim = embedDim
        self.experts = experts
        self.topK = topK
        self.maxTokens = maxTokens
    }

    /// The shape of a model's MoE layers on `engine` (nil for a model without MoE).
    public init?(spec: ModelSpec, engine: DesignPoint.LinearEngine, maxTokens: Int? = nil) {
        guard let moe = spec.moe else { return nil }
        self.init(activation: spec.precision.activation, accumulator: spec.precision.accumulator, engine: engine,
                  embedDim: spec.embedDim, experts: moe.experts, topK: moe.topK, maxTokens: maxTokens ?? spec.tokens)
    }

    /// K = ceil(D / T_in): chunks per token.
    public var blocks: Int { ceilDiv(embedDim, engine.tIn) }
    /// Token-expert pairs of a layer at most: every token chooses `topK` experts.
    public var maxPairs: Int { maxTokens * topK }
    /// Bits of token ids, queue positions and counts (`clog2(MAX_TOK + 1)` in the units).
    public var tokenBits: Int { bitsFor(maxTokens) }
    /// Bits of a block index (`clog2(K + 1)`).
    public var blockBits: Int { bitsFor(blocks) }

    /// A short file-name-safe identifier (`moe_d32_e4k2_4x2_t17_a32_22_c32_22`).
    public var identifier: String {
        "moe_d\(embedDim)_e\(experts)k\(topK)_\(engine.tIn)x\(engine.lanes)_t\(maxTokens)"
            + "_a\(activation.width)_\(activation.fractionBits)\(activation.overflow == .sat ? "s" : "")"
            + "_c\(accumulator.width)_\(accumulator.fractionBits)"
    }

    public var description: String {
        "MoE gather/combine D \(embedDim), \(experts) experts top-\(topK), T_in \(engine.tIn), N_L \(engine.lanes), "
            + "up to \(maxTokens) tokens (\(activation) x \(activation) -> \(accumulator) -> \(activation))"
    }

    /// Checks that the RTL implements these formats; the message names the unsupported mode.
    public func validate() throws(RTLUnsupported) {
        func fail(_ message: String) throws(RTLUnsupported) { throw RTLUnsupported(message: message) }
        if !activation.isSigned { try fail("activation format \(activation) must be signed (scores, expert outputs, residual)") }
        if !accumulator.isSigned { try fail("accumulator format \(accumulator) must be signed") }
        if accumulator.overflow != .wrap {
            try fail("accumulator format \(accumulator) must wrap (AP_WRAP); docs/numerics.md, \"Accumulation\"")
        }
        if accumulator.quantization != .trn && 2 * activation.fractionBits > accumulator.fractionBits {
            try fail("accumulator quantisation \(accumulator.quantization.rawValue) is not implemented in RTL yet (AP_TRN only)")
        }
        if activation.quantization != .trn && accumulator.fractionBits > activation.fractionBits {
            try fail("activation quantisation \(activation.quantization.rawValue) is not implemented in RTL yet (AP_TRN only)")
        }
        if activation.overflow != .wrap && activation.overflow != .sat {
            try fail("activation overflow \(activation.overflow.rawValue) is not implemented in RTL yet (AP_WRAP, AP_SAT)")
        }
        if embedDim < 1 || experts < 1 || topK < 1 || topK > experts { try fail("D, experts and top-k must be positive, top-k <= experts") }
        if maxTokens < 1 { try fail("max tokens must be at least 1") }
        if engine.tIn < 1 || engine.lanes < 1 { try fail("T_in and N_L must be positive") }
    }

    /// `#(...)` parameter overrides of `moehls_gather`.
    public var gatherParameters: [(String, String)] {
        [("XW", "\(activation.width)"), ("T_IN", "\(engine.tIn)"), ("K", "\(blocks)"), ("MAX_TOK", "\(maxTokens)")]
    }

    /// `#(...)` parameter overrides of `moehls_combine`.
    public var combineParameters: [(String, String)] {
        let a = activation, c = accumulator
        return [
            ("SW", "\(a.width)"), ("SF", "\(a.fractionBits)"), ("YW", "\(a.width)"), ("YF", "\(a.fractionBits)"),
            ("CW", "\(c.width)"), ("CF", "\(c.fractionBits)"), ("XW", "\(a.width)"), ("XF", "\(a.fractionBits)"),
            ("OW", "\(a.width)"), ("OF", "\(a.fractionBits)"), ("O_SAT", a.overflow == .sat ? "1" : "0"),
            ("T_IN", "\(engine.tIn)"), ("N_L", "\(engine.lanes)"), ("K", "\(blocks)"), ("MAX_TOK", "\(maxTokens)"),
        ]
    }

    /// DSP48E2 blocks the RTL uses: `T_in` combine multipliers of activation x activation
    /// (`DSPModel.multiply`); the gather and the finish pass have none.
    public var rtlDSP: Int {
        engine.tIn * DSPModel.multiply(activation.width, activation.width, family: .ultrascalePlus)
    }
}

/// Cycle counts of the MoE units, start pulse to done, from the cost model's formulas
/// (`UnitTiming`, docs/cost-model.md "Experts"). The finish figure excludes `invocation_overhead`,
/// the controller's start/done turnaround a unit testbench does not see (as
/// `RTLLinearPrediction.cycles` does for the linear kernel).
public struct RTLMoEPrediction: Hashable, Sendable {
    public var shape: RTLMoEShape
    public var micro: MicroArchitecture = .v1

    public init(shape: RTLMoEShape) { self.shape = shape }

    public func gather(tokens: Int) -> Int {
        UnitTiming.gather(tokens: tokens, embedDim: shape.embedDim, tIn: shape.engine.tIn, micro: micro)
    }

    public func scatter(tokens: Int) -> Int {
        UnitTiming.scatter(tokens: tokens, embedDim: shape.embedDim, tIn: shape.engine.tIn, micro: micro)
    }

    public func finish(tokens: Int) -> Int {
        UnitTiming.combineFinish(tokens: tokens, embedDim: shape.embedDim, engine: shape.engine, micro: micro)
            - micro.invocationOverhead
    }

    /// One layer done unit after unit (no overlap): every non-empty queue's gather and scatter,
    /// then the finish over `tokens` tokens.
    public func sequential(queueLengths: [Int], tokens: Int) -> Int {
        queueLengths.filter { $0 > 0 }.reduce(0) { $0 + gather(tokens: $1) + scatter(tokens: $1) } + finish(tokens: tokens)
    }
}
