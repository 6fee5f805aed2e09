import Foundation
import MoehlsKit
import Testing

/// The generated HLS C++ compiled with g++ and run against the golden model: every stage output
/// (embedding, each layer's attention and output, features, logits) must match bit for bit.
/// Each test also requires g++ -Wall to be silent about the generated files (with the two HLS
/// quirks of `CSimulation.Options.flags` off; the first test compiles with plain -Wall and shows
/// that those two are the only warnings).
@Suite("HLS C simulation", .serialized, .tags(.simulation))
struct HLSCSimulationTests {
    /// Simulates and checks the verdict, the stages compared and the warnings.
    @discardableResult
    func expectBitExact(_ files: [RenderedFile], stages: [String], label: String, flags: [String]? = nil,
                        allowedWarnings: (CSimulation.CompilerMessage) -> Bool = { _ in false }) throws -> CSimulation.Result {
        let result = try HLSTestSupport.simulate(files, flags: flags)
        #expect(result.mismatch == nil, "\(label): first mismatch \(result.mismatch?.description ?? "")")
        #expect(result.passed, "\(label): \(result.output)")
        #expect(result.stagesMatched == stages)
        let unexpected = result.warnings.filter { !allowedWarnings($0) }
        #expect(unexpected.isEmpty, "\(label): g++ -Wall warnings in generated files: \(unexpected)")
        return result
    }

    static func layerStages(_ layers: Int) -> [String] {
        (0..<layers).flatMap { ["layer0\($0).attention", "layer0\($0).output"] }
    }

    @Test("tiny-moe: full forward pass bit-exact, default design; plain -Wall warns only about HLS pragmas and loop labels")
    func tinyMoE() throws {
        let spec = try HLSTestSupport.example("tiny-moe.yaml")
        let files = try HLSTestSupport.emit(spec)
        let sources = Dictionary(uniqueKeysWithValues: files.map {
            ($0.path, $0.text.split(separator: "\n", omittingEmptySubsequences: false))
        })
        func isHLSQuirk(_ warning: CSimulation.CompilerMessage) -> Bool {
            if warning.message.hasSuffix("[-Wunused-label]") { return true }
            guard warning.message.hasSuffix("[-Wunknown-pragmas]"), let range = warning.file.range(of: "/hls/") else { return false }
            let lines = sources["hls/" + warning.file[range.upperBound...]] ?? []
            return warning.line >= 1 && warning.line <= lines.count
                && lines[warning.line - 1].trimmingCharacters(in: .whitespaces).hasPrefix("#pragma HLS ")
        }
        let result = try expectBitExact(files, stages: ["embedded"] + Self.layerStages(2) + ["features"], label: "tiny-moe",
                                        flags: ["-O2", "-Wall"], allowedWarnings: isHLSQuirk)
        #expect(result.warnings.contains { $0.message.hasSuffix("[-Wunknown-pragmas]") }, "the warning parser missed the pragma warnings")
    }

    @Test("g++ messages with and without a column are parsed")
    func compilerMessages() {
        let messages = CSimulation.parseMessages("""
        /p/hls/src/a.h:12:5: warning: label 'X' defined but not used [-Wunused-label]
        /p/hls/src/b.h:7: warning: ignoring '#pragma HLS PIPELINE' [-Wunknown-pragmas]
        In file included from /p/hls/src/top.cpp:3:
        /p/hls/src/c.h:1:2: error: expected ';'
        """)
        #expect(messages.map(\.file) == ["/p/hls/src/a.h", "/p/hls/src/b.h", "/p/hls/src/c.h"])
        #expect(messages.map(\.line) == [12, 7, 1])
        #expect(messages.map(\.column) == [5, 0, 2])
        #expect(messages.map(\.severity) == ["warning", "warning", "error"])
    }

    @Test("tiny-moe: 8x16x3 engine, 4 attention rows, 2 weight ports, 128-bit bus: same bits")
    func tinyMoEOddDesign() throws {
        let spec = try HLSTestSupport.example("tiny-moe.yaml")
        try expectBitExact(try HLSTestSupport.emit(spec, design: HLSTestSupport.oddDesign, busBits: 128),
                           stages: ["embedded"] + Self.layerStages(2) + ["features"], label: "tiny-moe odd design")
    }

    @Test("attention-block example: 197 tokens, 6 heads, bit-exact")
    func attentionBlock() throws {
        let spec = try HLSTestSupport.example("attention-block.yaml")
        let design = DesignPoint(schedule: .sequential, linear: .init(tIn: 16, tOut: 32, lanes: 2),
                                 attention: .init(tA: 16, rows: 3), layerNormLanes: 8,
                                 weightPorts: .init(memory: "hbm", channels: 4))
        try expectBitExact(try HLSTestSupport.emit(spec, design: design),
                           stages: ["embedded", "layer00.attention", "layer00.output", "features"], label: "attention-block")
    }

    /// Rounding modes that depend on the sign or the parity (the per-product rule matters),
    /// saturating activations, top-k softmax, task 1 of 2, no class token or positions, a
    /// non-power-of-two scale, no Q/K/V bias, narrow formats, ReLU experts and a classifier.
    static let variants = """
    name: tiny-variants
    kind: moe-vit
    image: {height: 16, width: 16, channels: 3}
    patch: 4
    class_token: false
    position_embedding: none
    embed_dim: 24
    heads: 3
    layers: 2
    mlp: {hidden: 40, activation: gelu}
    layer_norm: {eps: 1.0e-5}
    attention: {scale: 0.3, qkv_bias: false}
    moe: {experts: 5, top_k: 2, expert_hidden: 20, layers: [0], tasks: 2, score_normalisation: topk-softmax, activation: relu}
    classifier: {classes: 7}
    precision:
      activation: fixed<24,8,AP_RND_INF,AP_SAT>
      accumulator: fixed<28,9,AP_RND_CONV>
      weight: fixed<12,2,AP_RND>
      bias: fixed<12,4,AP_RND_ZERO>
      layer_norm: fixed<12,4>
      patch_weight: fixed<10,1>
      pixel: ufixed<8,0>

    """

    @Test("variants: rounding and saturation modes, top-k softmax, task 1, ReLU experts, classifier: bit-exact")
    func variants() throws {
        let spec = try ModelLoader.parse(text: Self.variants, file: "tiny-variants.yaml")
        let golden = try GoldenModel(spec: spec, seed: 7, task: 1)
        let design = DesignPoint(schedule: .sequential, linear: .init(tIn: 5, tOut: 7, lanes: 2),
                                 attention: .init(tA: 2, rows: 5), layerNormLanes: 6,
                                 weightPorts: .init(memory: "ddr", channels: 3))
        let files = try HLSEmitter.emit(spec: spec, design: design, golden: golden, inputSeed: 7, options: .init(busBits: 256))
        try expectBitExact(files, stages: ["embedded"] + Self.layerStages(2) + ["features", "logits"], label: "variants")
    }
}
