import Foundation

/// An external program run by the C simulation (g++, the testbench, the fetch script). Output
/// goes through temporary files, so a chatty program cannot block on a full pipe.
struct ToolProcess {
    var executable: String
    var arguments: [String]

    init(_ executable: String, _ arguments: [String]) {
        self.executable = executable
        self.arguments = arguments
    }

    struct Outcome: Sendable {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// `executable` itself if it names a path, else the first match on PATH.
    var resolvedExecutable: URL? {
        if executable.contains("/") { return URL(fileURLWithPath: executable) }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(executable)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Starts every process, waits for all, and returns their outcomes in order. A program that
    /// cannot be started gets status 127 and the reason as its standard error.
    static func runAll(_ tools: [ToolProcess]) -> [Outcome] {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-tool-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var running: [(Process?, URL, URL, String)] = []
        for (index, tool) in tools.enumerated() {
            let out = scratch.appendingPathComponent("\(index).out"), err = scratch.appendingPathComponent("\(index).err")
            _ = FileManager.default.createFile(atPath: out.path, contents: nil)
            _ = FileManager.default.createFile(atPath: err.path, contents: nil)
            guard let url = tool.resolvedExecutable,
                  let outHandle = try? FileHandle(forWritingTo: out), let errHandle = try? FileHandle(forWritingTo: err) else {
                running.append((nil, out, err, "\(tool.executable): not found"))
                continue
            }
            let process = Process()
            process.executableURL = url
            process.arguments = tool.arguments
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = outHandle
            process.standardError = errHandle
            do {
                try process.run()
                running.append((process, out, err, ""))
            } catch {
                running.append((nil, out, err, "\(tool.executable): \(error)"))
            }
            try? outHandle.close()
            try? errHandle.close()
        }
        return running.map { process, out, err, failure in
            guard let process else { return Outcome(status: 127, standardOutput: "", standardError: failure) }
            process.waitUntilExit()
            let read = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
            return Outcome(status: process.terminationStatus, standardOutput: read(out), standardError: read(err))
        }
    }
}
