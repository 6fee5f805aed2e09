/// The dimensions of a model as the cost models use them, read once from a `ModelSpec`.
///
/// `ModelSpec` guarantees positive, bounded sizes (docs/model-format.md, "Limits"), so the
/// products here stay far below 2^62.
public struct ModelShape: Hashable, Sendable {
    public enum LayerKind: String, Hashable, Codable, Sendable {
        case dense, moe
    }

    public var kind: ModelSpec.Kind
    /// Tokens per image (T).
    public var tokens: Int
    /// Patches per image (0 for kind `attention`).
    public var patches: Int
    /// Inputs of the patch-embedding product: channels x patch^2 (0 for kind `attention`).
    public var patchInputs: Int
    /// Pixels per image (H x W x C; 0 for kind `attention`).
    public var pixels: Int
    public var classToken: Bool
    public var positionEmbedding: Bool
    /// Token width D.
    public var embedDim: Int
    public var heads: Int
    public var headDim: Int
    /// Encoder layers in order.
    public var layerKinds: [LayerKind]
    /// Dense MLP hidden width (0 without an MLP).
    public var hidden: Int
    public var mlpGELU: Bool
    public var experts: Int
    public var topK: Int
    public var expertHidden: Int
    public var expertGELU: Bool
    public var classes: Int
    public var qkvBias: Bool
    /// Whether the attention scale is a power of two (a shift instead of a multiplier).
    public var scaleIsPowerOfTwo: Bool
    /// Bits per element: activation, accumulator, weight, bias, patch weight, pixel.
    public var activationBits: Int
    public var accumulatorBits: Int
    public var weightBits: Int
    public var biasBits: Int
    public var patchWeightBits: Int
    public var pixelBits: Int

    public init(_ spec: ModelSpec) {
        kind = spec.kind
        tokens = spec.tokens
        patches = spec.patches
        if let image = spec.image, let patch = spec.patchSize, spec.kind != .attention {
            patchInputs = image.channels * patch * patch
            pixels = image.height * image.width * image.channels
        } else {
            patchInputs = 0
            pixels = 0
        }
        classToken = spec.kind != .attention && spec.classToken
        positionEmbedding = spec.kind != .attention && spec.positionEmbedding == .learned
        embedDim = spec.embedDim
        heads = spec.heads
        headDim = spec.headDim
        layerKinds = (0..<spec.layers).map { spec.kind != .attention && spec.isMoELayer($0) ? .moe : .dense }
        hidden = spec.kind == .attention ? 0 : (spec.mlp?.hidden ?? 0)
        mlpGELU = spec.mlp?.activation == .gelu
        experts = spec.moe?.experts ?? 0
        topK = spec.moe?.topK ?? 0
        expertHidden = spec.moe?.expertHidden ?? 0
        expertGELU = spec.moe?.activation == .gelu
        classes = spec.kind == .attention ? 0 : (spec.classifier?.classes ?? 0)
        qkvBias = spec.attention.qkvBias
        let scale = spec.attention.scale
        scaleIsPowerOfTwo = scale > 0 && scale.significand == 1
        let p = spec.precision
        activationBits = p.activation.width
        accumulatorBits = p.accumulator.width
        weightBits = p.weight.width
        biasBits = p.bias.width
        patchWeightBits = p.patchWeight.width
        pixelBits = p.pixel.width
    }

    /// Whether the model has an FFN half (kinds `vit` and `moe-vit`).
    public var hasFFN: Bool { kind != .attention }
    public var hasMoE: Bool { layerKinds.contains(.moe) }
    public var hasDense: Bool { hasFFN && layerKinds.contains(.dense) && hidden > 0 }
    /// Whether any linear write-back applies GELU (so the engine needs GELU units).
    public var usesGELU: Bool { (hasDense && mlpGELU) || (hasMoE && expertGELU) }

    /// Tokens each expert receives when `tokens` tokens each pick `topK` experts and routing is
    /// balanced: `floor(tokens k / E)` each, plus one for the first `tokens k mod E` experts.
    /// Routing is data dependent; this is the assumption behind every MoE estimate.
    public func balancedRouting(tokens: Int) -> [Int] {
        guard experts > 0 else { return [] }
        let assignments = Sat.mul(tokens, topK)
        let base = assignments / experts, extra = assignments % experts
        return (0..<experts).map { base + ($0 < extra ? 1 : 0) }
    }
}
