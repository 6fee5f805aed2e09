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
        var calls: [RTLAttentionCall] = []
        _ = golden.fixedPass().run(input.fixed) { call in
            if call.kind == .attention {
                calls.append(RTLAttentionCall(name: call.name, qkv: call.inputs[0], heads: golden.spec.heads,
                                              scale: golden.spec.attention.scale, output: call.output))
            }
        }
        return calls
    }
}

/// Compiles the attention kernel's testbench once per shape with iverilog and runs it with vvp for
/// every invocation of that shape, two runs at a time; results compared bit for bit.
public struct RTLAttentionSimulation: Sendable {
    public var iverilog: URL
    public var vvp: URL
    /// Scratch folder; one subfolder per shape.
    public var directory: URL

    public init(iverilog: URL, vvp: URL, directory: URL) {
        self.iverilog = iverilog
        self.vvp = vvp
        self.directory = directory
    }

    /// Writes the shape's files into its folder and compiles them; returns the folder.
    public func compile(_ shape: RTLAttentionShape) throws -> URL {
        let folder = directory.appendingPathComponent(shape.identifier)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = try RTLEmitter.emitAttention(shape)
        for file in files {
            try Data(file.bytes).write(to: folder.appendingPathComponent(file.path))
        }
        let compile = try RTLProcess.run(iverilog, ["-g2005", "-Wall", "-o", "sim.vvp", "-s", "moehls_attention_tb"]
                                         + RTLEmitter.attentionSources + [RTLEmitter.attentionTestbenchName(shape)],
                                         in: folder)
        guard compile.status == 0 else {
            throw RTLUnsupported(message: "iverilog failed for \(shape.identifier):\n\(compile.output)")
        }
        return folder
    }

    /// Writes and compiles the shape's files and simulates `stimuli`; results in input order.
    public func run(_ shape: RTLAttentionShape, _ stimuli: [RTLAttentionStimulus], parallel: Int = 2) throws
        -> [RTLInvocationResult] {
        let folder = try compile(shape)
        let predicted = RTLAttentionPrediction(shape: shape)
        let results = ResultSlots(count: stimuli.count)
        let workers = max(1, min(parallel, stimuli.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < stimuli.count {
                results.set(index, simulate(stimuli[index], number: index, shape: shape, folder: folder,
                                            predicted: predicted.cycles(heads: stimuli[index].heads)))
                index += workers
            }
        }
        return results.values.map { $0! }
    }

    func simulate(_ s: RTLAttentionStimulus, number: Int, shape: RTLAttentionShape, folder: URL, predicted: Int)
        -> RTLInvocationResult {
        var result = RTLInvocationResult(name: s.name, shape: shape.identifier, tokens: shape.tokens, mismatches: 0,
                                         firstMismatch: nil, measuredCycles: nil, predictedCycles: predicted, error: nil)
        let q = "q\(number).hex", k = "k\(number).hex", v = "v\(number).hex", y = "y\(number).hex"
        do {
            try Data(s.q.utf8).write(to: folder.appendingPathComponent(q))
            try Data(s.k.utf8).write(to: folder.appendingPathComponent(k))
            try Data(s.v.utf8).write(to: folder.appendingPathComponent(v))
            // the expected outputs beside the simulated ones, for diffing by hand
            let expectedText = s.expected.map { hexField($0, width: shape.activation.width) }.joined(separator: "\n") + "\n"
            try Data(expectedText.utf8).write(to: folder.appendingPathComponent("expected\(number).hex"))
            let started = Date()
            let run = try RTLProcess.run(vvp, ["-n", "sim.vvp", "+q=\(q)", "+k=\(k)", "+v=\(v)", "+outputs=\(y)",
                                               "+heads=\(s.heads)"], in: folder)
            result.seconds = Date().timeIntervalSince(started)
            if let line = run.output.split(separator: "\n").first(where: { $0.hasPrefix("CYCLES ") }) {
                result.measuredCycles = Int(line.dropFirst(7))
            }
            if run.status != 0 || result.measuredCycles == nil {
                result.error = "vvp: " + (run.output.split(separator: "\n").first(where: { $0.contains("ERROR") })
                    .map(String.init) ?? "exit \(run.status)")
                return result
            }
            let text = try String(contentsOf: folder.appendingPathComponent(y), encoding: .utf8)
            let got = parseMemh(text, width: shape.activation.width, signed: true)
            for (i, expected) in s.expected.enumerated() {
                let value = i < got.count ? got[i] : nil
                if value != expected {
                    result.mismatches += 1
                    if result.firstMismatch == nil { result.firstMismatch = .init(index: i, expected: expected, got: value) }
                }
            }
        } catch {
            result.error = "\(error)"
        }
        return result
    }
}

/// Full-size check of the attention kernel: M3ViT's attention (or any model's) from a seeded
/// golden forward pass, simulated in Icarus on a given engine.
public enum RTLAttentionBenchmark {
    /// One simulated invocation.
    public struct Result: Sendable, CustomStringConvertible {
        public var engine: DesignPoint.AttentionEngine
        public var shape: RTLAttentionShape
        public var invocation: RTLInvocationResult
        /// The RTL's own formula (`RTLAttentionPrediction.rtlCycles`).
        public var rtlCycles: Int
        /// Wall time of the vvp run (seconds; compilation excluded) and of the compilation.
        public var simulationSeconds: Double
        public var compileSeconds: Double

