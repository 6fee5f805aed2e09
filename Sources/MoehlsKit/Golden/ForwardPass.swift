/// The forward pass of a whole model, generic over the arithmetic (`FixedKernels` for the
/// hardware-exact model, `FloatKernels` for the reference). The order of operations here is the
/// one the generated kernels implement (docs/numerics.md, "Order of operations").
public struct ForwardPass<K: GoldenKernels>: Sendable {
    public let spec: ModelSpec
    public let kernels: K
    public let weights: Weights<K.Matrix>
    /// Which task's gate routes the MoE layers.
    public let task: Int
    /// Expert-by-expert with per-expert token queues (as the hardware does), or token by token
    /// (the plain definition; used by tests to check the queues).
    public var expertByExpert = true

    public init(spec: ModelSpec, kernels: K, weights: Weights<K.Matrix>, task: Int = 0) {
        self.spec = spec
        self.kernels = kernels
        self.weights = weights
        self.task = task
    }

    /// Everything a run produces.
    public struct Result: Sendable {
        /// Tokens after the embedding (`tokens x D`).
        public var embedded: K.Matrix
        /// Per encoder layer: after the attention residual and after the MLP/MoE residual.
        public var layers: [(attention: K.Matrix, output: K.Matrix)] = []
        /// Per MoE layer: the routing decision.
        public var routing: [Int: Routing<K.Score>] = [:]
        /// After the final LayerNorm (ViTs) or the block output (attention).
        public var features: K.Matrix
        /// Classifier logits of the class token (`1 x classes`), when there is a head.
        public var logits: K.Matrix?
    }

    /// Runs the model on `input`: flattened patches (`patches x C*P*P`, see `Patches`) for ViTs,
    /// or tokens (`tokens x D`) for an attention block. `observe` sees every kernel call.
    public func run(_ input: K.Matrix, observe: ((KernelCall<K.Matrix>) -> Void)? = nil) -> Result {
        var x: K.Matrix
        if let patch = weights.patch {
            let embedded = kernels.linear(input, patch, activation: nil)
            observe?(KernelCall(kind: .linear, name: "patch_embed.proj", layer: nil, inputs: [input], output: embedded))
            x = embedded
            if let cls = weights.classToken { x = kernels.stack(cls, x) }
            if let positions = weights.positions {
                let sum = kernels.add(x, positions)
                observe?(KernelCall(kind: .add, name: "pos_embed", layer: nil, inputs: [x, positions], output: sum))
                x = sum
            }
        } else {
            x = input
        }
        var result = Result(embedded: x, features: x)
        for (index, layer) in weights.layers.enumerated() {
            let p = "blocks.\(index)"
            // Attention half: LN1, Q/K/V, attention, projection, residual.
            let n1 = kernels.layerNorm(x, layer.norm1, eps: spec.layerNormEps)
            observe?(KernelCall(kind: .layerNorm, name: "\(p).norm1", layer: index, inputs: [x], output: n1))
            let qkv = kernels.linear(n1, layer.qkv, activation: nil)
            observe?(KernelCall(kind: .linear, name: "\(p).attn.qkv", layer: index, inputs: [n1], output: qkv))
            let heads = kernels.attention(qkv: qkv, heads: spec.heads, scale: spec.attention.scale)
            observe?(KernelCall(kind: .attention, name: "\(p).attn", layer: index, inputs: [qkv], output: heads))
            let projected = kernels.linear(heads, layer.proj, activation: nil)
            observe?(KernelCall(kind: .linear, name: "\(p).attn.proj", layer: index, inputs: [heads], output: projected))
            x = kernels.add(x, projected)
            observe?(KernelCall(kind: .add, name: "\(p).residual1", layer: index, inputs: [projected], output: x))
            let afterAttention = x
            // FFN half: LN2, MLP or MoE, residual.
            if let norm2 = layer.norm2 {
                let n2 = kernels.layerNorm(x, norm2, eps: spec.layerNormEps)
                observe?(KernelCall(kind: .layerNorm, name: "\(p).norm2", layer: index, inputs: [x], output: n2))
                let ffn: K.Matrix
                if let mlp = layer.mlp {
                    let hidden = kernels.linear(n2, mlp.fc1, activation: spec.mlp?.activation)
                    observe?(KernelCall(kind: .linear, name: "\(p).mlp.fc1", layer: index, inputs: [n2], output: hidden))
                    ffn = kernels.linear(hidden, mlp.fc2, activation: nil)
                    observe?(KernelCall(kind: .linear, name: "\(p).mlp.fc2", layer: index, inputs: [hidden], output: ffn))
                } else {
                    let (out, routing) = mixture(n2, layer: layer, index: index, observe: observe)
                    result.routing[index] = routing
                    ffn = out
                }
                x = kernels.add(x, ffn)
                observe?(KernelCall(kind: .add, name: "\(p).residual2", layer: index, inputs: [ffn], output: x))
            }
            result.layers.append((afterAttention, x))
        }
        result.features = x
        if let norm = weights.norm {
            result.features = kernels.layerNorm(x, norm, eps: spec.layerNormEps)
            observe?(KernelCall(kind: .layerNorm, name: "norm", layer: nil, inputs: [x], output: result.features))
            if let head = weights.head {
                let cls = kernels.gather(result.features, rows: [0])
                result.logits = kernels.linear(cls, head, activation: nil)
                observe?(KernelCall(kind: .linear, name: "head", layer: nil, inputs: [cls], output: result.logits!))
            }
        }
        return result
    }

