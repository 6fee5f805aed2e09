import Foundation
import Testing
@testable import MoehlsKit

/// csynth.xml and cosim.rpt parsing on fixtures written from the schema (old and new tools).
@Suite(.tags(.reference))
struct VendorReportTests {
    static func fixture(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/MoehlsKitTests/Fixtures/vendor/\(name)").path
    }

    @Test func vivadoHLS2019WithDSP48E() throws {
        let r = try CSynthReport.load(path: Self.fixture("vivado-hls-2019.2_csynth.xml"))
        #expect(r.version == "2019.2" && r.part == "xczu9eg-ffvb1156-2-e" && r.topModel == "moehls_top")
        #expect(r.targetClockNs == 3.33 && r.clockUncertaintyNs == 0.42 && r.estimatedClockNs == 2.917)
        #expect(r.latencyBest == 2_450_113 && r.latencyWorst == 2_450_113 && r.intervalMin == 2_450_114)
        #expect(r.resources == ["BRAM_18K": 412, "DSP": 1536, "FF": 151_022, "LUT": 118_734, "URAM": 0])
        #expect(r.available["DSP"] == 2520)
        #expect(r.loops.map(\.name) == ["layer_loop", "mac_loop"])
        #expect(r.loops[1].pipelineII == 1 && r.loops[1].tripCount == 1548 && r.loops[0].pipelineII == nil)
    }

    @Test func vitisHLS2022WithDSPAndQuestionMarks() throws {
        let r = try CSynthReport.load(path: Self.fixture("vitis-hls-2022.2_csynth.xml"))
        #expect(r.resources["DSP"] == 6144 && r.resources["URAM"] == 96)
        #expect(r.latencyAverage == 415_000 && r.intervalMax == 420_312)
        #expect(r.loops.first?.latency == nil)   // "?"
        #expect(r.targetClockNs == 5.0)
    }

    @Test func vitisHLS2024DataflowWithUndefAndMissingFields() throws {
        let r = try CSynthReport.load(path: Self.fixture("vitis-hls-2024.1-dataflow_csynth.xml"))
        #expect(r.latencyBest == nil && r.latencyWorst == nil && r.intervalMin == nil)
        #expect(r.estimatedClockNs == nil && r.clockUncertaintyNs == nil && r.version == "2024.1")
        #expect(r.resources["URAM"] == nil && r.resources["DSP"] == 3072 && r.available["URAM"] == 640)
        #expect(r.loops.isEmpty)
    }

    @Test(arguments: [
        ("<profile><UserAssignments>", "not a well-formed XML file"),
        ("<report/>", "the root element must be <profile>"),
        ("", "not a well-formed XML file"),
        ("<a><b></a>", "not a well-formed XML file"),
        ("\u{0}garbage<<<", "not a well-formed XML file"),
    ])
    func malformedReports(_ text: String, _ message: String) {
        let error = #expect(throws: DiagnosticError.self) { _ = try CSynthReport.parse(Data(text.utf8), file: "x.xml") }
        #expect(error?.diagnostics.first?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test func emptyProfileGivesNils() throws {
        let r = try CSynthReport.parse(Data("<profile/>".utf8), file: "x.xml")
        #expect(r.latencyBest == nil && r.resources.isEmpty && r.part == nil)
    }

    @Test func cosimVerilogRow() throws {
        let r = try CosimReport.load(path: Self.fixture("moehls_top_cosim.rpt"))
        #expect(r.status == "Pass" && r.latencyMin == 2_450_201 && r.latencyMax == 2_450_201)
        let error = #expect(throws: DiagnosticError.self) { _ = try CosimReport.parse("no table here", file: "c.rpt") }
        #expect(error?.diagnostics.first?.message.contains("no Verilog row") == true)
    }
}
