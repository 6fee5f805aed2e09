/// The hardware-exact kernels: every function computes, bit for bit, what the HLS C++ and the
/// Verilog compute, in the order docs/numerics.md describes. Values are raw integers in the
/// model's formats; all rounding goes through `Fixed.quantizedRaw` or `Accumulation`.
public struct FixedKernels: Sendable {
    public let precision: PrecisionSpec
    public let exp = Exp2Unit()
    public let reciprocal = ReciprocalUnit()
    public let rsqrt = RsqrtUnit()
    public let gelu = GELUUnit()

    public init(precision: PrecisionSpec) {
        self.precision = precision
    }

    var activation: FixedFormat { precision.activation }
    var accumulator: FixedFormat { precision.accumulator }

    /// Converts an exact value into `format` with its modes.
    @inlinable
    func convert(_ raw: Int128, fractionBits: Int, into format: FixedFormat) -> Int64 {
        Int64(truncatingIfNeeded: Fixed.quantizedRaw(raw, fractionBits: fractionBits, into: format))
    }

    // MARK: Linear

    /// `linear(x, layer, activation: gelu ? .gelu : nil)`.
    public func linear(_ x: FixedMatrix, _ layer: FixedWeights.Linear, gelu: Bool = false) -> FixedMatrix {
        linear(x, layer, activation: gelu ? .gelu : nil)
    }

    /// `y = x W^T + b` with the accumulation rule, then GELU (`GELUUnit`, from the accumulator),
    /// ReLU (`max(acc, 0)`) or nothing, converted to the activation format. `x` is `tokens x in`,
    /// `W` is `out x in`.
    public func linear(_ x: FixedMatrix, _ layer: FixedWeights.Linear, activation: Activation?) -> FixedMatrix {
        let w = layer.weight
        precondition(x.columns == w.columns, "linear: input width \(x.columns) != weight width \(w.columns)")
        let rule = Accumulation(format: accumulator, productFractionBits: x.format.fractionBits + w.format.fractionBits)
        // Bias preloaded into the accumulator, converted with the accumulator's modes.
        let start: [Int64] = (0..<w.rows).map { o in
            guard let bias = layer.bias else { return 0 }
            return convert(Int128(bias.raw[o]), fractionBits: bias.format.fractionBits, into: accumulator)
        }
        let out = self.activation
        var result = [Int64](repeating: 0, count: x.rows * w.rows)
        let inputs = x.columns, outputs = w.rows
        x.raw.withUnsafeBufferPointer { xs in
            w.raw.withUnsafeBufferPointer { ws in
                result.withUnsafeMutableBufferPointer { ys in
                    let yBase = ys.baseAddress!
                    parallelChunks(x.rows) { tokens in
                        for t in tokens {
                            let row = UnsafeBufferPointer(rebasing: xs[(t * inputs)..<((t + 1) * inputs)])
                            for o in 0..<outputs {
                                let weights = UnsafeBufferPointer(rebasing: ws[(o * inputs)..<((o + 1) * inputs)])
                                let acc = rule.dot(row, weights, start: start[o])
                                switch activation {
                                case .gelu:
                                    yBase[t * outputs + o] = self.gelu.evaluate(acc, input: self.accumulator, output: out)
                                case .relu:
                                    yBase[t * outputs + o] = self.convert(Int128(Swift.max(acc, 0)),
                                                                          fractionBits: self.accumulator.fractionBits, into: out)
                                case nil:
                                    yBase[t * outputs + o] = self.convert(Int128(acc), fractionBits: self.accumulator.fractionBits, into: out)
                                }
                            }
                        }
                    }
                }
            }
        }
        return FixedMatrix(rows: x.rows, columns: w.rows, format: out, raw: result)
    }

    // MARK: Element-wise

    /// `x + y` converted to the activation format (residual connections, position embedding).
    public func add(_ x: FixedMatrix, _ y: FixedMatrix) -> FixedMatrix {
        precondition(x.rows == y.rows && x.columns == y.columns, "add: shapes differ")
        let f = Swift.max(x.format.fractionBits, y.format.fractionBits)
        let sx = f - x.format.fractionBits, sy = f - y.format.fractionBits
        let raw = zip(x.raw, y.raw).map { a, b in
            convert((Int128(a) << sx) + (Int128(b) << sy), fractionBits: f, into: activation)
        }
        return FixedMatrix(rows: x.rows, columns: x.columns, format: activation, raw: raw)
    }

    // MARK: LayerNorm

