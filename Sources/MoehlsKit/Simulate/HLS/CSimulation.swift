import Foundation

/// C simulation without vendor tools: compiles a generated project's `hls/src` and `hls/tb` with
/// g++ (C++14) against the Xilinx ap_types headers and runs the testbench, which compares every
/// stage output with the golden model's bit for bit.
///
/// The headers are found in `Options.apTypes`, else `$MOEHLS_AP_TYPES`, else
/// `third_party/ap_types` in the project folder or one of its parents or the current
/// directory's; when missing, `scripts/fetch-ap-types.sh` (found the same way) fetches them if
/// `fetchHeaders` is set. The two translation units (top, testbench) compile in parallel in a
/// scratch folder. Every program runs as a `ToolJob` (`jobs(project:scratch:options:)`).
public enum CSimulation {
    public struct Options: Sendable {
        /// The C++ compiler (a name on PATH or a path).
        public var compiler: String = "g++"
        /// Optimisation and warning flags (always with -std=c++14). The two g++ quirks of HLS
        /// code are switched off here, and only these:
        /// - `-Wno-unknown-pragmas`: g++ does not know `#pragma HLS` and warns about every one;
        ///   GCC before 13 cannot silence that from inside a source (GCC bug 53431).
        /// - `-Wno-unused-label`: loop labels name the loops in Vitis HLS reports (csynth.xml),
        ///   and nothing jumps to them.
        public var flags: [String] = ["-O2", "-Wall", "-Wno-unknown-pragmas", "-Wno-unused-label"]
        /// Folder holding ap_fixed.h (nil: search, see `CSimulation`).
        public var apTypes: URL?
        /// Run scripts/fetch-ap-types.sh when the headers are not found.
        public var fetchHeaders = true

        public init() {}
    }

    /// The first value that differs: stage, flat index, row and column, raw integers.
    public struct Mismatch: Hashable, Sendable, CustomStringConvertible {
        public var stage: String
        public var index: Int
        public var row: Int
        public var column: Int
        public var expected: Int64
        public var got: Int64
        public var description: String {
            "\(stage)[\(row), \(column)] (index \(index)): expected raw \(expected), got \(got)"
        }
    }

