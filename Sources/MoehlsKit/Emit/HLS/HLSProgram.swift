/// The forward pass as the HLS top function runs it: a list of steps in a ROM
/// (`hls/include/moehls_program.h`), each naming a kernel, its buffers, sizes and weight offsets.
/// The order is `ForwardPass.run`'s, call for call (docs/numerics.md, "Order of operations"), so
/// the program is where the generated hardware and the golden model meet.
///
/// Buffers: the residual stream X and three activation buffers A, B, C (on chip). A layer:
/// LN(X) -> A; qkv A -> B; attention B -> A; proj A -> B; X += B; then LN(X) -> A and the MLP
/// (fc1 A -> B, fc2 B -> C, X += C) or the MoE (gate A -> B, route, per expert: gather A -> C,
/// fc1 C -> B, fc2 B -> combine accumulators; combine -> C; X += C).
public struct HLSProgram: Hashable, Sendable {
    /// Which kernel a step runs (the `OP_*` constants of hls/src/moehls_types.h).
    public enum Kind: String, Hashable, Sendable {
        case patches = "OP_PATCHES", tokens = "OP_TOKENS", embed = "OP_EMBED", layerNorm = "OP_LAYERNORM"
        case linear = "OP_LINEAR", attention = "OP_ATTENTION", residual = "OP_RESIDUAL", route = "OP_ROUTE"
        case gather = "OP_GATHER", combineStart = "OP_COMBINE_START", combineFinish = "OP_COMBINE_FINISH"
        case store = "OP_STORE"
    }

    /// Buffer ids (`BUF_*`).
    public enum Buffer: String, Hashable, Sendable {
        case a = "BUF_A", b = "BUF_B", c = "BUF_C", x = "BUF_X"
    }

    /// Step flags (`FLAG_*`).
    public enum Flag: String, Hashable, Sendable, CaseIterable {
        case gelu = "FLAG_GELU", patch = "FLAG_PATCH", queueRows = "FLAG_QUEUE_ROWS", scatter = "FLAG_SCATTER"
        case trace = "FLAG_TRACE", bias = "FLAG_BIAS", relu = "FLAG_RELU"
    }

    /// One step; unused fields are 0 (or -1 for absent tensors).
    public struct Step: Hashable, Sendable {
        public var kind: Kind
        public var src: Buffer = .a
        public var dst: Buffer = .a
        public var rows = 0
        public var inDim = 0
        public var outDim = 0
        public var dstRow = 0
        /// Word offsets in the weight image, or -1.
        public var weight = -1
        public var bias = -1
        public var taskStride = 0
        public var expert = 0
        public var flags: [Flag] = []
        /// Word offset in the output image (stores).
        public var out = 0
        /// What the step computes, for the comment beside it.
        public var note: String
    }

    public var steps: [Step] = []

