/// The input of a forward pass: an image (`channels x height x width`, values in the pixel
/// format's range) for ViTs, or tokens (`tokens x D`) for an attention block. Both forward passes
/// receive the same values: the fixed pass the quantised ones, the float pass their exact Double
/// values.
public struct ModelInput: Sendable {
    /// Quantised input as the kernels read it: flattened patches in the pixel format, or tokens
    /// in the activation format.
    public let fixed: FixedMatrix
    /// The same values as Doubles.
    public let float: FloatMatrix

    /// From raw values: `channels * height * width` pixels (C, H, W order) for ViTs, or
    /// `tokens * D` values for attention blocks. Out-of-range values saturate; NaN is an error.
    public init(spec: ModelSpec, values: [Double], source: String) throws(DiagnosticError) {
        let expected: Int, rows: Int, columns: Int, format: FixedFormat
        if let image = spec.image, let patch = spec.patchSize {
            expected = image.channels * image.height * image.width
            rows = spec.patches
            columns = image.channels * patch * patch
            format = spec.precision.pixel
        } else {
            expected = spec.tokens * spec.embedDim
            rows = spec.tokens
            columns = spec.embedDim
            format = spec.precision.activation
        }
        guard values.count == expected else {
            let shape = spec.image.map { "\($0.channels) x \($0.height) x \($0.width)" } ?? "\(spec.tokens) x \(spec.embedDim)"
            throw DiagnosticError([.error("input has \(values.count) values; the model needs \(shape) = \(expected)", file: source)])
        }
        let arranged = spec.image == nil ? values : ModelInput.patches(values, spec: spec)
        var rounding = format
        rounding.quantization = .rndInf
        rounding.overflow = .sat
        var raw = [Int64]()
        raw.reserveCapacity(arranged.count)
        for v in arranged {
            guard let q = try? Fixed(v, format: rounding) else {
                throw DiagnosticError([.error("input holds NaN", file: source)])
            }
            raw.append(Int64(q.raw))
        }
        fixed = FixedMatrix(rows: rows, columns: columns, format: format, raw: raw)
        float = FloatMatrix(rows: rows, columns: columns, values: fixed.toDoubles())
    }

    /// Seeded synthetic input: pixels uniform over `[0, 1)` for ViTs, tokens uniform over
    /// `±sqrt(3)` (unit variance) for attention blocks, from `SplitMix64(seed ^ fnv1a64("input"))`.
    public static func synthetic(spec: ModelSpec, seed: UInt64) -> ModelInput {
        var rng = SplitMix64(seed: seed ^ WeightSources.fnv1a64("input"))
        let values: [Double]
        if let image = spec.image {
            values = (0..<(image.channels * image.height * image.width)).map { _ in rng.nextDouble() }
        } else {
            values = (0..<(spec.tokens * spec.embedDim)).map { _ in 3.0.squareRoot() * (2 * rng.nextDouble() - 1) }
        }
        // Synthetic values are in range and never NaN.
        return try! ModelInput(spec: spec, values: values, source: "seed \(seed)")
    }

    /// Flattens an image (C, H, W) into patches: row `py * (W/P) + px`, column
    /// `c * P * P + ky * P + kx` (the layout of a Conv2d weight `[D, C, P, P]`).
    static func patches(_ image: [Double], spec: ModelSpec) -> [Double] {
        let shape = spec.image!, p = spec.patchSize!
        let across = shape.width / p, down = shape.height / p
        var out = [Double]()
        out.reserveCapacity(image.count)
        for py in 0..<down {
            for px in 0..<across {
                for c in 0..<shape.channels {
                    for ky in 0..<p {
                        let start = (c * shape.height + py * p + ky) * shape.width + px * p
                        out += image[start..<(start + p)]
                    }
                }
            }
        }
        return out
    }
}
