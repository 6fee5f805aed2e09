import Foundation
import Testing
@testable import MoehlsKit

/// The example models load with the values their files state, and the workload arithmetic matches
/// hand-computed figures.
@Suite(.tags(.unit))
struct ModelFormatTests {
    static let examples = repositoryRoot.appendingPathComponent("Examples")

    @Test func m3vitMatchesTheAnchors() throws {
        let spec = try ModelLoader.load(path: Self.examples.appendingPathComponent("m3vit.yaml").path)
        #expect(spec.tokens == 129)
        #expect(spec.headDim == 64)
        #expect(spec.moe?.layers == [1, 3, 5, 7, 9, 11])
        #expect(spec.attention.scale == 0.125)
        #expect(spec.precision == .m3vit)
        let work = try Workload.compute(spec)
        // anchors.md: 782.7 M MACs per image; patch embed 18.9 M; attention 25.4 M per layer;
        // dense MLP 38.0 M; MoE top-2 38.0 M + gate 0.4 M.
        #expect(work.macs == 782_719_488)
        #expect(abs(Double(work.macs) / 782.7e6 - 1) < 0.001)
        let parts = Dictionary(uniqueKeysWithValues: work.parts.map { ($0.name, $0) })
        #expect(parts["patch embedding"]?.macs == 128 * 768 * 192)
        #expect(parts["attention"]?.macs == 12 * (129 * 192 * 192 * 4 + 2 * 129 * 129 * 192))
        #expect(parts["dense MLP"]?.macs == 6 * 129 * 2 * 192 * 768)
        #expect(parts["MoE experts (top-2 of 16)"]?.macs == 6 * 129 * 2 * 2 * 192 * 384)
        #expect(parts["MoE gates (2 tasks, 1 active)"]?.macs == 6 * 129 * 192 * 16)
        // Expert weights at 16 bits: 6 layers x 16 experts x 2 x 192 x 384 x 2 bytes.
        #expect(parts["MoE experts (top-2 of 16)"]!.weightBytes == 6 * 16 * (2 * 192 * 384 * 2 + (384 + 192) * 2 + 0)
                + 6 * 2 * 192 * 2)
    }

    @Test func jsonAndYAMLAreTheSameSchema() throws {
        let yaml = try ModelLoader.load(path: Self.examples.appendingPathComponent("tiny-moe.yaml").path)
        var json = try ModelLoader.load(path: Self.examples.appendingPathComponent("tiny-moe.json").path)
        json.name = yaml.name
        #expect(json == yaml)
        #expect(yaml.tokens == 17)
    }

    @Test(arguments: ["m3vit.yaml", "vit-tiny.yaml", "vit-small.yaml", "attention-block.yaml", "tiny-moe.yaml"])
    func everyExampleLoads(_ file: String) throws {
        let spec = try ModelLoader.load(path: Self.examples.appendingPathComponent(file).path)
        #expect(try Workload.compute(spec).macs > 0)
    }

    @Test func vitSmallAndAttentionBlock() throws {
        let small = try ModelLoader.load(path: Self.examples.appendingPathComponent("vit-small.yaml").path)
        #expect(small.tokens == 197 && small.embedDim == 384 && small.heads == 6 && small.mlp?.hidden == 1536)
        let block = try ModelLoader.load(path: Self.examples.appendingPathComponent("attention-block.yaml").path)
        #expect(block.tokens == 197 && block.layers == 1 && block.mlp == nil)
        // One attention block: 4 T D^2 + 2 T^2 D.
        #expect(try Workload.compute(block).macs == 4 * 197 * 384 * 384 + 2 * 197 * 197 * 384)
    }

    @Test func mlpRatioAndDefaults() throws {
        let spec = try ModelLoader.parse(text: """
            kind: vit
            image: {height: 32, width: 32}
            patch: 8
            embed_dim: 32
            heads: 2
            layers: 1
            mlp: {ratio: 4}
            """, file: "m.yaml")
        #expect(spec.mlp == MLPSpec(hidden: 128, activation: .gelu))
        #expect(spec.image?.channels == 3)
        #expect(spec.classToken && spec.positionEmbedding == .learned)
        #expect(spec.layerNormEps == 1e-6)
        #expect(spec.name == "m")
    }

    @Test(arguments: [
        ("fixed<32,10>", FixedFormat(width: 32, integerBits: 10)),
        ("ap_ufixed<8,0>", FixedFormat(width: 8, integerBits: 0, isSigned: false)),
        ("fixed<16, 2, AP_RND, AP_SAT>", FixedFormat(width: 16, integerBits: 2, quantization: .rnd, overflow: .sat)),
        ("fixed<16,2,rnd_conv>", FixedFormat(width: 16, integerBits: 2, quantization: .rndConv)),
        ("int<8>", FixedFormat(width: 8, integerBits: 8)),
        ("uint<64>", FixedFormat(width: 64, integerBits: 64, isSigned: false)),
    ])
    func precisionSpellings(_ text: String, _ expected: FixedFormat) throws {
        #expect(try FixedFormat.parse(text).get() == expected)
        // The canonical spelling parses back to the same format.
        #expect(try FixedFormat.parse(expected.description).get() == expected)
    }
}


@Suite(.tags(.unit))
struct FormatTests {
    @Test(arguments: [(9.572e-07, "9.57e-07"), (8.98e-7, "8.98e-07"), (9.996e-3, "1.00e-02"), (1.0, "1.00e+00"),
                      (-2.5e10, "-2.50e+10"), (0.0, "0")])
    func scientific(_ value: Double, _ text: String) {
        #expect(Format.scientific(value) == text)
    }

    @Test func countsAndBytes() {
        #expect(Format.count(782_719_488) == "782,719,488")
        #expect(Format.count(-1234) == "-1,234")
        #expect(Format.bytes(36_018_000) == "34.35 MiB")
        #expect(Format.scaled(782_719_488, decimals: 1) == "782.7 M")
        #expect(Format.fixed(-0.0004, 3) == "0.000")
    }
}
