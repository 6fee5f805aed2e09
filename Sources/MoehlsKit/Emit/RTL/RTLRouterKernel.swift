/// One parameter set of the Verilog router (`Templates/rtl/moehls_router.v`,
/// docs/kernels-router.md): the gate's softmax and top-k over E logits per token, writing the
/// expert queues. The token count is a run-time input.
public struct RTLRouterShape: Hashable, Codable, Sendable, CustomStringConvertible {
    /// Logit and score format (the activation).
    public var activation: FixedFormat
    public var experts: Int
    public var topK: Int
    public var normalisation: MoESpec.ScoreNormalisation
    public var maxTokens: Int

    public init(activation: FixedFormat, experts: Int, topK: Int, normalisation: MoESpec.ScoreNormalisation, maxTokens: Int) {
        self.activation = activation
        self.experts = experts
        self.topK = topK
        self.normalisation = normalisation
        self.maxTokens = maxTokens
    }

    /// The router of `spec`'s MoE layers, or nil without MoE.
    public init?(spec: ModelSpec, maxTokens: Int? = nil) {
        guard let moe = spec.moe else { return nil }
        self.init(activation: spec.precision.activation, experts: moe.experts, topK: moe.topK,
                  normalisation: moe.scoreNormalisation, maxTokens: maxTokens ?? spec.tokens)
    }

    var expertBits: Int { experts > 1 ? ceilLog2(experts) : 1 }

    public var identifier: String {
        let a = activation
        return "router_e\(experts)k\(topK)_\(normalisation == .softmaxAll ? "all" : "topk")_a\(a.width)_\(a.fractionBits)"
            + "\(a.overflow == .sat ? "s" : "")_t\(maxTokens)"
    }

    public var description: String {
        "router: top-\(topK) of \(experts) experts, \(normalisation.rawValue) (\(activation))"
    }

    /// Checks that the RTL implements the shape; the message names what it does not.
    public func validate() throws(RTLUnsupported) {
        func fail(_ message: String) throws(RTLUnsupported) { throw RTLUnsupported(message: message) }
        if !activation.isSigned { try fail("router logit format \(activation) must be signed") }
        if activation.quantization != .trn {
            try fail("router score quantisation \(activation.quantization.rawValue) is not implemented in RTL yet (AP_TRN only)")
        }
        if activation.overflow != .wrap && activation.overflow != .sat {
            try fail("router score overflow \(activation.overflow.rawValue) is not implemented in RTL yet (AP_WRAP, AP_SAT)")
        }
        if experts < 2 { try fail("router over \(experts) experts: at least 2") }
        if topK < 1 || topK > experts { try fail("router top-k \(topK) must be in 1 ... \(experts)") }
        if maxTokens < 1 { try fail("max tokens must be at least 1") }
    }

    /// `#(...)` parameter overrides of `moehls_router`.
    public var verilogParameters: [(String, String)] {
        let exp = Exp2Unit().table, recip = ReciprocalUnit().table
        return [("AW", "\(activation.width)"), ("AF", "\(activation.fractionBits)"),
                ("O_SAT", activation.overflow == .sat ? "1" : "0"), ("E", "\(experts)"), ("KTOP", "\(topK)"),
                ("SOFTMAX_ALL", normalisation == .softmaxAll ? "1" : "0"), ("MAX_TOK", "\(maxTokens)"),
                ("EXP_ROM", "\"\(RTLRom.exp2File)\""), ("EXP_ENTRIES", "\(exp.entries.count)"), ("EXP_EW", "\(exp.entryBits)"),
                ("RECIP_ROM", "\"\(RTLRom.reciprocalFile)\""), ("RECIP_ENTRIES", "\(recip.entries.count)"),
                ("RECIP_EW", "\(recip.entryBits)")]
    }

    /// Cycles from the start pulse to done as the testbench counts them: `(n + 1) E + 25 + k`.
    public func rtlCycles(tokens: Int) -> Int { (tokens + 1) * experts + 25 + topK }

    /// The cost model's `UnitTiming.gate` less `invocation_overhead`.
    public func cycles(tokens: Int, micro m: MicroArchitecture = .v1) -> Int {
        UnitTiming.gate(tokens: tokens, experts: experts, topK: topK, micro: m) - m.invocationOverhead
    }
}

/// The router and its testbench `moehls_router_tb` (two read ports of one logit buffer, the queue
/// memory counting its writes).
extension RTLRouterShape: RTLKernel {
    public static let kind = RTLKernelKind.router
    public static let testbenchTop = "moehls_router_tb"
    public static let sources = ["moehls_mul.v", "moehls_exp.v", "moehls_recip.v", "moehls_router.v"]
    public static var roms: [RenderedFile] { [RTLRom.exp2, RTLRom.reciprocal] }
    /// The exp unit's two, the reciprocal's one and the score multiplier.
    public var multipliers: Int { 4 }
    public var units: [RTLUnit] { [RTLUnit(top: "moehls_router", sources: Self.sources, parameters: verilogParameters)] }

