import Foundation

/// What Vitis HLS (or Vivado HLS) reports after C synthesis, read from
/// `solution1/syn/report/<top>_csynth.xml` (schema in shared vendor-flow notes and
/// docs/vendor-reports.md).
///
/// Tolerates what real reports do: `DSP48E` (older tools) or `DSP`, latencies `undef` or `?`
/// (dataflow, unknown trip counts), missing elements, units in `unit` elements. Anything that is
/// absent or not a number is nil, never a crash.
public struct CSynthReport: Hashable, Codable, Sendable {
    public struct Loop: Hashable, Codable, Sendable {
        public var name: String
        public var tripCount: Int?
        public var latency: Int?
        public var iterationLatency: Int?
        public var pipelineII: Int?
        public var pipelineDepth: Int?
    }

    public var version: String?
    public var part: String?
    public var topModel: String?
    /// Target clock period in ns (converted from the report's unit).
    public var targetClockNs: Double?
    public var clockUncertaintyNs: Double?
    public var estimatedClockNs: Double?
    /// Best / average / worst-case latency in cycles (nil: `undef`, `?` or missing).
    public var latencyBest: Int?
    public var latencyAverage: Int?
    public var latencyWorst: Int?
    public var intervalMin: Int?
    public var intervalMax: Int?
    public var loops: [Loop]
    /// Used resources by csynth name: `BRAM_18K`, `DSP` (also from `DSP48E`), `FF`, `LUT`, `URAM`.
    public var resources: [String: Int]
    public var available: [String: Int]

    /// The resource names moehls compares, in report order.
    public static let resourceNames = ["LUT", "FF", "BRAM_18K", "DSP", "URAM"]

    public static func load(path: String) throws(DiagnosticError) -> CSynthReport {
        try parse(UserFile.read(path: path), file: path)
    }

    public static func parse(_ data: Data, file: String) throws(DiagnosticError) -> CSynthReport {
        let tree: XMLTree
        switch XMLTree.parse(data) {
        case .success(let parsed): tree = parsed
        case .failure(let problem):
            throw DiagnosticError([.error(problem.message,
                                          at: SourceLocation(file: file, line: max(1, problem.line), column: max(1, problem.column)))])
        }
        let root = tree.root
        guard root.name == "profile" else {
            throw DiagnosticError([.error("not a csynth report: the root element must be <profile>", file: file)])
        }
        func element(_ path: [String], from start: XMLTree.Element? = nil) -> XMLTree.Element? {
            (start ?? root).at(path)
        }
        func text(_ path: [String], from start: XMLTree.Element? = nil) -> String? {
            element(path, from: start)?.trimmedText
        }
        func cycles(_ path: [String], from start: XMLTree.Element? = nil) -> Int? { text(path, from: start).flatMap(parseCycles) }
        let assignments = ["UserAssignments"]
        let clockUnit = text(assignments + ["unit"]) ?? "ns"
        let timingUnit = text(["PerformanceEstimates", "SummaryOfTimingAnalysis", "unit"]) ?? clockUnit
        let overall = ["PerformanceEstimates", "SummaryOfOverallLatency"]
        var loops: [Loop] = []
        if let loopSummary = element(["PerformanceEstimates", "SummaryOfLoopLatency"]) {
            for loop in loopSummary.children {
                loops.append(Loop(name: loop.name, tripCount: cycles(["TripCount"], from: loop),
                                  latency: cycles(["Latency"], from: loop), iterationLatency: cycles(["IterationLatency"], from: loop),
                                  pipelineII: cycles(["PipelineII"], from: loop), pipelineDepth: cycles(["PipelineDepth"], from: loop)))
            }
        }
        func resources(_ section: String) -> [String: Int] {
            var out: [String: Int] = [:]
            guard let node = element(["AreaEstimates", section]) else { return out }
            for child in node.children {
                var name = child.name
                guard let value = parseCycles(child.trimmedText) else { continue }
                if name == "DSP48E" || name == "DSP48E2" || name == "DSP58" { name = "DSP" }
                if name == "BRAM" { name = "BRAM_18K" }
                out[name] = value
            }
            return out
        }
        return CSynthReport(
            version: text(["ReportVersion", "Version"]),
            part: text(assignments + ["Part"]),
            topModel: text(assignments + ["TopModelName"]),
            targetClockNs: text(assignments + ["TargetClockPeriod"]).flatMap { parseTime($0, unit: clockUnit) },
            clockUncertaintyNs: text(assignments + ["ClockUncertainty"]).flatMap { parseTime($0, unit: clockUnit) },
            estimatedClockNs: text(["PerformanceEstimates", "SummaryOfTimingAnalysis", "EstimatedClockPeriod"])
                .flatMap { parseTime($0, unit: timingUnit) },
            latencyBest: cycles(overall + ["Best-caseLatency"]),
            latencyAverage: cycles(overall + ["Average-caseLatency"]),
            latencyWorst: cycles(overall + ["Worst-caseLatency"]),
            intervalMin: cycles(overall + ["Interval-min"]),
            intervalMax: cycles(overall + ["Interval-max"]),
            loops: loops, resources: resources("Resources"), available: resources("AvailableResources"))
    }

    /// An integer cycle count; `undef`, `?`, `-` and empty give nil.
    static func parseCycles(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: ",", with: "")
        if let value = Int(trimmed), value >= 0 { return value }
        if let value = Double(trimmed), value.isFinite, value >= 0, value < 9e18 { return Int(value.rounded()) }
        return nil
    }

    /// A time in ns from a value and a unit (`ns`, `us`, `ps`, `ms`, `MHz` as a frequency).
    static func parseTime(_ text: String, unit: String) -> Double? {
        guard let value = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)), value.isFinite, value > 0 else { return nil }
        switch unit.lowercased() {
        case "ns": return value
        case "ps": return value / 1000
        case "us": return value * 1000
        case "ms": return value * 1_000_000
        case "mhz": return 1000 / value
        default: return value
        }
    }
}

/// The co-simulation summary, read from `solution1/sim/report/<top>_cosim.rpt` (text): the row of
/// the Verilog RTL with its status and latency min / avg / max.
public struct CosimReport: Hashable, Codable, Sendable {
    public var status: String
    public var latencyMin: Int?
    public var latencyAverage: Int?
    public var latencyMax: Int?

    public static func load(path: String) throws(DiagnosticError) -> CosimReport {
        try parse(String(decoding: UserFile.read(path: path), as: UTF8.self), file: path)
    }

    public static func parse(_ text: String, file: String) throws(DiagnosticError) -> CosimReport {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 6, cells[1].lowercased() == "verilog" else { continue }
            return CosimReport(status: cells[2], latencyMin: CSynthReport.parseCycles(cells[3]),
                               latencyAverage: CSynthReport.parseCycles(cells[4]), latencyMax: CSynthReport.parseCycles(cells[5]))
        }
        throw DiagnosticError([.error("no Verilog row in the co-simulation report (expected a '| Verilog | Pass | min | avg | max |' table row)",
                                      file: file)])
    }
}
