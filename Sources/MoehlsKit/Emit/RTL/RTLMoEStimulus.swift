/// The `$readmemh` files of one MoE layer for `moehls_moe_tb` and the expected results, all from
/// the golden model's values (docs/kernels-moe.md, "Testbench").
public struct RTLMoEStimulus: Hashable, Sendable {
    /// The layer's name (`blocks.1.mlp`).
    public var name: String
    public var tokens: Int
    /// Queue length of every expert (0 for an inactive one).
    public var queueLengths: [Int]
    /// LayerNorm output: `tokens x K` words of `T_in` values, token-major.
    public var normalized: String
    /// The residual x, same layout.
    public var residual: String
    /// `E` queue lengths.
    public var lengths: String
    /// Queue entries `{score, token}` of all experts, experts in index order, queue order within.
    public var queues: String
    /// Every active expert's output rows (queue order), `K` words per row, experts in index order.
    public var expertOutputs: String
    /// Expected staging rows of every active expert (`D` values per row), in the same order.
    public var expectedGathered: [Int64]
    /// Expected finish output (`tokens x D`): the layer's output `add(x, combineFinish(acc))`.
    public var expected: [Int64]
    /// Expected output of the second finish pass, on cleared accumulators: `add(x, 0)`.
    public var expectedCleared: [Int64]

    /// Builds the files for `layer` on `shape`; `kernels` computes the cleared pass's expectation.
    public init(layer: RTLMoELayer, shape: RTLMoEShape, kernels: FixedKernels) {
        let d = shape.embedDim, k = shape.blocks, tIn = shape.engine.tIn
        let a = shape.activation
        precondition(layer.normalized.columns == d && layer.tokens <= shape.maxTokens && layer.queues.count == shape.experts
                     && layer.queues.map(\.count).reduce(0, +) <= shape.maxPairs,
                     "stimulus does not match the shape \(shape)")
        name = layer.name
        tokens = layer.tokens
        queueLengths = layer.queueLengths
        let header = "// \(layer.name): \(shape.description), \(layer.tokens) tokens\n"

        /// Rows of `m` as `K` words of `T_in` values each (zero-padded past D).
        func chunks(_ m: FixedMatrix) -> [String] {
            var lines: [String] = []
            lines.reserveCapacity(m.rows * k)
            for t in 0..<m.rows {
                for b in 0..<k {
                    var word = RTLWord(bits: tIn * a.width)
                    for c in 0..<tIn where b * tIn + c < d {
                        word.set(m[t, b * tIn + c], width: a.width, at: c * a.width)
                    }
                    lines.append(word.hex)
                }
            }
            return lines
        }
        normalized = header + chunks(layer.normalized).joined(separator: "\n") + "\n"
        residual = header + chunks(layer.residual).joined(separator: "\n") + "\n"
        lengths = header + layer.queueLengths.map { hexField(Int64($0), width: shape.tokenBits) }.joined(separator: "\n") + "\n"
        var entries: [String] = [], outputs: [String] = [], gathered: [Int64] = []
        for (expert, queue) in layer.queues.enumerated() where !queue.isEmpty {
            for (position, token) in queue.enumerated() {
                var word = RTLWord(bits: shape.tokenBits + a.width)
                word.set(Int64(token), width: shape.tokenBits, at: 0)
                word.set(layer.scores[expert][position], width: a.width, at: shape.tokenBits)
                entries.append(word.hex)
            }
            outputs += chunks(layer.expertOutputs[expert]!)
            gathered += layer.gathered[expert]!.raw
        }
        queues = header + entries.joined(separator: "\n") + "\n"
        expertOutputs = header + outputs.joined(separator: "\n") + "\n"
        expectedGathered = gathered
        expected = layer.output.raw
        expectedCleared = kernels.add(layer.residual, FixedMatrix(zeros: layer.tokens, d, format: a)).raw
    }
}
