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
/// by signal reported as such, and the stack a job asks for (`stackKiB`) granted.
public struct ToolRunner: ToolExecutor {
    public init() {}

    private static let limitLock = NSLock()

    /// Raises this process's soft stack limit to `kib` (at most the hard limit; never lowers it):
    /// a child inherits the limit at exec, and Foundation's `Process` has no per-child setting.
    /// Returns the limit the child gets, in KiB.
    @discardableResult
    static func raiseStackLimit(toKiB kib: Int) -> Int {
        limitLock.lock()
        defer { limitLock.unlock() }
        let infinity = rlim_t.max   // RLIM_INFINITY
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_STACK.rawValue), &limit) == 0 else { return 0 }
        let wanted = rlim_t(kib) * 1024
        let target = limit.rlim_max == infinity ? wanted : min(wanted, limit.rlim_max)
        if limit.rlim_cur != infinity && limit.rlim_cur < target {
            limit.rlim_cur = target
            _ = setrlimit(Int32(RLIMIT_STACK.rawValue), &limit)
        }
        return limit.rlim_cur == infinity ? Int.max : Int(limit.rlim_cur / 1024)
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
        if let kib = job.stackKiB { Self.raiseStackLimit(toKiB: kib) }
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
            process.executableURL = executable
            process.arguments = job.arguments
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
