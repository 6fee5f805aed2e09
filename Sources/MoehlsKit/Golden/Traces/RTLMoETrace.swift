/// The golden data of one MoE layer, as the MoE units see it: the LayerNorm output they gather
/// from, the residual, the routing (queues in ascending token order, each entry's score looked up
/// by token id), every active expert's gathered rows and output, and the layer's results.
public struct RTLMoELayer: Sendable {
    /// The MoE block's name (`blocks.1.mlp`).
    public var name: String
    public var layer: Int
    /// LayerNorm output n2 (`tokens x D`): the gather's source.
    public var normalized: FixedMatrix
    /// The residual x (the input of norm2): the finish pass adds it.
    public var residual: FixedMatrix
    /// Per expert: the tokens that chose it, ascending.
    public var queues: [[Int]]
    /// Per expert, by queue position: the score of that token for that expert.
    public var scores: [[Int64]]
    /// Per expert: the gathered rows (the golden fc1 input), nil for an empty queue.
    public var gathered: [FixedMatrix?]
    /// Per expert: its output y (the golden fc2 output, row q for queue position q), nil if empty.
    public var expertOutputs: [FixedMatrix?]
    /// `combineFinish` of the accumulators (the MoE output before the residual).
    public var combined: FixedMatrix
    /// `add(residual, combined)`: the layer's output, what the finish pass writes.
    public var output: FixedMatrix

    public var tokens: Int { normalized.rows }
    public var queueLengths: [Int] { queues.map(\.count) }

    /// The layer recomputed with `FixedKernels` for a given routing (`experts[token]` and
    /// `scores[token]` by rank, as `Routing`): gather, fc1 (with `activation`), fc2, combine by
    /// token id, finish, residual add, in the order of `ForwardPass.mixture`. Used for routings the
    /// gate would not produce (an empty expert, an expert receiving every token).
    public static func recompute(name: String, layer: Int, kernels: FixedKernels, experts: [FixedWeights.MLP],
                                 activation: Activation?, normalized: FixedMatrix, residual: FixedMatrix,
                                 routing: Routing<Int64>) -> RTLMoELayer {
        let queues = routing.queues(experts: experts.count)
        var acc = kernels.combineStart(tokens: normalized.rows, width: normalized.columns)
        var gathered: [FixedMatrix?] = [], outputs: [FixedMatrix?] = [], scores: [[Int64]] = []
        for (expert, queue) in queues.enumerated() {
            scores.append(queue.map { routing.score(token: $0, expert: expert)! })
            guard !queue.isEmpty else {
                gathered.append(nil)
                outputs.append(nil)
                continue
            }
            let rows = normalized.gather(rows: queue)
            let y = kernels.linear(kernels.linear(rows, experts[expert].fc1, activation: activation), experts[expert].fc2,
                                   activation: nil)
            for (position, token) in queue.enumerated() {
                kernels.combine(&acc, token: token, score: scores[expert][position], y: y, row: position)
            }
            gathered.append(rows)
            outputs.append(y)
        }
        let combined = kernels.combineFinish(acc)
        return RTLMoELayer(name: name, layer: layer, normalized: normalized, residual: residual, queues: queues,
                           scores: scores, gathered: gathered, expertOutputs: outputs, combined: combined,
                           output: kernels.add(residual, combined))
    }
}

/// Collects the MoE layers of the golden model's fixed-point forward pass from its kernel calls
/// (`blocks.i.norm2`, `blocks.i.mlp.experts.e.fc1/fc2` with their queues, `blocks.i.mlp.combine`,
/// `blocks.i.residual2`) and its routing.
public enum RTLMoETrace {
    public static func layers(_ golden: GoldenModel, input: ModelInput) -> [RTLMoELayer] {
        layers(golden, trace: GoldenTrace(golden, input: input))
    }

    public static func layers(_ golden: GoldenModel, trace: GoldenTrace) -> [RTLMoELayer] {
        guard let moe = golden.spec.moe else { return [] }
        var calls: [String: KernelCall<FixedMatrix>] = [:]
        let result = trace.result
        for call in trace.calls {
            guard let layer = call.layer, moe.layers.contains(layer) else { continue }
            if call.name.hasSuffix(".norm2") || call.name.hasSuffix(".residual2") || call.kind == .combine
                || call.name.contains(".experts.") {
                calls[call.name] = call
            }
        }
        return moe.layers.sorted().compactMap { index -> RTLMoELayer? in
            let p = "blocks.\(index)"
            guard let norm = calls["\(p).norm2"], let combine = calls["\(p).mlp.combine"],
                  let residual = calls["\(p).residual2"], let routing = result.routing[index] else { return nil }
            let queues = routing.queues(experts: moe.experts)
            var gathered: [FixedMatrix?] = [], outputs: [FixedMatrix?] = [], scores: [[Int64]] = []
            for (expert, queue) in queues.enumerated() {
                scores.append(queue.map { routing.score(token: $0, expert: expert)! })
                let fc1 = calls["\(p).mlp.experts.\(expert).fc1"], fc2 = calls["\(p).mlp.experts.\(expert).fc2"]
                precondition(queue.isEmpty == (fc1 == nil) && (fc1?.queue ?? queue) == queue,
                             "expert \(expert) of \(p): queue and trace disagree")
                gathered.append(fc1?.inputs[0])
                outputs.append(fc2?.output)
            }
            return RTLMoELayer(name: "\(p).mlp", layer: index, normalized: norm.output, residual: norm.inputs[0],
                               queues: queues, scores: scores, gathered: gathered, expertOutputs: outputs,
                               combined: combine.output, output: residual.output)
        }
    }
}
