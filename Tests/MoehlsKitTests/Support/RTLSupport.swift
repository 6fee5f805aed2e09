import Foundation
import Testing
@testable import MoehlsKit

/// Scratch folders and tool jobs for the RTL tests.
enum RTLScratch {
    /// A fresh folder name under the temporary directory (not created).
    static func folder(_ tag: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("moehls-rtl-\(tag)-\(UUID().uuidString)")
    }

    /// A fresh folder holding `kernel.files()`.
    static func write<K: RTLKernel>(_ kernel: K, tag: String) throws -> URL {
        let folder = folder(tag)
        try RenderedFile.write(try kernel.files(), to: folder)
        return folder
    }

    /// Whether MOEHLS_RTL_KEEP is set (keep simulation folders for debugging).
    static var keep: Bool { ProcessInfo.processInfo.environment["MOEHLS_RTL_KEEP"] != nil }

    static func remove(_ folder: URL) {
        if keep { print("kept \(folder.path)") } else { try? FileManager.default.removeItem(at: folder) }
    }
}

extension ToolJob {
    /// Runs the job with `ToolRunner` off the cooperative pool.
    func run() async -> ToolRun {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: ToolRunner().run(self)) }
        }
    }
}

extension ExternalTool {
    static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil) async throws -> ToolRun {
        await ToolJob(executable.path, arguments, in: directory?.path).run()
    }
}

/// The checks of a unit that takes one `CYCLES` step per call: every call passes bit for bit,
/// takes exactly `rtlCycles(tokens)` cycles, and the plan's predicted (cost model) cycles.
enum RTLUnitCheck {
    static func simulate<S: RTLStimulus>(_ kernel: S.Kernel, _ stimuli: [S], tag: String,
                                         rtlCycles: (S) -> Int) throws -> [String] {
        _ = try ExternalTool.iverilog.require()
        let folder = RTLScratch.folder(tag)
        defer { RTLScratch.remove(folder) }
        let results = try RTLPlanRunner.simulate(kernel, stimuli, in: folder)
        #expect(results.count == stimuli.count)
        for (result, stimulus) in zip(results, stimuli) {
            #expect(result.passed, "\(result)")
            #expect(result.measuredCycles == rtlCycles(stimulus), "\(result)")
            #expect(result.measuredCycles == result.predictedCycles, "the cost model's cycles: \(result)")
        }
        return results.map(\.description)
    }

    /// `verilator --lint-only -Wall` on every unit of each kernel and on its testbench.
    static func lint<K: RTLKernel>(_ kernels: [K], tag: String) async throws {
        _ = try ExternalTool.verilator.require()
        for kernel in kernels {
            let folder = try RTLScratch.write(kernel, tag: tag)
            defer { RTLScratch.remove(folder) }
            for job in RTLCheckJobs.lint(kernel, in: folder) + [RTLCheckJobs.lintTestbench(kernel, in: folder)] {
                let run = await job.run()
                #expect(run.succeeded, "\(kernel.identifier) \(job.arguments[3]): \(run.standardError)")
            }
        }
    }
}
