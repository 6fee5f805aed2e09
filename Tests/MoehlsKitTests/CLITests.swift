import Foundation
import Testing

/// The command line: output streams, exit codes (0 ok, 1 input errors, 64 usage) and messages.
struct CLITests {
    func moehls(_ arguments: String...) throws -> CommandResult {
        try runCommand(moehlsExecutable, arguments, in: repositoryRoot)
    }

    @Test func checkPrintsTheM3ViTSummary() throws {
        let result = try moehls("check", "Examples/m3vit.yaml")
        #expect(result.status == 0)
        #expect(result.stdout.contains("128 patches + class token = 129 tokens"))
        #expect(result.stdout.contains("782.7 M MACs per image"))
        #expect(result.stdout.contains("782,719,488"))
        #expect(result.stderr.isEmpty)
    }

    @Test func checkJSONIsMachineReadable() throws {
        let result = try moehls("check", "Examples/tiny-moe.yaml", "--json")
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["macs"] as? Int == 416_000)
        #expect((object?["model"] as? [String: Any])?["tokens"] as? Int == 17)
    }

    @Test func inputErrorsExitOneWithLocatedMessages() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cli-bad-\(getpid()).yaml")
        try "kind: vit\nheads: 0\n".write(to: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: path) }
        let result = try moehls("check", path.path)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("\(path.path):2:8: error: 'heads' must be positive, found 0"))
        #expect(result.stderr.contains("errors"))
    }

    @Test(arguments: [
        (["check"], "Missing expected argument '<model>'"),
        (["check", "a.yaml", "--jsn"], "Unknown option '--jsn'"),
        (["devices", "u280", "--device-file", "x.yaml"], "give either a board name or --device-file"),
        (["frobnicate"], "Unexpected argument 'frobnicate'"),
    ])
    func usageErrorsExit64(_ arguments: [String], _ message: String) throws {
        let result = try runCommand(moehlsExecutable, arguments, in: repositoryRoot)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func unknownDeviceListsBoards() throws {
        let result = try moehls("devices", "zcu104")
        #expect(result.status == 1)
        #expect(result.stderr.contains("unknown device 'zcu104'. Available devices: zcu102, u280, u50, u250, kv260, vck190."))
    }

    @Test func devicesTableAndJSON() throws {
        let table = try moehls("devices")
        #expect(table.status == 0)
        #expect(table.stdout.contains("xcu280-fsvh2892-2L-e"))
        let json = try moehls("devices", "--json")
        let list = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(list?.count == 6)
    }

    @Test func versionAndHelp() throws {
        #expect(try moehls("--version").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
        let help = try moehls("--help")
        #expect(help.status == 0)
        #expect(help.stdout.contains("moehls check Examples/m3vit.yaml"))
    }
}
