import Foundation
import Testing
@testable import MoehlsKit

/// `moehls [COMMAND] --help` is part of the interface users read: each command's text is checked
/// against its snapshot in Fixtures/help/ (`moehls.txt`, `search.txt`, `bench-sim.txt`, ...).
/// After an intended change, `make help-snapshots` rewrites them; review the diff. The help is
/// wrapped at 80 columns (`COLUMNS=80`), whatever the terminal or CI sets.
@Suite("--help snapshots", .tags(.unit))
struct HelpSnapshotTests {
    static let folder = repositoryRoot.appendingPathComponent("Tests/MoehlsKitTests/Fixtures/help")

    /// The subcommands `moehls COMMAND --help` lists under SUBCOMMANDS.
    static func subcommands(_ command: [String]) throws -> [String] {
        let text = try Self.help(command).stdout
        guard let section = text.range(of: "SUBCOMMANDS:\n") else { return [] }
        return text[section.upperBound...].split(separator: "\n").compactMap { line in
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
            return line.split(separator: " ").first.map(String.init)
        }.filter { $0 != "See" && $0 != "help" }
    }

    /// `moehls COMMAND --help` at 80 columns.
    static func help(_ command: [String]) throws -> CommandResult {
        let run = ToolRunner().run(ToolJob(moehlsExecutable.path, command + ["--help"], environment: ["COLUMNS": "80"]))
        return CommandResult(status: run.status, stdout: run.standardOutput, stderr: run.standardError)
    }

    /// Every command path: the top level, each subcommand and each of theirs.
    static func commands() throws -> [[String]] {
        var all: [[String]] = [[]]
        for sub in try subcommands([]) {
            all.append([sub])
            all += try subcommands([sub]).map { [sub, $0] }
        }
        return all
    }

    static func snapshotName(_ command: [String]) -> String {
        command.isEmpty ? "moehls.txt" : command.joined(separator: "-") + ".txt"
    }

    @Test("every command's --help matches its snapshot")
    func helpMatchesSnapshots() throws {
        let commands = try Self.commands()
        #expect(commands.count >= 10, "found only \(commands.map { $0.joined(separator: " ") })")
        var expected: Set<String> = []
        for command in commands {
            let name = Self.snapshotName(command)
            expected.insert(name)
            let result = try Self.help(command)
            #expect(result.status == 0)
            let snapshot = try? String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
            #expect(snapshot == result.stdout,
                    "moehls \(command.joined(separator: " ")) --help differs from Fixtures/help/\(name): run `make help-snapshots` and review the diff")
        }
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".txt") })
        #expect(present == expected, "snapshots without a command: \(present.subtracting(expected).sorted())")
    }
}
