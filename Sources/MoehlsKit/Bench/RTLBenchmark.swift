import Foundation

/// `moehls bench sim`: the Verilog kernels on a model's full-size shapes. For a design (searched
/// now, or read from design.json) it writes the RTL of every distinct kernel shape of one forward
/// pass into a scratch folder, simulates each with Icarus, and reports per invocation: bit-exact or
/// not, measured cycles against the cost model's prediction, wall time and simulated cycles per
/// second.
public enum RTLBenchmark {
    public struct Row: Codable, Hashable, Sendable {
        public var name: String
        public var shape: String
        public var tokens: Int
        public var bitExact: Bool
        public var measuredCycles: Int?
        public var predictedCycles: Int
        public var ratio: Double?
        /// Wall time of the simulation run (nil for a step of a multi-step run).
        public var seconds: Double?
        public var cyclesPerSecond: Double?
        public var error: String?
    }

    public struct Result: Codable, Sendable {
        public var model: String
        public var device: String
        public var clockMHz: Double
        public var design: String
        public var simulator: String
        public var rows: [Row]
        /// Wall time of the whole run (writing, compiling, simulating).
        public var seconds: Double
        /// Largest |measured / predicted - 1| over the rows.
        public var worstDeviation: Double
        public var allBitExact: Bool
        /// The MoE layer's units run one after another (gathers, scatters, one finish; the
        /// cleared-accumulator check pass not counted): measured and predicted cycles.
        public var moeLayerMeasured: Int?
        public var moeLayerPredicted: Int?

        public var text: String {
            var out = "RTL simulation (\(simulator)) of \(model) on \(device) @ \(Format.fixed(clockMHz, 0)) MHz, design \(design)\n\n"
            var table = TextTable(["invocation", "shape", "tokens", "bit-exact", "measured", "predicted", "ratio", "run s", "cycles/s"])
            for r in rows {
                table.add([r.name, r.shape, "\(r.tokens)", r.error.map { "ERROR: \($0)" } ?? (r.bitExact ? "yes" : "NO"),
                           r.measuredCycles.map { Format.count($0) } ?? "-", Format.count(r.predictedCycles),
                           r.ratio.map { Format.fixed($0, 3) } ?? "-", r.seconds.map { Format.fixed($0, 1) } ?? "-",
                           r.cyclesPerSecond.map { Format.count(Int($0.rounded())) } ?? "-"])
            }
            out += table.text
            out += "\n\(rows.filter(\.bitExact).count) of \(rows.count) bit-exact (measured in RTL simulation); worst cycle deviation "
                + "from the cost model (modeled) \(Format.fixed(worstDeviation * 100, 2))%; wall \(Format.fixed(seconds, 1)) s\n"
            if let measured = moeLayerMeasured, let predicted = moeLayerPredicted {
                out += "MoE layer, units one after another: measured in RTL simulation \(Format.count(measured)) cycles, "
                    + "modeled \(Format.count(predicted)) (\(Format.fixed(Double(measured) / Double(max(predicted, 1)), 4)))\n"
            }
            return out
        }
    }

    /// The kernels a run covers.
    public enum Kernel: String, CaseIterable, Sendable {
        case linear, attention, moe
        case layerNorm = "layernorm"

        var kinds: Set<RTLKernelKind> {
            switch self {
            case .linear: return [.linear, .residual]
            case .attention: return [.attention]
            case .moe: return [.moeUnits, .moeChain, .router]
            case .layerNorm: return [.layerNorm]
            }
        }
    }

    /// Simulates the distinct kernel shapes of `spec` on `design` (two simulations at a time):
    /// the project's RTL plan for `RTLSelection.distinctShapes`, run by `RTLPlanRunner`.
    public static func run(spec: ModelSpec, design: DesignFile, seed: UInt64, simulator: RTLSimulator,
                           kernels: Set<Kernel> = Set(Kernel.allCases),
                           progress: @escaping @Sendable (String) -> Void) throws -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        progress("golden model (seed \(seed))")
        let golden = try GoldenModel(spec: spec, seed: seed)
        let (files, plan) = try RTLProjectFiles.render(.init(spec: spec, design: design), golden: golden,
                                                       input: .synthetic(spec: spec, seed: seed),
                                                       selection: .distinctShapes, prefix: "")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-bench-sim-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let folder = scratch.appendingPathComponent("rtl")
        try RenderedFile.write(files, to: folder)
        let kinds = Set(kernels.flatMap(\.kinds))
        let shapes = Set(plan.benches.filter { kinds.contains($0.kind) }.map(\.shape))
        let included = plan.cases.filter { shapes.contains($0.shape) }
        progress("simulating \(included.count) testbench runs (\(included.reduce(0) { $0 + $1.steps.count }) kernel invocations) "
                 + "of \(shapes.count) shapes with \(simulator.name)")
        let runner = RTLPlanRunner(simulator: simulator, folder: folder, scratch: scratch.appendingPathComponent("sim"))
        let results = try runner.run(plan, include: { shapes.contains($0.shape) }, compiling: { progress($0) },
                                     progress: { progress($0.description) })
        let rows = results.map { r -> Row in
            // a multi-step run (the MoE layer) has one wall time for all its steps: no per-step rate
            let seconds = r.seconds
            return Row(name: r.name, shape: r.shape, tokens: r.tokens, bitExact: r.passed, measuredCycles: r.measuredCycles,
                       predictedCycles: r.predictedCycles, ratio: r.ratio, seconds: seconds,
                       cyclesPerSecond: seconds.flatMap { s in r.measuredCycles.map { Double($0) / max(s, 1e-9) } }, error: r.error)
        }
        let moeShapes = Set(plan.benches.filter { $0.kind == .moeUnits }.map(\.shape))
        let moeSteps = results.filter { moeShapes.contains($0.shape) && !$0.checkOnly }
        let d = clock.now - start
        return Result(model: spec.name, device: design.device.name, clockMHz: design.device.clockMHz,
                      design: design.design.description, simulator: simulator.name, rows: rows,
                      seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18,
                      worstDeviation: rows.compactMap { $0.ratio.map { abs($0 - 1) } }.max() ?? .infinity,
                      allBitExact: !rows.isEmpty && rows.allSatisfy { $0.bitExact },
                      moeLayerMeasured: moeSteps.isEmpty ? nil : moeSteps.reduce(0) { $0 + ($1.measuredCycles ?? 0) },
                      moeLayerPredicted: moeSteps.isEmpty ? nil : moeSteps.reduce(0) { $0 + $1.predictedCycles })
    }
}
