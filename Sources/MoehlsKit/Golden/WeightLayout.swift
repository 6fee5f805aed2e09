/// Every parameter of a model with its timm-style name, shape, precision class and the scale of
/// its synthetic initialisation. Synthetic weights, `.safetensors` loading and quantisation all
/// walk this one list, so they cannot disagree about names or shapes.
public struct ParameterSlot: Hashable, Codable, Sendable {
    public enum Role: String, Hashable, Codable, Sendable {
        /// A linear or patch weight: uniform in `±sqrt(3 / fan_in)` (unit output variance).
        case matrix
        /// A bias: uniform in `±0.02`.
        case bias
        /// LayerNorm gamma: `1 + uniform(±0.1)`.
        case gamma
        /// LayerNorm beta: uniform in `±0.05`.
        case beta
        /// Class token and position embedding: uniform in `±0.05`.
        case embedding
    }

    public var name: String
    public var rows: Int
    public var columns: Int
    public var tensorClass: TensorClass
    public var role: Role

    /// Half-width of the uniform distribution of synthetic values, around `center`.
    public var spread: Double {
        switch role {
        case .matrix: return (3.0 / Double(columns)).squareRoot()
        case .bias: return 0.02
        case .gamma: return 0.1
        case .beta, .embedding: return 0.05
        }
    }

    public var center: Double { role == .gamma ? 1 : 0 }
}

extension ModelSpec {
    /// The parameters in a fixed order: patch embedding, class token, positions, layers
    /// (norm1, qkv, proj, norm2, mlp or gates and experts), final norm, head.
    public var parameterSlots: [ParameterSlot] {
        var slots: [ParameterSlot] = []
        let d = embedDim
        func linear(_ name: String, out: Int, in inputs: Int, bias: Bool = true, weightClass: TensorClass = .weight) {
            slots.append(ParameterSlot(name: "\(name).weight", rows: out, columns: inputs, tensorClass: weightClass, role: .matrix))
            if bias { slots.append(ParameterSlot(name: "\(name).bias", rows: 1, columns: out, tensorClass: .bias, role: .bias)) }
        }
        func norm(_ name: String) {
            slots.append(ParameterSlot(name: "\(name).weight", rows: 1, columns: d, tensorClass: .layerNorm, role: .gamma))
            slots.append(ParameterSlot(name: "\(name).bias", rows: 1, columns: d, tensorClass: .layerNorm, role: .beta))
        }
        if kind != .attention, let image, let patchSize {
            linear("patch_embed.proj", out: d, in: image.channels * patchSize * patchSize, weightClass: .patchWeight)
            if classToken {
                slots.append(ParameterSlot(name: "cls_token", rows: 1, columns: d, tensorClass: .activation, role: .embedding))
            }
            if positionEmbedding == .learned {
                slots.append(ParameterSlot(name: "pos_embed", rows: tokens, columns: d, tensorClass: .activation, role: .embedding))
            }
        }
        for layer in 0..<layers {
            let prefix = "blocks.\(layer)"
            norm("\(prefix).norm1")
            linear("\(prefix).attn.qkv", out: 3 * d, in: d, bias: attention.qkvBias)
            linear("\(prefix).attn.proj", out: d, in: d)
            if kind == .attention { continue }
            norm("\(prefix).norm2")
            if let moe, isMoELayer(layer) {
                for task in 0..<moe.tasks {
                    linear("\(prefix).mlp.gates.\(task)", out: moe.experts, in: d, bias: false)
                }
                for expert in 0..<moe.experts {
                    linear("\(prefix).mlp.experts.\(expert).fc1", out: moe.expertHidden, in: d)
                    linear("\(prefix).mlp.experts.\(expert).fc2", out: d, in: moe.expertHidden)
                }
            } else if let mlp {
                linear("\(prefix).mlp.fc1", out: mlp.hidden, in: d)
                linear("\(prefix).mlp.fc2", out: d, in: mlp.hidden)
            }
        }
        if kind != .attention {
            norm("norm")
            if let classifier { linear("head", out: classifier.classes, in: d) }
        }
        return slots
    }
}
