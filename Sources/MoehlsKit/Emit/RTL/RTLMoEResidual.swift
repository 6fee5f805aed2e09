import Foundation

/// The dense residual write-back `x = Q_A(x + linear(in))` (attention projection, MLP fc2):
/// `moehls_residual` on the linear kernel's write port (docs/kernels-moe.md, "Residual").
public struct RTLResidualShape: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The linear kernel whose write port the stage sits on.
    public var linear: RTLLinearShape
    /// The residual's format, also the result's (the buffer is updated in place): the activation.
    public var residual: FixedFormat

    public init(linear: RTLLinearShape, residual: FixedFormat) {
        self.linear = linear
        self.residual = residual
    }

    public var identifier: String { "r\(residual.width)_\(residual.fractionBits)_" + linear.identifier }
    public var description: String { "\(linear) + residual \(residual)" }
    /// Bits of the linear kernel's column port.
    var columnBits: Int { bitsFor(linear.outputBlocks * linear.engine.tOut + linear.engine.tIn) }

    public func validate() throws(RTLUnsupported) {
        try linear.validate()
        if !residual.isSigned { throw RTLUnsupported(message: "residual format \(residual) must be signed") }
        let f = max(residual.fractionBits, linear.output.fractionBits)
        if residual.quantization != .trn && f > residual.fractionBits {
            throw RTLUnsupported(message: "residual quantisation \(residual.quantization.rawValue) is not implemented in RTL yet (AP_TRN only)")
        }
        if residual.overflow != .wrap && residual.overflow != .sat {
            throw RTLUnsupported(message: "residual overflow \(residual.overflow.rawValue) is not implemented in RTL yet (AP_WRAP, AP_SAT)")
        }
    }

    /// `#(...)` parameter overrides of `moehls_residual`.
    public var residualParameters: [(String, String)] {
        let x = residual, y = linear.output
        return [("XW", "\(x.width)"), ("XF", "\(x.fractionBits)"), ("YW", "\(y.width)"), ("YF", "\(y.fractionBits)"),
                ("OW", "\(x.width)"), ("OF", "\(x.fractionBits)"), ("O_SAT", x.overflow == .sat ? "1" : "0"),
                ("T_IN", "\(linear.engine.tIn)"), ("N_L", "\(linear.engine.lanes)"),
                ("TOKB", "\(bitsFor(linear.maxTokens))"), ("COLB", "\(columnBits)")]
    }

    /// Cycles of the linear kernel plus the stage, start pulse to the stage's done: the kernel's
    /// `rtlCycles` plus `buffer_read_depth + 2` (read the residual, add, convert).
    public func rtlCycles(tokens: Int, micro: MicroArchitecture = .v1) -> Int {
        RTLLinearPrediction(shape: linear).rtlCycles(tokens: tokens) + micro.bufferReadDepth + 2
    }

    /// The cost model's figure for the same invocation with the `residual` write-back (op_depth `buffer_read_depth + 2`),
    /// minus `invocation_overhead` (as `RTLLinearPrediction.cycles`).
    public func cycles(tokens: Int, micro: MicroArchitecture = .v1) -> Int {
        let prediction = RTLLinearPrediction(shape: linear)
        var call = prediction.invocation(tokens: tokens)
        call.writeBack = .residual
        var pipeline = WeightPipeline(memoryLatency: linear.memoryLatency)
        return pipeline.invoke(prediction.engineContext.cost(call)).end - micro.invocationOverhead
    }
}

extension RTLEmitter {
    /// Sources of the linear kernel with the residual stage, in dependency order.
    public static var residualSources: [String] { linearSources + ["moehls_residual_add.v", "moehls_residual.v"] }

