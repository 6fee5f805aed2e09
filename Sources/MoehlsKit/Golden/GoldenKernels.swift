/// What a forward pass needs from its arithmetic: implemented bit-exactly by `FixedKernels` and
/// exactly (in Double) by `FloatKernels`, so one `ForwardPass` defines the order of operations
/// for both.
public protocol GoldenKernels: Sendable {
    associatedtype Matrix: Hashable & Codable & Sendable
    associatedtype Score: Hashable & Codable & Sendable

    /// `x W^T + b`, then the activation (GELU or ReLU) when given.
    func linear(_ x: Matrix, _ layer: Weights<Matrix>.Linear, activation: Activation?) -> Matrix
    func add(_ x: Matrix, _ y: Matrix) -> Matrix
    func layerNorm(_ x: Matrix, _ norm: Weights<Matrix>.Norm, eps: Double) -> Matrix
    func attention(qkv: Matrix, heads: Int, scale: Double) -> Matrix
    func route(logits: Matrix, topK: Int, normalisation: MoESpec.ScoreNormalisation) -> Routing<Score>
    func combineStart(tokens: Int, width: Int) -> Matrix
    func combine(_ acc: inout Matrix, token: Int, score: Score, y: Matrix, row: Int)
    func combineFinish(_ acc: Matrix) -> Matrix
    /// Rows of a matrix, in the order listed.
    func gather(_ x: Matrix, rows: [Int]) -> Matrix
    /// Stacks rows: `top` above `bottom`.
    func stack(_ top: Matrix, _ bottom: Matrix) -> Matrix
    func rowCount(_ x: Matrix) -> Int
}

extension FixedKernels: GoldenKernels {
    public func gather(_ x: FixedMatrix, rows: [Int]) -> FixedMatrix { x.gather(rows: rows) }
    public func stack(_ top: FixedMatrix, _ bottom: FixedMatrix) -> FixedMatrix {
        precondition(top.columns == bottom.columns && top.format == bottom.format, "stack: shapes differ")
        return FixedMatrix(rows: top.rows + bottom.rows, columns: top.columns, format: top.format, raw: top.raw + bottom.raw)
    }
    public func rowCount(_ x: FixedMatrix) -> Int { x.rows }
}

extension FloatKernels: GoldenKernels {
    public func gather(_ x: FloatMatrix, rows: [Int]) -> FloatMatrix { x.gather(rows: rows) }
    public func stack(_ top: FloatMatrix, _ bottom: FloatMatrix) -> FloatMatrix {
        FloatMatrix(rows: top.rows + bottom.rows, columns: top.columns, values: top.values + bottom.values)
    }
    public func rowCount(_ x: FloatMatrix) -> Int { x.rows }
}
