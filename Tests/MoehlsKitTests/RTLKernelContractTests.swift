import Foundation
import Testing
@testable import MoehlsKit

/// The kernels' contract at the edges of their parameter space: narrow formats (no X), write
/// ports that write each result exactly once, busy held until done (the testbenches count the
/// writes and watch busy, and print an ERROR line the runner fails on).
@Suite("RTL kernel contract", .tags(.simulation))
struct RTLKernelContractTests {
    /// Simulates every stimulus of each shape; all must pass, cycles as the RTL formula.
    static func simulateLinear(_ invocations: [(RTLLinearShape, RTLLinearStimulus)], tag: String) throws -> [RTLInvocationResult] {
        _ = try ExternalTool.iverilog.require()
        let scratch = RTLScratch.folder(tag)
        defer { RTLScratch.remove(scratch) }
        var shapes: [RTLLinearShape] = []
        for (shape, _) in invocations where !shapes.contains(shape) { shapes.append(shape) }
        var results: [RTLInvocationResult] = []
        for shape in shapes {
            let stimuli = invocations.filter { $0.0 == shape }.map(\.1)
            for result in try RTLPlanRunner.simulate(shape, stimuli, in: scratch) {
                #expect(result.passed, "\(result)")
                #expect(result.measuredCycles == RTLLinearPrediction(shape: shape).rtlCycles(tokens: result.tokens), "\(result)")
                results.append(result)
            }
        }
        return results
    }

    /// tiny-moe with its accumulator (and bias) replaced.
    static func tinyMoE(accumulator: String, bias: String? = nil) throws -> ModelSpec {
        var spec = try RTLTinyMoE.tinyMoE()
        spec.precision.accumulator = try FixedFormat.parse(accumulator).get()
        if let bias { spec.precision.bias = try FixedFormat.parse(bias).get() }
        return spec
    }

    @Test("GELU with accumulators of 2 integer bits (fixed<24,2>, fixed<12,2>): every output bit-exact, none X",
          arguments: [("fixed<24,2>", nil), ("fixed<12,2>", "fixed<16,8>")] as [(String, String?)])
    func geluNarrowAccumulator(accumulator: String, bias: String?) async throws {
        let spec = try Self.tinyMoE(accumulator: accumulator, bias: bias)
        let gelu = try RTLTinyMoE.invocations(spec: spec).filter { $0.0.gelu }
        #expect(gelu.count >= 1)
        // negative outputs: GELU's dip below zero is exercised, not only its linear part
        #expect(gelu.contains { $0.1.expected.contains { $0 < 0 } })
        let results = try Self.simulateLinear(gelu, tag: "gelu-narrow")
        #expect(results.count == gelu.count)
        try await RTLUnitCheck.lint([gelu[0].0], tag: "contract-lint")
    }

    @Test("T_out not a multiple of T_in, and T_out < T_in: bit-exact, each result written exactly once",
          arguments: [DesignPoint.LinearEngine(tIn: 4, tOut: 6, lanes: 2), DesignPoint.LinearEngine(tIn: 4, tOut: 2, lanes: 3)])
    func partialChunks(engine: DesignPoint.LinearEngine) async throws {
        // Q/K/V (three segments), a GELU fc1, the bias-less gate (4 outputs: one partial slab)
        // and the first expert fc2
        let all = try RTLTinyMoE.invocations(engine: engine)
        let fc2 = try #require(all.first { $0.1.name.contains("experts") && $0.1.name.hasSuffix(".fc2") }).1.name
        let names: Set = ["blocks.0.attn.qkv", "blocks.0.mlp.fc1", "blocks.1.mlp.gates.0", fc2]
        let invocations = all.filter { names.contains($0.1.name) }
        #expect(invocations.count == names.count)
        if engine.tOut > engine.tIn {
            #expect(invocations.contains { $0.0.outputs % engine.tOut != 0 }, "a partial last slab")
        }
        let results = try Self.simulateLinear(invocations, tag: "chunks")
        #expect(results.count == names.count)
        try await RTLUnitCheck.lint(invocations.map(\.0), tag: "contract-lint")
    }

    /// An attention block whose activation has `integerBits` integer bits (scores and outputs).
    static func attentionSpec(activation: String) throws -> ModelSpec {
        let text = """
            kind: attention
            name: narrow-attention
            tokens: 6
            embed_dim: 16
            heads: 2
            precision:
              activation: \(activation)
              accumulator: fixed<32,10>

            """
        return try ModelLoader.parse(text: text, file: "narrow-attention.yaml")
    }

    @Test("attention with activations of 0 and 1 integer bits (the exp unit's shift): bit-exact, none X",
          arguments: ["fixed<16,0>", "fixed<16,1>", "fixed<12,1,AP_TRN,AP_SAT>"])
    func narrowActivationAttention(activation: String) async throws {
        let spec = try Self.attentionSpec(activation: activation)
        let (shape, stimuli) = try RTLAttentionFixtures.invocations(spec, engine: RTLAttentionFixtures.engine)
        #expect(!stimuli.isEmpty)
        _ = try RTLAttentionFixtures.check(shape, stimuli)
        try await RTLUnitCheck.lint([shape], tag: "contract-lint")
    }
}
