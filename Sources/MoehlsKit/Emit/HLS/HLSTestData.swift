/// The testbench's data (`hls/tb/data/`): the input image the top function reads and the output
/// image it must write, both from one run of the golden model's fixed-point pass.
struct HLSTestData {
    /// `input.bin`: the image (C x H x W pixels, row-major) for ViTs, the tokens for attention blocks.
    var input: BinaryImage
    /// `expected.bin`: every stage output of the golden model (`embedded`, `layerNN.attention`,
    /// `layerNN.output`, `features`, `logits`), as the top function writes them with trace set.
    var expected: BinaryImage

    init(spec: ModelSpec, input: ModelInput, result: ForwardPass<FixedKernels>.Result) {
        var image = BinaryImage()
        if spec.image != nil {
            let pixels = HLSTestData.unpatch(input.fixed, spec: spec)
            image.append("input", rows: 1, columns: pixels.count, format: input.fixed.format, raw: pixels)
        } else {
            image.append("input", input.fixed)
        }
        image.ensureNonEmpty()
        self.input = image

        var expected = BinaryImage()
        for (name, matrix) in HLSTestData.stages(result) { expected.append(name, matrix) }
        self.expected = expected
    }

    /// The stage outputs in the order the program stores them.
    static func stages(_ result: ForwardPass<FixedKernels>.Result) -> [(String, FixedMatrix)] {
        var stages = [("embedded", result.embedded)]
        for (index, layer) in result.layers.enumerated() {
            let name = "layer" + (index < 10 ? "0" : "") + "\(index)"
            stages.append(("\(name).attention", layer.attention))
            stages.append(("\(name).output", layer.output))
        }
        stages.append(("features", result.features))
        if let logits = result.logits { stages.append(("logits", logits)) }
        return stages
    }

    /// The image (C x H x W, row-major raw pixels) whose patches are `patches` (the inverse of
    /// `ModelInput.patches`: row py * (W/P) + px, column c * P * P + ky * P + kx).
    static func unpatch(_ patches: FixedMatrix, spec: ModelSpec) -> [Int64] {
        let shape = spec.image!, p = spec.patchSize!
        let across = shape.width / p
        var pixels = [Int64](repeating: 0, count: shape.channels * shape.height * shape.width)
        for row in 0..<patches.rows {
            let (py, px) = (row / across, row % across)
            for column in 0..<patches.columns {
                let (c, ky, kx) = (column / (p * p), (column / p) % p, column % p)
                pixels[(c * shape.height + py * p + ky) * shape.width + px * p + kx] = patches[row, column]
            }
        }
        return pixels
    }
}
