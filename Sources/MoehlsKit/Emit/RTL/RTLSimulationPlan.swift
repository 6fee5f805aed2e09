import Foundation

/// The simulations of an `rtl/` folder (`rtl/simulations.json`, schema `moehls-rtl-sims/2`):
/// which testbench to compile with which sources, and for each testbench run (a case) the
/// plusargs that select its stimulus, the outputs it writes with their expected files, and the
/// steps it reports: one `TAG ... cycles` line per kernel invocation, with the cycles the cost
/// model and the kernel's own formula predict and the slices of the outputs the step produced.
/// `RTLPlanRunner` runs it for `moehls verify`, `moehls bench sim` and the tests; a user can run
/// the same commands by hand (`moehls verify --dry-run` prints them).
///
/// Paths are relative to the folder that holds the plan; the simulator runs there, so the ROM
/// files the kernels name (`gelu_delta.hex`, ...) resolve.
public struct RTLSimulationPlan: Codable, Hashable, Sendable {
    public static let currentSchema = "moehls-rtl-sims/2"

    /// One compiled testbench: `iverilog -g2005 -Wall -s top sources... testbench`.
    public struct Bench: Codable, Hashable, Sendable {
        /// The kernel shape's identifier (also names the testbench file).
        public var shape: String
        public var kind: RTLKernelKind
        public var top: String
        public var testbench: String
        public var sources: [String]
        /// One line of what the shape is (formats, engine), for reports.
        public var summary: String
        /// Multipliers in the kernel (sets how fast an event-driven simulator runs it).
        public var multipliers: Int
    }

    /// A file the testbench writes (`+plusarg=FILE`) and the file it must equal
    /// (`$readmemh` format, one value per line, `width` bits).
    public struct Output: Codable, Hashable, Sendable {
        public var plusarg: String
        public var expected: String
        public var width: Int
        public var signed: Bool
    }

    /// Values `offset ..< offset + count` of output `output` (a plusarg name) belong to a step.
    public struct Check: Codable, Hashable, Sendable {
        public var output: String
        public var offset: Int
        public var count: Int
    }

    /// One kernel invocation inside a testbench run: the testbench prints a line starting with
    /// `tag` and ending in the invocation's cycles; lines with the case's tags are matched to
    /// the steps in order.
    public struct Step: Codable, Hashable, Sendable {
        /// The golden model's call name (`blocks.1.attn.qkv`, `blocks.1.mlp.experts.2.gather`).
        public var name: String
        public var tag: String
        public var tokens: Int
        /// Start pulse to done, as the cost model prices the invocation (its time minus the
        /// controller's turnaround) and as the kernel's own cycle formula says.
        public var predictedCycles: Int
        public var kernelCycles: Int
        public var checks: [Check]
        /// A pass run only to check the hardware (a finish on cleared accumulators): not part of
        /// the layer's time.
        public var checkOnly: Bool = false

        public init(name: String, tag: String, tokens: Int, predictedCycles: Int, kernelCycles: Int, checks: [Check],
                    checkOnly: Bool = false) {
            self.name = name
            self.tag = tag
            self.tokens = tokens
            self.predictedCycles = predictedCycles
            self.kernelCycles = kernelCycles
            self.checks = checks
            self.checkOnly = checkOnly
        }
    }

    /// One testbench run: `vvp sim.vvp +key=value ... +output=FILE ...`.
    public struct Case: Codable, Hashable, Sendable {
        /// The invocation or layer the run covers (`blocks.1.attn.qkv`, `blocks.1.mlp`).
        public var name: String
        /// `Bench.shape` of the testbench that runs it.
        public var shape: String
        /// Plusargs without the leading `+` and without the outputs, in order.
        public var plusargs: [String]
        public var outputs: [Output]
        public var steps: [Step]
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
    public var icarusSecondsEstimate: Double { cases.reduce(0) { $0 + icarusSecondsEstimate($1) } }

    public func icarusSecondsEstimate(_ c: Case) -> Double {
        let multipliers = benches.first { $0.shape == c.shape }?.multipliers ?? 1
        return c.steps.reduce(0) { $0 + Double($1.kernelCycles) * Double(multipliers) } / 30_000
    }

    /// Every kernel invocation of the plan.
    public var stepCount: Int { cases.reduce(0) { $0 + $1.steps.count } }

    /// Adds `other`'s benches (once per shape) and cases.
    public mutating func append(_ other: RTLSimulationPlan) {
        for bench in other.benches where !benches.contains(where: { $0.shape == bench.shape }) { benches.append(bench) }
        cases += other.cases
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
            throw DiagnosticError([.error("simulation plan schema '\(header.schema ?? "none")' is not \(currentSchema); "
                                          + "regenerate the project with this moehls", file: file)])
        }
        let plan: RTLSimulationPlan
        do {
            plan = try decoder.decode(RTLSimulationPlan.self, from: data)
        } catch {
            throw DiagnosticError([.error("simulation plan does not match schema \(currentSchema): \(error)", file: file)])
        }
        // Paths stay inside rtl/ and never read as a tool's option; names that become file names
        // (shapes, output plusargs) or tool arguments (tops) are plain names.
        let unsafePaths = plan.paths.filter {
            !ProjectWriter.isCleanRelativePath($0.path) || $0.path.split(separator: "/").contains { $0.hasPrefix("-") || $0.hasPrefix("+") }
        }.map { "\($0.field) '\($0.path)' is not a path inside the project's rtl/ folder" }
        let unsafeNames = plan.names.filter { !isPlainName($0.name) }
            .map { "\($0.field) '\($0.name)' is not a plain name (letters, digits, '_', '.', '-'; not starting with '-' or '.')" }
        let problems = unsafePaths + unsafeNames
        if !problems.isEmpty {
            throw DiagnosticError(problems.prefix(5).map { .error($0 + "; the plan is not used", file: file) })
        }
        return plan
    }

    /// The names the runner turns into file names or tool arguments: bench shapes (`<shape>.vvp`,
    /// `obj_<shape>`), tops (`-s`, `--top-module`) and output plusargs (`case<n>.<plusarg>.hex`).
    var names: [(field: String, name: String)] {
        benches.flatMap { [("benches.shape", $0.shape), ("benches[\($0.shape)].top", $0.top)] }
            + cases.flatMap { c in [("cases[\(c.name)].shape", c.shape)] + c.outputs.map { ("cases[\(c.name)].outputs.plusarg", $0.plusarg) } }
    }

    private static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix("-") && !name.hasPrefix(".")
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-") }
    }

    /// Every file path the plan names, with the field it is in: the benches' sources and
    /// testbenches, the expected outputs, and the plusargs that name `.hex` files. A plan read
    /// from disk must keep all of them inside its folder (`decode` checks).
    var paths: [(field: String, path: String)] {
        var out: [(String, String)] = []
        for bench in benches {
            out += bench.sources.map { ("benches[\(bench.shape)].sources", $0) }
            out.append(("benches[\(bench.shape)].testbench", bench.testbench))
        }
        for c in cases {
            out += c.outputs.map { ("cases[\(c.name)].outputs.expected", $0.expected) }
            for argument in c.plusargs {
                let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2, parts[1].contains("/") || parts[1].hasSuffix(".hex") {
                    out.append(("cases[\(c.name)].plusargs", parts[1]))
                }
            }
        }
        return out
    }
}
