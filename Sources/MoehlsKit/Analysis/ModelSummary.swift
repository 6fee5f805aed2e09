/// What `moehls check` prints: the validated model's shape and workload, in a form a user can
/// verify by hand (see docs/model-format.md for the counting rules).
public struct ModelSummary: Codable, Sendable {
    public var model: ModelSpec
    public var workload: Workload
    /// MACs per image.
    public var macs: Int
    /// Operations per image counted as 2 per MAC (the count moehls uses for GOPS).
    public var operations: Int
    public var parameters: Int
    public var weightBytes: Int

    public init(_ spec: ModelSpec) throws(DiagnosticError) {
        do {
            workload = try Workload.compute(spec)
        } catch {
            throw DiagnosticError([.error("model is too large: \(error.what) does not fit in a 64-bit integer")])
        }
        model = spec
        macs = workload.macs
        (operations, _) = workload.macs.multipliedReportingOverflow(by: 2)
        parameters = workload.parameters
        weightBytes = workload.weightBytes
    }

    public var text: String {
        let spec = model
        var out = "model \(spec.name) (\(spec.kind.rawValue))\n"
        if let image = spec.image, let patch = spec.patchSize {
            out += "  image \(image.channels) x \(image.height) x \(image.width), patch \(patch) x \(patch): "
                + "\(spec.patches) patches\(spec.classToken ? " + class token" : "") = \(spec.tokens) tokens\n"
        } else {
            out += "  \(spec.tokens) tokens\n"
        }
        out += "  embed dim \(spec.embedDim), \(spec.heads) heads of \(spec.headDim), \(spec.layers) layer\(spec.layers == 1 ? "" : "s")"
        if let mlp = spec.mlp { out += ", MLP hidden \(mlp.hidden) (\(mlp.activation.rawValue))" }
        out += "\n"
        if let moe = spec.moe {
            out += "  MoE: \(moe.experts) experts, top-\(moe.topK), expert hidden \(moe.expertHidden), "
                + "layers \(moe.layers.map(String.init).joined(separator: ",")), \(moe.tasks) task gate\(moe.tasks == 1 ? "" : "s"), "
                + "scores \(moe.scoreNormalisation.rawValue)\n"
        }
        out += "  precision: " + PrecisionSpec.fields.map { "\($0.key) \(spec.precision[keyPath: $0.keyPath])" }
            .joined(separator: ", ") + "\n\n"

        var table = TextTable(["part", "layers", "parameters", "MACs/image", "weights"])
        for part in workload.parts {
            table.add([part.name, String(part.count), Format.count(part.parameters), Format.count(part.macs),
                       Format.bytes(part.weightBytes)])
        }
        table.add(["total", "", Format.count(parameters), Format.count(macs), Format.bytes(weightBytes)])
        out += table.text
        out += "\n\(Format.scaled(Double(macs), decimals: 1)) MACs per image = \(Format.scaled(Double(operations), decimals: 3))OP (2 operations per MAC)\n"
        if let moe = spec.moe {
            out += "MoE MACs count the top-\(moe.topK) experts each token runs (\(moe.topK) x 2 x D x hidden per token) plus the active task's gate.\n"
        }
        return out
    }
}