    var timeoutCycles: Int { 10 * rtlCycles(tokens: maxTokens) + 1000 }

    public func testbench() throws -> String {
        try TemplateRenderer(Testbench(
            header: "built for " + verilogAssignments(verilogParameters), experts: experts, topK: topK, maxTokens: maxTokens,
            tokenBits: bitsFor(maxTokens), expertBits: expertBits, aWidth: activation.width, timeoutCycles: timeoutCycles,
            unitParameters: verilogOverrides(verilogParameters)))
            .renderTemplate("rtl/moehls_router_tb.v")
    }

    /// The placeholders of moehls_router_tb.v.
    struct Testbench: TemplateContext {
        var header: String
        var experts, topK, maxTokens, tokenBits, expertBits, aWidth, timeoutCycles: Int
        var unitParameters: String
    }
}

/// One router call: the gate's logits and the golden routing as queues.
public struct RTLRouterStimulus: Hashable, Sendable {
    public var name: String
    public var tokens: Int
    public var logits: String
    /// Expert-major, `maxTokens` entries per expert: `score << TOKB | token`, 0 past the length.
    public var queues: [Int64]
    public var lengths: [Int64]

    public init(name: String, logits: FixedMatrix, routing: Routing<Int64>, shape: RTLRouterShape) {
        self.name = name
        tokens = logits.rows
        self.logits = "// \(name) logits\n" + RTLSimulationPlan.memh(logits.raw, width: logits.format.width)
        let tokenBits = bitsFor(shape.maxTokens), scoreMask = (Int64(1) << shape.activation.width) - 1
        var entries = [Int64](repeating: 0, count: shape.experts * shape.maxTokens)
        let queues = routing.queues(experts: shape.experts)
        for (expert, queue) in queues.enumerated() {
            for (position, token) in queue.enumerated() {
                let score = routing.score(token: token, expert: expert)!
                entries[expert * shape.maxTokens + position] = ((score & scoreMask) << tokenBits) | Int64(token)
            }
        }
        self.queues = entries
        lengths = queues.map { Int64($0.count) }
    }

    /// The router calls of a forward pass: each MoE layer's gate logits (the active task's gate)
    /// and the routing the golden model chose.
    public static func calls(_ golden: GoldenModel, trace: GoldenTrace, shape: RTLRouterShape) -> [RTLRouterStimulus] {
        trace.calls(.linear).compactMap { call -> RTLRouterStimulus? in
            guard call.name.contains(".mlp.gates."), let layer = call.layer, let routing = trace.result.routing[layer] else { return nil }
            return RTLRouterStimulus(name: "blocks.\(layer).mlp.router", logits: call.output, routing: routing, shape: shape)
        }
    }
}

extension RTLRouterStimulus: RTLStimulus {
    /// `logits.hex`, `queues.hex` and `lengths.hex` (expected) under `folder`; one `CYCLES` step
    /// checking both outputs.
    public func simulation(on shape: RTLRouterShape, folder: String) -> (files: [RenderedFile], case: RTLSimulationPlan.Case) {
        let entryBits = shape.activation.width + bitsFor(shape.maxTokens), lengthBits = bitsFor(shape.maxTokens)
        let files = [RenderedFile(path: folder + "logits.hex", text: logits),
                     RenderedFile(path: folder + "queues.hex", text: RTLSimulationPlan.memh(queues, width: entryBits)),
                     RenderedFile(path: folder + "lengths.hex", text: RTLSimulationPlan.memh(lengths, width: lengthBits))]
        let outputs = [RTLSimulationPlan.Output(plusarg: "queues", expected: folder + "queues.hex", width: entryBits, signed: false),
                       RTLSimulationPlan.Output(plusarg: "lengths", expected: folder + "lengths.hex", width: lengthBits, signed: false)]
        let step = RTLSimulationPlan.Step(
            name: name, tag: "CYCLES", tokens: tokens, predictedCycles: shape.cycles(tokens: tokens),
            kernelCycles: shape.rtlCycles(tokens: tokens),
            checks: [.init(output: "queues", offset: 0, count: queues.count), .init(output: "lengths", offset: 0, count: lengths.count)])
        let c = RTLSimulationPlan.Case(name: name, shape: shape.identifier,
                                       plusargs: ["logits=\(folder)logits.hex", "tokens=\(tokens)"], outputs: outputs, steps: [step])
        return (files, c)
    }
}
