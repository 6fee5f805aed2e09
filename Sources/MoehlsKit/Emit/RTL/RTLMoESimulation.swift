import Foundation

/// Compiles the MoE layer testbench once per shape with iverilog and runs it with vvp for every
/// layer (stimulus files chosen by plusargs), two runs at a time. Each layer gives, in order: for
/// every active expert its gather (staging rows compared with the golden fc1 input) and its scatter
/// (cycles; its sums are checked through the finish output), then the finish (the layer's output
/// compared with the golden `residual2`) and the second finish on cleared accumulators
/// (`add(x, 0)`).
public struct RTLMoESimulation: Sendable {
    public var iverilog: URL
    public var vvp: URL
    /// Scratch folder; one subfolder per shape.
    public var directory: URL

    public init(iverilog: URL, vvp: URL, directory: URL) {
        self.iverilog = iverilog
        self.vvp = vvp
        self.directory = directory
    }

    /// Writes the shape's files, compiles them and simulates `stimuli`; results in input order.
    public func run(_ shape: RTLMoEShape, _ stimuli: [RTLMoEStimulus]) throws -> [RTLInvocationResult] {
        let folder = directory.appendingPathComponent(shape.identifier)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = try RTLEmitter.emitMoE(shape)
        for file in files {
            try Data(file.bytes).write(to: folder.appendingPathComponent(file.path))
        }
        let compile = try RTLProcess.run(iverilog, ["-g2005", "-Wall", "-o", "sim.vvp", "-s", "moehls_moe_tb"]
                                         + RTLEmitter.moeSources + [files.last!.path], in: folder)
        guard compile.status == 0 else {
            throw RTLUnsupported(message: "iverilog failed for \(shape.identifier):\n\(compile.output)")
        }
        let prediction = RTLMoEPrediction(shape: shape)
        let slots = LayerSlots(count: stimuli.count)
        DispatchQueue.concurrentPerform(iterations: min(2, max(stimuli.count, 1))) { worker in
            var index = worker
            while index < stimuli.count {
                slots.set(index, simulate(stimuli[index], number: index, shape: shape, folder: folder, prediction: prediction))
                index += 2
            }
        }
        return slots.values.flatMap { $0 }
    }

    func simulate(_ s: RTLMoEStimulus, number: Int, shape: RTLMoEShape, folder: URL,
                  prediction: RTLMoEPrediction) -> [RTLInvocationResult] {
        let layer = RTLMoELayerRun(
            name: s.name, tokens: s.tokens, queueLengths: s.queueLengths, units: ["gather", "scatter"],
            predicted: { unit, m in unit == "gather" ? prediction.gather(tokens: m) : prediction.scatter(tokens: m) },
            finishPredicted: prediction.finish(tokens: s.tokens),
            inputs: [("ln", s.normalized), ("residual", s.residual), ("lengths", s.lengths), ("queues", s.queues),
                     ("experts", s.expertOutputs)],
            expectedGathered: s.expectedGathered, expected: s.expected, expectedCleared: s.expectedCleared)
        return layer.simulate(vvp: vvp, number: number, shape: shape, folder: folder)
    }
}

/// One run of a layer testbench (`moehls_moe_tb` or `moehls_moe_chain_tb`): which units each
/// active expert goes through, the input files, and what to compare. The testbench prints one
/// `UNIT e m cycles` line per unit invocation, then `FINISH n cycles` and `CLEAR n cycles`.
struct RTLMoELayerRun {
    var name: String
    var tokens: Int
    var queueLengths: [Int]
    /// Units per active expert, in testbench order; the first is the gather.
    var units: [String]
    var predicted: (String, Int) -> Int
    var finishPredicted: Int
    /// Plusarg name and file text of every input.
    var inputs: [(String, String)]
    var expectedGathered: [Int64]
    var expected: [Int64]
    var expectedCleared: [Int64]

