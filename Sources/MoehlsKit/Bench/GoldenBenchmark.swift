import Foundation

/// `moehls bench golden`: images per second and MACs per second of the fixed and float forward
/// passes (weights prepared once, not timed), median of several runs.
public enum GoldenBenchmark {
    public struct Result: Codable, Sendable {
        public var model: String
        public var macsPerImage: Int
        public var runs: Int
        /// Median seconds per image.
        public var fixedSeconds: Double
        public var floatSeconds: Double
        public var fixedMACsPerSecond: Double { Double(macsPerImage) / fixedSeconds }
        public var floatMACsPerSecond: Double { Double(macsPerImage) / floatSeconds }
        public var approximations: [ApproximationSweep.Result]

        public var text: String {
            var table = TextTable(["mode", "s/image (median)", "images/s", "MAC/s"])
            table.add(["fixed", Format.fixed(fixedSeconds, 3), Format.fixed(1 / fixedSeconds, 2), Format.scaled(fixedMACsPerSecond, decimals: 1)])
            table.add(["float", Format.fixed(floatSeconds, 3), Format.fixed(1 / floatSeconds, 2), Format.scaled(floatMACsPerSecond, decimals: 1)])
            var sweep = TextTable(["unit", "max error", "kind", "at", "points", "range"],
                                  alignments: [.left, .right, .left, .right, .right, .left])
            for r in approximations {
                sweep.add([r.unit, Format.scientific(r.maxError), r.kind, Format.scientific(r.worstInput), Format.count(r.points), r.range])
            }
            return "golden model \(model): \(Format.count(macsPerImage)) MACs per image, median of \(runs) runs\n\n"
                + table.text + "\napproximations against Double:\n" + sweep.text
        }
    }

    public static func run(_ spec: ModelSpec, runs: Int, progress: (String) -> Void) throws(DiagnosticError) -> Result {
        let model = try GoldenModel(spec: spec, seed: 1)
        let input = ModelInput.synthetic(spec: spec, seed: 1)
        let clock = ContinuousClock()
        func median(_ body: () -> Void) -> Double {
            var times: [Double] = []
            for _ in 0..<runs {
                let start = clock.now
                body()
                let d = clock.now - start
                times.append(Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
            }
            return times.sorted()[times.count / 2]
        }
        progress("fixed point, \(runs) runs")
        let fixed = median { _ = model.fixedPass().run(input.fixed) }
        progress("float, \(runs) runs")
        let float = median { _ = model.floatPass().run(input.float) }
        progress("approximation sweeps")
        let macs = (try? Workload.compute(spec).macs) ?? 0
        return Result(model: spec.name, macsPerImage: macs, runs: runs, fixedSeconds: fixed, floatSeconds: float,
                      approximations: ApproximationSweep.all())
    }
}
