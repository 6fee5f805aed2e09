/// One fixed-point forward pass with every kernel call it made, recorded once: the RTL stimulus
/// of a project (linear, attention, MoE and residual invocations) is cut from the same trace
/// instead of re-running the golden model per kernel family.
public struct GoldenTrace: Sendable {
    public var calls: [KernelCall<FixedMatrix>]
    public var result: ForwardPass<FixedKernels>.Result

    /// Runs `golden`'s fixed-point pass on `input` and records it.
    public init(_ golden: GoldenModel, input: ModelInput) {
        var calls: [KernelCall<FixedMatrix>] = []
        result = golden.fixedPass().run(input.fixed) { calls.append($0) }
        self.calls = calls
    }

    /// The calls of one kind, in execution order.
    public func calls(_ kind: KernelCall<FixedMatrix>.Kind) -> [KernelCall<FixedMatrix>] {
        calls.filter { $0.kind == kind }
    }
}