    func simulate(vvp: URL, number: Int, shape: RTLMoEShape, folder: URL) -> [RTLInvocationResult] {
        let active = queueLengths.enumerated().filter { $0.element > 0 }
        func result(_ unit: String, tokens: Int, predicted: Int) -> RTLInvocationResult {
            RTLInvocationResult(name: "\(name).\(unit)", shape: shape.identifier, tokens: tokens, mismatches: 0,
                                firstMismatch: nil, measuredCycles: nil, predictedCycles: predicted, error: nil)
        }
        var results: [RTLInvocationResult] = []
        for (expert, m) in active {
            for unit in units { results.append(result("experts.\(expert).\(unit)", tokens: m, predicted: predicted(unit, m))) }
        }
        results.append(result("finish", tokens: tokens, predicted: finishPredicted))
        results.append(result("finish.cleared", tokens: tokens, predicted: finishPredicted))
        func fail(_ message: String) -> [RTLInvocationResult] {
            results.map { var r = $0; r.error = r.error ?? message; return r }
        }

        let outputs = ["gathered", "out", "cleared"]
        let file = Dictionary(uniqueKeysWithValues: (inputs.map(\.0) + outputs).map { ($0, "\($0)\(number).hex") })
        do {
            for (key, text) in inputs {
                try Data(text.utf8).write(to: folder.appendingPathComponent(file[key]!))
            }
            let run = try RTLProcess.run(vvp, ["-n", "sim.vvp"] + (inputs.map(\.0) + outputs).map { "+\($0)=\(file[$0]!)" }
                                         + ["+tokens=\(tokens)"], in: folder)
            let tags = Set(units.map { $0.uppercased() } + ["FINISH", "CLEAR"])
            let counts = run.output.split(separator: "\n").compactMap { line -> Int? in
                let fields = line.split(separator: " ")
                guard let tag = fields.first, tags.contains(String(tag)) else { return nil }
                return Int(fields.last!)
            }
            for (i, cycles) in counts.enumerated() where i < results.count { results[i].measuredCycles = cycles }
            if run.status != 0 || counts.count != results.count {
                let complaint = run.output.split(separator: "\n").first(where: { $0.contains("ERROR") }).map(String.init)
                return fail("vvp: " + (complaint ?? "exit \(run.status), \(counts.count) of \(results.count) units finished"))
            }
            let width = shape.activation.width
            func read(_ key: String) throws -> [Int64?] {
                parseMemh(try String(contentsOf: folder.appendingPathComponent(file[key]!), encoding: .utf8),
                          width: width, signed: true)
            }
            func compare(_ got: [Int64?], _ expected: ArraySlice<Int64>, into index: Int) {
                for (i, position) in expected.indices.enumerated() {
                    let simulated = position < got.count ? got[position] : nil
                    if simulated != expected[position] {
                        results[index].mismatches += 1
                        if results[index].firstMismatch == nil {
                            results[index].firstMismatch = .init(index: i, expected: expected[position], got: simulated)
                        }
                    }
                }
            }
            // the staging rows of the active experts follow each other in the gathered file
            if !active.isEmpty {
                let gathered = try read("gathered")
                var offset = 0
                for (slot, (_, m)) in active.enumerated() {
                    let count = m * shape.embedDim
                    compare(gathered, expectedGathered[offset..<(offset + count)], into: units.count * slot)
                    offset += count
                }
            }
            compare(try read("out"), expected[...], into: results.count - 2)
            compare(try read("cleared"), expectedCleared[...], into: results.count - 1)
        } catch {
            return fail("\(error)")
        }
        return results
    }
}

/// Per-layer result lists filled by concurrent simulation runs (guarded by a lock).
final class LayerSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [[RTLInvocationResult]]
    init(count: Int) { slots = Array(repeating: [], count: count) }
    func set(_ index: Int, _ value: [RTLInvocationResult]) { lock.lock(); slots[index] = value; lock.unlock() }
    var values: [[RTLInvocationResult]] { lock.lock(); defer { lock.unlock() }; return slots }
}
