import Foundation
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
