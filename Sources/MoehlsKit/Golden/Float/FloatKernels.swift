import Foundation

/// The float (Double) reference: the same kernels and the same order of operations as
/// `FixedKernels`, with exact functions (exp, 1/sqrt, erf-based GELU) and no rounding beyond
/// Double's.
public struct FloatKernels: Sendable {
    public init() {}

    public func linear(_ x: FloatMatrix, _ layer: FloatWeights.Linear, activation: Activation? = nil) -> FloatMatrix {
        let w = layer.weight
        precondition(x.columns == w.columns, "linear: input width \(x.columns) != weight width \(w.columns)")
        let inputs = x.columns, outputs = w.rows
        var result = [Double](repeating: 0, count: x.rows * outputs)
        x.values.withUnsafeBufferPointer { xs in
            w.values.withUnsafeBufferPointer { ws in
                result.withUnsafeMutableBufferPointer { ys in
                    let yBase = ys.baseAddress!
                    parallelChunks(x.rows) { tokens in
                        for t in tokens {
                            let xRow = xs.baseAddress! + t * inputs
                            for o in 0..<outputs {
                                let wRow = ws.baseAddress! + o * inputs
                                var acc = layer.bias?.values[o] ?? 0
                                for i in 0..<inputs { acc += xRow[i] * wRow[i] }
                                switch activation {
                                case .gelu: yBase[t * outputs + o] = FloatKernels.gelu(acc)
                                case .relu: yBase[t * outputs + o] = Swift.max(acc, 0)
                                case nil: yBase[t * outputs + o] = acc
                                }
                            }
                        }
                    }
                }
            }
        }
        return FloatMatrix(rows: x.rows, columns: outputs, values: result)
    }

    /// Exact GELU: `x * Phi(x)`.
    public static func gelu(_ x: Double) -> Double { 0.5 * x * erfc(-x / 2.0.squareRoot()) }

    public func add(_ x: FloatMatrix, _ y: FloatMatrix) -> FloatMatrix {
        FloatMatrix(rows: x.rows, columns: x.columns, values: zip(x.values, y.values).map(+))
    }

    /// LayerNorm with a two-pass mean and variance (the accurate reference).
    public func layerNorm(_ x: FloatMatrix, _ norm: FloatWeights.Norm, eps: Double) -> FloatMatrix {
        var out = x
        let d = x.columns
        for t in 0..<x.rows {
            let row = x.row(t)
            let mean = row.reduce(0, +) / Double(d)
            let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(d)
            let scale = 1 / (variance + eps).squareRoot()
            for i in 0..<d { out[t, i] = (x[t, i] - mean) * scale * norm.gamma.values[i] + norm.beta.values[i] }
        }
        return out
    }

    public func attention(qkv: FloatMatrix, heads: Int, scale: Double) -> FloatMatrix {
        let tokens = qkv.rows, d = qkv.columns / 3, headDim = d / heads
        var out = FloatMatrix(zeros: tokens, d)
        for h in 0..<heads {
            let q = qkv.columns(h * headDim, count: headDim), k = qkv.columns(d + h * headDim, count: headDim)
            let v = qkv.columns(2 * d + h * headDim, count: headDim)
            let o = attentionHead(q: q, k: k, v: v, scale: scale)
            for t in 0..<tokens { for c in 0..<headDim { out[t, h * headDim + c] = o[t, c] } }
        }
        return out
    }

    public func attentionHead(q: FloatMatrix, k: FloatMatrix, v: FloatMatrix, scale: Double) -> FloatMatrix {
        let tokens = q.rows, headDim = q.columns
        var out = FloatMatrix(zeros: tokens, headDim)
        var s = [Double](repeating: 0, count: tokens)
        for i in 0..<tokens {
            for j in 0..<tokens {
                var acc = 0.0
                for c in 0..<headDim { acc += q[i, c] * k[j, c] }
                s[j] = acc * scale
            }
            let maximum = s.max()!
            let e = s.map { Foundation.exp($0 - maximum) }
            let sum = e.reduce(0, +)
            for c in 0..<headDim {
                var acc = 0.0
                for j in 0..<tokens { acc += e[j] * v[j, c] }
                out[i, c] = acc / sum
            }
        }
        return out
    }

    public func route(logits: FloatMatrix, topK: Int, normalisation: MoESpec.ScoreNormalisation) -> Routing<Double> {
        var experts: [[Int]] = [], scores: [[Double]] = []
        for t in 0..<logits.rows {
            let row = Array(logits.row(t))
            let chosen = Routing<Double>.topK(row, k: topK)
            let pool = normalisation == .softmaxAll ? Array(0..<row.count) : chosen
            let maximum = pool.map { row[$0] }.max()!
            let sum = pool.reduce(0) { $0 + Foundation.exp(row[$1] - maximum) }
            experts.append(chosen)
            scores.append(chosen.map { Foundation.exp(row[$0] - maximum) / sum })
        }
        return Routing(experts: experts, scores: scores)
    }

    public func combineStart(tokens: Int, width: Int) -> FloatMatrix { FloatMatrix(zeros: tokens, width) }

    public func combine(_ acc: inout FloatMatrix, token: Int, score: Double, y: FloatMatrix, row: Int) {
        for c in 0..<acc.columns { acc[token, c] += score * y[row, c] }
    }

    public func combineFinish(_ acc: FloatMatrix) -> FloatMatrix { acc }
}
