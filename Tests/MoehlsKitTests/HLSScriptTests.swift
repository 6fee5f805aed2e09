import Foundation
import Testing
@testable import MoehlsKit

/// run_hls.tcl is valid Tcl: run it with tclsh against stubbed vendor commands that log their
/// arguments, for each stage selection, and check the part, clock and stage gating.
@Suite(.tags(.unit))
struct HLSScriptTests {
    static let stubs = #"""
        set log {}
        foreach cmd {open_project set_top add_files open_solution set_part create_clock set_clock_uncertainty
                     csim_design csynth_design cosim_design export_design} {
            proc $cmd {args} "global log; lappend log $cmd \[join \$args { }\]"
        }
        rename exit real_exit
        proc exit {} { global log; puts [join $log "\n"]; real_exit 0 }
        proc file {args} {}
        source run_hls.tcl
        """#

    func run(_ script: HLSScript, stages: String?) throws -> String {
        let tclsh = try #require(["/usr/bin/tclsh", "/usr/local/bin/tclsh"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                 "tclsh not found: install it with `apt-get install tcl`")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-tcl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try script.render().write(to: dir.appendingPathComponent("run_hls.tcl"), atomically: true, encoding: .utf8)
        try Self.stubs.write(to: dir.appendingPathComponent("stub.tcl"), atomically: true, encoding: .utf8)
        let env = stages.map { "MOEHLS_STAGES=\($0)" } ?? "MOEHLS_UNSET=1"
        let result = try runCommand(URL(fileURLWithPath: "/usr/bin/env"), [env, tclsh, "stub.tcl"], in: dir)
        #expect(result.status == 0, "tclsh failed: \(result.stderr)")
        return result.stdout
    }

    let zcu = HLSScript(top: "moehls_top", part: "xczu9eg-ffvb1156-2-e", clockMHz: 300, sources: ["src/top.cpp", "src/a.h"],
                        testbench: ["tb/tb.cpp"], flow: .vivado)

    @Test func defaultStagesAreCsimAndCsynth() throws {
        let log = try run(zcu, stages: nil)
        #expect(log.contains("set_part\nxczu9eg-ffvb1156-2-e"))
        #expect(log.contains("create_clock\n-period 3.333 -name default"))
        #expect(log.contains("csim_design") && log.contains("csynth_design"))
        #expect(!log.contains("cosim_design") && !log.contains("export_design"))
        #expect(log.contains("open_solution\n-reset solution1 -flow_target vivado"))
    }

    @Test func onlyCsimRunsJustCsim() throws {
        let log = try run(zcu, stages: "csim")
        #expect(log.contains("csim_design") && !log.contains("csynth_design"))
    }

    @Test func exportForVitisMakesAnXO() throws {
        var u280 = zcu
        u280.part = "xcu280-fsvh2892-2L-e"
        u280.clockMHz = 200
        u280.flow = .vitis
        let log = try run(u280, stages: "csynth cosim export")
        #expect(log.contains("-period 5.000"))
        #expect(log.contains("cosim_design\n-rtl verilog"))
        #expect(log.contains("export_design\n-format xo -output ../build/moehls_top.xo"))
        #expect(log.contains("-flow_target vitis"))
    }
}
