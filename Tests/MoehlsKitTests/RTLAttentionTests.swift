import Foundation
import Testing
@testable import MoehlsKit

/// Shapes and stimuli of attention invocations from golden forward passes.
enum RTLAttentionFixtures {
    /// tiny-moe's engine for the forward-pass test: T_a 4 divides hd 16, N_a 4 does not divide 17.
    static let engine = DesignPoint.AttentionEngine(tA: 4, rows: 4)
    /// Masking everywhere: hd 16 = 5 chunks of 3 + 1, 17 tokens = 3 blocks of 5 + 2.
    static let maskingEngine = DesignPoint.AttentionEngine(tA: 3, rows: 5)

    static func tinyMoE() throws -> ModelSpec {
        try ModelLoader.load(path: repositoryRoot.appendingPathComponent("Examples/tiny-moe.yaml").path)
    }

    /// An attention block whose scale 1/sqrt(12) is not a power of two (the scale multiplier),
    /// with a saturating 24-bit activation and a narrower accumulator: 13 tokens, 2 heads of 12.
    static func oddSpec() throws -> ModelSpec {
        let text = """
            kind: attention
            name: odd-attention
            tokens: 13
            embed_dim: 24
            heads: 2
            precision:
              activation: fixed<24,8,AP_TRN,AP_SAT>
              accumulator: fixed<30,12>

            """
        return try ModelLoader.parse(text: text, file: "odd-attention.yaml")
    }

    /// Every attention call of `spec`'s forward pass (weights seed 1, input seed 2, as the linear
    /// tests) as stimuli of one shape on `engine`; `heads` limits the heads per invocation.
    static func invocations(_ spec: ModelSpec, engine: DesignPoint.AttentionEngine, heads: Int? = nil) throws
        -> (RTLAttentionShape, [RTLAttentionStimulus]) {
        let golden = try GoldenModel(spec: spec, seed: 1)
        let calls = RTLAttentionTrace.calls(golden, input: .synthetic(spec: spec, seed: 2))
        let shape = RTLAttentionShape(spec: spec, engine: engine)
        let stimuli = calls.map { call in
            RTLAttentionStimulus(name: call.name + (heads.map { " (\($0) of \(call.heads) heads)" } ?? ""), shape: shape,
                                 qkv: call.qkv, heads: heads ?? call.heads, output: call.output)
        }
        return (shape, stimuli)
    }

    static func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("moehls-rtl-attn-\(UUID().uuidString)")
    }

    /// Simulates and checks: bit-exact, the RTL formula exactly, the cost model within 3%.
    static func check(_ shape: RTLAttentionShape, _ stimuli: [RTLAttentionStimulus]) throws -> [String] {
        _ = try ExternalTool.iverilog.require()
        let folder = scratch()
        defer { RTLScratch.remove(folder) }
        let results = try RTLPlanRunner.simulate(shape, stimuli, in: folder)
        let prediction = RTLAttentionPrediction(shape: shape)
        for (result, stimulus) in zip(results, stimuli) {
            #expect(result.passed, "\(result)")
            #expect(result.measuredCycles == prediction.rtlCycles(heads: stimulus.heads), "\(result)")
            #expect(result.measuredCycles == result.predictedCycles, "the cost model's kernel cycles: \(result)")
            if let ratio = result.ratio {
                #expect(abs(ratio - 1) <= 0.03, "cycles off the cost model by more than 3%: \(result)")
            } else {
                Issue.record("no cycle count: \(result)")
            }
        }
        return results.map(\.description)
    }
}

@Suite("RTL attention kernel", .tags(.simulation))
struct RTLAttentionTests {
    @Test("every attention invocation of a tiny-moe forward pass is bit-exact in Icarus, in the cost model's cycles")
    func tinyMoEBitExact() throws {
        let (shape, stimuli) = try RTLAttentionFixtures.invocations(RTLAttentionFixtures.tinyMoE(),
                                                                    engine: RTLAttentionFixtures.engine)
        #expect(stimuli.count == 2)
        #expect(shape.scaleIsShift)
        print(try RTLAttentionFixtures.check(shape, stimuli).joined(separator: "\n"))
    }

