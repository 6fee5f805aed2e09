import Foundation
import Testing
@testable import MoehlsKit

/// Shapes and stimuli of every linear invocation of a tiny-moe forward pass on one engine.
enum RTLTinyMoE {
    static let engine = DesignPoint.LinearEngine(tIn: 4, tOut: 4, lanes: 2)
    /// zcu102: one 128-bit HP port (16 bytes per cycle at 300 MHz), 90 cycles of memory latency.
    static let beatBits = 128
    static let latency = 90

    static func tinyMoE() throws -> ModelSpec {
        try ModelLoader.load(path: repositoryRoot.appendingPathComponent("Examples/tiny-moe.yaml").path)
    }

    /// Every linear call of `spec`'s forward pass (default tiny-moe) on `engine`.
    static func invocations(engine: DesignPoint.LinearEngine = engine, spec: ModelSpec? = nil) throws
        -> [(RTLLinearShape, RTLLinearStimulus)] {
        let spec = try spec ?? tinyMoE()
        let golden = try GoldenModel(spec: spec, seed: 1)
        let calls = RTLLinearTrace.calls(golden, input: .synthetic(spec: spec, seed: 2))
        let maxTokens = calls.map(\.input.rows).max() ?? 1
        return calls.map { call in
            let p = spec.precision
            let shape = RTLLinearShape(
                input: call.input.format, weight: call.layer.weight.format, bias: call.layer.bias?.format,
                accumulator: p.accumulator, output: p.activation, gelu: call.gelu, engine: engine,
                inputs: call.input.columns, outputs: call.layer.weight.rows, maxTokens: maxTokens,
                beatBits: beatBits, memoryLatency: latency)
            return (shape, RTLLinearStimulus(name: call.name, shape: shape, x: call.input, layer: call.layer,
                                             expected: call.output))
        }
    }

    /// The first `rows` rows of a matrix (a linear layer treats rows independently, so a prefix of
    /// the golden input and output is again a golden pair: short expert queues, a single token).
    static func prefix(_ m: FixedMatrix, rows: Int) -> FixedMatrix {
        FixedMatrix(rows: rows, columns: m.columns, format: m.format, raw: Array(m.raw[0..<(rows * m.columns)]))
    }

    /// Short-queue variants of every GELU invocation: 1, 2 and 5 tokens (full, partial last group).
    static func shortQueues() throws -> [(RTLLinearShape, RTLLinearStimulus)] {
        let spec = try ModelLoader.load(path: repositoryRoot.appendingPathComponent("Examples/tiny-moe.yaml").path)
        let golden = try GoldenModel(spec: spec, seed: 1)
        let calls = RTLLinearTrace.calls(golden, input: .synthetic(spec: spec, seed: 2))
        let full = try invocations()
        var out: [(RTLLinearShape, RTLLinearStimulus)] = []
        for (call, (shape, _)) in zip(calls, full) where call.name.contains("experts") {
            for rows in [1, 2, 5] {
                out.append((shape, RTLLinearStimulus(name: "\(call.name)[0..<\(rows)]", shape: shape,
                                                     x: prefix(call.input, rows: rows), layer: call.layer,
                                                     expected: prefix(call.output, rows: rows))))
            }
        }
        return out
    }
}

