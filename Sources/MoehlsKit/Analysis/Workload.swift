/// A pure analysis of a model's size: tokens, parameters, multiply-accumulates per image and
/// weight bytes, broken down by layer kind. Used by `moehls check` and, later, by the cost models.
///
/// Counting rules (docs/model-format.md, "What `moehls check` counts"):
/// - one MAC is one multiply-add of a matrix product; LayerNorm, softmax, GELU and residual adds
///   are not MACs;
/// - attention: Q/K/V (3 T D^2), Q.K^T (T^2 D over all heads), scores x V (T^2 D), projection (T D^2);
/// - MoE: each token runs its top-k experts, so T k (2 D H_e) MACs, plus the active task's gate
///   (T D E); experts that no token picks cost nothing, and routing is data dependent only in which
///   experts run, not in how many MACs;
/// - weight bytes: every parameter at its tensor class's width, packed to bits then rounded up to bytes
///   per tensor class. Class token and position embedding are stored at the activation format.
public struct Workload: Hashable, Codable, Sendable {
    /// One row of the breakdown.
    public struct Part: Hashable, Codable, Sendable {
        public var name: String
        /// How many times the part occurs per image (e.g. layers of this kind).
        public var count: Int
        /// Parameters in all occurrences together.
        public var parameters: Int
        /// MACs per image in all occurrences together.
        public var macs: Int
        /// Weight storage in bytes for all occurrences at the model's precisions.
        public var weightBytes: Int
    }

    public var tokens: Int
    public var parts: [Part]

    public var parameters: Int { parts.reduce(0) { $0 + $1.parameters } }
    public var macs: Int { parts.reduce(0) { $0 + $1.macs } }
    public var weightBytes: Int { parts.reduce(0) { $0 + $1.weightBytes } }