    /// LayerNorm over each row (docs/numerics.md, "LayerNorm"): one pass for the sums of x and
    /// x^2, floor divisions by D, variance clamped at 0 plus eps, 1/sqrt from `RsqrtUnit`,
    /// `n = (x - mean) / sqrt(var)` converted to the activation format, then `n * gamma + beta`
    /// converted once.
    public func layerNorm(_ x: FixedMatrix, _ norm: FixedWeights.Norm, eps: Double) -> FixedMatrix {
        let d = x.columns
        let f = x.format.fractionBits
        let epsRaw = Self.layerNormEpsilonRaw(eps, fractionBits: f)
        let gamma = norm.gamma, beta = norm.beta
        let productBits = activation.fractionBits + gamma.format.fractionBits
        let betaShift = productBits - beta.format.fractionBits
        var result = [Int64](repeating: 0, count: x.raw.count)
        for t in 0..<x.rows {
            var s1: Int128 = 0, s2: Int128 = 0
            for i in 0..<d {
                let v = Int128(x.raw[t * d + i])
                s1 += v
                s2 += v * v
            }
            let mean = floorDivide(s1, Int128(d))                 // f fraction bits
            let meanSquare = floorDivide(s2, Int128(d))            // 2f fraction bits
            let variance = Swift.max(meanSquare - mean * mean, 0) + epsRaw
            let (mantissa, exponent) = rsqrt.evaluate(variance, fractionBits: 2 * f)
            for i in 0..<d {
                let centred = Int128(x.raw[t * d + i]) - mean
                let normalised = convert(centred * Int128(mantissa), fractionBits: f + RsqrtUnit.mantissaFractionBits + exponent,
                                         into: activation)
                let scaled = Int128(normalised) * Int128(gamma.raw[i]) + shiftFloor(Int128(beta.raw[i]), by: betaShift)
                result[t * d + i] = convert(scaled, fractionBits: productBits, into: activation)
            }
        }
        return FixedMatrix(rows: x.rows, columns: d, format: activation, raw: result)
    }

    /// eps of LayerNorm in units of `2^-(2 f)` (the variance's): `max(1, round(eps 2^(2f)))`.
    public static func layerNormEpsilonRaw(_ eps: Double, fractionBits f: Int) -> Int128 {
        Swift.max(1, Int128((eps * Double(sign: .plus, exponent: 2 * f, significand: 1)).rounded()))
    }

    // MARK: Softmax pieces

    /// The scale of Q.K^T as an 18-bit unsigned constant: `(raw, fractionBits)` with the leading
    /// one at bit 17, `raw = round(scale * 2^fractionBits)` (exact for powers of two).
    public static func scaleConstant(_ scale: Double) -> (raw: Int64, fractionBits: Int) {
        let fractionBits = 17 - Int(Foundation.floor(Foundation.log2(scale)))
        return (Int64((scale * Double(sign: .plus, exponent: fractionBits, significand: 1)).rounded()), fractionBits)
    }

    /// Guard bits added to the accumulator for sums of `count` exp-weighted terms:
    /// `ceil(log2(count))`.
    public static func guardBits(_ count: Int) -> Int { count <= 1 ? 0 : 64 - (count - 1).leadingZeroBitCount }

    // MARK: Attention

