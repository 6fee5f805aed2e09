/// One linear-kernel invocation of a forward pass: its weights and the golden input and output.
public struct RTLLinearCall: Sendable {
    public var name: String
    public var input: FixedMatrix
    public var layer: FixedWeights.Linear
    public var gelu: Bool
    public var output: FixedMatrix
    /// ReLU on the output (MLP or expert fc1 of a ReLU model).
    public var relu: Bool = false
}

/// Collects the linear invocations of the golden model's fixed-point forward pass, in order, with
/// the weights each call used (looked up by call name in `golden.fixedWeights`).
public enum RTLLinearTrace {
    public static func calls(_ golden: GoldenModel, input: ModelInput) -> [RTLLinearCall] {
        calls(golden, trace: GoldenTrace(golden, input: input))
    }

    public static func calls(_ golden: GoldenModel, trace: GoldenTrace) -> [RTLLinearCall] {
        trace.calls(.linear).map { call in
            let (layer, gelu) = weights(named: call.name, golden)
            return RTLLinearCall(name: call.name, input: call.inputs[0], layer: layer, gelu: gelu, output: call.output,
                                 relu: isReLU(call.name, golden.spec))
        }
    }

    /// Whether the call applies ReLU: the fc1 of a ReLU MLP or of a ReLU model's experts.
    static func isReLU(_ name: String, _ spec: ModelSpec) -> Bool {
        guard name.hasSuffix(".fc1") else { return false }
        return name.contains(".experts.") ? spec.moe?.activation == .relu : spec.mlp?.activation == .relu
    }

    /// The weights and GELU flag of a linear call named as `ForwardPass` names them.
    static func weights(named name: String, _ golden: GoldenModel) -> (FixedWeights.Linear, Bool) {
        let w = golden.fixedWeights
        let parts = name.split(separator: ".").map(String.init)
        if name == "patch_embed.proj" { return (w.patch!, false) }
        if name == "head" { return (w.head!, false) }
        precondition(parts.count >= 4 && parts[0] == "blocks", "unknown linear call \(name)")
        let layer = w.layers[Int(parts[1])!]
        let moeGELU = golden.spec.moe?.activation == .gelu
        switch (parts[2], parts[3]) {
        case ("attn", "qkv"): return (layer.qkv, false)
        case ("attn", "proj"): return (layer.proj, false)
        case ("mlp", "fc1"): return (layer.mlp!.fc1, golden.spec.mlp?.activation == .gelu)
        case ("mlp", "fc2"): return (layer.mlp!.fc2, false)
        case ("mlp", "gates"): return (FixedWeights.Linear(weight: layer.gates[Int(parts[4])!], bias: nil), false)
        case ("mlp", "experts"):
            let expert = layer.experts[Int(parts[4])!]
            return parts[5] == "fc1" ? (expert.fc1, moeGELU) : (expert.fc2, false)
        default: preconditionFailure("unknown linear call \(name)")
        }
    }
}
