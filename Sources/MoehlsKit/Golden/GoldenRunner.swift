import Foundation

/// `moehls run`: builds the golden model, runs the requested passes and reports the drift.
public enum GoldenRunner {
    public enum Mode: String, Codable, Sendable, CaseIterable {
        case fixed, float, both
    }

    public struct Options: Sendable {
        public var seed: UInt64
        public var weightsFile: String?
        public var inputFile: String?
        public var mode: Mode
        public var task: Int
        public var dumpDirectory: String?
        /// Write the dump into a folder that holds other files (they are kept).
        public var forceDump: Bool

        public init(seed: UInt64 = 1, weightsFile: String? = nil, inputFile: String? = nil, mode: Mode = .both,
                    task: Int = 0, dumpDirectory: String? = nil, forceDump: Bool = false) {
            self.seed = seed
            self.weightsFile = weightsFile
            self.inputFile = inputFile
            self.mode = mode
            self.task = task
            self.dumpDirectory = dumpDirectory
            self.forceDump = forceDump
        }
    }

    /// What `moehls run` prints.
    public struct Report: Codable, Sendable {
        public var model: String
        public var mode: Mode
        public var weights: String
        public var input: String
        public var clippedWeights: Int
        public var stages: [GoldenComparison.Row]
        public var final: Drift?
        /// The first values of the class token's (or first token's) final features.
        public var featuresFixed: [Double]?
        public var featuresFloat: [Double]?
        /// Top-5 classes (index) by the fixed and float logits, when there is a head.
        public var topFixed: [Int]?
        public var topFloat: [Int]?
        public var seconds: [String: Double]
        public var dumped: String?

        public var text: String {
            var out = "model \(model): weights \(weights), input \(input), mode \(mode.rawValue)\n"
            if clippedWeights > 0 { out += "warning: \(clippedWeights) weight values were clipped to their formats\n" }
            if !stages.isEmpty {
                var table = TextTable(["stage", "max |fixed - float|", "cosine", "out of range"])
                for row in stages {
                    table.add([row.stage, Format.scientific(row.drift.maxAbs), Format.fixed(row.drift.cosine, 7),
                               Format.fixed(100 * row.drift.outOfRange, 2) + "%"])
                }
                out += "\n" + table.text
            }
            if let final { out += "\nfinal features: cosine \(Format.fixed(final.cosine, 7)), max |diff| \(Format.scientific(final.maxAbs))\n" }
            if let f = featuresFixed { out += "features (fixed): " + f.map { Format.fixed($0, 5) }.joined(separator: " ") + " ...\n" }
            if let f = featuresFloat { out += "features (float): " + f.map { Format.fixed($0, 5) }.joined(separator: " ") + " ...\n" }
            if let t = topFixed { out += "top-5 classes (fixed): \(t.map(String.init).joined(separator: ", "))\n" }
            if let t = topFloat { out += "top-5 classes (float): \(t.map(String.init).joined(separator: ", "))\n" }
            out += "time: " + seconds.keys.sorted().map { "\($0) \(Format.fixed(seconds[$0]!, 3)) s" }.joined(separator: ", ") + "\n"
            if let dumped { out += "wrote \(dumped)\n" }
            return out
        }
    }

    public static func run(_ spec: ModelSpec, options: Options, progress: (String) -> Void) throws(DiagnosticError) -> Report {
        let clock = ContinuousClock()
        var seconds: [String: Double] = [:]
        func timed<T>(_ name: String, _ body: () throws(DiagnosticError) -> T) throws(DiagnosticError) -> T {
            let start = clock.now
            let value = try body()
            let d = clock.now - start
            seconds[name] = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            return value
        }
        progress("building weights")
        let model: GoldenModel = try timed("weights") { () throws(DiagnosticError) in
            try WeightSource(seed: options.seed, file: options.weightsFile).model(spec: spec, task: options.task)
        }
        let input: ModelInput = try { () throws(DiagnosticError) in
            if let file = options.inputFile { return try ModelInput(spec: spec, values: try WeightFiles.loadInput(path: file, spec: spec), source: file) }
            return ModelInput.synthetic(spec: spec, seed: options.seed)
        }()
        var report = Report(model: spec.name, mode: options.mode,
                            weights: options.weightsFile ?? "seed \(options.seed)", input: options.inputFile ?? "seed \(options.seed)",
                            clippedWeights: model.quantization.totalClipped, stages: [], seconds: [:])
        var fixedResult: ForwardPass<FixedKernels>.Result?
        var floatResult: ForwardPass<FloatKernels>.Result?
        var trace: [KernelCall<FixedMatrix>] = []
        let recordTrace = options.dumpDirectory != nil
        if options.mode != .float {
            progress("fixed-point forward pass")
            fixedResult = try timed("fixed") { () throws(DiagnosticError) in
                model.fixedPass().run(input.fixed, observe: recordTrace ? { trace.append($0) } : nil)
            }
        }
        if options.mode != .fixed {
            progress("float forward pass")
            floatResult = try timed("float") { () throws(DiagnosticError) in model.floatPass().run(input.float) }
        }
        if let f = fixedResult, let r = floatResult {
            let comparison = GoldenComparison(model: model, fixed: f, float: r)
            report.stages = comparison.rows
            report.final = comparison.final
        }
        report.featuresFixed = fixedResult.map { Array($0.features.gather(rows: [0]).toDoubles().prefix(8)) }
        report.featuresFloat = floatResult.map { Array($0.features.row(0).prefix(8)) }
        report.topFixed = fixedResult?.logits.map { Routing<Double>.topK($0.toDoubles(), k: 5) }
        report.topFloat = floatResult?.logits.map { Routing<Double>.topK($0.values, k: 5) }
        if let directory = options.dumpDirectory {
            progress("writing \(directory)")
            try GoldenDump.write(directory: directory, spec: spec, model: model, fixed: fixedResult, float: floatResult,
                                 trace: trace, force: options.forceDump)
            report.dumped = directory
        }
        report.seconds = seconds
        return report
    }
}
