import Foundation
import Testing
@testable import MoehlsKit

/// The committed Generated/ projects are compared byte for byte with the generator elsewhere;
/// here their code is compiled as a user's tools would: every testbench of rtl/simulations.json
/// with Icarus and linted by Verilator (-Wall), the HLS C++ with g++ -fsyntax-only against ap_types.
@Suite("Generated/ compiles", .tags(.simulation))
struct GeneratedCompileTests {
    static let folders = ["m3vit-zcu102", "m3vit-u280"]

    @Test("every committed testbench compiles in Icarus and is Verilator -Wall clean", arguments: folders)
    func verilog(_ folder: String) async throws {
        _ = try ExternalTool.iverilog.require()
        _ = try ExternalTool.verilator.require()
        let project = repositoryRoot.appendingPathComponent("Generated/\(folder)")
        let plan = try ProjectVerifier.readPlan(project: project)
        #expect(Set(plan.benches.map(\.kind)).isSuperset(of: [.linear, .attention, .moeUnits, .residual]))
        let scratch = RTLScratch.folder("generated-\(folder)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let runner = RTLPlanRunner(simulator: .icarus, folder: project.appendingPathComponent("rtl"), scratch: scratch)
        for bench in plan.benches {
            let compile = await runner.compileJob(bench).run()
            #expect(compile.succeeded, "\(folder) \(bench.shape): \(compile.output)")
            let lint = await ToolJob("verilator", ["--lint-only", "-Wall", "--timing", "--top-module", bench.top]
                                     + bench.sources + [bench.testbench], in: project.appendingPathComponent("rtl").path).run()
            #expect(lint.succeeded, "\(folder) \(bench.testbench): \(lint.standardError)")
        }
    }

    @Test("the HLS top and testbench pass g++ -fsyntax-only -Wall against ap_types", arguments: folders)
    func hls(_ folder: String) async throws {
        _ = try ExternalTool.gxx.require()
        let project = repositoryRoot.appendingPathComponent("Generated/\(folder)")
        var options = CSimulation.Options()
        options.flags.append("-fsyntax-only")
        let jobs = try CSimulation.jobs(project: project, scratch: RTLScratch.folder("generated-hls"), options: options)
        #expect(jobs.fetch == nil, "the ap_types headers are fetched by scripts/setup.sh")
        for var job in jobs.compile {
            if let o = job.arguments.firstIndex(of: "-o") { job.arguments.removeSubrange(o...(o + 1)) }
            let run = await job.run()
            #expect(run.succeeded, "\(folder): \(run.standardError)")
            #expect(!run.standardError.contains("warning:"), "\(folder): \(run.standardError)")
        }
    }
}
