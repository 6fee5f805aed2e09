import Foundation
import Testing
@testable import MoehlsKit

/// LayerNorm calls for the Verilog unit: tiny-moe's forward pass, and synthetic rows that reach
/// the unit's edges (non-power-of-two D, constant rows, full-range and saturating values).
enum RTLLayerNormFixtures {
    /// The LayerNorm calls of tiny-moe's forward pass (weights seed 1, input seed 2).
    static func tinyMoE() throws -> (ModelSpec, [RTLLayerNormStimulus]) {
        let spec = try RTLTinyMoE.tinyMoE()
        let golden = try GoldenModel(spec: spec, seed: 1)
        let trace = GoldenTrace(golden, input: .synthetic(spec: spec, seed: 2))
        return (spec, RTLLayerNormStimulus.calls(golden, trace: trace))
    }

    /// `tokens` rows of D values in `activation` drawn with `seed`: row 0 constant (variance 0:
    /// eps alone), row 1 at the format's extremes, the others uniform over `scale` of the range.
    static func synthetic(_ shape: RTLLayerNormShape, tokens: Int, seed: UInt64, scale: Double) -> RTLLayerNormStimulus {
        var rng = SplitMix64(seed: seed)
        let a = shape.activation, d = shape.embedDim
        let top = Int64(1) << (a.width - 1)
        let span = UInt64(Double(2 * top) * scale)
        var raw: [Int64] = []
        for t in 0..<tokens {
            for i in 0..<d {
                switch t {
                case 0: raw.append(Int64(1234) - top / 3)
                case 1: raw.append(i % 2 == 0 ? top - 1 : -top)
                case 2: raw.append(Int64(i % 2))     // variance 1/4 LSB^2: with eps 0 the smallest 1/sqrt exponent
                default: raw.append(Int64(rng.next(below: span)) - Int64(span / 2))
                }
            }
        }
        func parameters(_ f: FixedFormat, around centre: Double, spread: Double) -> FixedMatrix {
            let values = (0..<d).map { _ in centre + spread * (2 * rng.nextDouble() - 1) }
            return FixedMatrix(rows: 1, columns: d, format: f,
                               raw: values.map { Int64(($0 * Double(sign: .plus, exponent: f.fractionBits, significand: 1)).rounded()) })
        }
        let x = FixedMatrix(rows: tokens, columns: d, format: a, raw: raw)
        let norm = FixedWeights.Norm(gamma: parameters(shape.gamma, around: 1, spread: 0.5),
                                     beta: parameters(shape.beta, around: 0, spread: 0.3))
        var precision = PrecisionSpec.m3vit
        precision.activation = a
        precision.layerNorm = shape.gamma
        let expected = FixedKernels(precision: precision).layerNorm(x, norm, eps: shape.epsilon)
        return RTLLayerNormStimulus(name: "synthetic \(d)x\(tokens) seed \(seed)", x: x, norm: norm, expected: expected)
    }

    /// Simulates and checks: bit-exact, the cost model's cycles exactly, every result written once.
    static func check(_ shape: RTLLayerNormShape, _ stimuli: [RTLLayerNormStimulus]) throws -> [String] {
        try RTLUnitCheck.simulate(shape, stimuli, tag: "layernorm") { shape.rtlCycles(tokens: $0.tokens) }
    }
}

@Suite("RTL LayerNorm unit", .tags(.simulation))
struct RTLLayerNormTests {
    @Test("every LayerNorm of a tiny-moe forward pass is bit-exact in Icarus, in the cost model's cycles",
          arguments: [4, 5, 32, 1])
    func tinyMoEBitExact(lanes: Int) throws {
        let (spec, stimuli) = try RTLLayerNormFixtures.tinyMoE()
        #expect(stimuli.map(\.name) == ["blocks.0.norm1", "blocks.0.norm2", "blocks.1.norm1", "blocks.1.norm2", "norm"])
        let shape = RTLLayerNormShape(spec: spec, lanes: lanes)
        print(try RTLLayerNormFixtures.check(shape, stimuli).joined(separator: "\n"))
    }

    @Test("non-power-of-two D, constant rows, full-range values, saturation and 28 fraction bits are bit-exact",
          arguments: [(24, 5, "fixed<32,10>", 1e-6), (192, 16, "fixed<32,10>", 1e-6), (24, 7, "fixed<20,2,AP_TRN,AP_SAT>", 1e-6),
                      (40, 8, "fixed<32,4>", 1e-6), (40, 8, "fixed<32,4>", 0)] as [(Int, Int, String, Double)])
    func edges(d: Int, lanes: Int, activation: String, epsilon: Double) throws {
        let shape = RTLLayerNormShape(activation: try FixedFormat.parse(activation).get(), gamma: PrecisionSpec.m3vit.layerNorm,
                                      beta: PrecisionSpec.m3vit.layerNorm, lanes: lanes, embedDim: d, maxTokens: 12, epsilon: epsilon)
        if epsilon == 0 {
            // eps raw 1 and the alternating 0/1 row: var 1 at 2 AF = 56 fraction bits, so the
            // normalisation shift 24 + me/2 - AF is negative and the left pre-shift is exercised
            #expect(shape.epsilonRaw == 1)
        }
        let stimuli = [RTLLayerNormFixtures.synthetic(shape, tokens: 12, seed: 3, scale: 1),
                       RTLLayerNormFixtures.synthetic(shape, tokens: 5, seed: 4, scale: 0.001)]
        // the narrow saturating format is driven into saturation (large gamma x normalised values)
        if shape.activation.overflow == .sat {
            let limit = (Int64(1) << (shape.activation.width - 1)) - 1
            #expect(stimuli.contains { $0.expected.contains(limit) || $0.expected.contains(-limit - 1) })
        }
        _ = try RTLLayerNormFixtures.check(shape, stimuli)
    }