    /// Computes the breakdown; throws if a count does not fit in 64 bits.
    public static func compute(_ spec: ModelSpec) throws(WorkloadOverflow) -> Workload {
        let math = CheckedMath()
        let t = spec.tokens, d = spec.embedDim
        let p = spec.precision
        var parts: [Part] = []

        /// Parameters of a tensor class as (count, bits per element).
        func part(_ name: String, count: Int, macs: Int, tensors: [(Int, FixedFormat)]) throws(WorkloadOverflow) {
            var params = 0, bits = 0
            for (elements, format) in tensors {
                params = try math.add(params, elements, name)
                bits = try math.add(bits, try math.mul(elements, format.width, name), name)
            }
            parts.append(Part(name: name, count: count, parameters: params, macs: macs,
                              weightBytes: (bits + 7) / 8))
        }

        if spec.kind != .attention, let image = spec.image, let patch = spec.patchSize {
            let kernel = try math.mul(try math.mul(image.channels, patch, "patch embedding"), patch, "patch embedding")
            let weights = try math.mul(kernel, d, "patch embedding")
            var tensors: [(Int, FixedFormat)] = [(weights, p.patchWeight), (d, p.bias)]
            if spec.classToken { tensors.append((d, p.activation)) }
            if spec.positionEmbedding == .learned { tensors.append((try math.mul(t, d, "position embedding"), p.activation)) }
            try part("patch embedding", count: 1, macs: try math.mul(spec.patches, weights, "patch embedding"),
                     tensors: tensors)
        }

        let layers = spec.layers
        // Attention half of every layer: LN1, Q/K/V, attention, projection.
        do {
            let name = "attention"
            let dd = try math.mul(d, d, name)
            let projections = try math.mul(t, try math.mul(4, dd, name), name)
            let scores = try math.mul(try math.mul(t, t, name), try math.mul(2, d, name), name)
            let perLayer = try math.add(projections, scores, name)
            let weights = try math.mul(try math.mul(4, dd, name), layers, name)
            let biases = try math.mul((spec.attention.qkvBias ? 4 : 1) * d, layers, name)
            let norms = try math.mul(2 * d, layers, name)
            try part(name, count: layers, macs: try math.mul(perLayer, layers, name),
                     tensors: [(weights, p.weight), (biases, p.bias), (norms, p.layerNorm)])
        }

        let moeLayers = spec.moe?.layers.count ?? 0
        let denseLayers = spec.kind == .attention ? 0 : layers - moeLayers
        if let mlp = spec.mlp, denseLayers > 0 {
            let name = "dense MLP"
            let weights = try math.mul(try math.mul(2 * d, mlp.hidden, name), denseLayers, name)
            let biases = try math.mul(mlp.hidden + d, denseLayers, name)
            let norms = try math.mul(2 * d, denseLayers, name)
            let macs = try math.mul(try math.mul(t, try math.mul(2 * d, mlp.hidden, name), name), denseLayers, name)
            try part(name, count: denseLayers, macs: macs,
                     tensors: [(weights, p.weight), (biases, p.bias), (norms, p.layerNorm)])
        }
        if let moe = spec.moe, moeLayers > 0 {
            let name = "MoE experts"
            let perExpert = try math.mul(2 * d, moe.expertHidden, name)
            let weights = try math.mul(try math.mul(perExpert, moe.experts, name), moeLayers, name)
            let biases = try math.mul(try math.mul(moe.expertHidden + d, moe.experts, name), moeLayers, name)
            let norms = try math.mul(2 * d, moeLayers, name)
            let macs = try math.mul(try math.mul(try math.mul(t, moe.topK, name), perExpert, name), moeLayers, name)
            try part("MoE experts (top-\(moe.topK) of \(moe.experts))", count: moeLayers, macs: macs,
                     tensors: [(weights, p.weight), (biases, p.bias), (norms, p.layerNorm)])
            let gate = "MoE gates"
            let gateWeights = try math.mul(try math.mul(try math.mul(moe.experts, d, gate), moe.tasks, gate), moeLayers, gate)
            let gateMacs = try math.mul(try math.mul(try math.mul(t, d, gate), moe.experts, gate), moeLayers, gate)
            try part(moe.tasks > 1 ? "MoE gates (\(moe.tasks) tasks, 1 active)" : gate, count: moeLayers,
                     macs: gateMacs, tensors: [(gateWeights, p.weight)])
        }
        if spec.kind != .attention {
            var tensors: [(Int, FixedFormat)] = [(2 * d, p.layerNorm)]
            var macs = 0
            var name = "final LayerNorm"
            if let head = spec.classifier {
                name += " + classifier"
                tensors.append((try math.mul(d, head.classes, name), p.weight))
                tensors.append((head.classes, p.bias))
                macs = try math.mul(d, head.classes, name)
            }
            try part(name, count: 1, macs: macs, tensors: tensors)
        }
        let workload = Workload(tokens: t, parts: parts)
        // The totals must fit too.
        var total = (0, 0, 0)
        for item in parts {
            total.0 = try math.add(total.0, item.parameters, "total parameters")
            total.1 = try math.add(total.1, item.macs, "total MACs")
            total.2 = try math.add(total.2, item.weightBytes, "total weight bytes")
        }
        return workload
    }
}

/// A count that does not fit in 64 bits; `what` names it.
public struct WorkloadOverflow: Error, Sendable {
    public var what: String
}

/// Overflow-checked Int arithmetic that names what overflowed.
struct CheckedMath {
    func mul(_ a: Int, _ b: Int, _ what: String) throws(WorkloadOverflow) -> Int {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { throw WorkloadOverflow(what: "the \(what) count") }
        return value
    }

    func add(_ a: Int, _ b: Int, _ what: String) throws(WorkloadOverflow) -> Int {
        let (value, overflow) = a.addingReportingOverflow(b)
        if overflow { throw WorkloadOverflow(what: "the \(what) count") }
        return value
    }
}