    @Test("masked rows and columns, a scale multiplier, saturation and fewer heads than the maximum")
    func masking() throws {
        let tiny = try RTLAttentionFixtures.tinyMoE()
        let (shape, stimuli) = try RTLAttentionFixtures.invocations(tiny, engine: RTLAttentionFixtures.maskingEngine)
        #expect(shape.tokens % shape.engine.rows != 0 && shape.headDim % shape.engine.tA != 0)
        var report = try RTLAttentionFixtures.check(shape, Array(stimuli.prefix(1)))

        // 13 tokens on 3 rows (last block 1 row), hd 12 on T_a 5 (3 padding columns), scale
        // 1/sqrt(12), one head of two per invocation, then both.
        let odd = try RTLAttentionFixtures.oddSpec()
        let engine = DesignPoint.AttentionEngine(tA: 5, rows: 3)
        let (oddShape, one) = try RTLAttentionFixtures.invocations(odd, engine: engine, heads: 1)
        let (_, both) = try RTLAttentionFixtures.invocations(odd, engine: engine)
        #expect(!oddShape.scaleIsShift)
        #expect(oddShape.activation.overflow == .sat)
        report += try RTLAttentionFixtures.check(oddShape, one + both)

        // One chunk per row (T_a 16 > hd 12): the reciprocal unit's N_a sums decide the PV stage.
        let (wideShape, wide) = try RTLAttentionFixtures.invocations(odd, engine: .init(tA: 16, rows: 4))
        #expect(wideShape.chunks == 1)
        let t = RTLAttentionPrediction(shape: wideShape).timing
        #expect(t.pvStage == wideShape.tokens + 2 + 9 + 1 + (4 - 1) + 7 && t.step == t.pvStage)
        report += try RTLAttentionFixtures.check(wideShape, wide)
        print(report.joined(separator: "\n"))
    }

