import Foundation
import Testing
@testable import MoehlsKit

/// The `rtl/` folder of a project and the verify stage that simulates it.
@Suite("RTL in generated projects", .tags(.simulation))
struct RTLProjectTests {
    /// tiny-moe's rtl/ for layer 1 on a small design (4x4x2 linear engine, attention 4x4), written
    /// to a temporary project folder.
    static func project() throws -> (URL, RTLSimulationPlan, [RenderedFile]) {
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
        try RenderedFile.write(files, to: root)
        return (root, plan, files)
    }

    /// The RTL stage of `verify` on `root` with Icarus.
    static func verifyRTL(_ root: URL) -> ProjectVerifier.Outcome {
        let scratch = ProjectVerifier.temporaryScratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        return ProjectVerifier.runRTL(project: root, scratch: scratch, simulator: .icarus, options: ProjectVerifier.Options())
    }

    @Test("layer 1 of tiny-moe: every linear, attention, MoE-unit, router, residual and LayerNorm invocation passes verify, cycles = cost model; a corrupted value is caught")
    func verifyRTLStage() throws {
        _ = try ExternalTool.iverilog.require()
        let (root, plan, files) = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(Set(plan.benches.map(\.kind)) == [.linear, .attention, .moeUnits, .residual, .layerNorm, .router])
        #expect(plan.cases.map(\.name).contains("blocks.1.norm2"))
        #expect(plan.cases.map(\.name).contains("blocks.1.mlp.router"))
        #expect(plan.cases.map(\.name).contains("blocks.1.mlp"))
        #expect(plan.cases.map(\.name).contains("blocks.1.residual1 + residual"))
        #expect(plan.cases.map(\.name).contains("blocks.1.attn"))
        #expect(plan.cases.contains { $0.name.contains("experts") && $0.name.hasSuffix("fc1") })
        #expect(plan.cases.allSatisfy { $0.name.hasPrefix("blocks.1.") })
        // the plan round-trips through its JSON
        #expect(try RTLSimulationPlan.decode(plan.encoded(), file: "simulations.json") == plan)

        let outcome = Self.verifyRTL(root)
        #expect(outcome.passed, "\(outcome.detail)")
        let results = try #require(outcome.invocations)
        #expect(results.count == plan.stepCount)
        for (r, c) in zip(results, plan.cases.flatMap(\.steps)) {
            #expect(r.passed, "\(r)")
            // exactly the kernel's formula; the cost model within 3% (its slab load assumes rows
            // packed across beats: a 4x4 grid row of 256 bits on a 512-bit port is 1 beat in the
            // RTL, half a beat in the model)
            #expect(r.measuredCycles == c.kernelCycles, "\(r)")
            #expect(abs((r.ratio ?? 0) - 1) <= 0.03, "\(r)")
        }
        // nothing written into the project's rtl/ besides what generate wrote
        let rtl = root.appendingPathComponent("rtl")
        let listed = try FileManager.default.subpathsOfDirectory(atPath: rtl.path).filter { path in
            var folder: ObjCBool = false
            return FileManager.default.fileExists(atPath: rtl.appendingPathComponent(path).path, isDirectory: &folder) && !folder.boolValue
        }
        #expect(Set(listed) == Set(files.map { String($0.path.dropFirst("rtl/".count)) }))

        // flip one expected value of the attention invocation: verify reports it with its index
        let attention = try #require(plan.cases.first { $0.name == "blocks.1.attn" })
        let url = root.appendingPathComponent("rtl").appendingPathComponent(attention.outputs[0].expected)
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[5] = lines[5] == "00000000" ? "00000001" : "00000000"
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        let broken = Self.verifyRTL(root)
        #expect(!broken.passed)
        let failed = try #require(broken.invocations?.first { !$0.passed })
        #expect(failed.name == "blocks.1.attn" && failed.mismatches == 1 && failed.firstMismatch?.index == 5)
        #expect(broken.detail.contains("blocks.1.attn"))
    }

