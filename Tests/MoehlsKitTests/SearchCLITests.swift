import Foundation
import Testing

/// `moehls search` and `moehls bench search` from the command line (exit codes 0 / 1 / 64,
/// stdout and stderr, design.json).
@Suite(.tags(.unit))
struct SearchCLITests {
    func moehls(_ arguments: [String]) throws -> CommandResult {
        try runCommand(moehlsExecutable, arguments, in: repositoryRoot)
    }

    @Test func searchPrintsTheReportAndWritesDesignJSON() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("design-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: path) }
        let result = try moehls(["search", "Examples/tiny-moe.yaml", "--device", "zcu102", "-o", path.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("tiny-moe on zcu102 (xczu9eg-ffvb1156-2-e) at 300 MHz, 80% cap, objective latency"))
        #expect(result.stdout.contains("optimum of the cost model (proven)"))
        #expect(result.stdout.contains("latency by kernel"))
        #expect(result.stdout.contains("latency by layer"))
        #expect(result.stdout.contains("Pareto front"))
        #expect(result.stdout.contains("bound "))
        #expect(result.stderr.contains("search took"))
        let data = try Data(contentsOf: path)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["schema"] as? String == "moehls-design/1")
        // --json prints the same file.
        let json = try moehls(["search", "Examples/tiny-moe.yaml", "--device", "zcu102", "--json"])
        #expect(json.status == 0)
        #expect(Data(json.stdout.utf8) == data)
    }

    @Test func referencePrintsUbiMoEBesideThePaper() throws {
        let result = try moehls(["search", "Examples/m3vit.yaml", "--reference", "ubimoe"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("10.33"))
        #expect(result.stdout.contains("25.76"))
    }

    @Test func noFitIsAnInputError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-board-\(getpid()).yaml")
        defer { try? FileManager.default.removeItem(at: path) }
        try """
        name: tiny-board
        part: xc-test
        resources: {lut: 20000, ff: 40000, bram_18k: 20, dsp: 40}
        memory:
          - {name: ddr, channels: 1, port_bits: 128, bandwidth_gbps: 4}
        clock_mhz: 200
        """.write(to: path, atomically: true, encoding: .utf8)
        let result = try moehls(["search", "Examples/tiny-moe.yaml", "--device-file", path.path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("error: no design fits tiny-board at 80% cap: the smallest needs"), "\(result.stderr)")
        #expect(result.stderr.contains("DSP "))
    }

    @Test(arguments: [
        (["search", "Examples/tiny-moe.yaml"], "give a board with --device NAME or --device-file FILE"),
        (["search", "Examples/tiny-moe.yaml", "--device", "zcu102", "--cap", "1.5"], "--cap must be in (0, 1]"),
        (["search", "Examples/tiny-moe.yaml", "--device", "zcu102", "--strategy", "greedy"], "'greedy' is invalid for '--strategy"),
        (["search", "Examples/tiny-moe.yaml", "--device", "zcu102", "--objective", "power"], "'power' is invalid for '--objective"),
        (["search", "Examples/tiny-moe.yaml", "--device", "zcu102", "--device-file", "x.yaml"], "give either --device or --device-file"),
        (["bench", "search", "--targets", "zcu102"], "--targets takes NAME@MHZ"),
    ])
    func usageErrorsExit64(_ arguments: [String], _ message: String) throws {
        let result = try moehls(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func unknownDeviceIsAnInputError() throws {
        let result = try moehls(["search", "Examples/tiny-moe.yaml", "--device", "zcu104"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("unknown device 'zcu104'"))
    }
}
