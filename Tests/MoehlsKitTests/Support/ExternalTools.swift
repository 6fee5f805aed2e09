import Foundation
import Testing

/// A program on PATH that some tests drive (compilers, simulators, synthesis).
///
/// Tests never skip when a tool is missing: `require()` fails the test with the command that
/// installs it, so a machine without the tool shows red instead of silently testing less.
///
///     let gxx = try ExternalTool.gxx.require()
///     let run = try await ExternalTool.run(gxx, ["--version"])
enum ExternalTool: String, CaseIterable, Sendable {
    case gxx = "g++"
    case iverilog
    case yosys
    case verilator
    case python3

    /// The executable's name on PATH.
    var executableName: String { rawValue }

    /// The command that installs the tool on Debian (the CI image).
    var installCommand: String { "apt-get install \(rawValue)" }

    /// The executable found on PATH, or `nil`.
    var location: URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(executableName)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// The executable found on PATH; when missing, fails the calling test with an install hint
    /// (e.g. "g++ not found: install it with `apt-get install g++`") and throws to end it.
    func require(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> URL {
        try #require(location, "\(executableName) not found: install it with `\(installCommand)`",
                     sourceLocation: sourceLocation)
    }

    /// The outcome of `run(_:_:in:)`.
    struct Run: Sendable {
        var status: Int32
        var standardOutput: String
        var standardError: String
        var succeeded: Bool { status == 0 }
    }

    /// Runs `executable` with `arguments` (in `directory` if given) without blocking a thread, and
    /// returns its exit status and output. Output goes through temporary files, so a chatty
    /// program cannot fill a pipe and hang.
    static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil) async throws -> Run {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("moehls-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let text = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
        return Run(status: status, standardOutput: text(outURL), standardError: text(errURL))
    }
}
