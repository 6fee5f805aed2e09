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

/// Simulates invocations of one linear-kernel shape in Icarus: writes the kernel, testbench and
/// stimulus files into a folder per shape and runs them as an `RTLSimulationPlan`.
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

    /// Writes the shape's files and a simulation plan for `stimuli`, and runs it with
    /// `RTLPlanRunner` (compiled once, two vvp runs at a time); results in input order.
    public func run(_ shape: RTLLinearShape, _ stimuli: [RTLLinearStimulus]) throws -> [RTLInvocationResult] {
        let folder = directory.appendingPathComponent(shape.identifier)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = try RTLEmitter.emitLinear(shape)
        for file in files {
            try Data(file.bytes).write(to: folder.appendingPathComponent(file.path))
        }
        let prediction = RTLLinearPrediction(shape: shape)
        var cases: [RTLSimulationPlan.Case] = []
        for (number, s) in stimuli.enumerated() {
            let w = "w\(number).hex", x = "x\(number).hex", y = "expected\(number).hex"
            try Data(s.weights.utf8).write(to: folder.appendingPathComponent(w))
            try Data(s.inputs.utf8).write(to: folder.appendingPathComponent(x))
            let expected = s.expected.map { hexField($0, width: shape.output.width) }.joined(separator: "\n") + "\n"
            try Data(expected.utf8).write(to: folder.appendingPathComponent(y))
            cases.append(.init(name: s.name, shape: shape.identifier,
                               plusargs: ["weights=\(w)", "inputs=\(x)", "tokens=\(s.tokens)", "beats=\(s.beats)"],
                               tokens: s.tokens, expected: y, outputWidth: shape.output.width, outputSigned: shape.output.isSigned,
                               predictedCycles: prediction.cycles(tokens: s.tokens), kernelCycles: prediction.rtlCycles(tokens: s.tokens)))
        }
        let plan = RTLSimulationPlan(scope: shape.identifier, benches: [
            .init(shape: shape.identifier, kind: "linear", top: "moehls_linear_tb", testbench: files.last!.path,
                  sources: RTLEmitter.linearSources, summary: shape.description, multipliers: shape.engine.multipliers),
        ], cases: cases)
        return try RTLPlanRunner(simulator: .icarus(iverilog: iverilog, vvp: vvp), folder: folder,
                                 scratch: folder.appendingPathComponent("sim")).run(plan)
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