        public var bitExact: Bool { invocation.passed }
        /// Simulated cycles per second of wall time.
        public var cyclesPerSecond: Double? {
            invocation.measuredCycles.map { Double($0) / max(simulationSeconds, 1e-9) }
        }

        public var description: String {
            let measured = invocation.measuredCycles.map(String.init) ?? "-"
            let ratio = invocation.ratio.map { String(format: "%.4f", $0) } ?? "-"
            let rate = cyclesPerSecond.map { String(format: "%.0f", $0) } ?? "-"
            return "attention \(invocation.name) T_a x N_a = \(engine): "
                + "\(bitExact ? "bit-exact" : "FAIL (\(invocation))"), cycles \(measured) vs model \(invocation.predictedCycles) "
                + "(ratio \(ratio)), wall \(String(format: "%.1f", simulationSeconds)) s "
                + "(+\(String(format: "%.1f", compileSeconds)) s compile), \(rate) cycles/s"
        }
    }

    /// Simulates the attention call of layer `layer` of `spec`'s seeded forward pass (weights
    /// from `seed`, synthetic input from `seed + 1`), all heads in one invocation, on every engine
    /// in `engines`, `parallel` engines at a time. `directory` holds the simulation folders (a
    /// temporary folder when nil, removed afterwards). Results in the order of `engines`.
    public static func run(spec: ModelSpec, engines: [DesignPoint.AttentionEngine], layer: Int = 0, seed: UInt64 = 1,
                           iverilog: URL, vvp: URL, directory: URL? = nil, parallel: Int = 1) throws -> [Result] {
        let golden = try GoldenModel(spec: spec, seed: seed)
        let calls = RTLAttentionTrace.calls(golden, input: .synthetic(spec: spec, seed: seed + 1))
        guard layer < calls.count else {
            throw RTLUnsupported(message: "the model has \(calls.count) attention calls, no layer \(layer)")
        }
        let call = calls[layer]
        let scratch = directory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("moehls-rtl-attention-\(UUID().uuidString)")
        defer { if directory == nil { try? FileManager.default.removeItem(at: scratch) } }
        let simulation = RTLAttentionSimulation(iverilog: iverilog, vvp: vvp, directory: scratch)
        let shapes = engines.map { RTLAttentionShape(spec: spec, engine: $0) }
        for shape in shapes { try shape.validate() }
        let slots = AttentionBenchmarkSlots(count: engines.count)
        let workers = max(1, min(parallel, engines.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < engines.count {
                let shape = shapes[index]
                let prediction = RTLAttentionPrediction(shape: shape)
                let stimulus = RTLAttentionStimulus(name: call.name, shape: shape, qkv: call.qkv, heads: call.heads,
                                                    output: call.output)
                let compileStart = Date()
                do {
                    let folder = try simulation.compile(shape)
                    let compiled = Date().timeIntervalSince(compileStart)
                    let runStart = Date()
                    let invocation = simulation.simulate(stimulus, number: 0, shape: shape, folder: folder,
                                                         predicted: prediction.cycles(heads: call.heads))
                    slots.set(index, .success(Result(engine: engines[index], shape: shape, invocation: invocation,
                                                     rtlCycles: prediction.rtlCycles(heads: call.heads),
                                                     simulationSeconds: Date().timeIntervalSince(runStart),
                                                     compileSeconds: compiled)))
                } catch {
                    slots.set(index, .failure(error))
                }
                index += workers
            }
        }
        return try slots.values.map { try $0!.get() }
    }
}

/// Benchmark results filled by concurrent runs (guarded by a lock).
final class AttentionBenchmarkSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<RTLAttentionBenchmark.Result, Error>?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<RTLAttentionBenchmark.Result, Error>) { lock.lock(); slots[index] = value; lock.unlock() }
    var values: [Result<RTLAttentionBenchmark.Result, Error>?] { lock.lock(); defer { lock.unlock() }; return slots }
}
