import Foundation
import Testing
@testable import MoehlsKit

/// The `rtl/` folder of a project and the verify stage that simulates it.
@Suite("RTL in generated projects")
struct RTLProjectTests {
    /// tiny-moe's rtl/ for layer 1 on a small design (4x4x2 linear engine, attention 4x4), written
    /// to a temporary project folder.
    static func project() throws -> (URL, RTLSimulationPlan) {
        let spec = try ModelLoader.load(path: repositoryRoot.appendingPathComponent("Examples/tiny-moe.yaml").path)
        let board = try DeviceLoader.builtin("zcu102")
        let context = try CostContext(spec: spec, device: board, clockMHz: 300)
        var design = DesignFile(result: try Search.run(context, options: SearchOptions()), context: context, seed: 1)
        design.design.linear = .init(tIn: 4, tOut: 4, lanes: 2)
        design.design.msaLinear = nil
        design.design.attention = .init(tA: 4, rows: 4)
        let golden = try GoldenModel(spec: spec, seed: 1)
        let (files, plan) = try RTLProjectFiles.render(.init(spec: spec, design: design), golden: golden,
                                                       input: .synthetic(spec: spec, seed: 1), selection: .projectDefault(spec))
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-rtl-project-\(UUID().uuidString)")
        for file in files {
            let url = root.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.bytes).write(to: url)
        }
        return (root, plan)
    }

    @Test("layer 1 of tiny-moe: every linear and attention invocation passes verify, cycles = cost model; a corrupted value is caught")
    func verifyRTLStage() throws {
        _ = try ExternalTool.iverilog.require()
        let (root, plan) = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(Set(plan.benches.map(\.kind)) == ["linear", "attention"])
        #expect(plan.cases.map(\.name).contains("blocks.1.attn"))
        #expect(plan.cases.contains { $0.name.contains("experts") && $0.name.hasSuffix("fc1") })
        #expect(plan.cases.allSatisfy { $0.name.hasPrefix("blocks.1.") })
        // the plan round-trips through its JSON
        #expect(try RTLSimulationPlan.decode(plan.encoded(), file: "simulations.json") == plan)

        var options = ProjectVerifier.Options()
        options.simulator = .icarus
        let job = ProjectVerifier.Job(kind: .rtlSimulation, command: "", target: "rtl")
        let outcome = ProjectVerifier.run(job, project: root, options: options)
        #expect(outcome.passed, "\(outcome.detail)")
        let results = try #require(outcome.invocations)
        #expect(results.count == plan.cases.count)
        for (r, c) in zip(results, plan.cases) {
            #expect(r.passed, "\(r)")
            // exactly the kernel's formula; the cost model within 3% (its slab load assumes rows
            // packed across beats: a 4x4 grid row of 256 bits on a 512-bit port is 1 beat in the
            // RTL, half a beat in the model)
            #expect(r.measuredCycles == c.kernelCycles, "\(r)")
            #expect(abs((r.ratio ?? 0) - 1) <= 0.03, "\(r)")
        }
        // nothing written into the project's rtl/ besides what generate wrote
        let listed = try FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent("rtl").path)
        #expect(!listed.contains { $0.hasSuffix(".vvp") || $0.contains("log-") || $0.contains("out") })

        // flip one expected value of the attention invocation: verify reports it with its index
        let attention = try #require(plan.cases.first { $0.name == "blocks.1.attn" })
        let url = root.appendingPathComponent("rtl").appendingPathComponent(attention.expected)
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[5] = lines[5] == "00000000" ? "00000001" : "00000000"
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        let broken = ProjectVerifier.run(job, project: root, options: options)
        #expect(!broken.passed)
        let failed = try #require(broken.invocations?.first { !$0.passed })
        #expect(failed.name == "blocks.1.attn" && failed.mismatches == 1 && failed.firstMismatch?.index == 5)
        #expect(broken.detail.contains("blocks.1.attn"))
    }

    @Test("a project generated without its data says how to get it")
    func missingStimulus() throws {
        let (root, plan) = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.removeItem(at: root.appendingPathComponent("rtl/data"))
        let job = ProjectVerifier.Job(kind: .rtlSimulation, command: "", target: "rtl")
        let outcome = ProjectVerifier.run(job, project: root)
        #expect(!outcome.passed && outcome.detail.contains("--omit-data"))
        #expect(!plan.cases.isEmpty)
    }
}
