import Foundation

/// Runs `ToolJob`s. `ToolRunner` is the one type in moehls that starts processes; anything that
/// runs a tool takes a `ToolExecutor`, so a test can record or replace what runs.
public protocol ToolExecutor: Sendable {
    func run(_ job: ToolJob) -> ToolRun
}

extension ToolExecutor {
    /// Runs `jobs`, `parallel` at a time; results in input order.
    public func runAll(_ jobs: [ToolJob], parallel: Int = 2) -> [ToolRun] {
        concurrentMap(jobs, workers: parallel) { run($0) }
    }
}

/// The executor: output through temporary files (a chatty program cannot block on a full pipe),
/// standard input closed, timeouts enforced (SIGTERM, then SIGKILL five seconds later), deaths
/// by signal reported as such, and the stack a job asks for (`stackKiB`) granted to that child
/// alone, up to the hard limit (`ToolRun.stackKiB` records what it got).
public struct ToolRunner: ToolExecutor {
    public init() {}

    /// This process's stack limits in KiB (nil: unlimited). Read only: moehls never changes its
    /// own limits, so no later child inherits a job's stack.
    static func stackLimitsKiB() -> (soft: Int?, hard: Int?) {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = Int32(RLIMIT_STACK.rawValue)
        #else
        let resource = RLIMIT_STACK
        #endif
        guard getrlimit(resource, &limit) == 0 else { return (nil, nil) }
        let infinity = rlim_t.max   // RLIM_INFINITY (Glibc imports it as -1)
        func kib(_ value: rlim_t) -> Int? { value == infinity ? nil : Int(clamping: value / 1024) }
        return (kib(limit.rlim_cur), kib(limit.rlim_max))
    }

    /// The stack a job asking for `wanted` KiB gets: at least the current soft limit, at most the
    /// hard limit (nil: unlimited).
    static func grantedStackKiB(_ wanted: Int, limits: (soft: Int?, hard: Int?)) -> Int? {
        guard let soft = limits.soft else { return nil }
        let asked = max(soft, wanted)
        guard let hard = limits.hard else { return asked }
        return min(asked, hard)
    }

    /// The program and arguments that run `executable` with a soft stack limit of `kib`: through
    /// `/bin/sh -c 'ulimit -s N; exec ...'`, so only that child's limit changes (Foundation's
    /// `Process` has no per-child setting).
    static func withStack(_ kib: Int, _ executable: URL, _ arguments: [String]) -> (URL, [String]) {
        (URL(fileURLWithPath: "/bin/sh"),
         ["-c", "ulimit -s \"$0\" || exit 126; exec \"$@\"", String(kib), executable.path] + arguments)
    }

    public func run(_ job: ToolJob) -> ToolRun {
        let clock = ContinuousClock()
        let start = clock.now
        var result = ToolRun(job: job, status: 127, signal: nil, timedOut: false, standardOutput: "", standardError: "",
                             seconds: 0)
        guard let executable = ToolLocator.find(job.tool, relativeTo: job.workingDirectory) else {
            result.standardError = ToolLocator.notFoundMessage(job.tool)
            return result
        }
        var program = (executable, job.arguments)
        let limits = Self.stackLimitsKiB()
        result.stackKiB = limits.soft
        if let wanted = job.stackKiB, wanted > 0 {
            let granted = Self.grantedStackKiB(wanted, limits: limits)
            result.stackKiB = granted
            if let granted, granted != limits.soft { program = Self.withStack(granted, executable, job.arguments) }
        }
        let fm = FileManager.default
        let scratch = fm.temporaryDirectory.appendingPathComponent("moehls-job-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out"), err = scratch.appendingPathComponent("err")
        do {
            try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
            _ = fm.createFile(atPath: out.path, contents: nil)
            _ = fm.createFile(atPath: err.path, contents: nil)
            let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
            defer { try? outHandle.close(); try? errHandle.close() }
            let process = Process()
            process.executableURL = program.0
            process.arguments = program.1
            if let directory = job.workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
            if !job.environment.isEmpty {
                process.environment = ProcessInfo.processInfo.environment.merging(job.environment) { $1 }
            }
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = outHandle
            process.standardError = errHandle
            let finished = DispatchSemaphore(value: 0)
            process.terminationHandler = { _ in finished.signal() }
            try process.run()
            if let limit = job.timeoutSeconds {
                if finished.wait(timeout: .now() + limit) == .timedOut {
                    result.timedOut = true
                    process.terminate()
                    if finished.wait(timeout: .now() + 5) == .timedOut {
                        kill(process.processIdentifier, SIGKILL)
                        finished.wait()
                    }
                }
            } else {
                finished.wait()
            }
            result.status = process.terminationStatus
            if process.terminationReason == .uncaughtSignal { result.signal = process.terminationStatus }
        } catch {
            result.standardError = "\(job.tool): cannot start: \(error)"
        }
        let read = { (url: URL) in (try? Data(contentsOf: url)).map { String(decoding: $0, as: UTF8.self) } ?? "" }
        result.standardOutput += read(out)
        result.standardError = read(err) + result.standardError
        let d = clock.now - start
        result.seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        return result
    }
}

/// An executor that records every job before handing it to another (tests compare the record
/// with `--dry-run`).
public final class RecordingToolExecutor: ToolExecutor, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [ToolJob] = []
    public let base: any ToolExecutor

    public init(_ base: any ToolExecutor = ToolRunner()) { self.base = base }

    public var jobs: [ToolJob] { lock.lock(); defer { lock.unlock() }; return recorded }

    public func run(_ job: ToolJob) -> ToolRun {
        lock.lock()
        recorded.append(job)
        lock.unlock()
        return base.run(job)
    }
}
