import Foundation
import Testing
@testable import MoehlsKit

/// Never lose a user's files: the overwrite-safety cases of `ProjectWriter`.
@Suite(.tags(.unit))
struct ProjectWriterTests {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: root.appendingPathComponent(path).path).map { String(decoding: $0, as: UTF8.self) }
    }

    var project: String { root.appendingPathComponent("proj").path }

    let first = [RenderedFile(path: "hls/src/a.h", text: "a1"), RenderedFile(path: "README.md", text: "r1"),
                 RenderedFile(path: "old.txt", text: "old")]
    let second = [RenderedFile(path: "hls/src/a.h", text: "a2"), RenderedFile(path: "README.md", text: "r1")]

    @Test func freshFolderThenRegenerationReplacesOnlyOurFiles() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let one = try ProjectWriter.write(first, to: project, force: false)
        #expect(one.written == 3 && read("proj/hls/src/a.h") == "a1")
        let two = try ProjectWriter.write(second, to: project, force: false)
        #expect(two.written == 1 && two.unchanged == 1 && two.removed == ["old.txt"])
        #expect(read("proj/hls/src/a.h") == "a2" && read("proj/old.txt") == nil)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(".proj.moehls-staging").path))
    }

    @Test func folderWithForeignFilesIsRefusedUnlessForced() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
        try "mine".write(toFile: project + "/notes.txt", atomically: true, encoding: .utf8)
        let error = #expect(throws: DiagnosticError.self) { try ProjectWriter.write(first, to: project, force: false) }
        #expect(error?.diagnostics.first?.message.contains("moehls did not write (first: notes.txt)") == true)
        #expect(read("proj/hls/src/a.h") == nil && read("proj/notes.txt") == "mine")
        let forced = try ProjectWriter.write(first, to: project, force: true)
        #expect(forced.keptUserFiles == ["notes.txt"] && read("proj/notes.txt") == "mine" && read("proj/README.md") == "r1")
        // Regenerating later keeps the user's file and still needs --force (it is still foreign).
        #expect(throws: DiagnosticError.self) { try ProjectWriter.write(second, to: project, force: false) }
        try ProjectWriter.write(second, to: project, force: true)
        #expect(read("proj/notes.txt") == "mine" && read("proj/old.txt") == nil && read("proj/hls/src/a.h") == "a2")
    }

    @Test func editedGeneratedFileIsNotOverwritten() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try ProjectWriter.write(first, to: project, force: false)
        try "my tweak".write(toFile: project + "/hls/src/a.h", atomically: true, encoding: .utf8)
        let error = #expect(throws: DiagnosticError.self) { try ProjectWriter.write(second, to: project, force: false) }
        #expect(error?.diagnostics.first?.message.contains("edited since moehls wrote them (first: hls/src/a.h)") == true)
        #expect(read("proj/hls/src/a.h") == "my tweak" && read("proj/old.txt") == "old")
    }

    @Test func failedRunLeavesThePreviousOutput() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try ProjectWriter.write(first, to: project, force: false)
        // A path that cannot be created (a file where a folder must go) fails while staging.
        let bad = [RenderedFile(path: "x", text: "file"), RenderedFile(path: "x/y", text: "under a file")]
        #expect(throws: DiagnosticError.self) { try ProjectWriter.write(bad, to: project, force: false) }
        #expect(read("proj/hls/src/a.h") == "a1" && read("proj/old.txt") == "old" && read("proj/x") == nil)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(".proj.moehls-staging").path))
    }

    @Test(arguments: ["/abs", "../up", "a//b", "", "moehls-manifest.json"])
    func unsafePathsAreRejected(_ path: String) {
        #expect(throws: DiagnosticError.self) { try ProjectWriter.write([RenderedFile(path: path, text: "x")], to: project, force: false) }
    }

    /// Rewrites the project's manifest so that it lists `path` too (as a hostile or damaged file could).
    func listInManifest(_ path: String) throws {
        let url = URL(fileURLWithPath: project).appendingPathComponent(ProjectWriter.manifestName)
        var manifest = try JSONDecoder().decode(ProjectWriter.Manifest.self, from: Data(contentsOf: url))
        manifest.files.append(.init(path: path, bytes: 8, fnv1a64: ProjectWriter.hash(Array("precious".utf8))))
        try ProjectWriter.encode(manifest).write(to: url)
    }

    @Test(arguments: ["../precious.txt", "/tmp/moehls-precious-abs.txt", "hls/../../precious.txt", "./old.txt"])
    func manifestNamingAPathOutsideIsRefused(_ hostile: String) throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try ProjectWriter.write(first, to: project, force: false)
        try "precious".write(to: root.appendingPathComponent("precious.txt"), atomically: true, encoding: .utf8)
        try listInManifest(hostile)
        let error = #expect(throws: DiagnosticError.self) { try ProjectWriter.write(second, to: project, force: false) }
        #expect(error?.diagnostics.first?.message.contains("not a path inside the folder") == true)
        #expect(error?.diagnostics.first?.file?.hasSuffix("moehls-manifest.json") == true)
        #expect(read("precious.txt") == "precious" && read("proj/hls/src/a.h") == "a1")
        // --force ignores the manifest: every existing file is kept, nothing outside is touched.
        let forced = try ProjectWriter.write(second, to: project, force: true)
        #expect(forced.removed.isEmpty && forced.keptUserFiles.contains("old.txt") && read("proj/old.txt") == "old")
        #expect(read("precious.txt") == "precious" && read("proj/hls/src/a.h") == "a2")
    }

    @Test func symbolicLinksAreNeverWrittenThrough() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try ProjectWriter.write(first, to: project, force: false)
        let outside = root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try "theirs".write(to: outside.appendingPathComponent("a.h"), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: project + "/hls/src")
        try FileManager.default.createSymbolicLink(atPath: project + "/hls/src", withDestinationPath: outside.path)
        // The link is not moehls's: refused without --force, and with it the write stops at the link.
        #expect(throws: DiagnosticError.self) { try ProjectWriter.write(second, to: project, force: false) }
        let error = #expect(throws: DiagnosticError.self) { try ProjectWriter.write(second, to: project, force: true) }
        #expect(error?.diagnostics.first?.message.contains("'hls/src' is a symbolic link") == true)
        #expect(read("outside/a.h") == "theirs")
        #expect(read("proj/README.md") == "r1")
    }

    @Test(arguments: ["../../etc/passwd", "/etc/passwd", "data/../../x.hex"])
    func simulationPlanNamingAPathOutsideIsRefused(_ hostile: String) throws {
        typealias Plan = RTLSimulationPlan
        let bench = Plan.Bench(shape: "s", kind: .linear, top: "moehls_linear_tb", testbench: "tb.v", sources: ["a.v"],
                               summary: "", multipliers: 1)
        func plan(expected: String, input: String) -> Plan {
            Plan(scope: "t", benches: [bench], cases: [Plan.Case(
                name: "c", shape: "s", plusargs: ["inputs=\(input)", "tokens=3"],
                outputs: [Plan.Output(plusarg: "outputs", expected: expected, width: 32, signed: true)], steps: [])])
        }
        let fine = plan(expected: "data/c/expected.hex", input: "data/c/inputs.hex")
        #expect(try Plan.decode(fine.encoded(), file: "simulations.json") == fine)
        for hostilePlan in [plan(expected: hostile, input: "data/c/inputs.hex"), plan(expected: "data/c/e.hex", input: hostile)] {
            let error = #expect(throws: DiagnosticError.self) { _ = try Plan.decode(hostilePlan.encoded(), file: "simulations.json") }
            #expect(error?.diagnostics.first?.message.contains("'\(hostile)' is not a path inside the project's rtl/ folder") == true)
        }
    }

    @Test func simulationPlanNamesThatBecomeFilesOrOptionsAreRefused() throws {
        typealias Plan = RTLSimulationPlan
        func plan(shape: String = "s", plusarg: String = "outputs", source: String = "a.v") -> Plan {
            Plan(scope: "t", benches: [Plan.Bench(shape: shape, kind: .linear, top: "moehls_linear_tb", testbench: "tb.v",
                                                  sources: [source], summary: "", multipliers: 1)],
                 cases: [Plan.Case(name: "c", shape: shape, plusargs: ["tokens=3"],
                                   outputs: [Plan.Output(plusarg: plusarg, expected: "data/e.hex", width: 32, signed: true)],
                                   steps: [])])
        }
        #expect(throws: Never.self) { _ = try Plan.decode(plan().encoded(), file: "simulations.json") }
        for hostile in [plan(shape: "../../home/x"), plan(plusarg: "/../../../tmp/evil"), plan(source: "-o"),
                        plan(source: "+incdir+/etc"), plan(source: "dir/-f")] {
            #expect(throws: DiagnosticError.self) { _ = try Plan.decode(hostile.encoded(), file: "simulations.json") }
        }
    }

    @Test func anotherGeneratorsFolderIsNeverTakenOver() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try ProjectWriter.write(first, to: project, force: false)
        for force in [false, true] {
            let error = #expect(throws: DiagnosticError.self) {
                try ProjectWriter.write(second, to: project, force: force, generator: GoldenDump.generator)
            }
            #expect(error?.diagnostics.first?.message.contains("was written by `moehls generate`, not by `moehls run`") == true)
        }
        #expect(read("proj/hls/src/a.h") == "a1" && read("proj/old.txt") == "old")
    }

    /// A dump of an earlier version (only `manifest.json`, no `moehls-manifest.json`): the arrays it
    /// lists are replaced and removed like a manifest's; the user's other files stay.
    @Test func earlierDumpWithoutOwnershipManifestIsReplaceable() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let dump = URL(fileURLWithPath: project)
        try FileManager.default.createDirectory(at: dump.appendingPathComponent("trace"), withIntermediateDirectories: true)
        let legacy = #"{"generator": "moehls run", "fixed": {"embedded": {"file": "fixed/embedded.npy"}}, "#
            + #""trace": [{"inputs": [{"file": "trace/0000.x.in0.npy"}], "output": {"file": "trace/0000.x.out.npy"}}]}"#
        try legacy.write(to: dump.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
        try "stale".write(to: dump.appendingPathComponent("trace/0000.x.out.npy"), atomically: true, encoding: .utf8)
        try "stale".write(to: dump.appendingPathComponent("trace/0000.x.in0.npy"), atomically: true, encoding: .utf8)
        #expect(GoldenDump.legacyFiles(in: dump) == ["fixed/embedded.npy", "manifest.json", "trace/0000.x.in0.npy",
                                                     "trace/0000.x.out.npy"])
        let fresh = [RenderedFile(path: "manifest.json", text: "{}"), RenderedFile(path: "fixed/embedded.npy", text: "e")]
        let outcome = try ProjectWriter.write(fresh, to: project, force: false, generator: GoldenDump.generator,
                                              legacyOwnership: GoldenDump.legacyFiles)
        #expect(outcome.removed == ["trace/0000.x.in0.npy", "trace/0000.x.out.npy"] && outcome.keptUserFiles.isEmpty)
        #expect(read("proj/trace/0000.x.out.npy") == nil && read("proj/manifest.json") == "{}")
        // A user's file beside an earlier dump still needs --force, and stays.
        try FileManager.default.removeItem(atPath: project + "/" + ProjectWriter.manifestName)
        try legacy.write(to: dump.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
        try "mine".write(to: dump.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        #expect(throws: DiagnosticError.self) {
            try ProjectWriter.write(fresh, to: project, force: false, generator: GoldenDump.generator, legacyOwnership: GoldenDump.legacyFiles)
        }
        try ProjectWriter.write(fresh, to: project, force: true, generator: GoldenDump.generator, legacyOwnership: GoldenDump.legacyFiles)
        #expect(read("proj/notes.txt") == "mine")
    }

    @Test func targetThatIsAFileIsRefused() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try "file".write(toFile: project, atomically: true, encoding: .utf8)
        #expect(throws: DiagnosticError.self) { try ProjectWriter.write(first, to: project, force: true) }
        #expect(read("proj") == "file")
    }
}
