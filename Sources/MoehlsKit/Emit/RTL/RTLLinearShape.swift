/// One parameter set of the Verilog linear kernel (`Templates/rtl/moehls_linear.v`): the formats,
/// the grid, the layer shape and the weight port. Invocations of the same shape share one compiled
/// simulation; the token count is a run-time input (`n_tokens`), so expert queues of any length
/// reuse it.
public struct RTLLinearShape: Hashable, Codable, Sendable, CustomStringConvertible {
    public var input: FixedFormat
    public var weight: FixedFormat
    /// Bias format, or nil for layers without a bias (gates).
    public var bias: FixedFormat?
    public var accumulator: FixedFormat
    public var output: FixedFormat
    public var gelu: Bool
    public var engine: DesignPoint.LinearEngine
    /// d_in and d_out of the layer (unpadded).
    public var inputs: Int
    public var outputs: Int
    /// The largest token count the compiled testbench accepts.
    public var maxTokens: Int
    /// Weight port width in bits (the device's bytes per cycle times 8).
    public var beatBits: Int
    /// Cycles from the start pulse to the first weight beat (the memory latency).
    public var memoryLatency: Int

    public init(input: FixedFormat, weight: FixedFormat, bias: FixedFormat?, accumulator: FixedFormat,
                output: FixedFormat, gelu: Bool, engine: DesignPoint.LinearEngine, inputs: Int, outputs: Int,
                maxTokens: Int, beatBits: Int, memoryLatency: Int) {
        self.input = input
        self.weight = weight
        self.bias = bias
        self.accumulator = accumulator
        self.output = output
        self.gelu = gelu
        self.engine = engine
        self.inputs = inputs
        self.outputs = outputs
        self.maxTokens = maxTokens
        self.beatBits = beatBits
        self.memoryLatency = memoryLatency
    }

    /// K = ceil(d_in / T_in).
    public var inputBlocks: Int { ceilDiv(inputs, engine.tIn) }
    /// J = ceil(d_out / T_out).
    public var outputBlocks: Int { ceilDiv(outputs, engine.tOut) }
    /// GELU units of the write-back (`LinearEngineContext.geluUnits` for d_in = `inputs`), or nil
    /// without GELU (one converter per result of a chunk).
    public var geluUnits: Int? { gelu ? LinearEngineContext.geluUnits(engine: engine, inputs: inputs) : nil }
    /// ReLU before the output conversion (one register).
    public var relu: Bool = false
    /// Write-back cycles per token group (omega, `LinearEngineContext.writeBackCycles`).
    public var writeBackCycles: Int { LinearEngineContext.writeBackCycles(engine: engine, geluUnits: geluUnits) }
    /// Beats per grid row: ceil(T_in T_out w / beat).
    public var rowBeats: Int { ceilDiv(engine.tIn * engine.tOut * weight.width, beatBits) }
    /// Beats for a slab's biases (0 without a bias).
    public var biasBeats: Int { bias.map { ceilDiv(engine.tOut * $0.width, beatBits) } ?? 0 }
    /// Beats per slab as the RTL streams them: `biasBeats + K rowBeats`.
    public var slabBeats: Int { biasBeats + inputBlocks * rowBeats }

    /// A short file-name-safe identifier (`l192x32_4x4x2_g`).
    public var identifier: String {
        var name = "l\(inputs)x\(outputs)_\(engine.tIn)x\(engine.tOut)x\(engine.lanes)"
        name += "_x\(input.width)\(input.isSigned ? "s" : "u")\(input.fractionBits)"
        name += "_w\(weight.width)_\(weight.fractionBits)"
        if let bias { name += "_b\(bias.width)_\(bias.fractionBits)" }
        if gelu { name += "_gelu" }
        if relu { name += "_relu" }
        return name
    }

    public var description: String {
        "linear \(inputs)->\(outputs) on \(engine) (\(input) x \(weight)\(bias.map { " + \($0)" } ?? "")"
            + " -> \(accumulator) -> \(output)\(gelu ? ", GELU" : "")\(relu ? ", ReLU" : ""))"
    }

