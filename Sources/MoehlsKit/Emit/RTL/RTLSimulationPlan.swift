import Foundation

/// The simulations of an `rtl/` folder (`rtl/simulations.json`, schema `moehls-rtl-sims/1`):
/// which testbench to compile with which sources, and for each kernel invocation the plusargs
/// that select its stimulus, the file of expected outputs and the cycle counts the cost model and
/// the kernel's own formula predict. `moehls verify` runs it (`RTLPlanRunner`); a user can run
/// the same commands by hand (docs/generated-project.md, "RTL simulation").
///
/// Paths are relative to the folder that holds the plan; the simulator runs there, so the ROM
/// files the kernels name (`gelu_delta.hex`, ...) resolve.
public struct RTLSimulationPlan: Codable, Hashable, Sendable {
    public static let currentSchema = "moehls-rtl-sims/1"

    /// One compiled testbench: `iverilog -g2005 -Wall -s top sources... testbench`.
    public struct Bench: Codable, Hashable, Sendable {
        /// The kernel shape's identifier (also names the testbench file).
        public var shape: String
        public var kind: String
        public var top: String
        public var testbench: String
        public var sources: [String]
        /// One line of what the shape is (formats, engine), for reports.
        public var summary: String
        /// Multipliers in the kernel (sets how fast an event-driven simulator runs it).
        public var multipliers: Int
    }

    /// One kernel invocation: `vvp sim.vvp +key=value ... +outputs=FILE`.
    public struct Case: Codable, Hashable, Sendable {
        /// The golden model's call name (`blocks.1.attn.qkv`).
        public var name: String
        /// `Bench.shape` of the testbench that runs it.
        public var shape: String
        /// Plusargs without the leading `+` and without `outputs=`, in order.
        public var plusargs: [String]
        public var tokens: Int
        /// The expected outputs (`$readmemh` format, one value per line, `outputWidth` bits).
        public var expected: String
        public var outputWidth: Int
        public var outputSigned: Bool
        /// Start pulse to done, as the cost model prices the invocation (its time minus the
        /// controller's turnaround) and as the kernel's own cycle formula says.
        public var predictedCycles: Int
        public var kernelCycles: Int
    }

    public var schema: String = currentSchema
    /// What the plan covers, for reports (`layer 1 of M3ViT on zcu102`).
    public var scope: String
    public var benches: [Bench]
    public var cases: [Case]

    public init(scope: String, benches: [Bench], cases: [Case]) {
        self.scope = scope
        self.benches = benches
        self.cases = cases
    }

    /// Rough Icarus run time in seconds: kernel cycles times multipliers at about 30,000
    /// multiplier-cycles per second (measured on the tiny-moe suite; full-size M3ViT grids are slower
    /// still). Used to pick Verilator for big plans.
    public var icarusSecondsEstimate: Double {
        let size = Dictionary(benches.map { ($0.shape, $0.multipliers) }, uniquingKeysWith: { a, _ in a })
        return cases.reduce(0) { $0 + Double($1.kernelCycles) * Double(size[$1.shape] ?? 1) } / 30_000
    }

    /// Pretty JSON, sorted keys, ending in a newline (deterministic bytes).
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var data = (try? encoder.encode(self)) ?? Data()
        data.append(0x0A)
        return data
    }

    /// Reads a plan, refusing other schemas with a diagnostic naming the file.
    public static func decode(_ data: Data, file: String) throws(DiagnosticError) -> RTLSimulationPlan {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        struct Header: Decodable { var schema: String? }
        guard let header = try? decoder.decode(Header.self, from: data) else {
            throw DiagnosticError([.error("not a JSON simulation plan", file: file)])
        }
        guard header.schema == currentSchema else {
            throw DiagnosticError([.error("simulation plan schema '\(header.schema ?? "none")' is not \(currentSchema)", file: file)])
        }
        do {
            return try decoder.decode(RTLSimulationPlan.self, from: data)
        } catch {
            throw DiagnosticError([.error("simulation plan does not match schema \(currentSchema): \(error)", file: file)])
        }
    }
}
