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

    @Test(arguments: [
        (Array("<profile><layer_lo".utf8) + [0xD2] + Array("p>1</layer_lo".utf8) + [0xD2] + Array("p></profile>".utf8), 1, 19),
        (Array("<profile>\n  <a b=\"".utf8) + [0xC0, 0xAF] + Array("\"/></profile>".utf8), 2, 9),  // overlong '/'
        (Array("<profile>".utf8) + [0xED, 0xA0, 0x80] + Array("</profile>".utf8), 1, 10),        // a surrogate
        (Array("<profile>".utf8) + [0xF8, 0x88, 0x80, 0x80, 0x80] + Array("</profile>".utf8), 1, 10),
    ])
    func invalidUTF8IsLocatedNotCrashed(_ bytes: [UInt8], _ line: Int, _ column: Int) {
        let error = #expect(throws: DiagnosticError.self) { _ = try CSynthReport.parse(Data(bytes), file: "x.xml") }
        let diagnostic = error?.diagnostics.first
        #expect(diagnostic?.message.hasPrefix("not UTF-8") == true, "\(String(describing: diagnostic))")
        #expect(diagnostic?.location == SourceLocation(file: "x.xml", line: line, column: column))
    }

    @Test func deepNestingIsRefusedNotCrashed() {
        let depth = 100_000
        let text = "<profile>" + String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth) + "</profile>"
        let error = #expect(throws: DiagnosticError.self) { _ = try CSynthReport.parse(Data(text.utf8), file: "x.xml") }
        #expect(error?.diagnostics.first?.message.contains("deeper than 1000 levels") == true)
        // Nesting within the limit still parses.
        let fine = "<profile>" + String(repeating: "<a>", count: 900) + String(repeating: "</a>", count: 900) + "</profile>"
        #expect(throws: Never.self) { _ = try CSynthReport.parse(Data(fine.utf8), file: "x.xml") }
    }

    /// Seeded mutations of every fixture (byte flips, inserted and deleted runs, truncation): each
    /// one parses or fails with a diagnostic; none may crash the process.
    @Test func mutatedReportsNeverCrash() throws {
        var rng = SplitMix64(seed: 11)
        var failures = 0, parsed = 0
        for name in ["vivado-hls-2019.2_csynth.xml", "vitis-hls-2022.2_csynth.xml", "vitis-hls-2024.1-dataflow_csynth.xml"] {
            let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixture(name))))
            for _ in 0..<300 {
                var bytes = original
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    let at = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 4 {
                    case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: bytes[at] ^= UInt8(1 << (rng.next() % 8))
                    case 2: bytes.insert(contentsOf: (0..<Int(rng.next() % 8)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
                    default: bytes.removeSubrange(at..<min(bytes.count, at + Int(rng.next() % 16)))
                    }
                    if bytes.isEmpty { bytes = [0x3C] }
                }
                do {
                    _ = try CSynthReport.parse(Data(bytes), file: "m.xml")
                    parsed += 1
                } catch {
                    failures += 1
                    #expect(error.diagnostics.first?.file == "m.xml")
                }
            }
        }
        #expect(parsed + failures == 900 && failures > 100, "\(parsed) parsed, \(failures) refused")
    }

    /// Real reports from public projects (twelve tool versions), kept outside the repository in
    /// ../shared/real-csynth; the test needs that folder.
    static let realReports = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/real-csynth")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: realReports.path), "needs ../shared/real-csynth"))
    func realReportsFromTwelveToolVersionsParse() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.realReports.path).filter { $0.hasSuffix(".xml") }.sorted()
        #expect(files.count >= 12)
        for file in files {
            let r = try CSynthReport.load(path: Self.realReports.appendingPathComponent(file).path)
            #expect(r.version != nil && r.topModel != nil && !r.resources.isEmpty, "\(file)")
            // Mutating real reports must not crash the parser either.
            var rng = SplitMix64(seed: UInt64(file.utf8.count))
            let original = [UInt8](try Data(contentsOf: Self.realReports.appendingPathComponent(file)))
            for _ in 0..<50 {
                var bytes = original
                bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
                _ = try? CSynthReport.parse(Data(bytes), file: file)
            }
        }
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
