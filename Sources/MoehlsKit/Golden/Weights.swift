/// The parameters of a model, in float (`FloatMatrix`) or fixed point (`FixedMatrix`), named as
/// timm names a ViT's parameters (docs/golden-model.md, "Weights"). Linear weights are
/// `out x in`; vectors (biases, LayerNorm gamma/beta, class token) are `1 x n`.
public struct Weights<Matrix: Hashable & Codable & Sendable>: Hashable, Codable, Sendable {
    public struct Linear: Hashable, Codable, Sendable {
        public var weight: Matrix
        public var bias: Matrix?
    }

    public struct Norm: Hashable, Codable, Sendable {
        public var gamma: Matrix
        public var beta: Matrix
    }

    public struct MLP: Hashable, Codable, Sendable {
        public var fc1: Linear
        public var fc2: Linear
    }

    public struct Layer: Hashable, Codable, Sendable {
        public var norm1: Norm
        public var qkv: Linear
        public var proj: Linear
        public var norm2: Norm?
        /// The dense MLP (nil in MoE layers and attention blocks).
        public var mlp: MLP?
        /// The experts of an MoE layer (empty otherwise).
        public var experts: [MLP]
        /// One gate per task, `experts x D`, no bias (empty in dense layers).
        public var gates: [Matrix]
    }

    /// Patch embedding as a linear layer over flattened patches (`D x C*P*P`, channel-major
    /// like a Conv2d weight `[D, C, P, P]`); nil for kind `attention`.
    public var patch: Linear?
    public var classToken: Matrix?
    /// `tokens x D`.
    public var positions: Matrix?
    public var layers: [Layer]
    public var norm: Norm?
    public var head: Linear?
}

public typealias FloatWeights = Weights<FloatMatrix>
public typealias FixedWeights = Weights<FixedMatrix>

/// Which precision class a parameter belongs to (PrecisionSpec's fields).
public enum TensorClass: String, Hashable, Codable, Sendable {
    case weight, bias, layerNorm, patchWeight, activation

    public func format(in precision: PrecisionSpec) -> FixedFormat {
        switch self {
        case .weight: return precision.weight
        case .bias: return precision.bias
        case .layerNorm: return precision.layerNorm
        case .patchWeight: return precision.patchWeight
        case .activation: return precision.activation
        }
    }
}
