import Foundation

/// Writes a golden-model run to a directory as `.npy` files plus `manifest.json`
/// (layout in docs/golden-model.md, "Dump"). The directory is built beside the target and moved
/// into place, and an existing directory is replaced only if an earlier dump wrote it.
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
                             trace: [KernelCall<FixedMatrix>]) throws(DiagnosticError) {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: directory)
        try checkReplaceable(target)
        let staging = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).moehls-partial")
        try? fm.removeItem(at: staging)
        do {
            for sub in ["fixed", "float", "trace", "routing"] {
                try fm.createDirectory(at: staging.appendingPathComponent(sub), withIntermediateDirectories: true)
            }
        } catch {
            throw DiagnosticError([.error("cannot create \(staging.path): \(error.localizedDescription)", file: directory)])
        }
        func save(_ tensor: Tensor, _ file: String, format: FixedFormat? = nil) throws(DiagnosticError) -> Manifest.Array {
            try NPY.write(tensor, to: staging.appendingPathComponent(file).path)
            return Manifest.Array(file: file, shape: tensor.shape, dtype: tensor.dtype.rawValue,
                                  format: format?.description, fractionBits: format?.fractionBits)
        }
        func raw(_ m: FixedMatrix, _ file: String) throws(DiagnosticError) -> Manifest.Array {
            try save(Tensor(shape: [m.rows, m.columns], storage: .int64(m.raw)), file, format: m.format)
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
                manifest.fixed[name] = try save(Tensor(shape: [m.rows, m.columns], storage: .float64(m.values)), "fixed/\(name).npy")
            }
            for layer in fixed.routing.keys.sorted() {
                let routing = fixed.routing[layer]!
                let k = routing.experts.first?.count ?? 0
                let name = String(format: "layer%02d", layer)
                manifest.routing[name] = [
                    "experts": try save(Tensor(shape: [routing.experts.count, k], storage: .int64(routing.experts.flatMap { $0.map(Int64.init) })),
                                        "routing/\(name).experts.npy"),
                    "scores": try save(Tensor(shape: [routing.scores.count, k], storage: .int64(routing.scores.flatMap { $0 })),
                                       "routing/\(name).scores.npy", format: spec.precision.activation),
                ]
            }
        }
        if let float {
            for (name, m) in stages(float, { $0 }) {
                manifest.float[name] = try save(Tensor(shape: [m.rows, m.columns], storage: .float64(m.values)), "float/\(name).npy")
            }
        }
        for (index, call) in trace.enumerated() {
            let stem = String(format: "trace/%04d.", index) + call.name
            var inputs: [Manifest.Array] = []
            for (n, input) in call.inputs.enumerated() { inputs.append(try raw(input, "\(stem).in\(n).npy")) }
            let output = try raw(call.output, "\(stem).out.npy")
            let queue = try call.queue.map { (q: [Int]) throws(DiagnosticError) in
                try save(Tensor(shape: [q.count], storage: .int64(q.map(Int64.init))), "\(stem).queue.npy")
            }
            manifest.trace.append(Manifest.Call(index: index, kind: call.kind.rawValue, name: call.name, layer: call.layer,
                                                inputs: inputs, output: output, queue: queue))
        }
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            try encoder.encode(manifest).write(to: staging.appendingPathComponent("manifest.json"))
            if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
            try fm.moveItem(at: staging, to: target)
        } catch {
            try? fm.removeItem(at: staging)
            throw DiagnosticError([.error("cannot write the dump: \(error.localizedDescription)", file: directory)])
        }
    }

    /// A directory may be replaced if it does not exist, is empty, or holds an earlier dump.
    static func checkReplaceable(_ target: URL) throws(DiagnosticError) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: target.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw DiagnosticError([.error("exists and is not a directory; choose another --dump path", file: target.path)])
        }
        let entries = (try? fm.contentsOfDirectory(atPath: target.path)) ?? []
        if entries.isEmpty { return }
        let manifest = target.appendingPathComponent("manifest.json")
        if let data = try? Data(contentsOf: manifest),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           object["generator"] as? String == generator {
            return
        }
        throw DiagnosticError([.error("holds files moehls did not write; refusing to replace it (choose an empty or new directory)",
                                      file: target.path)])
    }
}
