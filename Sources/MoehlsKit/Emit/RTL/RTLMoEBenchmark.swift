import Foundation

/// `moehls bench sim` (MoE part): one MoE layer of a model (M3ViT: 129 tokens, D 192, 16 experts
/// top-2) simulated in Icarus with seeded golden data and the gate's real routing: every active
/// expert's gather and scatter, the finish with the residual, and a second finish that must see
/// cleared accumulators. Reports bit-exactness, measured and predicted cycles, and wall time.
public enum RTLMoEBenchmark {
    /// One unit invocation: measured (testbench) and predicted (cost model) cycles.
    public struct Unit: Codable, Sendable {
        public var name: String
        public var tokens: Int
        public var measured: Int?
        public var predicted: Int
        public var mismatches: Int
    }

    public struct Result: Codable, Sendable {
        public var model: String
        public var layer: String
        public var engine: String
        public var tokens: Int
        public var queueLengths: [Int]
        /// Every compared value equal (staging rows, layer output, cleared pass) and no unit failed.
        public var bitExact: Bool
        public var mismatches: Int
        public var errors: [String]
        public var units: [Unit]
        /// Sums over the units of the layer run one after another (gathers, scatters, one finish;
        /// the cleared-accumulator check pass is not counted).
        public var measuredCycles: Int
        public var predictedCycles: Int
        /// The golden forward pass that produced the stimulus.
        public var goldenSeconds: Double
        /// Writing the files, compiling (iverilog) and simulating (vvp), comparing.
        public var simulationSeconds: Double
        public var wallSeconds: Double

        public var text: String {
            var table = TextTable(["unit", "tokens", "measured", "predicted", "ratio", "mismatches"])
            for u in units {
                table.add([u.name, "\(u.tokens)", u.measured.map { "\($0)" } ?? "-", "\(u.predicted)",
                           u.measured.map { Format.fixed(Double($0) / Double(max(u.predicted, 1)), 3) } ?? "-", "\(u.mismatches)"])
            }
            let ratio = Double(measuredCycles) / Double(max(predictedCycles, 1))
            return "RTL MoE layer \(model) \(layer) on T_in x N_L \(engine), \(tokens) tokens, queues \(queueLengths)\n"
                + table.text
                + "bit-exact: \(bitExact ? "yes" : "NO (\(mismatches) mismatches\(errors.isEmpty ? "" : ", " + errors.joined(separator: "; ")))")\n"
                + "cycles (units one after another): measured \(measuredCycles), predicted \(predictedCycles) (\(Format.fixed(ratio, 4)))\n"
                + "wall time: golden \(Format.fixed(goldenSeconds, 2)) s, simulation \(Format.fixed(simulationSeconds, 2)) s, "
                + "total \(Format.fixed(wallSeconds, 2)) s\n"
        }
    }

    /// Simulates MoE layer `layer` (default: the first) of `spec` with weights and input from
    /// `seed` on `engine` (default: UbiMoE's 16 x 16 x 3). iverilog and vvp are taken from PATH;
    /// `directory` (default: a temporary folder, removed afterwards) holds the simulation files.
    public static func run(_ spec: ModelSpec, engine: DesignPoint.LinearEngine = .init(tIn: 16, tOut: 16, lanes: 3),
                           seed: UInt64 = 1, layer: Int? = nil, directory: URL? = nil,
                           progress: (String) -> Void = { _ in }) throws -> Result {
        let clock = ContinuousClock()
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        let begin = clock.now
        guard let iverilog = ToolProcess("iverilog", []).resolvedExecutable,
              let vvp = ToolProcess("vvp", []).resolvedExecutable else {
            throw RTLUnsupported(message: "iverilog/vvp not found on PATH (apt-get install iverilog)")
        }
        guard let shape = RTLMoEShape(spec: spec, engine: engine) else {
            throw RTLUnsupported(message: "model \(spec.name) has no MoE layers")
        }
        progress("golden forward pass of \(spec.name) (seed \(seed))")
        let golden: GoldenModel
        do { golden = try GoldenModel(spec: spec, seed: seed) } catch { throw RTLUnsupported(message: "\(error)") }
        let layers = RTLMoETrace.layers(golden, input: .synthetic(spec: spec, seed: seed))
        guard let chosen = layers.first(where: { layer == nil || $0.layer == layer }) else {
            throw RTLUnsupported(message: "layer \(layer.map(String.init) ?? "?") of \(spec.name) is not an MoE layer")
        }
        let goldenDone = clock.now
        progress("simulating \(chosen.name): \(chosen.queueLengths.filter { $0 > 0 }.count) active experts")
        let scratch = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("moehls-moe-bench-\(UUID().uuidString)")
        defer { if directory == nil { try? FileManager.default.removeItem(at: scratch) } }
        let stimulus = RTLMoEStimulus(layer: chosen, shape: shape, kernels: golden.fixedKernels)
        let results = try RTLMoESimulation(iverilog: iverilog, vvp: vvp, directory: scratch).run(shape, [stimulus])
        let end = clock.now
        let counted = results.filter { !$0.name.hasSuffix(".cleared") }
        return Result(
            model: spec.name, layer: chosen.name, engine: "\(engine.tIn)x\(engine.lanes)", tokens: chosen.tokens,
            queueLengths: chosen.queueLengths, bitExact: results.allSatisfy(\.passed),
            mismatches: results.reduce(0) { $0 + $1.mismatches }, errors: results.compactMap(\.error),
            units: results.map { Unit(name: $0.name, tokens: $0.tokens, measured: $0.measuredCycles, predicted: $0.predictedCycles,
                                      mismatches: $0.mismatches) },
            measuredCycles: counted.reduce(0) { $0 + ($1.measuredCycles ?? 0) },
            predictedCycles: counted.reduce(0) { $0 + $1.predictedCycles },
            goldenSeconds: seconds(goldenDone - begin), simulationSeconds: seconds(end - goldenDone),
            wallSeconds: seconds(end - begin))
    }
}
