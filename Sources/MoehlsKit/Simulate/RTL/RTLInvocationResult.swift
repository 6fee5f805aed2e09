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
    /// The kernel's own cycle formula for the invocation (`RTLSimulationPlan.Step.kernelCycles`).
    public var kernelCycles: Int? = nil
    /// A pass run only to check the hardware, not part of the layer's time.
    public var checkOnly: Bool = false

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