    @Test("the RTL cycle formula (n + 1) K + 40 + log2c(L) is LayerNormTiming less the controller's turnaround")
    func cycleFormula() {
        for d in [2, 24, 32, 192, 768] {
            for lanes in [1, 3, 4, 16, d] where lanes <= d {
                let shape = RTLLayerNormShape(activation: PrecisionSpec.m3vit.activation, gamma: PrecisionSpec.m3vit.layerNorm,
                                              beta: PrecisionSpec.m3vit.layerNorm, lanes: lanes, embedDim: d, maxTokens: 197,
                                              epsilon: 1e-6)
                for n in [1, 2, 17, 197] { #expect(shape.rtlCycles(tokens: n) == shape.cycles(tokens: n), "D \(d) L \(lanes) n \(n)") }
            }
        }
    }

    @Test("the divider constants give floor(n / D) for the extreme sums; shapes the RTL cannot build are refused")
    func dividerAndRefusals() throws {
        for d in [3, 24, 192, 197, 768] {
            let shape = RTLLayerNormShape(activation: PrecisionSpec.m3vit.activation, gamma: PrecisionSpec.m3vit.layerNorm,
                                          beta: PrecisionSpec.m3vit.layerNorm, lanes: 1, embedDim: d, maxTokens: 1, epsilon: 1e-6)
            try shape.validate()
            for bits in [shape.sumBits, shape.squareSumBits] {
                let m = try #require(shape.divisor(bits: bits))
                let s = bits + shape.dBits
                // n M >> S for the largest n and around multiples of D, in two 128-bit halves
                let top = (UInt128(1) << bits) - 1
                for n in [top, top - 1, UInt128(d) - 1, UInt128(d), UInt128(d) * 12345 - 1, 0] {
                    let (high, low) = n.multipliedFullWidth(by: m)
                    let quotient = s >= 128 ? UInt128(high) >> (s - 128) : (UInt128(high) << (128 - s)) | (low >> s)
                    #expect(quotient == n / UInt128(d), "D \(d), \(bits) bits, n \(n)")
                }
            }
        }
        var shape = RTLLayerNormShape(activation: PrecisionSpec.m3vit.activation, gamma: PrecisionSpec.m3vit.layerNorm,
                                      beta: PrecisionSpec.m3vit.layerNorm, lanes: 4, embedDim: 32, maxTokens: 17, epsilon: 1e-6)
        try shape.validate()
        var rounding = shape
        rounding.activation.quantization = .rnd
        #expect(throws: RTLUnsupported.self) { try rounding.validate() }
        shape.lanes = 33
        #expect(throws: RTLUnsupported.self) { try shape.validate() }
        shape.lanes = 4
        shape.activation = try FixedFormat.parse("fixed<64,10>").get()
        #expect(throws: RTLUnsupported.self) { try shape.validate() }
    }

    @Test("verilator --lint-only -Wall is clean on the unit and the testbench")
    func lintClean() async throws {
        let (spec, _) = try RTLLayerNormFixtures.tinyMoE()
        let m3vit = RTLLayerNormShape(activation: PrecisionSpec.m3vit.activation, gamma: PrecisionSpec.m3vit.layerNorm,
                                      beta: PrecisionSpec.m3vit.layerNorm, lanes: 16, embedDim: 192, maxTokens: 197, epsilon: 1e-6)
        try await RTLUnitCheck.lint([RTLLayerNormShape(spec: spec, lanes: 4), RTLLayerNormShape(spec: spec, lanes: 5), m3vit], tag: "layernorm-lint")
    }
}

@Suite("RTL LayerNorm unit: Yosys", .tags(.simulation))
struct RTLLayerNormYosysTests {
    @Test("Yosys synth_xilinx -family xcup: DSP48E2 count of the unit against the cost model",
          arguments: [(32, 4), (192, 16)] as [(Int, Int)])
    func yosysDSP(d: Int, lanes: Int) async throws {
        _ = try ExternalTool.yosys.require()
        var spec = try RTLTinyMoE.tinyMoE()
        spec.embedDim = d
        let shape = RTLLayerNormShape(spec: spec, lanes: lanes)
        let folder = try RTLScratch.write(shape, tag: "layernorm-yosys")
        defer { RTLScratch.remove(folder) }
        let counts = try RTLCheckJobs.cellCounts(shape, in: folder)
        let unit = try #require(counts["moehls_layernorm"])
        let costs = DSPCosts(OperandWidths(spec), family: .ultrascalePlus, embedDim: d)
        let model = ResourceModel.layerNorm(lanes: lanes, units: 1, shape: ModelShape(spec), layerNormBits: 16, dsp: costs).dsp
        print("yosys \(shape.identifier): DSP \(unit.dsp) (cost model \(model)) LUT \(unit.lut) FF \(unit.ff) BRAM18 \(unit.bram18k)")
        #expect(unit.dsp == model)
    }
}
