import Foundation
import Testing
@testable import MoehlsKit

/// Tests drive the same programs as moehls (compilers, simulators, synthesis) through the same
/// executor (`ToolRunner`).
///
/// Tests never skip when a tool is missing: `require()` fails the test with the command that
/// installs it, so a machine without the tool shows red instead of silently testing less.
///
///     let gxx = try ExternalTool.gxx.require()
///     let run = try await ExternalTool.run(gxx, ["--version"])
extension ExternalTool {
    /// The executable found on PATH; when missing, fails the calling test with an install hint
    /// (e.g. "g++ not found: install it with `sudo apt-get install g++` ...") and throws to end it.
    func require(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> URL {
        try #require(location, "\(executableName) not found: \(installHint)", sourceLocation: sourceLocation)
    }
}
