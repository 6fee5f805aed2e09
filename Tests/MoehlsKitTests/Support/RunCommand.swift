import Foundation
@testable import MoehlsKit

/// The result of running a program.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `executable` with `arguments` in `directory`, capturing both output streams
/// (through `ToolRunner`, the one process starter).
func runCommand(_ executable: URL, _ arguments: [String], in directory: URL? = nil) throws -> CommandResult {
    let run = ToolRunner().run(ToolJob(executable.path, arguments, in: directory?.path))
    return CommandResult(status: run.status, stdout: run.standardOutput, stderr: run.standardError)
}

/// The `moehls` executable built next to the test bundle.
var moehlsExecutable: URL {
    Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("moehls")
}
