import Foundation
import Testing
@testable import MoehlsKit

/// `moehls generate`: determinism, the project's contents, the report page, the committed
/// reference output in Generated/, and the host program checked through `moehls verify`.
@Suite(.tags(.reference))
struct GenerateTests {
    static func spec(_ name: String) throws -> ModelSpec {
        try ModelLoader.load(path: repositoryRoot.appendingPathComponent("Examples/\(name)").path)
    }

    /// The files `moehls generate MODEL --device DEVICE --clock CLOCK --seed 1` writes.
    static func render(_ model: String, device: String, clock: Double? = nil) throws -> [RenderedFile] {
        let spec = try spec(model)
        let board = try DeviceLoader.builtin(device)
        let context = try CostContext(spec: spec, device: board, clockMHz: clock)
        let result = try Search.run(context, options: SearchOptions())
        let design = DesignFile(result: result, context: context, seed: 1)
        let golden = try GoldenModel(spec: spec, seed: 1)
        return try ProjectGenerator.render(.init(spec: spec, device: board, design: design, golden: golden,
                                                 input: .synthetic(spec: spec, seed: 1), front: result.front))
    }

    @Test(arguments: ["zcu102", "u280"])
    func tinyProjectIsCompleteAndDeterministic(_ device: String) throws {
        let first = try Self.render("tiny-moe.yaml", device: device)
        let second = try Self.render("tiny-moe.yaml", device: device)
        #expect(first == second)
        let paths = Set(first.map(\.path))
        for required in ["README.md", "hls/run_hls.tcl", "hls/src/moehls_top.cpp", "hls/tb/moehls_tb.cpp", "weights/weights.bin",
                         "weights/manifest.json", "report/design.json", "report/index.html"] {
            #expect(paths.contains(required), "\(required)")
        }
        if device == "u280" {
            #expect(paths.isSuperset(of: ["board/u280/link.cfg", "board/u280/host/host.cpp", "board/u280/host/accel_xrt.cpp",
                                          "board/u280/host/accel_csim.cpp"]))
            let link = try #require(first.first { $0.path == "board/u280/link.cfg" }).text
            #expect(link.contains("sp=moehls_top_1.weights0:HBM[0]") && link.contains("slr=moehls_top_1:SLR0"))
        } else {
            #expect(paths.isSuperset(of: ["board/zcu102/build_bd.tcl", "board/zcu102/host.py"]))
            let bd = try #require(first.first { $0.path == "board/zcu102/build_bd.tcl" }).text
            #expect(bd.contains("CONFIG.PSU__CRL_APB__PL0_REF_CTRL__FREQMHZ {300}") && bd.contains("S_AXI_HP0_FPD"))
        }
        for file in first where !ProjectGenerator.isBulkData(file.path) {
            #expect(!file.text.contains("/work/") && !file.text.contains("/tmp/"), "\(file.path) holds an absolute path")
        }
    }

    @Test func reportPageIsWellFormedAndOffline() throws {
        let files = try Self.render("tiny-moe.yaml", device: "zcu102")
        let html = try #require(files.first { $0.path == "report/index.html" }).bytes
        let tree = try XMLTree.parse(Data(html)).get()
        #expect(tree.root.name == "html")
        func count(_ name: String, _ e: XMLTree.Element) -> Int { (e.name == name ? 1 : 0) + e.children.reduce(0) { $0 + count(name, $1) } }
        #expect(count("svg", tree.root) >= 4)      // resources, kernels, layers, Pareto front
        #expect(count("circle", tree.root) >= 1)
        let text = String(decoding: html, as: UTF8.self)
        #expect(!text.contains("src=") && !text.contains("href=") && !text.contains("<script"))
    }

    @Test(arguments: [("m3vit-zcu102", "zcu102", 300.0), ("m3vit-u280", "u280", 200.0)])
    func generatedFolderMatchesTheGenerator(_ folder: String, _ device: String, _ clock: Double) throws {
        let files = try Self.render("m3vit.yaml", device: device, clock: clock).filter { !ProjectGenerator.isBulkData($0.path) }
        let root = repositoryRoot.appendingPathComponent("Generated/\(folder)")
        if ProcessInfo.processInfo.environment["MOEHLS_RECORD"] == "1" {
            try ProjectWriter.write(files, to: root.path, force: false)
        }
        let committed = ProjectWriter.listFiles(root).filter { $0 != ProjectWriter.manifestName }
        #expect(committed == files.map(\.path).sorted(), "Generated/\(folder) is stale: run `make generated`")
        for file in files {
            let data = FileManager.default.contents(atPath: root.appendingPathComponent(file.path).path)
            #expect(data == Data(file.bytes), "Generated/\(folder)/\(file.path) differs: run `make generated`")
        }
    }

    @Test(.tags(.simulation)) func alveoHostProgramPassesThroughVerify() throws {
        _ = try ExternalTool.gxx.require()
        let project = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-verify-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: project) }
        try ProjectWriter.write(try Self.render("tiny-moe.yaml", device: "u280"), to: project.path, force: false)
        let scratch = ProjectVerifier.temporaryScratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let jobs = try ProjectVerifier.plan(project: project, scratch: scratch)
        #expect(jobs.map(\.kind) == [.cSimulation, .rtlSimulation, .alveoHost])
        let hostJob = try #require(jobs.first { $0.kind == .alveoHost })
        let host = ProjectVerifier.run(hostJob, project: project, scratch: scratch)
        #expect(host.passed, "\(host.detail)")
        #expect(host.detail.hasPrefix("PASS 2 run(s)"))
        // Corrupt one expected byte: the host must catch it.
        let expected = project.appendingPathComponent("hls/tb/data/expected.bin")
        var bytes = [UInt8](try Data(contentsOf: expected))
        bytes[bytes.count / 2] ^= 0x10
        try Data(bytes).write(to: expected)
        let broken = ProjectVerifier.run(hostJob, project: project, scratch: scratch)
        #expect(!broken.passed && broken.detail.contains("MISMATCH"))
    }

    @Test func vendorReportIsComparedWithTheEstimate() throws {
        let files = try Self.render("tiny-moe.yaml", device: "zcu102")
        let json = try #require(files.first { $0.path == "report/design.json" })
        let design = try DesignFile.decode(Data(json.bytes), file: "design.json")
        let csynth = try CSynthReport.load(path: VendorReportTests.fixture("vivado-hls-2019.2_csynth.xml"))
        let cosim = try CosimReport.load(path: VendorReportTests.fixture("moehls_top_cosim.rpt"))
        let comparison = VendorComparison(design: design, csynth: csynth, cosim: cosim)
        let lut = try #require(comparison.rows.first { $0.quantity == "LUT" })
        #expect(lut.vendor == 118_734 && lut.available == 274_080 && lut.estimate == Double(design.estimate.resources.lut))
        #expect(lut.relativeError == (Double(design.estimate.resources.lut) - 118_734) / 118_734)
        let latency = try #require(comparison.rows.first)
        #expect(latency.vendor == 2_450_113 && latency.estimate == Double(design.estimate.latencyCycles))
        #expect(comparison.text.contains("co-simulation: Pass"))
        // Undefined vendor latencies give no error rather than a wrong one.
        let dataflow = try CSynthReport.load(path: VendorReportTests.fixture("vitis-hls-2024.1-dataflow_csynth.xml"))
        let undefined = VendorComparison(design: design, csynth: dataflow, cosim: nil)
        #expect(undefined.rows.first?.vendor == nil && undefined.rows.first?.relativeError == nil)
        #expect(undefined.text.contains("warning: csynth's part xcu50-fsvh2104-2-e is not the design's xczu9eg-ffvb1156-2-e"))
        // Calibration rows append to a CSV with one header.
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-cal-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: csv) }
        try comparison.appendCalibration(to: csv)
        try comparison.appendCalibration(to: csv)
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == Substring(VendorComparison.calibrationHeader))
        #expect(lines.count == 1 + 2 * comparison.calibrationRows.count)
    }

    @Test func verifyRefusesAFolderThatIsNotAProject() {
        #expect(throws: DiagnosticError.self) { _ = try ProjectVerifier.plan(project: URL(fileURLWithPath: "/tmp"), scratch: ProjectVerifier.temporaryScratch()) }
    }
}
