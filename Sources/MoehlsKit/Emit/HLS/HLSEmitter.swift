import Foundation
import MoehlsTemplates

/// The HLS emitter: a model, an optional design point and its golden model in, the files of the
/// HLS part of a project out (`hls/`, `weights/`), without touching the disk.
///
/// | path | contents |
/// |---|---|
/// | `hls/include/moehls_config.h` | model and hardware constants, ap_fixed types (`HLSConfiguration`) |
/// | `hls/include/moehls_tables.h` | the exp, reciprocal, 1/sqrt and GELU ROMs from the golden model's tables |
/// | `hls/include/moehls_program.h` | the forward pass as a step ROM (`HLSProgram`) |
/// | `hls/include/moehls_ports.h`, `moehls_top.h` | weight-port glue and the top function's prototype |
/// | `hls/src/*.h`, `hls/src/moehls_top.cpp` | the kernels and the top function (Templates/hls/src) |
/// | `hls/tb/moehls_tb.cpp`, `hls/tb/moehls_stages.h` | the testbench and its stage table |
/// | `hls/tb/data/input.bin`, `expected.bin` | the golden model's input and every stage output |
/// | `weights/weights.bin`, `weights/manifest.json` | the packed weight image and its manifest |
///
/// Deterministic: the same arguments give the same bytes (files sorted by path; no dates,
/// versions or absolute paths). docs/hls-kernels.md describes the kernels and layouts.
public enum HLSEmitter {
    public struct Options: Hashable, Sendable {
        /// Width of one m_axi bus word (64, 128, 256 or 512), e.g. `Device.Memory.portBits`.
        public var busBits: Int

        public init(busBits: Int = 512) {
            self.busBits = busBits
        }
    }

    /// The files of the HLS project for `spec`, `design` (nil: `HLSConfiguration.defaultDesign`)
    /// and the golden model `golden`, with test data from a fixed-point run on `input` (`trace`:
    /// that run when the caller has recorded it already, so the golden model runs once).
    public static func emit(spec: ModelSpec, design: DesignPoint?, golden: GoldenModel, input: ModelInput,
                            trace: GoldenTrace? = nil, options: Options = Options()) throws(DiagnosticError) -> [RenderedFile] {
        let config = try HLSConfiguration(spec: spec, design: design, busBits: options.busBits)
        let weights = WeightImage(spec: spec, weights: golden.fixedWeights)
        let result = trace?.result ?? golden.fixedPass().run(input.fixed)
        let data = HLSTestData(spec: spec, input: input, result: result)
        let program = HLSProgram(spec: spec, configuration: config, weights: weights.image, output: data.expected)
        let comment = GeneratedComment(model: spec.name, kind: spec.kind, summary: summary(spec),
                                       design: config.design.description + (config.designIsDefault ? " (default: no design given)" : ""))
        let words = HLSConfigHeader.ImageWords(weights: weights.image.words(busBits: config.busBits),
                                               input: data.input.words(busBits: config.busBits),
                                               output: data.expected.words(busBits: config.busBits))
        var files = [
            RenderedFile(path: "hls/include/moehls_config.h", text: HLSConfigHeader.render(config, words: words, comment: comment.text)),
            RenderedFile(path: "hls/include/moehls_tables.h", text: HLSTablesHeader.render(comment: comment.text)),
            RenderedFile(path: "hls/include/moehls_program.h", text: HLSProgramHeader.render(program, comment: comment.text)),
            RenderedFile(path: "hls/tb/moehls_stages.h",
                         text: HLSProgramHeader.renderStages(data.expected, busBits: config.busBits, task: golden.task, comment: comment.text)),
            RenderedFile(path: "hls/tb/data/input.bin", bytes: data.input.bytes),
            RenderedFile(path: "hls/tb/data/expected.bin", bytes: data.expected.bytes),
            RenderedFile(path: "weights/weights.bin", bytes: weights.image.bytes),
            RenderedFile(path: "weights/manifest.json", text: weights.manifest(model: spec.name)),
        ]
        let templates = templatePaths()
        guard templates.contains("hls/src/moehls_top.cpp") else {
            throw DiagnosticError([.error("the HLS templates (Templates/hls) are missing from the MoehlsTemplates bundle")])
        }
        do {
            let renderer = try TemplateRenderer(HLSTemplateContext(config, comment: comment.text))
            for (path, text) in zip(templates, try renderer.renderTemplates(templates)) {
                files.append(RenderedFile(path: path, text: text))
            }
        } catch {
            throw DiagnosticError([.error("HLS template \(error.description)", file: error.template)])
        }
        return files.sorted { $0.path < $1.path }
    }

    /// `emit` with the seeded synthetic input `ModelInput.synthetic(spec:seed:)`.
    public static func emit(spec: ModelSpec, design: DesignPoint?, golden: GoldenModel, inputSeed: UInt64,
                            options: Options = Options()) throws(DiagnosticError) -> [RenderedFile] {
        try emit(spec: spec, design: design, golden: golden, input: ModelInput.synthetic(spec: spec, seed: inputSeed),
                 options: options)
    }

    /// Every template file under Templates/hls (C++ sources and headers), relative to the bundle,
    /// sorted: they are copied to the same relative path in the project.
    static func templatePaths() -> [String] {
        guard let root = TemplateBundle.url("hls") else { return [] }
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        var paths: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            guard relative.hasSuffix(".h") || relative.hasSuffix(".cpp") else { continue }
            paths.append("hls/" + relative)
        }
        return paths.sorted()
    }

    /// A short description of the model for the generated-file comment.
    static func summary(_ spec: ModelSpec) -> String {
        var parts = ["\(spec.layers) layer\(spec.layers == 1 ? "" : "s")", "D \(spec.embedDim)", "\(spec.heads) heads",
                     "\(spec.tokens) tokens"]
        if let moe = spec.moe { parts.append("\(moe.experts) experts top-\(moe.topK)") }
        return parts.joined(separator: ", ")
    }
}
