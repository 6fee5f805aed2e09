import Foundation
import Testing
@testable import MoehlsKit

/// The command line: output streams, exit codes (0 ok, 1 input errors, 64 usage) and messages.
@Suite(.tags(.unit))
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

/// `moehls run`: the drift report, the dump, and what NumPy makes of it.
@Suite(.tags(.unit))
struct RunCLITests {
    @Test(.tags(.simulation)) func runPrintsTheDriftAndDumpsFilesNumPyLoads() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-dump-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try runCommand(moehlsExecutable, ["run", "Examples/tiny-moe.yaml", "--seed", "4", "--dump", directory.path],
                                    in: repositoryRoot)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("layer 1 MoE"))
        #expect(result.stdout.contains("final features: cosine 0.99999"))
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("manifest.json")))
            as? [String: Any]
        #expect(manifest?["generator"] as? String == "moehls run")
        let trace = try #require(manifest?["trace"] as? [[String: Any]])
        // tiny-moe: embedding (2 calls), layer 0 (7 calls), layer 1 (norm1, qkv, attn, proj, residual1,
        // norm2, gate, 2 per non-empty expert, combine, residual2), final norm.
        #expect(trace.first?["name"] as? String == "patch_embed.proj")
        #expect(trace.last?["name"] as? String == "norm")
        #expect(trace.contains { ($0["name"] as? String) == "blocks.1.mlp.combine" })

        // NumPy reads every file with the documented shapes and dtypes; the raw trace output of the
        // final norm dequantises to the fixed features.
        let python = try ExternalTool.python3.require()
        let script = """
            import json, sys, numpy as np
            d = sys.argv[1]
            m = json.load(open(d + "/manifest.json"))
            x = np.load(d + "/fixed/features.npy"); assert x.shape == (17, 32) and x.dtype == np.float64, x.shape
            e = np.load(d + "/routing/layer01.experts.npy"); assert e.shape == (17, 2) and e.dtype == np.int64
            last = m["trace"][-1]["output"]
            y = np.load(d + "/" + last["file"]).astype(np.float64) * 2.0 ** -last["fraction_bits"]
            assert np.array_equal(x, y)
            for group in ("fixed", "float"):
                for name, a in m[group].items():
                    assert list(np.load(d + "/" + a["file"]).shape) == a["shape"], name
            print("ok", len(m["trace"]))
            """
        let check = try runCommand(python, ["-c", script, directory.path])
        #expect(check.status == 0, "numpy check failed (install numpy with `pip install numpy`): \(check.stderr)")
        #expect(check.stdout.hasPrefix("ok"))
    }

    @Test func dumpRefusesAFolderMoehlsDidNotWrite() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-precious-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "keep me".write(to: directory.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let result = try runCommand(moehlsExecutable, ["run", "Examples/tiny-moe.yaml", "--dump", directory.path], in: repositoryRoot)
        #expect(result.status == 1)
        #expect(result.stderr.contains("moehls did not write"))
        #expect(try String(contentsOf: directory.appendingPathComponent("notes.txt"), encoding: .utf8) == "keep me")
    }

    @Test func rerunningADumpKeepsTheUsersFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-redump-\(getpid())")
        try? FileManager.default.removeItem(at: directory)
        defer { try? FileManager.default.removeItem(at: directory) }
        let args = ["run", "Examples/tiny-moe.yaml", "--mode", "fixed", "--dump", directory.path]
        #expect(try runCommand(moehlsExecutable, args, in: repositoryRoot).status == 0)
        // A rerun into its own dump replaces it.
        #expect(try runCommand(moehlsExecutable, args + ["--seed", "2"], in: repositoryRoot).status == 0)
        // The user keeps notes and an array of their own beside it: refused, nothing lost.
        try "keep me".write(to: directory.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        try "mine".write(to: directory.appendingPathComponent("fixed/mine.npy"), atomically: true, encoding: .utf8)
        let refused = try runCommand(moehlsExecutable, args, in: repositoryRoot)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("2 file(s) moehls did not write"), "\(refused.stderr)")
        // --force writes beside them.
        #expect(try runCommand(moehlsExecutable, args + ["--force"], in: repositoryRoot).status == 0)
        #expect(try String(contentsOf: directory.appendingPathComponent("notes.txt"), encoding: .utf8) == "keep me")
        #expect(try String(contentsOf: directory.appendingPathComponent("fixed/mine.npy"), encoding: .utf8) == "mine")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("fixed/features.npy").path))
    }

    @Test func weightsFromSafetensorsMatchTheSeededOnes() throws {
        // Write the seeded weights of tiny-moe to a .safetensors file (F32 loses nothing the
        // 16-bit formats keep... almost: compare the drift, not the bits) and run from it.
        let spec = try ModelLoader.load(path: repositoryRoot.appendingPathComponent("Examples/tiny-moe.yaml").path)
        let tensors = WeightSources.synthetic(spec, seed: 5)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-weights-\(getpid()).safetensors")
        defer { try? FileManager.default.removeItem(at: path) }
        let entries = tensors.keys.sorted().map { name in
            Safetensors.Entry(name: name, tensor: Tensor(shape: [tensors[name]!.rows, tensors[name]!.columns],
                                                        storage: .float64(tensors[name]!.values)))
        }
        try Safetensors.write(entries, to: path.path)
        let fromFile = try runCommand(moehlsExecutable, ["run", "Examples/tiny-moe.yaml", "--weights", path.path, "--seed", "5",
                                                          "--json"], in: repositoryRoot)
        let seeded = try runCommand(moehlsExecutable, ["run", "Examples/tiny-moe.yaml", "--seed", "5", "--json"], in: repositoryRoot)
        #expect(fromFile.status == 0 && seeded.status == 0, "\(fromFile.stderr)")
        func features(_ text: String) throws -> [Double] {
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            return object?["featuresFixed"] as? [Double] ?? []
        }
        // F64 storage keeps the seeded values exactly, so the fixed pass is bit-identical.
        #expect(try features(fromFile.stdout) == features(seeded.stdout))
        #expect(try !features(seeded.stdout).isEmpty)
        // A file missing a tensor names it.
        try Safetensors.write(Array(entries.dropFirst()), to: path.path)
        let missing = try runCommand(moehlsExecutable, ["run", "Examples/tiny-moe.yaml", "--weights", path.path], in: repositoryRoot)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("missing tensor '\(entries[0].name)'"))
    }
}
