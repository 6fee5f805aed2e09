import Foundation

/// The packed weight image the kernels read (`weights/weights.bin`) and its manifest
/// (`weights/manifest.json`): every parameter of the golden model's fixed-point weights in
/// `ModelSpec.parameterSlots` order, raw values in their own formats, each tensor 64-byte
/// aligned (docs/hls-kernels.md, "Weight image").
public struct WeightImage: Sendable {
    public let image: BinaryImage

    /// Packs `weights` (the golden model's `fixedWeights`) in parameter order.
    public init(spec: ModelSpec, weights: FixedWeights) {
        let named = weights.namedTensors()
        var image = BinaryImage()
        for slot in spec.parameterSlots {
            guard let matrix = named[slot.name] else { preconditionFailure("WeightImage: no tensor \(slot.name)") }
            image.append(slot.name, matrix)
        }
        image.ensureNonEmpty()
        self.image = image
    }

    /// The manifest: model, file, size, alignment, SHA-256 of the whole file, and per tensor its
    /// name, shape, format, fraction and storage bits, byte offset, size and SHA-256.
    public func manifest(model: String) -> String {
        struct Manifest: Encodable {
            var generator = "moehls"
            var model: String
            var file = "weights.bin"
            var bytes: Int
            var alignment = BinaryImage.alignment
            var encoding = "row-major; two's complement, little-endian, in the format's width rounded up to 8/16/32/64 bits"
            var sha256: String
            var tensors: [BinaryImage.Tensor]
        }
        let manifest = Manifest(model: model, bytes: image.bytes.count, sha256: SHA256.hex(image.bytes), tensors: image.tensors)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and integers cannot fail.
        return String(decoding: try! encoder.encode(manifest), as: UTF8.self) + "\n"
    }
}

extension Weights where Matrix == FixedMatrix {
    /// Every parameter by its timm-style name (docs/golden-model.md, "Weights"), the names of
    /// `ModelSpec.parameterSlots`.
    public func namedTensors() -> [String: FixedMatrix] {
        var named: [String: FixedMatrix] = [:]
        func linear(_ prefix: String, _ layer: Linear) {
            named["\(prefix).weight"] = layer.weight
            if let bias = layer.bias { named["\(prefix).bias"] = bias }
        }
        func layerNorm(_ prefix: String, _ norm: Norm) {
            named["\(prefix).weight"] = norm.gamma
            named["\(prefix).bias"] = norm.beta
        }
        if let patch { linear("patch_embed.proj", patch) }
        if let classToken { named["cls_token"] = classToken }
        if let positions { named["pos_embed"] = positions }
        for (index, layer) in layers.enumerated() {
            let p = "blocks.\(index)"
            layerNorm("\(p).norm1", layer.norm1)
            linear("\(p).attn.qkv", layer.qkv)
            linear("\(p).attn.proj", layer.proj)
            if let norm2 = layer.norm2 { layerNorm("\(p).norm2", norm2) }
            if let mlp = layer.mlp {
                linear("\(p).mlp.fc1", mlp.fc1)
                linear("\(p).mlp.fc2", mlp.fc2)
            }
            for (task, gate) in layer.gates.enumerated() { named["\(p).mlp.gates.\(task).weight"] = gate }
            for (expert, mlp) in layer.experts.enumerated() {
                linear("\(p).mlp.experts.\(expert).fc1", mlp.fc1)
                linear("\(p).mlp.experts.\(expert).fc2", mlp.fc2)
            }
        }
        if let norm { layerNorm("norm", norm) }
        if let head { linear("head", head) }
        return named
    }
}
