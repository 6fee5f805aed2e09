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
        public var seconds: Double
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
        /// One MoE layer through the gather, scatter/combine and finish units (Icarus).
        public var moe: RTLMoEBenchmark.Result?

        public var text: String {
            var out = "RTL simulation (\(simulator)) of \(model) on \(device) @ \(Format.fixed(clockMHz, 0)) MHz, design \(design)\n\n"
            var table = TextTable(["invocation", "shape", "tokens", "bit-exact", "measured", "predicted", "ratio", "run s", "cycles/s"])
            for r in rows {
                table.add([r.name, r.shape, "\(r.tokens)", r.error.map { "ERROR: \($0)" } ?? (r.bitExact ? "yes" : "NO"),
                           r.measuredCycles.map { Format.count($0) } ?? "-", Format.count(r.predictedCycles),
                           r.ratio.map { Format.fixed($0, 3) } ?? "-", Format.fixed(r.seconds, 1),
                           r.cyclesPerSecond.map { Format.count(Int($0.rounded())) } ?? "-"])
            }
            out += table.text
            out += "\n\(rows.filter(\.bitExact).count) of \(rows.count) bit-exact; worst cycle deviation from the cost model "
                + "\(Format.fixed(worstDeviation * 100, 2))%; wall \(Format.fixed(seconds, 1)) s\n"
            if let moe { out += "\n" + moe.text }
            return out
        }
    }

    /// Simulates the distinct kernel shapes of `spec` on `design` (vvp runs two at a time).
    /// The kernels a run covers.
    public enum Kernel: String, CaseIterable, Sendable {
        case linear, attention, moe
    }

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
        for file in files {
            let url = folder.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.bytes).write(to: url)
        }
        var results: [RTLInvocationResult] = []
        if kernels.contains(.linear) {
            progress("simulating \(plan.cases.count) linear invocations of \(plan.benches.count) shapes with \(simulator.name)")
            let runner = RTLPlanRunner(simulator: simulator, folder: folder, scratch: scratch.appendingPathComponent("sim"))
            results = try runner.run(plan, compiling: { progress($0) }, progress: { progress($0.description) })
        }
        if kernels.contains(.attention) {
            let tools = try RTLPlanRunner.locateIcarus()
            progress("attention kernel, layer 0, all heads in one invocation, on \(design.design.attention) (Icarus)")
            for a in try RTLAttentionBenchmark.run(spec: spec, engines: [design.design.attention], layer: 0, seed: seed,
                                                   iverilog: tools.iverilog, vvp: tools.vvp) {
                progress(a.description)
                var r = a.invocation
                r.name += " (attention)"
                r.seconds = a.simulationSeconds
                results.append(r)
            }
        }
        let rows = results.map { r -> Row in
            let seconds: Double = r.seconds ?? 0
            return Row(name: r.name, shape: r.shape, tokens: r.tokens, bitExact: r.passed, measuredCycles: r.measuredCycles,
                       predictedCycles: r.predictedCycles, ratio: r.ratio, seconds: seconds,
                       cyclesPerSecond: r.measuredCycles.map { (cycles: Int) -> Double in seconds > 0 ? Double(cycles) / seconds : 0 }, error: r.error)
        }
        var moe: RTLMoEBenchmark.Result? = nil
        if spec.moe != nil && kernels.contains(.moe) {
            progress("MoE layer: gather, scatter/combine, finish (Icarus)")
            moe = try RTLMoEBenchmark.run(spec, engine: design.design.linear, seed: seed, progress: { progress($0) })
        }
        let d = clock.now - start
        return Result(model: spec.name, device: design.device.name, clockMHz: design.device.clockMHz,
                      design: design.design.description, simulator: simulator.name, rows: rows,
                      seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18,
                      worstDeviation: rows.compactMap { $0.ratio.map { abs($0 - 1) } }.max() ?? .infinity,
                      allBitExact: rows.allSatisfy { $0.bitExact } && (moe?.bitExact ?? true), moe: moe)
    }
}