    @Test("the RTL's cycle formula is the cost model's AttentionTiming less the controller's turnaround")
    func formulaMatchesCostModel() {
        let m3vit = RTLAttentionShape(activation: FixedFormat(width: 32, integerBits: 10),
                                      accumulator: FixedFormat(width: 32, integerBits: 10), tokens: 129, headDim: 64,
                                      heads: 3, engine: .init(tA: 8, rows: 4), scale: 0.125)
        for (tA, rows) in [(6, 16), (11, 32), (8, 4), (1, 1), (64, 2), (70, 129), (3, 200)] {
            for scale in [0.125, 0.3] {
                var shape = m3vit
                shape.engine = .init(tA: tA, rows: rows)
                shape.scale = scale
                let p = RTLAttentionPrediction(shape: shape)
                for heads in [1, 3] {
                    #expect(p.rtlCycles(heads: heads) == p.cycles(heads: heads),
                            "\(shape)")
                }
            }
        }
    }

    @Test("the files are deterministic, carry their parameters, and the ROMs are the golden tables")
    func deterministic() throws {
        let shape = RTLAttentionShape(spec: try RTLAttentionFixtures.tinyMoE(), engine: RTLAttentionFixtures.engine)
        let a = try shape.files(), b = try shape.files()
        #expect(a == b)
        let tb = try #require(a.first { $0.path.hasPrefix("moehls_attention_tb") })
        #expect(tb.text.contains("built for AW=32 AF=22 O_SAT=0 CW=32 CF=22 SCALE_RAW=131072 SCALE_BITS=19 N=17 HD=16"))
        #expect(!tb.text.contains(TemplateRenderer.delimiter))
        for (file, table) in [(RTLRom.exp2File, Exp2Unit().table), (RTLRom.reciprocalFile, ReciprocalUnit().table)] {
            let rom = try #require(a.first { $0.path == file })
            let values = parseMemh(rom.text, width: table.entryBits, signed: false)
            #expect(values == table.entries.map { Optional($0) })
        }
        var rounding = shape
        rounding.activation.quantization = .rnd
        #expect(throws: RTLUnsupported.self) { try rounding.validate() }
    }

    @Test("verilator --lint-only -Wall is clean on the kernel and the testbench")
    func lintClean() async throws {
        let verilator = try ExternalTool.verilator.require()
        let tiny = try RTLAttentionFixtures.tinyMoE(), odd = try RTLAttentionFixtures.oddSpec()
        let shapes = [RTLAttentionShape(spec: tiny, engine: RTLAttentionFixtures.engine),
                      RTLAttentionShape(spec: tiny, engine: RTLAttentionFixtures.maskingEngine),
                      RTLAttentionShape(spec: odd, engine: .init(tA: 5, rows: 3)),
                      RTLAttentionShape(spec: odd, engine: .init(tA: 1, rows: 1))]
        for shape in shapes {
            _ = verilator
            let folder = try RTLScratch.write(shape, tag: "attn-lint")
            defer { try? FileManager.default.removeItem(at: folder) }
            for job in RTLCheckJobs.lint(shape, in: folder) + [RTLCheckJobs.lintTestbench(shape, in: folder)] {
                let run = await job.run()
                #expect(run.succeeded, "\(shape.identifier) \(job.arguments[3]): \(run.standardError)")
            }
        }
    }

    @Test("the RTL's DSP count equals the cost model's attention DSPs for every engine")
    func dspFormula() throws {
        for spec in [try RTLAttentionFixtures.tinyMoE(), try RTLAttentionFixtures.oddSpec(),
                     try ModelLoader.load(path: repositoryRoot.appendingPathComponent("Examples/m3vit.yaml").path)] {
            let costs = DSPCosts(OperandWidths(spec), family: .ultrascalePlus, embedDim: spec.embedDim)
            for (tA, rows) in [(1, 1), (2, 2), (4, 4), (6, 16), (11, 32), (8, 4)] {
                let engine = DesignPoint.AttentionEngine(tA: tA, rows: rows)
                let shape = RTLAttentionShape(spec: spec, engine: engine)
                #expect(shape.rtlDSP == ResourceModel.attention(engine, shape: ModelShape(spec), dsp: costs).dsp,
                        "\(shape)")
            }
        }
    }

    @Test("Yosys synth_xilinx -family xcup: DSP48E2 count equals the RTL formula and the cost model")
    func yosysDSP() async throws {
        let yosys = try ExternalTool.yosys.require()
        // The scale multiplier included (1/sqrt(12)); T_a 1 and N_a 2 tell per-row from per-lane units.
        let spec = try RTLAttentionFixtures.oddSpec()
        let shape = RTLAttentionShape(spec: spec, engine: .init(tA: 1, rows: 2))
        #expect(!shape.scaleIsShift)
        _ = yosys
        let folder = try RTLScratch.write(shape, tag: "attn-yosys")
        defer { try? FileManager.default.removeItem(at: folder) }
        let counts = try #require(try RTLCheckJobs.cellCounts(shape, in: folder)["moehls_attention"])
        let costs = DSPCosts(OperandWidths(spec), family: .ultrascalePlus, embedDim: spec.embedDim)
        let component = ResourceModel.attention(shape.engine, shape: ModelShape(spec), dsp: costs)
        let model = component.dsp
        let estimate = component.resources(.current)
        print("yosys \(shape.identifier): DSP48E2 \(counts.dsp) (cost model \(model), RTL formula \(shape.rtlDSP)), "
              + "LUT \(counts.lut) (cost model \(estimate.lut)), FF \(counts.ff) (cost model \(estimate.ff)), "
              + "BRAM18 \(counts.bram18k) (cost model \(estimate.bram18k))")
        #expect(counts.dsp == shape.rtlDSP)
        #expect(counts.dsp == model)
    }
}