    /// Multi-head self-attention on the Q/K/V projection output (`tokens x 3D`, columns Q | K | V,
    /// each split into heads of `D/heads`), returning the concatenated head outputs (`tokens x D`).
    public func attention(qkv: FixedMatrix, heads: Int, scale: Double) -> FixedMatrix {
        let tokens = qkv.rows, d = qkv.columns / 3, headDim = d / heads
        var out = FixedMatrix(zeros: tokens, d, format: activation)
        var heads_out = [FixedMatrix](repeating: out, count: heads)
        heads_out.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            parallelChunks(heads) { range in
                for h in range {
                    base[h] = self.attentionHead(q: qkv.columns(h * headDim, count: headDim),
                                                 k: qkv.columns(d + h * headDim, count: headDim),
                                                 v: qkv.columns(2 * d + h * headDim, count: headDim), scale: scale)
                }
            }
        }
        for h in 0..<heads {
            for t in 0..<tokens {
                for c in 0..<headDim { out[t, h * headDim + c] = heads_out[h][t, c] }
            }
        }
        return out
    }

    /// One head (docs/numerics.md, "Attention"): scores with the accumulation rule, scaled and
    /// converted to the activation format; the row maximum; `e = exp(s - max)` from `Exp2Unit`;
    /// the exact sum `l`; `o = sum e * v` in the accumulator widened by `guardBits(tokens)`;
    /// one reciprocal of `l` per row; `o * (1/l)` converted to the activation format.
    public func attentionHead(q: FixedMatrix, k: FixedMatrix, v: FixedMatrix, scale: Double) -> FixedMatrix {
        let tokens = q.rows, headDim = q.columns
        let scoreRule = Accumulation(format: accumulator, productFractionBits: q.format.fractionBits + k.format.fractionBits)
        let (scaleRaw, scaleBits) = Self.scaleConstant(scale)
        let guardBits = Self.guardBits(tokens)
        var wide = accumulator
        wide.width += guardBits
        wide.integerBits += guardBits
        let valueRule = Accumulation(format: wide, productFractionBits: Exp2Unit.outputFractionBits + v.format.fractionBits)
        let scoreFormat = activation
        var result = [Int64](repeating: 0, count: tokens * headDim)
        var scores = [Int64](repeating: 0, count: tokens)
        var weights = [Int64](repeating: 0, count: tokens)
        q.raw.withUnsafeBufferPointer { qs in
            k.raw.withUnsafeBufferPointer { ks in
                for i in 0..<tokens {
                    let qRow = UnsafeBufferPointer(rebasing: qs[(i * headDim)..<((i + 1) * headDim)])
                    var maximum = Int64.min
                    for j in 0..<tokens {
                        let kRow = UnsafeBufferPointer(rebasing: ks[(j * headDim)..<((j + 1) * headDim)])
                        let acc = scoreRule.dot(qRow, kRow, start: 0)
                        let s = convert(Int128(acc) * Int128(scaleRaw), fractionBits: accumulator.fractionBits + scaleBits,
                                        into: scoreFormat)
                        scores[j] = s
                        maximum = Swift.max(maximum, s)
                    }
                    var sum: Int64 = 0
                    for j in 0..<tokens {
                        let e = exp.evaluate(scores[j] - maximum, fractionBits: scoreFormat.fractionBits)
                        weights[j] = e
                        sum += e
                    }
                    let (mantissa, exponent) = reciprocal.evaluate(Int128(sum), fractionBits: Exp2Unit.outputFractionBits)
                    for c in 0..<headDim {
                        var acc: Int64 = 0
                        for j in 0..<tokens {
                            acc &+= Int64(truncatingIfNeeded: valueRule.quantize(Int128(weights[j]) * Int128(v.raw[j * headDim + c])))
                        }
                        acc = valueRule.wrap(acc)
                        result[i * headDim + c] = convert(Int128(acc) * Int128(mantissa),
                                                          fractionBits: wide.fractionBits + ReciprocalUnit.mantissaFractionBits + exponent,
                                                          into: activation)
                    }
                }
            }
        }
        return FixedMatrix(rows: tokens, columns: headDim, format: activation, raw: result)
    }

    // MARK: MoE

    /// Routing of every token: the top-k experts by logit (ties to the lowest index), and their
    /// scores (docs/numerics.md, "Gate"): softmax over all logits (`softmax-all`) or over the k
    /// selected (`topk-softmax`) with `Exp2Unit` and `ReciprocalUnit`, scores in the activation format.
    public func route(logits: FixedMatrix, topK: Int, normalisation: MoESpec.ScoreNormalisation) -> Routing<Int64> {
        var experts: [[Int]] = [], scores: [[Int64]] = []
        let f = logits.format.fractionBits
        for t in 0..<logits.rows {
            let row = Array(logits.row(t))
            let chosen = Routing<Int64>.topK(row, k: topK)
            let pool = normalisation == .softmaxAll ? Array(0..<row.count) : chosen
            let maximum = pool.map { row[$0] }.max()!
            var sum: Int64 = 0
            var e = [Int64](repeating: 0, count: row.count)
            for j in pool {
                e[j] = exp.evaluate(row[j] - maximum, fractionBits: f)
                sum += e[j]
            }
            let (mantissa, exponent) = reciprocal.evaluate(Int128(sum), fractionBits: Exp2Unit.outputFractionBits)
            experts.append(chosen)
            scores.append(chosen.map {
                convert(Int128(e[$0]) * Int128(mantissa),
                        fractionBits: Exp2Unit.outputFractionBits + ReciprocalUnit.mantissaFractionBits + exponent,
                        into: activation)
            })
        }
        return Routing(experts: experts, scores: scores)
    }

    /// An accumulator per token for the MoE output, in the accumulator format.
    public func combineStart(tokens: Int, width: Int) -> FixedMatrix {
        FixedMatrix(zeros: tokens, width, format: accumulator)
    }

    /// `acc[token] += score * y[row]` with the accumulation rule.
    public func combine(_ acc: inout FixedMatrix, token: Int, score: Int64, y: FixedMatrix, row: Int) {
        let rule = Accumulation(format: accumulator, productFractionBits: activation.fractionBits + y.format.fractionBits)
        for c in 0..<acc.columns {
            let product = rule.quantize(Int128(score) * Int128(y[row, c]))
            acc[token, c] = rule.wrap(acc[token, c] &+ Int64(truncatingIfNeeded: product))
        }
    }

    /// The MoE accumulators converted to the activation format.
    public func combineFinish(_ acc: FixedMatrix) -> FixedMatrix {
        FixedMatrix(rows: acc.rows, columns: acc.columns, format: activation,
                    raw: acc.raw.map { convert(Int128($0), fractionBits: accumulator.fractionBits, into: activation) })
    }
}

/// Floor division of integers (toward minus infinity), as the hardware's divide-by-constant does.
@inlinable
func floorDivide(_ a: Int128, _ b: Int128) -> Int128 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

import Foundation
