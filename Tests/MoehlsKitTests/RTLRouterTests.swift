import Foundation
import Testing
@testable import MoehlsKit

/// Router calls: tiny-moe's gate, and synthetic logits with ties, both normalisations, k = 1 and
/// k = E, M3ViT's 16 experts.
enum RTLRouterFixtures {
    static func tinyMoE() throws -> (RTLRouterShape, [RTLRouterStimulus]) {
        let spec = try RTLTinyMoE.tinyMoE()
        let golden = try GoldenModel(spec: spec, seed: 1)
        let trace = GoldenTrace(golden, input: .synthetic(spec: spec, seed: 2))
        let shape = try #require(RTLRouterShape(spec: spec))
        return (shape, RTLRouterStimulus.calls(golden, trace: trace, shape: shape))
    }

    /// `tokens` rows of logits: row 0 all equal (ties everywhere), row 1 with a repeated maximum,
    /// the rest uniform over `span` raw units; the golden routing from `FixedKernels.route`.
    static func synthetic(_ shape: RTLRouterShape, tokens: Int, seed: UInt64, span: UInt64) -> RTLRouterStimulus {
        var rng = SplitMix64(seed: seed)
        var raw: [Int64] = []
        let half = Int64(1) << (shape.activation.width - 1)       // values stay inside the format
        let span = min(span, UInt64(half))
        for t in 0..<tokens {
            for j in 0..<shape.experts {
                switch t {
                case 0: raw.append(-half / 3)
                case 1: raw.append(j % 3 == 1 ? half / 2 : Int64(rng.next(below: 1000)))
                default: raw.append(Int64(rng.next(below: span)) - Int64(span / 2))
                }
            }
        }
        let logits = FixedMatrix(rows: tokens, columns: shape.experts, format: shape.activation, raw: raw)
        var precision = PrecisionSpec.m3vit
        precision.activation = shape.activation
        let routing = FixedKernels(precision: precision).route(logits: logits, topK: shape.topK, normalisation: shape.normalisation)
        return RTLRouterStimulus(name: "synthetic e\(shape.experts) k\(shape.topK) \(shape.normalisation.rawValue) seed \(seed)",
                                 logits: logits, routing: routing, shape: shape)
    }

    static func check(_ shape: RTLRouterShape, _ stimuli: [RTLRouterStimulus]) throws -> [String] {
        try RTLUnitCheck.simulate(shape, stimuli, tag: "router") { shape.rtlCycles(tokens: $0.tokens) }
    }
}

@Suite("RTL router", .tags(.simulation))
struct RTLRouterTests {
    @Test("tiny-moe's gate: the queues and scores are bit-exact in Icarus, in the cost model's cycles")
    func tinyMoEBitExact() throws {
        let (shape, stimuli) = try RTLRouterFixtures.tinyMoE()
        #expect(stimuli.map(\.name) == ["blocks.1.mlp.router"])
        print(try RTLRouterFixtures.check(shape, stimuli).joined(separator: "\n"))
    }

    @Test("ties to the lowest index, both normalisations, k = 1 and k = E, 16 experts, saturating scores",
          arguments: [(4, 2, MoESpec.ScoreNormalisation.topKSoftmax, "fixed<32,10>"), (16, 2, .softmaxAll, "fixed<32,10>"),
                      (16, 1, .topKSoftmax, "fixed<32,10>"), (5, 5, .softmaxAll, "fixed<16,1,AP_TRN,AP_SAT>"),
                      (16, 4, .topKSoftmax, "fixed<32,4>")] as [(Int, Int, MoESpec.ScoreNormalisation, String)])
    func edges(experts: Int, topK: Int, normalisation: MoESpec.ScoreNormalisation, activation: String) throws {
        let shape = RTLRouterShape(activation: try FixedFormat.parse(activation).get(), experts: experts, topK: topK,
                                   normalisation: normalisation, maxTokens: 13)
        let stimuli = [RTLRouterFixtures.synthetic(shape, tokens: 13, seed: 5, span: 1 << 22),
                       RTLRouterFixtures.synthetic(shape, tokens: 3, seed: 6, span: 1 << 12)]
        _ = try RTLRouterFixtures.check(shape, stimuli)
    }

    @Test("the RTL cycle formula (n + 1) E + 25 + k is UnitTiming.gate less the controller's turnaround")
    func cycleFormula() {
        for experts in [2, 4, 16, 32] {
            for topK in [1, 2, 4, experts] where topK <= experts {
                let shape = RTLRouterShape(activation: PrecisionSpec.m3vit.activation, experts: experts, topK: topK,
                                           normalisation: .softmaxAll, maxTokens: 197)
                for n in [1, 2, 17, 197] { #expect(shape.rtlCycles(tokens: n) == shape.cycles(tokens: n), "E \(experts) k \(topK) n \(n)") }
            }
        }
    }

    @Test("verilator --lint-only -Wall is clean on the unit and the testbench")
    func lintClean() async throws {
        let (tiny, _) = try RTLRouterFixtures.tinyMoE()
        let m3vit = RTLRouterShape(activation: PrecisionSpec.m3vit.activation, experts: 16, topK: 4, normalisation: .softmaxAll,
                                   maxTokens: 197)
        try await RTLUnitCheck.lint([tiny, m3vit], tag: "router-lint")
    }
}

@Suite("RTL router: Yosys", .tags(.simulation))
struct RTLRouterYosysTests {
    @Test("Yosys synth_xilinx -family xcup: the router's DSP48E2 equal the cost model's exp, reciprocal and score multipliers")
    func yosysDSP() async throws {
        _ = try ExternalTool.yosys.require()
        let spec = try RTLTinyMoE.tinyMoE()
        let shape = RTLRouterShape(activation: spec.precision.activation, experts: 16, topK: 4, normalisation: .softmaxAll,
                                   maxTokens: 197)
        let folder = try RTLScratch.write(shape, tag: "router-yosys")
        defer { RTLScratch.remove(folder) }
        let unit = try #require(try RTLCheckJobs.cellCounts(shape, in: folder)["moehls_router"])
        let costs = DSPCosts(OperandWidths(spec), family: .ultrascalePlus, embedDim: spec.embedDim)
        let model = costs.expUnit + costs.reciprocalUnit + costs.gateScore
        print("yosys \(shape.identifier): DSP \(unit.dsp) (cost model \(model)) LUT \(unit.lut) FF \(unit.ff) BRAM18 \(unit.bram18k)")
        #expect(unit.dsp == model)
    }
}
