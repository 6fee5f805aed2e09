/// `moehls bench search`: search time per model, board and strategy, and the `ubimoe`
/// heuristic's gap to the exact optimum. Times are wall-clock of a single run; use a release build.
public struct SearchBenchmark: Codable, Sendable {
    public struct Row: Codable, Sendable {
        public var model: String
        public var device: String
        public var clockMHz: Double
        public var strategy: String
        public var seconds: Double
        /// Latency of the best design's pass (nil when the strategy found no design).
        public var latencyMilliseconds: Double?
        /// Objective value per image in milliseconds (nil when no design).
        public var valueMilliseconds: Double?
        public var optimal: Bool
        /// Relative gap to the `exact` result of the same model and board (or, without one, to
        /// another proven optimum; nil without either).
        public var gapToExact: Double?
        public var evaluated: Int
        /// The design, or why there is none.
        public var design: String
        public var bound: String
    }

    public var objective: String
    public var cap: Double
    public var rows: [Row]

    /// Runs every strategy on every (model, device, clock); a strategy that finds no design gets a
    /// row saying why.
    public static func run(models: [(path: String, spec: ModelSpec)], targets: [(device: Device, clockMHz: Double)],
                           strategies: [SearchStrategy], objective: SearchObjective, cap: Double, seed: UInt64,
                           progress: @escaping (String) -> Void) throws(DiagnosticError) -> SearchBenchmark {
        var rows: [Row] = []
        for model in models {
            for target in targets {
                let context = try CostContext(spec: model.spec, device: target.device, clockMHz: target.clockMHz)
                var group: [Row] = []
                for strategy in strategies {
                    progress("bench: \(model.spec.name) on \(target.device.name) at \(Format.fixed(target.clockMHz, 0)) MHz, \(strategy.rawValue)")
                    let clock = ContinuousClock()
                    var result: SearchResult? = nil
                    var failure: DiagnosticError? = nil
                    let elapsed = clock.measure {
                        do {
                            result = try Search.run(context, options: SearchOptions(strategy: strategy, objective: objective,
                                                                                    cap: cap, seed: seed))
                        } catch let error as DiagnosticError {
                            failure = error
                        } catch {
                            failure = DiagnosticError([.error("\(error)")])
                        }
                    }
                    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                    guard let r = result else {
                        let message = failure?.diagnostics.first?.message ?? "no result"
                        group.append(Row(model: model.spec.name, device: target.device.name, clockMHz: target.clockMHz,
                                         strategy: strategy.rawValue, seconds: seconds, latencyMilliseconds: nil,
                                         valueMilliseconds: nil, optimal: false, gapToExact: nil, evaluated: 0,
                                         design: message, bound: ""))
                        continue
                    }
                    let value = r.best.value(objective) / (context.clockMHz * 1e3)
                    group.append(Row(model: model.spec.name, device: target.device.name, clockMHz: target.clockMHz,
                                     strategy: strategy.rawValue, seconds: seconds, latencyMilliseconds: r.best.latencyMilliseconds,
                                     valueMilliseconds: value, optimal: r.optimal, gapToExact: nil, evaluated: r.evaluated,
                                     design: r.best.design.description, bound: r.best.bound.description))
                }
                if let exact = group.first(where: { $0.strategy == SearchStrategy.exact.rawValue && $0.optimal })
                    ?? group.first(where: { $0.optimal }) {
                    for i in group.indices {
                        if let value = group[i].valueMilliseconds, let best = exact.valueMilliseconds, best > 0 {
                            group[i].gapToExact = value / best - 1
                        }
                    }
                }
                rows += group
            }
        }
        return SearchBenchmark(objective: objective.rawValue, cap: cap, rows: rows)
    }

    /// The table.
    public var text: String {
        let valueColumn = objective == SearchObjective.latency.rawValue ? "latency ms" : "ms/image"
        var table = TextTable(["model", "device", "MHz", "strategy", "seconds", valueColumn, "optimal", "gap to exact", "priced", "design"])
        for r in rows {
            table.add([r.model, r.device, Format.fixed(r.clockMHz, 0), r.strategy, Format.fixed(r.seconds, 3),
                       r.valueMilliseconds.map { Format.fixed($0, 3) } ?? "-", r.optimal ? "yes" : "no",
                       r.gapToExact.map { Format.fixed($0 * 100, 1) + "%" } ?? "-", Format.count(r.evaluated), r.design])
        }
        return "search benchmark, objective \(objective), \(Format.fixed(cap * 100, 0))% cap (wall-clock seconds of one run)\n"
            + table.text
    }
}