    @Test("a wide-beat (HBM) linear shape runs in Verilator with the stack it needs: 32x32x2 grid, 8,192-bit beats, bit-exact")
    func wideBeatLinearInVerilator() throws {
        _ = try ExternalTool.verilator.require()
        let spec = try ModelLoader.load(path: repositoryRoot.appendingPathComponent("Examples/tiny-moe.yaml").path)
        let board = try DeviceLoader.builtin("u280")
        let context = try CostContext(spec: spec, device: board, clockMHz: 200)
        var design = DesignFile(result: try Search.run(context, options: SearchOptions()), context: context, seed: 1)
        design.design.linear = .init(tIn: 32, tOut: 32, lanes: 2)   // M3ViT's U280 grid
        design.design.msaLinear = nil
        let golden = try GoldenModel(spec: spec, seed: 1)
        let (files, plan) = try RTLProjectFiles.render(.init(spec: spec, design: design), golden: golden,
                                                       input: .synthetic(spec: spec, seed: 1), selection: .projectDefault(spec))
        let bench = try #require(plan.benches.first { $0.kind == .linear && $0.shape.contains("l32x32_32x32x2") })
        #expect(bench.shape.contains("32x32x2"))
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-rtl-wide-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try RenderedFile.write(files, to: root)
        let runner = RTLPlanRunner(simulator: .verilator, folder: root.appendingPathComponent("rtl"),
                                   scratch: root.appendingPathComponent("sim"))
        let first = try #require(plan.cases.first { $0.shape == bench.shape })
        let job = try #require(runner.simulateJob(first, number: 0, plan: plan))
        #expect(job.stackKiB == RTLPlanRunner.verilatorStackKiB && job.description.contains("ulimit -s 1048576 && "))
        let results = try runner.run(plan, include: { $0.name == first.name })
        #expect(results.count == 1 && results.allSatisfy(\.passed), "\(results)")
        #expect(results.first?.measuredCycles == results.first?.kernelCycles)
    }

    @Test("a project generated without its data says how to get it")
    func missingStimulus() throws {
        let (root, plan, _) = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.removeItem(at: root.appendingPathComponent("rtl/data"))
        let outcome = Self.verifyRTL(root)
        #expect(!outcome.passed && outcome.detail.contains("--omit-data"))
        #expect(!plan.cases.isEmpty)
    }

    @Test("verify runs exactly the jobs --dry-run prints: a whole tiny-moe project, every stage, bit-exact")
    func dryRunIsWhatRuns() throws {
        _ = try ExternalTool.iverilog.require()
        _ = try ExternalTool.gxx.require()
        let project = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-dry-run-\(UUID().uuidString)")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-dry-run-scratch-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: project)
            try? FileManager.default.removeItem(at: scratch)
        }
        try ProjectWriter.write(try GenerateTests.render("tiny-moe.yaml", device: "zcu102"), to: project.path, force: false)
        var options = ProjectVerifier.Options()
        options.simulator = .icarus
        let stages = try ProjectVerifier.plan(project: project, scratch: scratch, options: options)
        #expect(stages.map(\.kind) == [.cSimulation, .rtlSimulation, .pynqHost])
        let rtl = try #require(stages.first { $0.kind == .rtlSimulation })
        #expect(rtl.jobs.contains { $0.arguments.contains("moehls_moe_tb") } && rtl.jobs.contains { $0.arguments.contains("moehls_residual_tb") })

        // the CLI's dry run prints these jobs, one line each, and nothing else but comments
        let cli = try runCommand(moehlsExecutable, ["verify", project.path, "--dry-run", "--simulator", "icarus",
                                                    "--scratch", scratch.path])
        #expect(cli.status == 0, "\(cli.stderr)")
        let printed = cli.stdout.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        #expect(printed == stages.flatMap(\.jobs).map(\.description))

        // a run through a recording executor starts exactly those jobs, and passes
        let recorder = RecordingToolExecutor()
        options.executor = recorder
        let outcomes = stages.map { ProjectVerifier.run($0, project: project, scratch: scratch, options: options) }
        for outcome in outcomes { #expect(outcome.passed, "\(outcome.stage): \(outcome.detail)") }
        let ran = recorder.jobs.map(\.description), planned = stages.flatMap(\.jobs).map(\.description)
        #expect(ran.count == planned.count)
        #expect(ran.sorted() == planned.sorted())
    }
}
