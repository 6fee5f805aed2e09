import Foundation

/// `moehls report`: the cost model's estimate (from a project's report/design.json) beside what
/// the vendor tools reported (csynth.xml, cosim.rpt), with relative errors; optionally appended to
/// a calibration CSV for re-fitting the model.
public struct VendorComparison: Sendable {
    public struct Row: Hashable, Codable, Sendable {
        public var quantity: String
        public var estimate: Double?
        public var vendor: Double?
        public var available: Double?
        /// `(estimate - vendor) / vendor`, when both are known and the vendor's is non-zero.
        public var relativeError: Double? {
            guard let estimate, let vendor, vendor != 0 else { return nil }
            return (estimate - vendor) / vendor
        }
    }

    public var design: DesignFile
    public var csynth: CSynthReport
    public var cosim: CosimReport?
    public var rows: [Row]

    public init(design: DesignFile, csynth: CSynthReport, cosim: CosimReport?) {
        self.design = design
        self.csynth = csynth
        self.cosim = cosim
        let e = design.estimate
        var rows = [
            Row(quantity: "latency (cycles, csynth worst case)", estimate: Double(e.latencyCycles), vendor: csynth.latencyWorst.map(Double.init)),
            Row(quantity: "interval (cycles, csynth max)", estimate: Double(e.latencyCycles), vendor: csynth.intervalMax.map(Double.init)),
        ]
        if let cosim {
            rows.append(Row(quantity: "latency (cycles, co-simulation avg)", estimate: Double(e.latencyCycles),
                            vendor: cosim.latencyAverage.map(Double.init)))
        }
        if let period = csynth.estimatedClockNs {
            rows.append(Row(quantity: "clock period (ns, csynth estimate)", estimate: 1000 / design.device.clockMHz, vendor: period))
        }
        for (name, value) in e.resources.named {
            rows.append(Row(quantity: name, estimate: Double(value), vendor: csynth.resources[name].map(Double.init),
                            available: csynth.available[name].map(Double.init)))
        }
        self.rows = rows
    }

    public var text: String {
        var table = TextTable(["quantity", "estimate", "vendor", "available", "vendor %", "error"])
        func value(_ v: Double?) -> String { v.map { Format.count(Int($0.rounded())) } ?? "-" }
        for row in rows {
            let share = (row.vendor != nil && row.available != nil && row.available! > 0)
                ? Format.fixed(100 * row.vendor! / row.available!, 1) + "%" : "-"
            let error = row.relativeError.map { ($0 >= 0 ? "+" : "") + Format.fixed(100 * $0, 1) + "%" } ?? "-"
            let isTime = row.quantity.hasPrefix("clock")
            table.add([row.quantity, isTime ? Format.fixed(row.estimate ?? 0, 3) : value(row.estimate),
                       isTime ? (row.vendor.map { Format.fixed($0, 3) } ?? "-") : value(row.vendor), value(row.available), share, error])
        }
        var header = "design \(design.design.description) on \(design.device.name) at \(Format.fixed(design.device.clockMHz, 0)) MHz\n"
        header += "csynth: \(csynth.version.map { "version \($0), " } ?? "")part \(csynth.part ?? "?"), top \(csynth.topModel ?? "?")\n"
        if let cosim { header += "co-simulation: \(cosim.status)\n" }
        if csynth.part != nil && csynth.part != design.device.part {
            header += "warning: csynth's part \(csynth.part!) is not the design's \(design.device.part)\n"
        }
        return header + "\n" + table.text + "\n'-': not reported (undef, ?, or missing). Error = (estimate - vendor) / vendor.\n"
    }

    /// CSV rows `model,device,design,quantity,estimate,vendor` for the calibration data.
    public var calibrationRows: [String] {
        rows.compactMap { row in
            guard let e = row.estimate, let v = row.vendor else { return nil }
            return [design.model.name, design.device.name, design.design.description, row.quantity,
                    Format.fixed(e, 3).replacingOccurrences(of: ",", with: ""), Format.fixed(v, 3).replacingOccurrences(of: ",", with: "")]
                .map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",")
        }
    }

    public static let calibrationHeader = "model,device,design,quantity,estimate,vendor"

    /// Appends the rows to a CSV file (created with a header when new).
    public func appendCalibration(to path: String) throws(DiagnosticError) {
        let fm = FileManager.default
        var text = fm.fileExists(atPath: path) ? "" : Self.calibrationHeader + "\n"
        text += calibrationRows.map { $0 + "\n" }.joined()
        do {
            if let handle = FileHandle(forWritingAtPath: path) {
                defer { try? handle.close() }
                try handle.seekToEnd()
                try handle.write(contentsOf: Data(text.utf8))
            } else {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            }
        } catch {
            throw DiagnosticError([.error("cannot append to the calibration file: \(error.localizedDescription)", file: path)])
        }
    }
}
