import ArgumentParser
import Foundation
import MoehlsKit

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Compare the estimate of a generated project with the vendor's csynth (and cosim) reports.",
        discussion: """
        Reads DIR/report/design.json and the Vitis HLS reports; prints estimate, vendor figure,
        available, % used and relative error for latency, interval, clock and every resource.

        Example:
          moehls report out/m3vit-zcu102 --csynth out/m3vit-zcu102/hls/moehls_top_prj/solution1/syn/report/moehls_top_csynth.xml
        """
    )

    @Argument(help: "Project folder written by `moehls generate`.")
    var project: String

    @Option(help: "csynth.xml from Vitis HLS (solution1/syn/report/<top>_csynth.xml).")
    var csynth: String

    @Option(help: "The co-simulation report (solution1/sim/report/<top>_cosim.rpt).")
    var cosim: String?

    @Option(name: .customLong("append-calibration"), help: "Append estimate/vendor pairs to this CSV (for re-fitting the cost model).")
    var calibration: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let comparison = try withDiagnostics { () throws(DiagnosticError) -> VendorComparison in
            let designPath = URL(fileURLWithPath: project).appendingPathComponent("report/design.json").path
            let design = try DesignFile.decode(try UserFile.read(path: designPath), file: designPath)
            let report = try CSynthReport.load(path: csynth)
            let co = try cosim.map { (path: String) throws(DiagnosticError) in try CosimReport.load(path: path) }
            return VendorComparison(design: design, csynth: report, cosim: co)
        }
        if let calibration {
            try withDiagnostics { () throws(DiagnosticError) in try comparison.appendCalibration(to: calibration) }
        }
        print(json ? try Output.json(comparison.rows) : comparison.text, terminator: json ? "\n" : "")
    }
}