    /// The MoE half of a layer: the active task's gate, top-k routing, then the experts.
    func mixture(_ x: K.Matrix, layer: Weights<K.Matrix>.Layer, index: Int,
                 observe: ((KernelCall<K.Matrix>) -> Void)?) -> (K.Matrix, Routing<K.Score>) {
        let moe = spec.moe!
        let p = "blocks.\(index).mlp"
        let logits = kernels.linear(x, .init(weight: layer.gates[task], bias: nil), activation: nil)
        observe?(KernelCall(kind: .linear, name: "\(p).gates.\(task)", layer: index, inputs: [x], output: logits))
        let routing = kernels.route(logits: logits, topK: moe.topK, normalisation: moe.scoreNormalisation)
        let tokens = kernels.rowCount(x)
        var acc = kernels.combineStart(tokens: tokens, width: spec.embedDim)
        let activation = moe.activation
        if expertByExpert {
            for (expert, queue) in routing.queues(experts: moe.experts).enumerated() where !queue.isEmpty {
                let weights = layer.experts[expert]
                let gathered = kernels.gather(x, rows: queue)
                let hidden = kernels.linear(gathered, weights.fc1, activation: activation)
                observe?(KernelCall(kind: .linear, name: "\(p).experts.\(expert).fc1", layer: index, inputs: [gathered],
                                    output: hidden, queue: queue))
                let y = kernels.linear(hidden, weights.fc2, activation: nil)
                observe?(KernelCall(kind: .linear, name: "\(p).experts.\(expert).fc2", layer: index, inputs: [hidden],
                                    output: y, queue: queue))
                // Row `position` of y belongs to token `queue[position]`; its score is looked up
                // by that token id, never by the position.
                for (position, token) in queue.enumerated() {
                    kernels.combine(&acc, token: token, score: routing.score(token: token, expert: expert)!, y: y, row: position)
                }
            }
        } else {
            for token in 0..<tokens {
                for (rank, expert) in routing.experts[token].enumerated() {
                    let weights = layer.experts[expert]
                    let one = kernels.gather(x, rows: [token])
                    let y = kernels.linear(kernels.linear(one, weights.fc1, activation: activation), weights.fc2, activation: nil)
                    kernels.combine(&acc, token: token, score: routing.scores[token][rank], y: y, row: 0)
                }
            }
        }
        let combined = kernels.combineFinish(acc)
        observe?(KernelCall(kind: .combine, name: "\(p).combine", layer: index, inputs: [], output: combined))
        return (combined, routing)
    }
}

/// One kernel invocation seen by a forward pass: what the trace records.
public struct KernelCall<Matrix: Sendable>: Sendable {
    public enum Kind: String, Hashable, Codable, Sendable {
        case linear, layerNorm = "layer_norm", attention, add
        /// The MoE output: every expert's rows scaled by their scores and summed per token.
        case combine
    }
    public var kind: Kind
    /// The parameter prefix it uses (`blocks.3.attn.qkv`), or a name for parameterless steps.
    public var name: String
    public var layer: Int?
    public var inputs: [Matrix]
    public var output: Matrix
    /// For expert layers: the token ids of the input rows, in queue order.
    public var queue: [Int]? = nil
}
