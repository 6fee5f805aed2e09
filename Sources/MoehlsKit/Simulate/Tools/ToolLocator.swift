import Foundation

/// The external programs moehls drives, and how to install each (Debian/Ubuntu package names;
/// `scripts/setup.sh` installs them all).
public enum ExternalTool: String, CaseIterable, Codable, Sendable {
    case gxx = "g++"
    case iverilog, vvp, yosys, verilator, python3, tclsh, bash

    public var executableName: String { rawValue }

    /// The Debian package holding the program.
    public var package: String {
        switch self {
        case .vvp: return "iverilog"
        case .tclsh: return "tcl"
        default: return rawValue
        }
    }

    public var installHint: String {
        "install it with `sudo apt-get install \(package)` (Debian/Ubuntu) or run scripts/setup.sh"
    }

    /// The program on PATH, or nil.
    public var location: URL? { ToolLocator.find(executableName) }

    /// The program on PATH, or a diagnostic saying how to install it.
    public func locate() throws(DiagnosticError) -> URL {
        guard let url = location else {
            throw DiagnosticError([.error("\(executableName) is not on PATH; \(installHint)")])
        }
        return url
    }
}

/// Finds programs: a name is looked up on PATH, a path is taken as it is (relative paths against
/// the job's working directory).
public enum ToolLocator {
    public static func find(_ tool: String, relativeTo directory: String? = nil) -> URL? {
        let fm = FileManager.default
        if tool.contains("/") {
            let url = tool.hasPrefix("/") || directory == nil
                ? URL(fileURLWithPath: tool) : URL(fileURLWithPath: directory!).appendingPathComponent(tool)
            return fm.isExecutableFile(atPath: url.path) ? url : nil
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(tool)
            if fm.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// "iverilog: not found on PATH; install it with ..." (no hint for programs moehls built).
    static func notFoundMessage(_ tool: String) -> String {
        if let known = ExternalTool(rawValue: tool) { return "\(tool): not found on PATH; \(known.installHint)" }
        return "\(tool): not found"
    }
}
