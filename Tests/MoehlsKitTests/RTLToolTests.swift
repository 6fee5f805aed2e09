import Foundation
import Testing
@testable import MoehlsKit

/// Verilator lint and Yosys synthesis of the generated Verilog.
@Suite("RTL lint and synthesis", .tags(.simulation))
struct RTLToolTests {
    @Test("a job's stackKiB reaches that child alone (ulimit -s), and a death by SIGSEGV is named with the stack it had")
    func stackLimitAndSignals() throws {
        let bash = try ExternalTool.bash.require()
        let before = ToolRunner.stackLimitsKiB()
        let run = ToolRunner().run(ToolJob(bash.path, ["-c", "ulimit -s"], stackKiB: 65_536))
        #expect(run.succeeded)
        let limit = run.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(limit == (run.stackKiB.map(String.init) ?? "unlimited"), "\(limit)")
        #expect(limit == "unlimited" || (Int(limit) ?? 0) >= min(65_536, before.hard ?? .max), "\(limit)")
        // moehls's own limit is unchanged, so later children do not inherit the job's stack.
        #expect(ToolRunner.stackLimitsKiB() == before)
        let crash = ToolRunner().run(ToolJob(bash.path, ["-c", "kill -SEGV $$"], stackKiB: 65_536))
        #expect(crash.signal == SIGSEGV)
        let stack = crash.stackKiB.map { "with \($0 / 1024) MiB stack" } ?? "with an unlimited stack"
        #expect(crash.failure?.contains("killed by SIGSEGV (likely a stack overflow: it ran \(stack)") == true,
                "\(crash.failure ?? "")")
    }

    @Test("the granted stack is at least the current soft limit and at most the hard limit")
    func grantedStack() {
        #expect(ToolRunner.grantedStackKiB(65_536, limits: (8_192, nil)) == 65_536)
        #expect(ToolRunner.grantedStackKiB(65_536, limits: (8_192, 16_384)) == 16_384)
        #expect(ToolRunner.grantedStackKiB(1_024, limits: (8_192, nil)) == 8_192)
        #expect(ToolRunner.grantedStackKiB(65_536, limits: (nil, nil)) == nil)
        #expect(ToolRunner.grantedStackKiB(.max, limits: (8_192, nil)) == .max)
    }

    /// The distinct linear-kernel shapes of a tiny-moe forward pass, in first-use order, plus a
    /// ReLU variant of the first GELU shape.
    static func shapes() throws -> [RTLLinearShape] {
        var shapes: [RTLLinearShape] = []
        for (shape, _) in try RTLTinyMoE.invocations() where !shapes.contains(shape) { shapes.append(shape) }
        if var relu = shapes.first(where: \.gelu) {
            relu.gelu = false
            relu.relu = true
            shapes.append(relu)
        }
        return shapes
    }

    static func write(_ shape: RTLLinearShape) throws -> URL { try RTLScratch.write(shape, tag: "tool") }

    @Test("verilator --lint-only -Wall is clean on every generated file of every tiny-moe shape")
    func lintClean() async throws {
        _ = try ExternalTool.verilator.require()
        for shape in try Self.shapes() {
            let folder = try Self.write(shape)
            defer { try? FileManager.default.removeItem(at: folder) }
            for job in RTLCheckJobs.lint(shape, in: folder) + [RTLCheckJobs.lintTestbench(shape, in: folder)] {
                let run = await job.run()
                #expect(run.succeeded, "\(shape.identifier) \(job.arguments[3]): \(run.standardError)")
            }
        }
    }

    @Test("Yosys synth_xilinx -family xcup: DSP48E2 count equals the RTL formula and the cost model", arguments: [false, true])
    func yosysDSP(gelu: Bool) async throws {
        _ = try ExternalTool.yosys.require()
        let shape = try #require(Self.shapes().first { $0.gelu == gelu && $0.input.isSigned })
        let folder = try Self.write(shape)
        defer { try? FileManager.default.removeItem(at: folder) }
        let counts = try #require(try RTLCheckJobs.cellCounts(shape, in: folder)["moehls_linear"])

        let spec = try ModelLoader.load(path: repositoryRoot.appendingPathComponent("Examples/tiny-moe.yaml").path)
        let costs = DSPCosts(OperandWidths(spec), family: .ultrascalePlus, embedDim: spec.embedDim)
        let units = gelu ? LinearEngineContext.geluUnits(engine: shape.engine, inputs: spec.embedDim) : 0
        let model = ResourceModel.linearEngine(shape.engine, geluUnits: units, dsp: costs).dsp
        print("yosys \(shape.identifier): DSP48E2 \(counts.dsp) (cost model \(model), RTL formula \(shape.rtlDSP)), "
              + "LUT \(counts.lut), FF \(counts.ff), BRAM18 \(counts.bram18k)")
        #expect(counts.dsp == shape.rtlDSP)
        // The grid and the GELU units: the model's figure and the synthesiser's agree exactly.
        #expect(counts.dsp == model)
    }
}
