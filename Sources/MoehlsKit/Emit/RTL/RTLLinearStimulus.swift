/// The `$readmemh` files of one linear-kernel invocation: the weight stream, the input words and the
/// expected outputs, all from the golden model's values.
public struct RTLLinearStimulus: Hashable, Sendable {
    /// Invocation name (the golden model's call name, e.g. `blocks.0.attn.qkv`).
    public var name: String
    public var tokens: Int
    /// Beats of the weight stream: `J` slabs of `slabBeats`.
    public var beats: Int
    public var weights: String
    public var inputs: String
    /// Expected raw outputs, token-major (`tokens x d_out`).
    public var expected: [Int64]

    /// Builds the files for `x` (tokens x d_in) through `layer` (weight d_out x d_in, optional bias)
    /// on `shape`; `expected` is the golden output.
    public init(name: String, shape: RTLLinearShape, x: FixedMatrix, layer: FixedWeights.Linear, expected: FixedMatrix) {
        let e = shape.engine
        let w = layer.weight
        precondition(x.columns == shape.inputs && w.rows == shape.outputs && x.rows <= shape.maxTokens,
                     "stimulus does not match the shape \(shape)")
        self.name = name
        tokens = x.rows
        let header = "// \(name): \(shape.description), \(x.rows) tokens\n"

        var beatLines: [String] = []
        for j in 0..<shape.outputBlocks {
            if let bias = layer.bias, let format = shape.bias {
                var word = RTLWord(bits: shape.biasBeats * shape.beatBits)
                for o in 0..<e.tOut where j * e.tOut + o < shape.outputs {
                    word.set(bias.raw[j * e.tOut + o], width: format.width, at: o * format.width)
                }
                beatLines += RTLLinearStimulus.split(word, beatBits: shape.beatBits)
            }
            for k in 0..<shape.inputBlocks {
                var word = RTLWord(bits: shape.rowBeats * shape.beatBits)
                for o in 0..<e.tOut where j * e.tOut + o < shape.outputs {
                    for i in 0..<e.tIn where k * e.tIn + i < shape.inputs {
                        word.set(w[j * e.tOut + o, k * e.tIn + i], width: shape.weight.width,
                                 at: (o * e.tIn + i) * shape.weight.width)
                    }
                }
                beatLines += RTLLinearStimulus.split(word, beatBits: shape.beatBits)
            }
        }
        beats = beatLines.count
        weights = header + beatLines.joined(separator: "\n") + "\n"

        var inputLines: [String] = []
        for t in 0..<x.rows {
            for k in 0..<shape.inputBlocks {
                var word = RTLWord(bits: e.tIn * shape.input.width)
                for i in 0..<e.tIn where k * e.tIn + i < shape.inputs {
                    word.set(x[t, k * e.tIn + i], width: shape.input.width, at: i * shape.input.width)
                }
                inputLines.append(word.hex)
            }
        }
        inputs = header + inputLines.joined(separator: "\n") + "\n"
        self.expected = expected.raw
    }

    /// A row word cut into beats, first beat = least significant bits.
    static func split(_ word: RTLWord, beatBits: Int) -> [String] {
        let hex = word.hex
        let digits = beatBits / 4
        let count = word.bits / beatBits
        return (0..<count).map { b in
            let end = hex.index(hex.endIndex, offsetBy: -b * digits)
            let begin = hex.index(end, offsetBy: -digits)
            return String(hex[begin..<end])
        }
    }
}