@Suite("RTL linear kernel", .tags(.simulation))
struct RTLLinearTests {
    @Test("every linear invocation of a tiny-moe forward pass is bit-exact in Icarus")
    func tinyMoEBitExact() throws {
        _ = try ExternalTool.iverilog.require()
        let invocations = try RTLTinyMoE.invocations() + RTLTinyMoE.shortQueues()
        #expect(invocations.contains { $0.0.gelu })
        #expect(invocations.contains { $0.1.name.contains("experts") })
        #expect(invocations.contains { $0.1.name.contains("gates") })
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-rtl-\(UUID().uuidString)")
        // MOEHLS_RTL_KEEP=1 keeps the simulation folder for debugging
        let keep = ProcessInfo.processInfo.environment["MOEHLS_RTL_KEEP"] != nil
        defer { if keep { print("kept \(scratch.path)") } else { try? FileManager.default.removeItem(at: scratch) } }
        var shapes: [RTLLinearShape] = []
        for (shape, _) in invocations where !shapes.contains(shape) { shapes.append(shape) }
        var report: [String] = []
        for shape in shapes {
            let stimuli = invocations.filter { $0.0 == shape }.map(\.1)
            for result in try RTLPlanRunner.simulate(shape, stimuli, in: scratch) {
                report.append(result.description)
                #expect(result.passed, "\(result)")
                // The RTL's own cycle formula holds exactly, and the cost model's within 3% for
                // every invocation, short expert queues included.
                #expect(result.measuredCycles == RTLLinearPrediction(shape: shape).rtlCycles(tokens: result.tokens),
                        "\(result)")
                let ratio = try #require(result.ratio)
                #expect(abs(ratio - 1) <= 0.03, "cycles off the cost model by more than 3%: \(result)")
            }
        }
        print(report.joined(separator: "\n"))
        #expect(report.count == invocations.count)
    }

    @Test("the testbench and ROM files are deterministic and carry their parameters")
    func deterministic() throws {
        let (shape, _) = try #require(RTLTinyMoE.invocations().first)
        let a = try shape.files(), b = try shape.files()
        #expect(a == b)
        let tb = try #require(a.first { $0.path.hasPrefix("moehls_linear_tb") })
        #expect(tb.text.contains("built for XW=8 XF=8 X_SIGNED=0"))
        #expect(!tb.text.contains(TemplateRenderer.delimiter))
        let rom = try #require(a.first { $0.path == RTLRom.geluFile })
        #expect(rom.text.split(separator: "\n").count == GELUUnit().table.entries.count + 1)
    }

    @Test("formats the RTL does not implement are refused with a message")
    func refusesUnsupportedFormats() throws {
        let (shape, _) = try #require(RTLTinyMoE.invocations().first)
        var rounding = shape
        rounding.gelu = true
        rounding.output.quantization = .rnd
        #expect(throws: RTLUnsupported.self) { try rounding.validate() }
        var saturating = shape
        saturating.accumulator.overflow = .sat
        do {
            try saturating.validate()
            Issue.record("a saturating accumulator was accepted")
        } catch {
            #expect(error.message.contains("AP_WRAP"))
        }
    }
}

@Suite("RTL linear kernel: ReLU", .tags(.simulation))
struct RTLLinearReLUTests {
    @Test("ReLU on every tiny-moe expert fc1 (and 1- and 5-token queues) is bit-exact with FixedKernels, cycles = model")
    func reluBitExact() throws {
        _ = try ExternalTool.iverilog.require()
        let spec = try ModelLoader.load(path: repositoryRoot.appendingPathComponent("Examples/tiny-moe.yaml").path)
        let golden = try GoldenModel(spec: spec, seed: 1)
        let kernels = FixedKernels(precision: spec.precision)
        let calls = RTLLinearTrace.calls(golden, input: .synthetic(spec: spec, seed: 2)).filter { $0.name.hasSuffix("experts.1.fc1") }
        let call = try #require(calls.first)
        var shape = try #require(RTLTinyMoE.invocations().first { $0.1.name == call.name }?.0)
        shape.gelu = false
        shape.relu = true
        let output = kernels.linear(call.input, call.layer, activation: .relu)
        #expect(output.raw.contains(0) && output.raw.contains { $0 > 0 }, "the stimulus exercises both sides of ReLU")
        let stimuli = [call.input.rows, 1, 5].map { rows in
            RTLLinearStimulus(name: "\(call.name)+relu[0..<\(rows)]", shape: shape, x: RTLTinyMoE.prefix(call.input, rows: rows),
                              layer: call.layer, expected: RTLTinyMoE.prefix(output, rows: rows))
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-rtl-relu-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        for result in try RTLPlanRunner.simulate(shape, stimuli, in: scratch) {
            #expect(result.passed, "\(result)")
            #expect(result.measuredCycles == RTLLinearPrediction(shape: shape).rtlCycles(tokens: result.tokens), "\(result)")
            #expect(result.measuredCycles == result.predictedCycles, "\(result)")
        }
    }
}