    /// Checks that the RTL implements these formats; the message names the unsupported mode.
    public func validate() throws(RTLUnsupported) {
        func fail(_ message: String) throws(RTLUnsupported) { throw RTLUnsupported(message: message) }
        if !weight.isSigned { try fail("weight format \(weight) must be signed") }
        if !accumulator.isSigned { try fail("accumulator format \(accumulator) must be signed") }
        if accumulator.overflow != .wrap {
            try fail("accumulator format \(accumulator) must wrap (AP_WRAP); docs/numerics.md, \"Accumulation\"")
        }
        if accumulator.quantization != .trn && input.fractionBits + weight.fractionBits > accumulator.fractionBits {
            try fail("accumulator quantisation \(accumulator.quantization.rawValue) is not implemented in RTL yet (AP_TRN only)")
        }
        if !output.isSigned { try fail("output format \(output) must be signed") }
        if output.quantization != .trn && (accumulator.fractionBits > output.fractionBits || gelu) {
            try fail("output quantisation \(output.quantization.rawValue) is not implemented in RTL yet (AP_TRN only)")
        }
        if output.overflow != .wrap && output.overflow != .sat {
            try fail("output overflow \(output.overflow.rawValue) is not implemented in RTL yet (AP_WRAP, AP_SAT)")
        }
        if let bias {
            if !bias.isSigned { try fail("bias format \(bias) must be signed") }
            if bias.fractionBits > accumulator.fractionBits {
                try fail("bias \(bias) has more fraction bits than the accumulator \(accumulator); the RTL preloads it exactly")
            }
        }
        if writeBackCycles > inputBlocks {
            try fail("write-back needs \(writeBackCycles) cycles per group but "
                     + "d_in gives only K = \(inputBlocks); choose T_out <= T_in * K")
        }
        if gelu && relu { try fail("GELU and ReLU on one layer") }
        if maxTokens < engine.lanes { try fail("max tokens \(maxTokens) must be at least N_L = \(engine.lanes) (the token counters hold N_L)") }
        if maxTokens < 1 { try fail("max tokens must be at least 1") }
        if beatBits < 8 || beatBits % 8 != 0 { try fail("weight port width \(beatBits) is not a whole number of bytes") }
    }

    /// `#(.XW(8), ...)` parameter overrides of the kernel instance.
    public var verilogParameters: [(String, String)] {
        let b = bias ?? FixedFormat(width: 1, integerBits: 1)
        let gelu = GELUUnit().table
        return [
            ("XW", "\(input.width)"), ("XF", "\(input.fractionBits)"), ("X_SIGNED", input.isSigned ? "1" : "0"),
            ("WW", "\(weight.width)"), ("WF", "\(weight.fractionBits)"),
            ("BW", "\(b.width)"), ("BF", "\(bias == nil ? 0 : b.fractionBits)"), ("HAS_BIAS", bias == nil ? "0" : "1"),
            ("CW", "\(accumulator.width)"), ("CF", "\(accumulator.fractionBits)"),
            ("OW", "\(output.width)"), ("OF", "\(output.fractionBits)"), ("O_SAT", output.overflow == .sat ? "1" : "0"),
            ("GELU", self.gelu ? "1" : "0"), ("GELU_ROM", "\"\(RTLRom.geluFile)\""),
            ("GELU_ENTRIES", "\(gelu.entries.count)"), ("GELU_EW", "\(gelu.entryBits)"),
            ("GELU_UNITS", "\(geluUnits ?? 1)"), ("RELU", relu ? "1" : "0"),
            ("T_IN", "\(engine.tIn)"), ("T_OUT", "\(engine.tOut)"), ("N_L", "\(engine.lanes)"),
            ("D_IN", "\(inputBlocks * engine.tIn)"), ("D_OUT", "\(outputBlocks * engine.tOut)"),
            ("D_VALID", "\(outputs)"),
            ("MAX_TOK", "\(maxTokens)"), ("BEAT", "\(beatBits)"),
            ("ROW_BEATS", "\(rowBeats)"), ("BIAS_BEATS", "\(biasBeats)"),
        ]
    }
}

/// A format or parameter the Verilog kernels do not implement yet.
public struct RTLUnsupported: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { "error: RTL: \(message)" }
}

/// Bits to hold the values 0 ... value (at least 1), as the kernel's `clog2(value + 1)`.
func bitsFor(_ value: Int) -> Int {
    var bits = 0
    while (1 << bits) <= value { bits += 1 }
    return max(bits, 1)
}
extension RTLLinearShape {
    /// DSP48E2 blocks the RTL uses: the grid's multipliers at `DSPModel.multiply` each (operand
    /// widths as the RTL builds them: an unsigned input takes one more bit), plus one interpolation
    /// multiplier per GELU unit (`geluUnits`).
    public var rtlDSP: Int {
        let x = input.width + (input.isSigned ? 0 : 1)
        let grid = DSPModel.multiply(x, weight.width, family: .ultrascalePlus) * engine.multipliers
        let gelu = (geluUnits ?? 0) * DSPModel.multiply(GELUUnit().table.entryBits + 1, 17, family: .ultrascalePlus)
        return grid + gelu
    }
}
