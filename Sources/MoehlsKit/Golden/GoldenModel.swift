/// The golden model of a validated `ModelSpec`: weights in float and quantised to the model's
/// formats, and the two forward passes (hardware-exact fixed point and the Double reference)
/// run on the same input. Every output moehls emits is judged against `runFixed`.
public struct GoldenModel: Sendable {
    public let spec: ModelSpec
    public let floatWeights: FloatWeights
    public let fixedWeights: FixedWeights
    public let quantization: WeightSources.QuantizationReport
    public let task: Int
    public let fixedKernels: FixedKernels

    /// Builds the model from named float tensors (synthetic or loaded); `file` names their source
    /// in diagnostics.
    public init(spec: ModelSpec, tensors: [String: FloatMatrix], file: String, task: Int = 0) throws(DiagnosticError) {
        try GoldenModel.checkSupported(spec, task: task)
        self.spec = spec
        self.task = task
        floatWeights = try WeightSources.assemble(spec, file: file, shapeOf: { ($0.rows, $0.columns) }) { tensors[$0] }
        let (fixed, report) = try WeightSources.quantize(spec, tensors, file: file)
        fixedWeights = try WeightSources.assemble(spec, file: file, shapeOf: { ($0.rows, $0.columns) }) { fixed[$0] }
        quantization = report
        fixedKernels = FixedKernels(precision: spec.precision)
    }

    /// Seeded synthetic weights (`WeightSources.synthetic`).
    public init(spec: ModelSpec, seed: UInt64, task: Int = 0) throws(DiagnosticError) {
        try self.init(spec: spec, tensors: WeightSources.synthetic(spec, seed: seed), file: "seed \(seed)", task: task)
    }

    /// Formats and options the bit-exact model supports; anything else is a diagnostic.
    public static func checkSupported(_ spec: ModelSpec, task: Int) throws(DiagnosticError) {
        var problems = DiagnosticCollector()
        let p = spec.precision
        if p.accumulator.overflow != .wrap {
            problems.error("the accumulator must use AP_WRAP: saturating accumulation depends on the order of additions, "
                           + "so parallel adder trees could not match it (docs/numerics.md, \"Accumulation\")",
                           at: nil, path: "precision.accumulator")
        }
        for (key, keyPath) in PrecisionSpec.fields.map({ ($0.key, $0.keyPath) }) where p[keyPath: keyPath].width > 40 {
            problems.error("the golden model supports formats up to 40 bits; \(key) is \(p[keyPath: keyPath])",
                           at: nil, path: "precision.\(key)")
        }
        if p.activation.width + Swift.max(p.weight.width, p.patchWeight.width, p.activation.width) > 64 {
            problems.error("products of activations and weights must fit in 64 bits", at: nil, path: "precision")
        }
        if let moe = spec.moe, task >= moe.tasks {
            problems.error("task \(task) does not exist: the model has \(moe.tasks) task(s), 0...\(moe.tasks - 1)",
                           at: nil, path: "moe.tasks")
        }
        try problems.throwIfErrors()
    }

    /// The hardware-exact forward pass.
    public func fixedPass() -> ForwardPass<FixedKernels> {
        ForwardPass(spec: spec, kernels: fixedKernels, weights: fixedWeights, task: task)
    }

    /// The Double reference forward pass.
    public func floatPass() -> ForwardPass<FloatKernels> {
        ForwardPass(spec: spec, kernels: FloatKernels(), weights: floatWeights, task: task)
    }
}
