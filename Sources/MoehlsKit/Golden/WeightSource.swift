/// Where a forward pass's weights come from: seeded synthetic weights (SplitMix64) or a
/// .safetensors file (names as in docs/golden-model.md). `generate` and `run` share it.
public enum WeightSource: Hashable, Sendable, CustomStringConvertible {
    case seed(UInt64)
    case file(String)

    /// `--weights FILE` when given, else `--seed N`.
    public init(seed: UInt64, file: String?) {
        self = file.map { .file($0) } ?? .seed(seed)
    }

    /// The golden model of `spec` with these weights (`task`: which task's gate, multi-task models).
    public func model(spec: ModelSpec, task: Int) throws(DiagnosticError) -> GoldenModel {
        switch self {
        case .seed(let seed): try GoldenModel(spec: spec, seed: seed, task: task)
        case .file(let path): try GoldenModel(spec: spec, tensors: try WeightFiles.load(spec, path: path), file: path, task: task)
        }
    }

    public var description: String {
        switch self {
        case .seed(let seed): "seed \(seed)"
        case .file(let path): path
        }
    }
}
