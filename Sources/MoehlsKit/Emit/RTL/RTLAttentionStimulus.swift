import Foundation

/// The cost model's cycle count for one attention invocation (`AttentionTiming`, docs/cost-model.md
/// "Attention engine") and the RTL's start-to-done count, which is the same formula without the
/// controller's turnaround (`invocation_overhead`, charged outside the kernel as for every kernel):
///
///     cost model  invocation_overhead + N_a C_a + buffer_read_depth + (h nb + 2) S
///     RTL                               N_a C_a + buffer_read_depth + (h nb + 2) S
public struct RTLAttentionPrediction: Hashable, Sendable {
    public var shape: RTLAttentionShape
    public var micro: MicroArchitecture = .v1

    public init(shape: RTLAttentionShape) { self.shape = shape }

    public var timing: AttentionTiming {
        AttentionTiming(engine: shape.engine, tokens: shape.tokens, headDim: shape.headDim,
                        scaleIsPowerOfTwo: shape.scaleIsShift, micro: micro)
    }

    /// What the search is promised for the kernel alone: `AttentionTiming.cycles(heads:)` minus
    /// `invocation_overhead` (the controller's turnaround, as `RTLLinearPrediction.cycles`).
    public func cycles(heads: Int) -> Int { timing.cycles(heads: heads) - micro.invocationOverhead }

    /// What the RTL takes from the start pulse to done (the testbench's count), written out from
    /// the kernel's pipeline registers (docs/kernels-attention.md, "Cycle count"):
    /// equal to `cycles(heads:)`.
    public func rtlCycles(heads: Int) -> Int {
        let e = shape.engine
        let n = shape.tokens, ca = shape.chunks
        let tree = ceilLog2(e.tA)
        let qk = n * ca + 2 + 4 + tree + 1 + (shape.scaleIsShift ? 0 : 4) + 1
        let pv = max(n * ca + 2 + 9 + 4 + 1, n + 2 + 9 + 1 + (e.rows - 1) + 7)
        let wb = e.rows * ca + 4 + 2
        let step = max(qk, pv, wb)
        return e.rows * ca + 2 + (heads * shape.blocksPerHead + 2) * step
    }
}

/// The `$readmemh` files of one attention invocation: Q, K and V words of its heads and the
/// expected outputs, from the golden model's values.
public struct RTLAttentionStimulus: Hashable, Sendable {
    /// Invocation name (the golden model's call name, e.g. `blocks.0.attn`).
    public var name: String
    /// Heads of this invocation (`n_heads`).
    public var heads: Int
    public var q: String
    public var k: String
    public var v: String
    /// Expected raw outputs, token-major over the concatenated heads (`tokens x heads hd`).
    public var expected: [Int64]

    /// Builds the files for the first `heads` heads of `qkv` (`tokens x 3D`, columns Q | K | V,
    /// each split into heads of `hd`); `output` is the golden attention output (`tokens x D`).
    public init(name: String, shape: RTLAttentionShape, qkv: FixedMatrix, heads: Int, output: FixedMatrix) {
        let hd = shape.headDim, n = shape.tokens, width = shape.activation.width
        let d = qkv.columns / 3
        precondition(qkv.rows == n && heads <= shape.heads && heads * hd <= d && output.rows == n,
                     "stimulus does not match the shape \(shape)")
        self.name = name
        self.heads = heads
        func words(_ offset: Int, _ label: String) -> String {
            var lines = ["// \(name) \(label): \(shape.description), \(heads) heads"]
            for h in 0..<heads {
                for t in 0..<n {
                    for c in 0..<shape.chunks {
                        var word = RTLWord(bits: shape.engine.tA * width)
                        for i in 0..<shape.engine.tA where c * shape.engine.tA + i < hd {
                            word.set(qkv[t, offset + h * hd + c * shape.engine.tA + i], width: width, at: i * width)
                        }
                        lines.append(word.hex)
                    }
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }
        q = words(0, "Q")
        k = words(d, "K")
        v = words(2 * d, "V")
        var expected: [Int64] = []
        for t in 0..<n {
            for column in 0..<(heads * hd) { expected.append(output[t, column]) }
        }
        self.expected = expected
    }
}

/// One attention invocation of a forward pass: the Q/K/V projection output and the golden result.
public struct RTLAttentionCall: Sendable {
    public var name: String
    public var qkv: FixedMatrix
    public var heads: Int
    public var scale: Double
    public var output: FixedMatrix
}

/// Collects the attention invocations of the golden model's fixed-point forward pass, in order.
public enum RTLAttentionTrace {
    public static func calls(_ golden: GoldenModel, input: ModelInput) -> [RTLAttentionCall] {
        calls(golden, trace: GoldenTrace(golden, input: input))
    }

    public static func calls(_ golden: GoldenModel, trace: GoldenTrace) -> [RTLAttentionCall] {
        trace.calls(.attention).map { call in
            RTLAttentionCall(name: call.name, qkv: call.inputs[0], heads: golden.spec.heads, scale: golden.spec.attention.scale,
                             output: call.output)
        }
    }
}