    /// Kernel sources, the GELU ROM and the testbench (`moehls_residual_tb_<identifier>.v`, last).
    public static func emitResidual(_ shape: RTLResidualShape) throws -> [RenderedFile] {
        try shape.validate()
        var files = try emitLinear(shape.linear).filter { !$0.path.hasPrefix("moehls_linear_tb") }
        for name in ["moehls_residual_add.v", "moehls_residual.v"] {
            files.append(RenderedFile(path: name, text: try template("rtl/\(name)")))
        }
        files.append(RenderedFile(path: "moehls_residual_tb_\(shape.identifier).v", text: try residualTestbench(shape)))
        return files
    }

    /// The testbench text for `shape`: the linear kernel's testbench with the stage on its write
    /// port and the residual buffer in place of the result buffer.
    public static func residualTestbench(_ shape: RTLResidualShape) throws -> String {
        let l = shape.linear
        func list(_ parameters: [(String, String)]) -> String { parameters.map { ".\($0.0)(\($0.1))" }.joined(separator: ", ") }
        let header = "built for " + l.verilogParameters.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            + " LATENCY=\(l.memoryLatency) residual " + shape.residualParameters.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
        let values: [String: String] = [
            "header": header,
            "t_in": "\(l.engine.tIn)", "lanes": "\(l.engine.lanes)",
            "input_blocks": "\(l.inputBlocks)", "d_out": "\(l.outputs)",
            "max_tokens": "\(l.maxTokens)", "token_bits": "\(bitsFor(l.maxTokens))",
            "column_bits": "\(shape.columnBits)", "block_bits": "\(bitsFor(l.inputBlocks))",
            "x_width": "\(l.input.width)", "o_width": "\(l.output.width)", "r_width": "\(shape.residual.width)",
            "beat_bits": "\(l.beatBits)", "beats": "\(l.outputBlocks * l.slabBeats)",
            "memory_latency": "\(l.memoryLatency)",
            "timeout_cycles": "\(10 * (l.memoryLatency + l.outputBlocks * (l.slabBeats + l.inputBlocks * ceilDiv(l.maxTokens, l.engine.lanes))) + 1000)",
            "kernel_parameters": list(l.verilogParameters), "residual_parameters": list(shape.residualParameters),
        ]
        return try TemplateRenderer(values).renderTemplate("rtl/moehls_residual_tb.v")
    }
}

/// One dense residual invocation: the linear kernel's stimulus, the residual x and the expected
/// result `add(x, linear output)`.
public struct RTLResidualStimulus: Hashable, Sendable {
    public var linear: RTLLinearStimulus
    /// The residual x, one value per line (`tokens x d_out`, token-major).
    public var residual: String
    public var expected: [Int64]

    public init(linear: RTLLinearStimulus, residual x: FixedMatrix, expected: FixedMatrix) {
        self.linear = linear
        residual = "// \(linear.name) residual\n" + x.raw.map { hexField($0, width: x.format.width) }.joined(separator: "\n") + "\n"
        self.expected = expected.raw
    }

    /// The dense residual adds of a forward pass (`blocks.i.residual1` after the projection,
    /// `blocks.i.residual2` after a dense MLP's fc2), with the linear call that produced the
    /// added value and the residual x (the layer's input, or its attention half's output).
    public static func calls(_ golden: GoldenModel, input: ModelInput)
        -> [(name: String, call: RTLLinearCall, residual: FixedMatrix, output: FixedMatrix)] {
        var linear: [String: KernelCall<FixedMatrix>] = [:]
        var adds: [(String, FixedMatrix)] = []
        let result = golden.fixedPass().run(input.fixed) { call in
            if call.kind == .linear { linear[call.name] = call }
            if call.kind == .add, call.name.hasSuffix(".residual1") || call.name.hasSuffix(".residual2") {
                adds.append((call.name, call.output))
            }
        }
        var out: [(name: String, call: RTLLinearCall, residual: FixedMatrix, output: FixedMatrix)] = []
        for (name, output) in adds {
            let parts = name.split(separator: ".")
            guard parts.count == 3, let index = Int(parts[1]) else { continue }
            let source = name.hasSuffix("residual1") ? "blocks.\(index).attn.proj" : "blocks.\(index).mlp.fc2"
            guard let call = linear[source] else { continue }      // MoE layers: the combine finish adds
            let x = name.hasSuffix("residual1") ? (index == 0 ? result.embedded : result.layers[index - 1].output)
                                                : result.layers[index].attention
            let (layer, gelu) = RTLLinearTrace.weights(named: source, golden)
            out.append((name, RTLLinearCall(name: source, input: call.inputs[0], layer: layer, gelu: gelu, output: call.output),
                        x, output))
        }
        return out
    }
}