    /// The program of `spec`, with offsets from the weight image and the output image (whose
    /// tensors are the stages of `HLSStages`).
    public init(spec: ModelSpec, configuration config: HLSConfiguration, weights: BinaryImage, output: BinaryImage) {
        let words = config.busBits / 8
        func w(_ name: String) -> Int {
            guard let tensor = weights.tensor(name) else { preconditionFailure("HLSProgram: no weight tensor \(name)") }
            return tensor.offset / words
        }
        func optional(_ name: String) -> Int { weights.tensor(name).map { $0.offset / words } ?? -1 }
        func store(_ stage: String, from buffer: Buffer, trace: Bool) {
            guard let tensor = output.tensor(stage) else { preconditionFailure("HLSProgram: no stage \(stage)") }
            steps.append(Step(kind: .store, src: buffer, rows: tensor.rows, outDim: tensor.columns,
                              flags: trace ? [.trace] : [], out: tensor.offset / words,
                              note: "\(stage) -> output\(trace ? " (trace)" : "")"))
        }
        func linear(_ name: String, _ src: Buffer, _ dst: Buffer, rows: Int, in inDim: Int, out outDim: Int,
                    flags: [Flag] = [], expert: Int = 0) {
            let bias = optional("\(name).bias")
            steps.append(Step(kind: .linear, src: src, dst: dst, rows: rows, inDim: inDim, outDim: outDim,
                              weight: w("\(name).weight"), bias: bias, expert: expert,
                              flags: flags + (bias >= 0 ? [.bias] : []),
                              note: "\(name): \(src.letter) -> \(flags.contains(.scatter) ? "combine" : dst.letter)"))
        }
        func layerNorm(_ name: String, into dst: Buffer) {
            steps.append(Step(kind: .layerNorm, src: .x, dst: dst, rows: spec.tokens, inDim: spec.embedDim,
                              outDim: spec.embedDim, weight: w("\(name).weight"), bias: w("\(name).bias"),
                              note: "\(name): X -> \(dst.letter)"))
        }
        let d = spec.embedDim, t = spec.tokens

        // Embedding (ForwardPass: patch linear, class token stacked on top, + positions).
        if spec.image != nil {
            steps.append(Step(kind: .patches, dst: .a, rows: config.patches, outDim: config.patchColumns,
                              note: "image -> patches in A"))
            linear("patch_embed.proj", .a, .b, rows: config.patches, in: config.patchColumns, out: d, flags: [.patch])
            steps.append(Step(kind: .embed, src: .b, dst: .x, rows: t, outDim: d, dstRow: spec.classToken ? 1 : 0,
                              weight: optional("cls_token"), bias: optional("pos_embed"),
                              note: "[cls_token; B] + pos_embed -> X"))
        } else {
            steps.append(Step(kind: .tokens, dst: .x, rows: t, outDim: d, note: "input tokens -> X"))
        }
        store("embedded", from: .x, trace: true)

        for layer in 0..<spec.layers {
            let p = "blocks.\(layer)"
            let stage = "layer" + (layer < 10 ? "0" : "") + "\(layer)"
            layerNorm("\(p).norm1", into: .a)
            linear("\(p).attn.qkv", .a, .b, rows: t, in: d, out: 3 * d)
            steps.append(Step(kind: .attention, src: .b, dst: .a, rows: t, inDim: 3 * d, outDim: d, note: "\(p).attn: B -> A"))
            linear("\(p).attn.proj", .a, .b, rows: t, in: d, out: d)
            steps.append(Step(kind: .residual, src: .b, dst: .x, rows: t, outDim: d, note: "\(p).residual1: X += B"))
            store("\(stage).attention", from: .x, trace: true)
            if weights.tensor("\(p).norm2.weight") != nil {
                layerNorm("\(p).norm2", into: .a)
                if let moe = spec.moe, spec.isMoELayer(layer) {
                    let gelu: [Flag] = moe.activation == .gelu ? [.gelu] : [.relu]
                    let gate = "\(p).mlp.gates.0"
                    var step = Step(kind: .linear, src: .a, dst: .b, rows: t, inDim: d, outDim: moe.experts,
                                    weight: w("\(gate).weight"), note: "\(p).mlp.gates.<task>: A -> B")
                    if moe.tasks > 1 { step.taskStride = w("\(p).mlp.gates.1.weight") - w("\(gate).weight") }
                    steps.append(step)
                    steps.append(Step(kind: .route, src: .b, rows: t, inDim: moe.experts, note: "\(p).mlp: top-\(moe.topK) routing"))
                    steps.append(Step(kind: .combineStart, rows: t, outDim: d, note: "\(p).mlp: combine = 0"))
                    for expert in 0..<moe.experts {
                        let e = "\(p).mlp.experts.\(expert)"
                        steps.append(Step(kind: .gather, src: .a, dst: .c, inDim: d, expert: expert,
                                          note: "\(e): queue rows of A -> C"))
                        linear("\(e).fc1", .c, .b, rows: 0, in: d, out: moe.expertHidden, flags: [.queueRows] + gelu, expert: expert)
                        linear("\(e).fc2", .b, .b, rows: 0, in: moe.expertHidden, out: d, flags: [.queueRows, .scatter], expert: expert)
                    }
                    steps.append(Step(kind: .combineFinish, dst: .c, rows: t, outDim: d, note: "\(p).mlp.combine -> C"))
                } else if let mlp = spec.mlp {
                    linear("\(p).mlp.fc1", .a, .b, rows: t, in: d, out: mlp.hidden, flags: mlp.activation == .gelu ? [.gelu] : [.relu])
                    linear("\(p).mlp.fc2", .b, .c, rows: t, in: mlp.hidden, out: d)
                }
                steps.append(Step(kind: .residual, src: .c, dst: .x, rows: t, outDim: d, note: "\(p).residual2: X += C"))
            }
            store("\(stage).output", from: .x, trace: true)
        }

        if weights.tensor("norm.weight") != nil {
            layerNorm("norm", into: .a)
            store("features", from: .a, trace: false)
            if let classes = spec.classifier?.classes, weights.tensor("head.weight") != nil {
                linear("head", .a, .b, rows: 1, in: d, out: classes)
                store("logits", from: .b, trace: false)
            }
        } else {
            store("features", from: .x, trace: false)
        }
    }
}

extension HLSProgram.Buffer {
    /// The buffer's name in comments (`A`, `X`).
    var letter: String { String(rawValue.dropFirst(4)) }
}
