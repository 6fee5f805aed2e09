import Foundation
import MoehlsKit
import Testing

/// Builds, caches and runs the ap_fixed oracle (Fixtures/apfixed/*.cpp compiled against the real
/// Xilinx headers in third_party/ap_types), and reads the records it writes.
///
/// The compiled oracle is cached in `<repo>/.build-oracle/apfixed/`, keyed by a hash of the oracle
/// sources, the headers and the compiler flags, so only the first run pays the compile (about
/// 25 s on two cores).
/// The run happens once per test process and is shared by all oracle tests.
enum APFixedOracle {
    /// Cases per operation and mode combination (see oracle_main.cpp). Override with the
    /// environment variable MOEHLS_APFIXED_CASES for a longer soak.
    static let casesPerOperation: Int = {
        ProcessInfo.processInfo.environment["MOEHLS_APFIXED_CASES"].flatMap { Int($0) } ?? 100_000
    }()

    static let compilerFlags = ["-std=c++14", "-O1", "-w"]


    static var sourceDirectory: URL {
        repositoryRoot.appendingPathComponent("Tests/MoehlsKitTests/Fixtures/apfixed")
    }
    static var headerDirectory: URL { repositoryRoot.appendingPathComponent("third_party/ap_types") }

    /// The records of one oracle run (shared by every test in the process).
    static func records(sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> OracleRecords {
        try await cache.records(sourceLocation: sourceLocation)
    }

    private static let cache = Cache()

    private actor Cache {
        var task: Task<OracleRecords, any Error>?

        func records(sourceLocation: Testing.SourceLocation) async throws -> OracleRecords {
            if task == nil {
                // The compiler is required here, in the caller's test, so a missing g++ fails it.
                let gxx = try ExternalTool.gxx.require(sourceLocation: sourceLocation)
                task = Task { try await APFixedOracle.run(gxx: gxx) }
            }
            return try await task!.value
        }
    }

    private static func run(gxx: URL) async throws -> OracleRecords {
        try await fetchHeadersIfMissing()
        let binary = try await compiledOracle(gxx: gxx)
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("apfixed-oracle-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: output) }
        let run = try await ExternalTool.run(binary, [output.path, String(casesPerOperation)])
        guard run.succeeded else {
            throw OracleError("apfixed_oracle failed (status \(run.status)):\n\(run.standardError)")
        }
        let records = try OracleRecords(data: Data(contentsOf: output))
        let claimed = run.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        guard claimed == String(records.sections.reduce(0) { $0 + $1.count }) else {
            throw OracleError("apfixed_oracle wrote \(claimed) records, read back a different count")
        }
        return records
    }

    /// Runs scripts/fetch-ap-types.sh when the headers are not there yet.
    private static func fetchHeadersIfMissing() async throws {
        let marker = headerDirectory.appendingPathComponent("ap_fixed.h")
        if FileManager.default.fileExists(atPath: marker.path) { return }
        let script = repositoryRoot.appendingPathComponent("scripts/fetch-ap-types.sh")
        let run = try await ExternalTool.run(URL(fileURLWithPath: "/bin/bash"), [script.path])
        guard run.succeeded, FileManager.default.fileExists(atPath: marker.path) else {
            throw OracleError("scripts/fetch-ap-types.sh could not fetch the ap_types headers:\n\(run.standardError)")
        }
    }

    /// The oracle executable, compiled unless already cached. Each translation unit's object is
    /// cached too (keyed by the unit, the shared headers and the flags), and missing objects are
    /// compiled in parallel, one per core.
    private static func compiledOracle(gxx: URL) async throws -> URL {
        let sources = try sortedFiles(in: sourceDirectory).filter { ["cpp", "h"].contains($0.pathExtension) }
        var common = FNV1a()  // everything every unit includes
        common.add(compilerFlags.joined(separator: " "))
        for file in try sortedFiles(in: headerDirectory) + sources.filter({ $0.pathExtension == "h" }) {
            common.add(file.lastPathComponent)
            common.add(try Data(contentsOf: file))
        }
        let cache = repositoryRoot.appendingPathComponent(".build-oracle/apfixed")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        var units: [(source: URL, object: URL, size: Int)] = []
        var whole = common
        for unit in sources where unit.pathExtension == "cpp" {
            var key = common
            let text = try Data(contentsOf: unit)
            key.add(text)
            whole.add(key.hex)
            let name = unit.deletingPathExtension().lastPathComponent
            units.append((unit, cache.appendingPathComponent("\(name)-\(key.hex).o"), text.count))
        }
        let binary = cache.appendingPathComponent("apfixed_oracle-\(whole.hex)")
        if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }

        // Largest units first, so the lanes finish together.
        let missing = units.filter { !FileManager.default.fileExists(atPath: $0.object.path) }
            .sorted { $0.size > $1.size }
        let include = ["-I", headerDirectory.path, "-I", sourceDirectory.path]
        let lanes = max(1, ProcessInfo.processInfo.activeProcessorCount)
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = missing[...]
            func startNext() {
                guard let unit = pending.popFirst() else { return }
                group.addTask {
                    let scratch = unit.object.appendingPathExtension("tmp-\(UUID().uuidString)")
                    let run = try await ExternalTool.run(
                        gxx, compilerFlags + include + ["-c", unit.source.path, "-o", scratch.path])
                    guard run.succeeded else {
                        throw OracleError("g++ failed on \(unit.source.lastPathComponent):\n\(run.standardError)")
                    }
                    try publish(scratch, as: unit.object)
                }
            }
            for _ in 0..<lanes { startNext() }
            while try await group.next() != nil { startNext() }
        }
        let linked = binary.appendingPathExtension("tmp-\(UUID().uuidString)")
        let link = try await ExternalTool.run(gxx, units.map(\.object.path) + ["-o", linked.path])
        guard link.succeeded else { throw OracleError("linking the oracle failed:\n\(link.standardError)") }
        try publish(linked, as: binary)
        // Drop what earlier versions of the sources left behind.
        let current = Set(units.map(\.object.lastPathComponent) + [binary.lastPathComponent])
        for stale in (try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []
        where !current.contains(stale) && !stale.contains(".tmp-") {
            try? FileManager.default.removeItem(at: cache.appendingPathComponent(stale))
        }
        return binary
    }

    /// Renames `file` to `destination` atomically (a concurrent run may have won the race).
    private static func publish(_ file: URL, as destination: URL) throws {
        if rename(file.path, destination.path) != 0 {
            try? FileManager.default.removeItem(at: file)
            guard FileManager.default.fileExists(atPath: destination.path) else {
                throw OracleError("cannot create \(destination.path)")
            }
        }
    }

    private static func sortedFiles(in directory: URL) throws -> [URL] {
        guard let walker = FileManager.default.enumerator(
            at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw OracleError("cannot list \(directory.path)")
        }
        return walker.compactMap { $0 as? URL }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .sorted { $0.path < $1.path }
    }
}

struct OracleError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// 64-bit FNV-1a, for cache keys.
struct FNV1a {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325
    mutating func add(_ data: Data) {
        for byte in data { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    }
    mutating func add(_ text: String) { add(Data(text.utf8)) }
    var hex: String { String(value, radix: 16) }
}

/// What the oracle computed: sections of fixed-size little-endian records (oracle_common.h).
struct OracleRecords: Sendable {
    /// What a section's records are.
    enum Kind: UInt32, Sendable {
        case convert = 1, fromDouble, toDouble, multiply, add, subtract, negate, compare
    }

