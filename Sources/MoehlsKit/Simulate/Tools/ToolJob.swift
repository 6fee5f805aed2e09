import Foundation

/// One run of an external program, as data: what `moehls verify --dry-run` prints and what the
/// executor (`ToolRunner`) runs are the same values (docs/architecture.md, "Tool jobs").
///
/// `tool` is a name looked up on PATH when the job runs (`iverilog`, `g++`) or a path (a compiled
/// testbench). Paths in `arguments` are as the job's builder wrote them: absolute, or relative to
/// `workingDirectory`.
public struct ToolJob: Codable, Hashable, Sendable, CustomStringConvertible {
    public var tool: String
    public var arguments: [String]
    /// The folder the program runs in (nil: the current directory).
    public var workingDirectory: String?
    /// Files the job reads and writes (documentation for readers of `--dry-run --json`; the
    /// executor does not check them).
    public var inputs: [String]
    public var outputs: [String]
    /// Wall-clock limit; the program is terminated when it is exceeded (nil: none).
    public var timeoutSeconds: Double?
    /// The stack the program needs, in KiB (`ulimit -s`, set for this program only and capped at
    /// the hard limit; nil: whatever the system gives, usually 8 MiB). Verilator models of wide-beat kernels keep their wide signals on the stack.
    public var stackKiB: Int?
    /// Variables set for the program on top of moehls's own environment (`COLUMNS=80`).
    public var environment: [String: String]

    public init(_ tool: String, _ arguments: [String], in workingDirectory: String? = nil,
                inputs: [String] = [], outputs: [String] = [], timeoutSeconds: Double? = nil, stackKiB: Int? = nil,
                environment: [String: String] = [:]) {
        self.tool = tool
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.inputs = inputs
        self.outputs = outputs
        self.timeoutSeconds = timeoutSeconds
        self.stackKiB = stackKiB
        self.environment = environment
    }

    /// The program and its arguments as one shell line (arguments quoted where a shell needs it),
    /// after the variables it sets.
    public var commandLine: String {
        let variables = environment.keys.sorted().map { "\($0)=" + Self.shellQuoted(environment[$0]!) }
        return (variables + ([tool] + arguments).map(Self.shellQuoted)).joined(separator: " ")
    }

    /// `cd DIR && ulimit -s N && command`, as a user would type it.
    public var description: String {
        let stack = stackKiB.map { "ulimit -s \($0) && " } ?? ""
        guard let workingDirectory else { return stack + commandLine }
        return "cd \(Self.shellQuoted(workingDirectory)) && " + stack + commandLine
    }

    /// `word` quoted for a POSIX shell when it holds anything but safe characters.
    public static func shellQuoted(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=+:,@%")
        if !word.isEmpty && word.allSatisfy({ safe.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// What one `ToolJob` did.
public struct ToolRun: Hashable, Sendable {
    public var job: ToolJob
    /// Exit status (the signal number when `signal` is set; 127 when the program did not start).
    public var status: Int32
    /// The signal that killed the program, if one did.
    public var signal: Int32?
    public var timedOut: Bool
    public var standardOutput: String
    public var standardError: String
    public var seconds: Double
    /// The soft stack limit the program ran with, in KiB (nil: unlimited, or not started).
    public var stackKiB: Int?

    public var succeeded: Bool { status == 0 && signal == nil && !timedOut }

    /// Both streams, standard output first.
    public var output: String { standardOutput + standardError }

    /// Why the run failed, in one line (`iverilog: exit 2: ...`, `sim: killed by SIGSEGV ...`).
    public var failure: String? {
        if succeeded { return nil }
        let name = URL(fileURLWithPath: job.tool).lastPathComponent
        if timedOut { return "\(name): timed out after \(Format.fixed(job.timeoutSeconds ?? 0, 0)) s" }
        if let signal {
            let stack = stackKiB.map { $0 >= 1024 ? "\($0 / 1024) MiB" : "\($0) KiB" } ?? "an unlimited"
            let hint = signal == SIGSEGV ? " (likely a stack overflow: it ran with \(stack) stack; or a crash)" : ""
            return "\(name): killed by \(Self.signalName(signal))\(hint)"
        }
        let first = (standardError.isEmpty ? standardOutput : standardError)
            .split(separator: "\n").first.map { ": " + $0 } ?? ""
        return "\(name): exit \(status)\(first)"
    }

    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGKILL: "SIGKILL", SIGTERM: "SIGTERM",
                                      SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGILL: "SIGILL", SIGINT: "SIGINT"]
        return names[signal] ?? "signal \(signal)"
    }
}
