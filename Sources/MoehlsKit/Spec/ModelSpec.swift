/// A validated model description: the input of every later stage.
///
/// Built only by `ModelLoader` (which checks every field and cross-field rule), so code that
/// receives a `ModelSpec` may rely on its invariants: sizes are positive and bounded (so products
/// used by later stages cannot overflow), heads divide the width, patches tile the image, top-k is
/// at most the expert count, MoE layer indices are in range. See docs/model-format.md.
public struct ModelSpec: Hashable, Codable, Sendable {
    /// What the file describes.
    public enum Kind: String, Hashable, Codable, Sendable, CaseIterable {
        /// A Vision Transformer whose selected layers use a Mixture of Experts instead of the MLP.
        case moeViT = "moe-vit"
        /// A plain Vision Transformer.
        case vit
        /// One multi-head self-attention block (LN, Q/K/V, attention, projection, residual).
        case attention
    }

    public var name: String
    public var kind: Kind
    /// Input image; nil for kind `attention`.
    public var image: ImageSpec?
    /// Side of the square patch in pixels; nil for kind `attention`.
    public var patchSize: Int?
    /// Whether a learned class token is prepended to the patch tokens.
    public var classToken: Bool
    public var positionEmbedding: PositionEmbedding
    /// Token width D.
    public var embedDim: Int
    public var heads: Int
    /// Encoder layers (1 for kind `attention`).
    public var layers: Int
    /// Tokens per image: given for kind `attention`, otherwise patches (+1 with a class token).
    public var tokens: Int
    /// The dense MLP of each non-MoE layer; nil for kind `attention`.
    public var mlp: MLPSpec?
    public var layerNormEps: Double
    public var attention: AttentionSpec
    /// The MoE configuration; non-nil exactly for kind `moe-vit`.
    public var moe: MoESpec?
    /// Classifier head on the final class token (nil: no head).
    public var classifier: ClassifierSpec?
    public var precision: PrecisionSpec

    /// Width of one attention head.
    public var headDim: Int { embedDim / heads }
    /// Patches per image (0 for kind `attention`).
    public var patches: Int {
        guard let image, let patchSize else { return 0 }
        return (image.height / patchSize) * (image.width / patchSize)
    }

    /// Whether encoder layer `index` (0-based) uses the MoE instead of the dense MLP.
    public func isMoELayer(_ index: Int) -> Bool { moe?.layers.contains(index) ?? false }
}

public struct ImageSpec: Hashable, Codable, Sendable {
    public var height: Int
    public var width: Int
    public var channels: Int
}

public enum PositionEmbedding: String, Hashable, Codable, Sendable, CaseIterable {
    /// A learned table of `tokens x D` added after the patch embedding.
    case learned
    /// No position embedding.
    case none
}

public enum Activation: String, Hashable, Codable, Sendable, CaseIterable {
    case gelu, relu
}

public struct MLPSpec: Hashable, Codable, Sendable {
    /// Hidden width of fc1 (output) / fc2 (input).
    public var hidden: Int
    public var activation: Activation
}

/// How attention is computed. Variants from the literature (sliding windows, 2-D neighbourhoods,
/// sinks, block-sparse masks, grouped KV heads, linear attention) will be added as new `pattern`
/// values and fields of this section, so existing files keep their meaning.
public struct AttentionSpec: Hashable, Codable, Sendable {
    public enum Pattern: String, Hashable, Codable, Sendable, CaseIterable {
        /// Every query attends to every token.
        case full
    }
    public var pattern: Pattern
    /// Multiplier applied to Q.K^T; default 1/sqrt(head dim).
    public var scale: Double
    /// Whether the Q/K/V projections have a bias.
    public var qkvBias: Bool
}

public struct MoESpec: Hashable, Codable, Sendable {
    /// How the gate's scores for the selected experts are normalised.
    public enum ScoreNormalisation: String, Hashable, Codable, Sendable, CaseIterable {
        /// Softmax over all experts' logits, then the top-k kept as they are (M3ViT).
        case softmaxAll = "softmax-all"
        /// Top-k of the logits, softmax over those k only (weights sum to 1).
        case topKSoftmax = "topk-softmax"
    }
    public var experts: Int
    public var topK: Int
    /// Hidden width of each expert's fc1/fc2.
    public var expertHidden: Int
    public var activation: Activation
    /// 0-based indices of the encoder layers that are MoE, ascending.
    public var layers: [Int]
    /// Tasks; one gate (experts x D) per task, one task active per run.
    public var tasks: Int
    public var scoreNormalisation: ScoreNormalisation
}

public struct ClassifierSpec: Hashable, Codable, Sendable {
    public var classes: Int
}

/// Fixed-point formats per tensor class.
public struct PrecisionSpec: Hashable, Codable, Sendable {
    /// Token activations between kernels (and the attention scores and outputs).
    public var activation: FixedFormat
    /// Accumulators of the MAC units (linear layers, attention, LayerNorm sums).
    public var accumulator: FixedFormat
    /// Weights of linear layers (Q/K/V, projection, MLP, experts, gate, head).
    public var weight: FixedFormat
    /// Biases of linear layers.
    public var bias: FixedFormat
    /// LayerNorm gamma and beta.
    public var layerNorm: FixedFormat
    /// Patch-embedding convolution weights.
    public var patchWeight: FixedFormat
    /// Input pixels.
    public var pixel: FixedFormat

    /// M3ViT's precisions as UbiMoE and Edge-MoE use them (the defaults of the model format).
    public static let m3vit = PrecisionSpec(
        activation: FixedFormat(width: 32, integerBits: 10),
        accumulator: FixedFormat(width: 32, integerBits: 10),
        weight: FixedFormat(width: 16, integerBits: 2),
        bias: FixedFormat(width: 16, integerBits: 5),
        layerNorm: FixedFormat(width: 16, integerBits: 5),
        patchWeight: FixedFormat(width: 16, integerBits: 0),
        pixel: FixedFormat(width: 8, integerBits: 0, isSigned: false))

    /// The tensor classes in file order, with their model-file keys.
    public static var fields: [(key: String, keyPath: WritableKeyPath<PrecisionSpec, FixedFormat>)] {
        [("activation", \.activation), ("accumulator", \.accumulator), ("weight", \.weight), ("bias", \.bias),
         ("layer_norm", \.layerNorm), ("patch_weight", \.patchWeight), ("pixel", \.pixel)]
    }
}
