/// How far the fixed-point model drifts from the float reference on one tensor.
public struct Drift: Hashable, Codable, Sendable {
    /// Largest absolute difference.
    public var maxAbs: Double
    /// Cosine similarity of the two tensors as vectors (1 when both are zero).
    public var cosine: Double
    /// Fraction of reference values outside the fixed format's range (they overflowed).
    public var outOfRange: Double

    public init(fixed: FixedMatrix, reference: FloatMatrix) {
        precondition(fixed.raw.count == reference.values.count, "Drift: sizes differ")
        let values = fixed.toDoubles()
        let low = Fixed.min(fixed.format).toDouble(), high = Fixed.max(fixed.format).toDouble()
        var maxAbs = 0.0, dot = 0.0, a2 = 0.0, b2 = 0.0, outside = 0
        for (a, b) in zip(values, reference.values) {
            maxAbs = Swift.max(maxAbs, abs(a - b))
            dot += a * b
            a2 += a * a
            b2 += b * b
            if b < low || b > high { outside += 1 }
        }
        self.maxAbs = maxAbs
        cosine = (a2 == 0 && b2 == 0) ? 1 : dot / (a2.squareRoot() * b2.squareRoot())
        outOfRange = values.isEmpty ? 0 : Double(outside) / Double(values.count)
    }
}

/// The fixed and float forward passes on the same input, compared stage by stage.
public struct GoldenComparison: Sendable {
    public struct Row: Hashable, Codable, Sendable {
        public var stage: String
        public var drift: Drift
    }
    public var rows: [Row]
    /// Drift of the final class-token features (ViTs with a class token), or of all features.
    public var final: Drift
    public var fixed: ForwardPass<FixedKernels>.Result
    public var float: ForwardPass<FloatKernels>.Result

    /// Runs both passes on `input` and compares them.
    public init(model: GoldenModel, input: ModelInput) {
        self.init(model: model, fixed: model.fixedPass().run(input.fixed), float: model.floatPass().run(input.float))
    }

    /// Compares results of the two passes on the same input.
    public init(model: GoldenModel, fixed: ForwardPass<FixedKernels>.Result, float: ForwardPass<FloatKernels>.Result) {
        self.fixed = fixed
        self.float = float
        var rows = [Row(stage: "embedding", drift: Drift(fixed: fixed.embedded, reference: float.embedded))]
        for (index, (f, r)) in zip(fixed.layers, float.layers).enumerated() {
            rows.append(Row(stage: "layer \(index) attention", drift: Drift(fixed: f.attention, reference: r.attention)))
            rows.append(Row(stage: "layer \(index) \(model.spec.isMoELayer(index) ? "MoE" : model.spec.kind == .attention ? "block" : "MLP")",
                            drift: Drift(fixed: f.output, reference: r.output)))
        }
        if model.spec.kind != .attention {
            rows.append(Row(stage: "final norm", drift: Drift(fixed: fixed.features, reference: float.features)))
        }
        if let fl = fixed.logits, let rl = float.logits {
            rows.append(Row(stage: "classifier", drift: Drift(fixed: fl, reference: rl)))
        }
        self.rows = rows
        final = model.spec.classToken && model.spec.kind != .attention
            ? Drift(fixed: fixed.features.gather(rows: [0]), reference: float.features.gather(rows: [0]))
            : Drift(fixed: fixed.features, reference: float.features)
    }
}