    /// A compiler warning or error with its location.
    public struct CompilerMessage: Hashable, Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var column: Int
        public var severity: String
        public var message: String
        public var description: String { "\(file):\(line):\(column): \(severity): \(message)" }
    }

    public struct Result: Sendable {
        public var passed: Bool
        public var mismatch: Mismatch?
        /// Stages the testbench compared (in order) before passing or failing.
        public var stagesMatched: [String]
        /// Warnings whose location is a file of the project (not the ap_types headers).
        public var warnings: [CompilerMessage]
        public var compileSeconds: Double
        /// The testbench's run, and the top function's share of it (as the testbench measured).
        public var runSeconds: Double
        public var topSeconds: Double?
        /// The testbench's output.
        public var output: String
    }

    /// What went wrong before the testbench could report (no headers, compile error, crash).
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var message: String
        public var description: String { message }
    }

    /// The jobs of a C simulation, in order: fetching the headers when they are missing, the
    /// two translation units (run in parallel), the link, the testbench run.
    public struct Jobs: Codable, Hashable, Sendable {
        /// The ap_types folder the compilations use.
        public var headers: String
        public var fetch: ToolJob?
        public var compile: [ToolJob]
        public var link: ToolJob
        public var run: ToolJob

        public var all: [ToolJob] { (fetch.map { [$0] } ?? []) + compile + [link, run] }
    }

    /// The jobs for the project in `project` with intermediate files in `scratch`.
    public static func jobs(project: URL, scratch: URL, options: Options = Options()) throws(Failure) -> Jobs {
        let (headers, fetch) = try planHeaders(project: project, options: options)
        let hls = project.appendingPathComponent("hls")
        let common = ["-std=c++14"] + options.flags + ["-isystem", headers.path,
                                                       "-I", hls.appendingPathComponent("include").path,
                                                       "-I", hls.appendingPathComponent("src").path,
                                                       "-I", hls.appendingPathComponent("tb").path]
        let units = [("src/moehls_top.cpp", "top.o"), ("tb/moehls_tb.cpp", "tb.o")]
        let objects = units.map { scratch.appendingPathComponent($0.1).path }
        let compile = zip(units, objects).map { unit, object in
            ToolJob(options.compiler, common + ["-c", hls.appendingPathComponent(unit.0).path, "-o", object],
                    inputs: [hls.appendingPathComponent(unit.0).path], outputs: [object])
        }
        let binary = scratch.appendingPathComponent("moehls_tb").path
        let data = hls.appendingPathComponent("tb/data").path, weights = project.appendingPathComponent("weights/weights.bin").path
        return Jobs(headers: headers.path, fetch: fetch, compile: compile,
                    link: ToolJob(options.compiler, objects + ["-o", binary], inputs: objects, outputs: [binary]),
                    run: ToolJob(binary, [data, weights], inputs: [data, weights]))
    }

    /// Compiles and runs the C simulation of the project in `project` (the folder holding `hls/`
    /// and `weights/`): exactly `jobs(project:scratch:options:)`, intermediate files in
    /// `scratch` (a temporary folder, removed afterwards, when nil).
    public static func run(project: URL, options: Options = Options(), scratch: URL? = nil,
                           executor: any ToolExecutor = ToolRunner()) throws(Failure) -> Result {
        let folder = scratch ?? FileManager.default.temporaryDirectory.appendingPathComponent("moehls-csim-\(UUID().uuidString)")
        let plan = try jobs(project: project, scratch: folder, options: options)
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw Failure(message: "cannot create \(folder.path): \(error)")
        }
        defer { if scratch == nil { try? FileManager.default.removeItem(at: folder) } }
        if let fetch = plan.fetch {
            let run = executor.run(fetch)
            guard run.succeeded else {
                throw Failure(message: "scripts/fetch-ap-types.sh could not fetch the ap_types headers:\n\(run.standardError)")
            }
        }
        let clock = ContinuousClock()
        let compileStart = clock.now
        let results = executor.runAll(plan.compile)
        var messages: [CompilerMessage] = []
        for result in results { messages += parseMessages(result.standardError) }
        if let failed = results.first(where: { !$0.succeeded }) {
            throw Failure(message: "C simulation: compilation failed:\n\(failed.failure ?? "")\n\(failed.standardError)")
        }
        let link = executor.run(plan.link)
        if !link.succeeded { throw Failure(message: "C simulation: linking failed:\n\(link.standardError)") }
        let compileSeconds = seconds(clock.now - compileStart)

        let run = executor.run(plan.run)
        let projectPath = project.standardizedFileURL.path
        var result = Result(passed: false, mismatch: nil, stagesMatched: [],
                            warnings: messages.filter { $0.severity == "warning" && isProjectFile($0.file, projectPath: projectPath) },
                            compileSeconds: compileSeconds, runSeconds: run.seconds, topSeconds: nil, output: run.standardOutput)
        parseOutput(run.standardOutput, into: &result)
        if !result.passed && result.mismatch == nil {
            throw Failure(message: "C simulation: the testbench stopped without a verdict (\(run.failure ?? "exit 0")):\n"
                          + run.standardOutput + run.standardError)
        }
        return result
    }

    // MARK: Headers

    /// The ap_types folder for `project` (see `CSimulation`) and, when it is missing and
    /// fetching is allowed, the job that fetches it there.
    static func planHeaders(project: URL, options: Options) throws(Failure) -> (URL, ToolJob?) {
        func valid(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.appendingPathComponent("ap_fixed.h").path) }
        if let explicit = options.apTypes {
            guard valid(explicit) else { throw Failure(message: "no ap_fixed.h in \(explicit.path)") }
            return (explicit, nil)
        }
        if let variable = ProcessInfo.processInfo.environment["MOEHLS_AP_TYPES"], !variable.isEmpty {
            let url = URL(fileURLWithPath: variable)
            guard valid(url) else { throw Failure(message: "MOEHLS_AP_TYPES=\(variable) holds no ap_fixed.h") }
            return (url, nil)
        }
        let starts = [project, URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        let roots = starts.flatMap(ancestors)
        if let found = roots.map({ $0.appendingPathComponent("third_party/ap_types") }).first(where: valid) { return (found, nil) }
        let script = roots.map { $0.appendingPathComponent("scripts/fetch-ap-types.sh") }
            .first { FileManager.default.fileExists(atPath: $0.path) }
        guard options.fetchHeaders, let script else {
            throw Failure(message: "the ap_types headers were not found: run scripts/fetch-ap-types.sh in the moehls "
                          + "repository, set MOEHLS_AP_TYPES, or pass the folder holding ap_fixed.h")
        }
        let fetched = script.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("third_party/ap_types")
        return (fetched, ToolJob("bash", [script.path], outputs: [fetched.path]))
    }

    /// The ap_types folder for `project`, fetched now if it is missing and fetching is allowed.
    static func locateHeaders(project: URL, options: Options, executor: any ToolExecutor = ToolRunner()) throws(Failure) -> URL {
        let (headers, fetch) = try planHeaders(project: project, options: options)
        if let fetch {
            let run = executor.run(fetch)
            guard run.succeeded, FileManager.default.fileExists(atPath: headers.appendingPathComponent("ap_fixed.h").path) else {
                throw Failure(message: "scripts/fetch-ap-types.sh could not fetch the ap_types headers:\n\(run.standardError)")
            }
        }
        return headers
    }

    /// `url` and its parent folders up to the file-system root.
    static func ancestors(_ url: URL) -> [URL] {
        var list: [URL] = []
        var current = url.standardizedFileURL
        while true {
            list.append(current)
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path || list.count > 64 { return list }
            current = parent
        }
    }

    // MARK: Parsing

    /// `file:line:col: warning|error: message` lines of g++ output (the column is missing for
    /// some, e.g. pragma warnings: `file:line: warning: ...`, column 0).
    public static func parseMessages(_ text: String) -> [CompilerMessage] {
        text.split(separator: "\n").compactMap { line in
            for severity in ["warning", "error"] {
                guard let marker = line.range(of: ": \(severity): ") else { continue }
                var location = line[..<marker.lowerBound].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                var numbers: [Int] = []
                while numbers.count < 2, let last = location.last, let number = Int(last) {
                    numbers.insert(number, at: 0)
                    location.removeLast()
                }
                guard !numbers.isEmpty, !location.isEmpty else { continue }
                return CompilerMessage(file: location.joined(separator: ":"), line: numbers[0],
                                       column: numbers.count > 1 ? numbers[1] : 0,
                                       severity: severity, message: String(line[marker.upperBound...]))
            }
            return nil
        }
    }

    /// Whether a compiler message's file is one of the project's (not a system or ap_types header).
    static func isProjectFile(_ file: String, projectPath: String) -> Bool {
        URL(fileURLWithPath: file).standardizedFileURL.path.hasPrefix(projectPath + "/")
    }

    /// Reads the testbench's STAGE / TIME / MISMATCH / PASS lines.
    static func parseOutput(_ text: String, into result: inout Result) {
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard let first = words.first else { continue }
            switch first {
            case "STAGE" where words.count > 1: result.stagesMatched.append(String(words[1]))
            case "TIME" where words.count > 2: result.topSeconds = Double(words[2])
            case "PASS": result.passed = true
            case "MISMATCH":
                var fields: [String: String] = [:]
                for word in words.dropFirst() {
                    let pair = word.split(separator: "=", maxSplits: 1)
                    if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
                }
                result.mismatch = Mismatch(stage: fields["stage"] ?? "?", index: Int(fields["index"] ?? "") ?? -1,
                                           row: Int(fields["row"] ?? "") ?? -1, column: Int(fields["column"] ?? "") ?? -1,
                                           expected: Int64(fields["expected"] ?? "") ?? 0, got: Int64(fields["got"] ?? "") ?? 0)
            default: break
            }
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
