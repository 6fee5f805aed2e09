/// Where weights come from: seeded synthetic values or named tensors (e.g. a .safetensors file),
/// assembled into `Weights` by the model's parameter list and quantised to its formats.
public enum WeightSources {
    /// Deterministic synthetic weights: each parameter from its own SplitMix64 stream seeded with
    /// `seed ^ fnv1a64(name)`, values `center + spread * (2u - 1)` with `u = nextDouble()`, in row-
    /// major order. The same on every platform; adding a parameter never changes the others.
    public static func synthetic(_ spec: ModelSpec, seed: UInt64) -> [String: FloatMatrix] {
        var tensors: [String: FloatMatrix] = [:]
        for slot in spec.parameterSlots {
            var rng = SplitMix64(seed: seed ^ fnv1a64(slot.name))
            let spread = slot.spread, center = slot.center
            let values = (0..<(slot.rows * slot.columns)).map { _ in center + spread * (2 * rng.nextDouble() - 1) }
            tensors[slot.name] = FloatMatrix(rows: slot.rows, columns: slot.columns, values: values)
        }
        return tensors
    }

    /// FNV-1a, 64 bit, over the UTF-8 bytes of `text`.
    public static func fnv1a64(_ text: String) -> UInt64 { FNV1a64.hash(text.utf8) }

    /// Assembles `Weights` from named matrices; every missing or mis-shaped tensor is a diagnostic.
    public static func assemble<M>(_ spec: ModelSpec, file: String, shapeOf: (M) -> (Int, Int),
                                   _ lookup: (String) -> M?) throws(DiagnosticError) -> Weights<M> {
        var problems = DiagnosticCollector()
        var found: [String: M] = [:]
        for slot in spec.parameterSlots {
            guard let matrix = lookup(slot.name) else {
                problems.error("missing tensor '\(slot.name)' (\(slot.rows) x \(slot.columns))", at: nil, file: file)
                continue
            }
            let (rows, columns) = shapeOf(matrix)
            if rows != slot.rows || columns != slot.columns {
                problems.error("tensor '\(slot.name)' is \(rows) x \(columns); the model needs \(slot.rows) x \(slot.columns)",
                               at: nil, file: file)
                continue
            }
            found[slot.name] = matrix
        }
        try problems.throwIfErrors()
        func get(_ name: String) -> M { found[name]! }
        func linear(_ name: String, bias: Bool = true) -> Weights<M>.Linear {
            .init(weight: get("\(name).weight"), bias: bias ? get("\(name).bias") : nil)
        }
        func norm(_ name: String) -> Weights<M>.Norm { .init(gamma: get("\(name).weight"), beta: get("\(name).bias")) }
        var layers: [Weights<M>.Layer] = []
        for index in 0..<spec.layers {
            let p = "blocks.\(index)"
            var layer = Weights<M>.Layer(norm1: norm("\(p).norm1"), qkv: linear("\(p).attn.qkv", bias: spec.attention.qkvBias),
                                         proj: linear("\(p).attn.proj"), norm2: nil, mlp: nil, experts: [], gates: [])
            if spec.kind != .attention {
                layer.norm2 = norm("\(p).norm2")
                if let moe = spec.moe, spec.isMoELayer(index) {
                    layer.gates = (0..<moe.tasks).map { get("\(p).mlp.gates.\($0).weight") }
                    layer.experts = (0..<moe.experts).map {
                        .init(fc1: linear("\(p).mlp.experts.\($0).fc1"), fc2: linear("\(p).mlp.experts.\($0).fc2"))
                    }
                } else {
                    layer.mlp = .init(fc1: linear("\(p).mlp.fc1"), fc2: linear("\(p).mlp.fc2"))
                }
            }
            layers.append(layer)
        }
        let vit = spec.kind != .attention
        return Weights<M>(
            patch: vit ? linear("patch_embed.proj") : nil,
            classToken: vit && spec.classToken ? get("cls_token") : nil,
            positions: vit && spec.positionEmbedding == .learned ? get("pos_embed") : nil,
            layers: layers,
            norm: vit ? norm("norm") : nil,
            head: vit && spec.classifier != nil ? linear("head") : nil)
    }

    /// How many values were clipped when weights were quantised, per tensor (only tensors with
    /// clipping are listed), and in total.
    public struct QuantizationReport: Hashable, Codable, Sendable {
        public var clipped: [String: Int] = [:]
        public var totalValues = 0
        public var totalClipped: Int { clipped.values.reduce(0, +) }
    }

    /// Quantises named float tensors to the model's formats: round to nearest (ties away from
    /// zero) and saturate, whatever the format's own modes (those apply to arithmetic, not to
    /// preparing weights). NaN values are diagnostics.
    public static func quantize(_ spec: ModelSpec, _ tensors: [String: FloatMatrix], file: String)
        throws(DiagnosticError) -> ([String: FixedMatrix], QuantizationReport) {
        var out: [String: FixedMatrix] = [:]
        var report = QuantizationReport()
        var problems = DiagnosticCollector()
        for slot in spec.parameterSlots {
            guard let matrix = tensors[slot.name] else { continue }
            let format = slot.tensorClass.format(in: spec.precision)
            var rounding = format
            rounding.quantization = .rndInf
            rounding.overflow = .sat
            let low = Fixed.min(format).toDouble(), high = Fixed.max(format).toDouble()
            var raw = [Int64]()
            raw.reserveCapacity(matrix.values.count)
            var clipped = 0
            for value in matrix.values {
                guard let fixed = try? Fixed(value, format: rounding) else {
                    problems.error("tensor '\(slot.name)' holds NaN", at: nil, file: file)
                    break
                }
                if value < low || value > high { clipped += 1 }
                raw.append(Int64(fixed.raw))
            }
            if raw.count != matrix.values.count { continue }
            if clipped > 0 { report.clipped[slot.name] = clipped }
            report.totalValues += raw.count
            out[slot.name] = FixedMatrix(rows: matrix.rows, columns: matrix.columns, format: format, raw: raw)
        }
        try problems.throwIfErrors()
        return (out, report)
    }
}