    /// A run of records of one kind and one set of formats.
    struct Section: Sendable {
        var kind: Kind
        var wordsPerRecord: Int
        var count: Int
        /// First operand / source format (nil when unused).
        var a: FixedFormat?
        /// Second operand format (nil when unused).
        var b: FixedFormat?
        /// Result / target format (nil when unused).
        var result: FixedFormat?
        /// Byte offset of the first record in `OracleRecords.data`.
        var offset: Int

        var title: String {
            switch kind {
            case .convert: return "convert \(a!) -> \(result!)"
            case .fromDouble: return "double -> \(result!)"
            case .toDouble: return "to_double \(a!)"
            case .multiply: return "\(a!) * \(b!)"
            case .add: return "\(a!) + \(b!)"
            case .subtract: return "\(a!) - \(b!)"
            case .negate: return "-\(a!)"
            case .compare: return "compare \(a!) with \(b!)"
            }
        }
    }

    let data: Data
    let sections: [Section]

    init(data: Data) throws {
        self.data = data
        guard data.count >= 8, String(decoding: data.prefix(8), as: UTF8.self) == "APFXORC1" else {
            throw OracleError("oracle output has no APFXORC1 header")
        }
        var sections: [Section] = []
        try data.withUnsafeBytes { bytes in
            var offset = 8
            func u32() -> UInt32 { defer { offset += 4 }; return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
            func i32() -> Int { Int(Int32(bitPattern: u32())) }
            func format() throws -> FixedFormat? {
                let (w, i, s, q, o) = (i32(), i32(), i32(), i32(), i32())
                if w == 0 { return nil }
                guard QuantizationMode.allCases.indices.contains(q), OverflowMode.allCases.indices.contains(o) else {
                    throw OracleError("oracle output has an unknown mode code \(q)/\(o)")
                }
                return FixedFormat(width: w, integerBits: i, isSigned: s != 0,
                                   quantization: QuantizationMode.allCases[q], overflow: OverflowMode.allCases[o])
            }
            while offset < bytes.count {
                guard offset + 76 <= bytes.count, let kind = Kind(rawValue: u32()) else {
                    throw OracleError("oracle output has a bad section header at byte \(offset)")
                }
                let words = Int(u32())
                let count = Int(u32()) | Int(u32()) << 32
                let (a, b, result) = (try format(), try format(), try format())
                let section = Section(kind: kind, wordsPerRecord: words, count: count, a: a, b: b,
                                      result: result, offset: offset)
                offset += count * words * 8
                guard offset <= bytes.count else { throw OracleError("oracle output is truncated") }
                sections.append(section)
            }
        }
        self.sections = sections
    }

    /// Calls `body(index, words)` for every record of `section`; collects the first mismatch
    /// description `body` returns and counts them all.
    func check(_ section: Section, _ body: (Int, UnsafeRawBufferPointer) -> String?) -> SectionResult {
        var result = SectionResult(title: section.title, cases: section.count)
        data.withUnsafeBytes { bytes in
            let size = section.wordsPerRecord * 8
            for index in 0..<section.count {
                let start = section.offset + index * size
                let record = UnsafeRawBufferPointer(rebasing: bytes[start..<start + size])
                if let mismatch = body(index, record) {
                    result.mismatches += 1
                    if result.firstMismatch == nil { result.firstMismatch = "case \(index): \(mismatch)" }
                }
            }
        }
        return result
    }
}

/// The outcome of checking one section.
struct SectionResult: Sendable, CustomStringConvertible {
    var title: String
    var cases: Int
    var mismatches = 0
    var firstMismatch: String?

    var description: String {
        "\(title): \(mismatches) of \(cases) cases differ; first: \(firstMismatch ?? "-")"
    }
}

extension UnsafeRawBufferPointer {
    /// The little-endian 64-bit word at `index`.
    func word(_ index: Int) -> UInt64 { UInt64(littleEndian: loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)) }
}

extension FixedFormat {
    /// The raw value of a bit pattern of this format (sign-extended when signed).
    func raw(fromPattern low: UInt64, _ high: UInt64 = 0) -> Int128 {
        let pattern = UInt128(high) << 64 | UInt128(low)
        let unused = 128 - width
        return isSigned ? Int128(bitPattern: pattern << unused) >> unused : Int128(bitPattern: pattern & (UInt128.max >> unused))
    }
}

extension Fixed {
    /// Debug text: raw value in hex and the value.
    var oracleText: String {
        "raw \(raw < 0 ? "-" : "")0x\(String(raw.magnitude, radix: 16)) (\(toDouble())) \(format)"
    }
}
