import Foundation

/// The outcome of one simulated kernel invocation, compared bit for bit with the golden model.
public struct RTLInvocationResult: Codable, Hashable, Sendable, CustomStringConvertible {
    /// A differing output: flat index (token-major), expected and simulated raw values (nil: x/z).
    public struct Mismatch: Codable, Hashable, Sendable {
        public var index: Int
        public var expected: Int64
        public var got: Int64?
    }
    public var name: String
    public var shape: String
    public var tokens: Int
    public var mismatches: Int
    public var firstMismatch: Mismatch?
    /// Cycles from the start pulse to done, as the testbench counted them (nil if it never finished).
    public var measuredCycles: Int?
    public var predictedCycles: Int
    /// The simulator's complaint when it did not finish.
    public var error: String?
    /// Wall time of the simulation run (vvp), when measured.
    public var seconds: Double? = nil

    public var passed: Bool { error == nil && mismatches == 0 }
    public var ratio: Double? { measuredCycles.map { Double($0) / Double(predictedCycles) } }

    public var description: String {
        var line = "\(passed ? "PASS" : "FAIL") \(name) [\(shape)] \(tokens) tokens"
        if let error { line += ": \(error)" }
        if let m = firstMismatch {
            line += ": \(mismatches) mismatches, first at \(m.index): expected \(m.expected), got \(m.got.map(String.init) ?? "x")"
        }
        if let measured = measuredCycles, let ratio {
            line += ", cycles \(measured) vs predicted \(predictedCycles) (\(String(format: "%.3f", ratio)))"
        }
        return line
    }
}

/// Compiles the linear kernel's testbench once per shape with iverilog and runs it with vvp for
/// every invocation of that shape (stimulus files chosen by plusargs), two runs at a time.
public struct RTLLinearSimulation: Sendable {
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
    public func run(_ shape: RTLLinearShape, _ stimuli: [RTLLinearStimulus]) throws -> [RTLInvocationResult] {
        let folder = directory.appendingPathComponent(shape.identifier)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = try RTLEmitter.emitLinear(shape)
        for file in files {
            try Data(file.bytes).write(to: folder.appendingPathComponent(file.path))
        }
        let tb = files.last!.path
        let compile = try RTLProcess.run(iverilog, ["-g2005", "-Wall", "-o", "sim.vvp", "-s", "moehls_linear_tb"]
                                         + RTLEmitter.linearSources + [tb], in: folder)
        guard compile.status == 0 else {
            throw RTLUnsupported(message: "iverilog failed for \(shape.identifier):\n\(compile.output)")
        }
        let predicted = RTLLinearPrediction(shape: shape)
        let results = ResultSlots(count: stimuli.count)
        DispatchQueue.concurrentPerform(iterations: min(2, max(stimuli.count, 1))) { worker in
            var index = worker
            while index < stimuli.count {
                let result = simulate(stimuli[index], number: index, shape: shape, folder: folder,
                                      predicted: predicted.cycles(tokens: stimuli[index].tokens))
                results.set(index, result)
                index += 2
            }
        }
        return results.values.map { $0! }
    }

    func simulate(_ s: RTLLinearStimulus, number: Int, shape: RTLLinearShape, folder: URL, predicted: Int) -> RTLInvocationResult {
        var result = RTLInvocationResult(name: s.name, shape: shape.identifier, tokens: s.tokens, mismatches: 0,
                                         firstMismatch: nil, measuredCycles: nil, predictedCycles: predicted, error: nil)
        let w = "w\(number).hex", x = "x\(number).hex", y = "y\(number).hex"
        do {
            try Data(s.weights.utf8).write(to: folder.appendingPathComponent(w))
            try Data(s.inputs.utf8).write(to: folder.appendingPathComponent(x))
            let run = try RTLProcess.run(vvp, ["-n", "sim.vvp", "+weights=\(w)", "+inputs=\(x)", "+outputs=\(y)",
                                               "+tokens=\(s.tokens)", "+beats=\(s.beats)"], in: folder)
            if let line = run.output.split(separator: "\n").first(where: { $0.hasPrefix("CYCLES ") }) {
                result.measuredCycles = Int(line.dropFirst(7))
            }
            if run.status != 0 || result.measuredCycles == nil {
                result.error = "vvp: " + (run.output.split(separator: "\n").first(where: { $0.contains("ERROR") }).map(String.init) ?? "exit \(run.status)")
                return result
            }
            let text = try String(contentsOf: folder.appendingPathComponent(y), encoding: .utf8)
            let got = parseMemh(text, width: shape.output.width, signed: true)
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

/// Runs a tool and collects its combined output.
enum RTLProcess {
    struct Outcome { var status: Int32; var output: String }

    static func run(_ tool: URL, _ arguments: [String], in folder: URL) throws -> Outcome {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-log-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? FileManager.default.removeItem(at: log) }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return Outcome(status: process.terminationStatus, output: output)
    }
}

/// Result slots filled by concurrent simulation runs (guarded by a lock).
final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [RTLInvocationResult?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: RTLInvocationResult) { lock.lock(); slots[index] = value; lock.unlock() }
    var values: [RTLInvocationResult?] { lock.lock(); defer { lock.unlock() }; return slots }
}