/// Compiles the residual testbench once per shape and runs it for every stimulus (two at a time);
/// results compare the residual buffer after the invocation with the golden add, cycles with
/// `RTLResidualShape.cycles` (the cost model).
public struct RTLResidualSimulation: Sendable {
    public var iverilog: URL
    public var vvp: URL
    public var directory: URL

    public init(iverilog: URL, vvp: URL, directory: URL) {
        self.iverilog = iverilog
        self.vvp = vvp
        self.directory = directory
    }

    public func run(_ shape: RTLResidualShape, _ stimuli: [RTLResidualStimulus]) throws -> [RTLInvocationResult] {
        let folder = directory.appendingPathComponent(shape.identifier)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = try RTLEmitter.emitResidual(shape)
        for file in files {
            try Data(file.bytes).write(to: folder.appendingPathComponent(file.path))
        }
        let compile = try RTLProcess.run(iverilog, ["-g2005", "-Wall", "-o", "sim.vvp", "-s", "moehls_residual_tb"]
                                         + RTLEmitter.residualSources + [files.last!.path], in: folder)
        guard compile.status == 0 else {
            throw RTLUnsupported(message: "iverilog failed for \(shape.identifier):\n\(compile.output)")
        }
        let slots = ResultSlots(count: stimuli.count)
        DispatchQueue.concurrentPerform(iterations: min(2, max(stimuli.count, 1))) { worker in
            var index = worker
            while index < stimuli.count {
                slots.set(index, simulate(stimuli[index], number: index, shape: shape, folder: folder))
                index += 2
            }
        }
        return slots.values.map { $0! }
    }

    func simulate(_ s: RTLResidualStimulus, number: Int, shape: RTLResidualShape, folder: URL) -> RTLInvocationResult {
        var result = RTLInvocationResult(name: s.linear.name + " + residual", shape: shape.identifier, tokens: s.linear.tokens,
                                         mismatches: 0, firstMismatch: nil, measuredCycles: nil,
                                         predictedCycles: shape.cycles(tokens: s.linear.tokens), error: nil)
        let w = "w\(number).hex", x = "x\(number).hex", r = "r\(number).hex", y = "y\(number).hex"
        do {
            try Data(s.linear.weights.utf8).write(to: folder.appendingPathComponent(w))
            try Data(s.linear.inputs.utf8).write(to: folder.appendingPathComponent(x))
            try Data(s.residual.utf8).write(to: folder.appendingPathComponent(r))
            let run = try RTLProcess.run(vvp, ["-n", "sim.vvp", "+weights=\(w)", "+inputs=\(x)", "+residual=\(r)",
                                               "+outputs=\(y)", "+tokens=\(s.linear.tokens)", "+beats=\(s.linear.beats)"],
                                         in: folder)
            if let line = run.output.split(separator: "\n").first(where: { $0.hasPrefix("CYCLES ") }) {
                result.measuredCycles = Int(line.dropFirst(7))
            }
            if run.status != 0 || result.measuredCycles == nil {
                result.error = "vvp: " + (run.output.split(separator: "\n").first(where: { $0.contains("ERROR") }).map(String.init) ?? "exit \(run.status)")
                return result
            }
            let got = parseMemh(try String(contentsOf: folder.appendingPathComponent(y), encoding: .utf8),
                                width: shape.residual.width, signed: true)
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
