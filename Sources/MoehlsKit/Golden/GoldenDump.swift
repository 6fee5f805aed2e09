import Foundation

/// Writes a golden-model run to a directory as `.npy` files plus `manifest.json`
/// (layout in docs/golden-model.md, "Dump"), through `ProjectWriter` and its rules: the files are
/// staged beside the target and moved into place, a rerun replaces only what an earlier dump wrote
/// (`moehls-manifest.json`), and a folder holding other files is refused unless `force` (then
/// those files are kept).
public enum GoldenDump {
    /// Marker in the manifest that says moehls wrote the directory.
    public static let generator = "moehls run"

    public struct Manifest: Codable, Sendable {
        public struct Array: Codable, Sendable {
            public var file: String
            public var shape: [Int]
            public var dtype: String
            /// For raw fixed-point arrays: the format (value = raw * 2^-fraction_bits).
            public var format: String?
            public var fractionBits: Int?
        }
        public struct Call: Codable, Sendable {
            public var index: Int
            public var kind: String
            public var name: String
            public var layer: Int?
            public var inputs: [Array]
            public var output: Array
            public var queue: Array?
        }
        public var generator: String
        public var model: String
        public var precision: [String: String]
        /// Stage activations, dequantised exactly to float64: fixed and float passes.
        public var fixed: [String: Array]
        public var float: [String: Array]
        /// Per MoE layer: chosen experts (`tokens x k`, int64) and fixed-point scores (raw int64).
        public var routing: [String: [String: Array]]
        /// Every kernel call of the fixed pass, in order, with raw int64 operands.
        public var trace: [Call]
    }

    public static func write(directory: String, spec: ModelSpec, model: GoldenModel,
                             fixed: ForwardPass<FixedKernels>.Result?, float: ForwardPass<FloatKernels>.Result?,
                             trace: [KernelCall<FixedMatrix>], force: Bool = false) throws(DiagnosticError) {
        var files: [RenderedFile] = []
        func save(_ tensor: Tensor, _ file: String, format: FixedFormat? = nil) -> Manifest.Array {
            files.append(RenderedFile(path: file, bytes: NPY.encode(tensor)))
            return Manifest.Array(file: file, shape: tensor.shape, dtype: tensor.dtype.rawValue,
                                  format: format?.description, fractionBits: format?.fractionBits)
        }
        func raw(_ m: FixedMatrix, _ file: String) -> Manifest.Array {
            save(Tensor(shape: [m.rows, m.columns], storage: .int64(m.raw)), file, format: m.format)
        }
        var manifest = Manifest(generator: generator, model: spec.name,
                                precision: Dictionary(uniqueKeysWithValues: PrecisionSpec.fields.map {
                                    ($0.key, spec.precision[keyPath: $0.keyPath].description)
                                }),
                                fixed: [:], float: [:], routing: [:], trace: [])
        func stages<M>(_ result: ForwardPass<M>.Result, _ values: (M.Matrix) -> FloatMatrix) -> [(String, FloatMatrix)] {
            var list = [("embedded", values(result.embedded))]
            for (i, layer) in result.layers.enumerated() {
                list.append((String(format: "layer%02d.attention", i), values(layer.attention)))
                list.append((String(format: "layer%02d.output", i), values(layer.output)))
            }
            list.append(("features", values(result.features)))
            if let logits = result.logits { list.append(("logits", values(logits))) }
            return list
        }
        if let fixed {
            for (name, m) in stages(fixed, { FloatMatrix(rows: $0.rows, columns: $0.columns, values: $0.toDoubles()) }) {
                manifest.fixed[name] = save(Tensor(shape: [m.rows, m.columns], storage: .float64(m.values)), "fixed/\(name).npy")
            }
            for layer in fixed.routing.keys.sorted() {
                let routing = fixed.routing[layer]!
                let k = routing.experts.first?.count ?? 0
                let name = String(format: "layer%02d", layer)
                manifest.routing[name] = [
                    "experts": save(Tensor(shape: [routing.experts.count, k], storage: .int64(routing.experts.flatMap { $0.map(Int64.init) })),
                                        "routing/\(name).experts.npy"),
                    "scores": save(Tensor(shape: [routing.scores.count, k], storage: .int64(routing.scores.flatMap { $0 })),
                                       "routing/\(name).scores.npy", format: spec.precision.activation),
                ]
            }
        }
        if let float {
            for (name, m) in stages(float, { $0 }) {
                manifest.float[name] = save(Tensor(shape: [m.rows, m.columns], storage: .float64(m.values)), "float/\(name).npy")
            }
        }
        for (index, call) in trace.enumerated() {
            let stem = String(format: "trace/%04d.", index) + call.name
            var inputs: [Manifest.Array] = []
            for (n, input) in call.inputs.enumerated() { inputs.append(raw(input, "\(stem).in\(n).npy")) }
            let output = raw(call.output, "\(stem).out.npy")
            let queue = call.queue.map { q in
                save(Tensor(shape: [q.count], storage: .int64(q.map(Int64.init))), "\(stem).queue.npy")
            }
            manifest.trace.append(Manifest.Call(index: index, kind: call.kind.rawValue, name: call.name, layer: call.layer,
                                                inputs: inputs, output: output, queue: queue))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        do {
            files.append(RenderedFile(path: "manifest.json", bytes: [UInt8](try encoder.encode(manifest))))
        } catch {
            throw DiagnosticError([.error("cannot encode the dump's manifest: \(error)", file: directory)])
        }
        try ProjectWriter.write(files, to: directory, force: force, generator: generator, legacyOwnership: legacyFiles)
    }

    /// What a dump of an earlier version wrote (before `moehls-manifest.json`): `manifest.json`
    /// with this generator and the arrays it lists. Nil when the folder holds no such manifest.
    static func legacyFiles(in folder: URL) -> [String]? {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("manifest.json").path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["generator"] as? String == generator else { return nil }
        var files: Set<String> = ["manifest.json"]
        func collect(_ value: Any) {
            if let dictionary = value as? [String: Any] {
                if let file = dictionary["file"] as? String { files.insert(file) }
                for key in dictionary.keys.sorted() { collect(dictionary[key]!) }
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        for key in ["fixed", "float", "routing", "trace"] { if let section = object[key] { collect(section) } }
        return files.sorted()
    }
}
