import Foundation
import Testing
@testable import MoehlsKit

/// A design file is validated against the model and board as strictly as the search's own
/// points, and re-priced (issue: hostile files). Each mutation of a searched tiny-moe design must
/// be refused with a message naming the field.
@Suite(.tags(.unit))
struct DesignFileCheckTests {
    static let spec = Result { try ModelLoader.load(path: repositoryRoot.appendingPathComponent("Examples/tiny-moe.yaml").path) }

    /// The searched design of tiny-moe on `board`, as JSON bytes.
    static func designJSON(_ board: Device) throws -> Data {
        let context = try CostContext(spec: try spec.get(), device: board, clockMHz: nil)
        return try DesignFile(result: try Search.run(context, options: SearchOptions()), context: context, seed: 1).encoded()
    }

    /// The design JSON with `edit` applied to its object tree.
    static func mutated(_ board: Device, _ edit: (inout [String: Any]) -> Void) throws -> Data {
        var object = try #require(try JSONSerialization.jsonObject(with: try designJSON(board)) as? [String: Any])
        edit(&object)
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    static func set(_ object: inout [String: Any], _ path: [String], _ value: Any?) {
        guard let first = path.first else { return }
        if path.count == 1 { object[first] = value; return }
        var child = object[first] as? [String: Any] ?? [:]
        set(&child, Array(path.dropFirst()), value)
        object[first] = child
    }

    static func load(_ data: Data, _ board: Device) throws -> DesignFile {
        try DesignFile.load(data, file: "design.json", spec: try spec.get(), device: board, clockMHz: nil)
    }

    @Test func aSearchedDesignPassesAndATamperedEstimateIsReplaced() throws {
        let board = BuiltinDevices.u280
        let original = try Self.load(try Self.designJSON(board), board)
        let tampered = try Self.load(try Self.mutated(board) { Self.set(&$0, ["estimate", "latency_cycles"], 1) }, board)
        #expect(tampered.estimate == original.estimate && tampered.estimate.latencyCycles > 1)
    }

    @Test(arguments: [
        ("u280", ["design", "linear", "t_in"], 7, "design.linear.t_in", "7 is not a legal value"),
        ("u280", ["design", "linear", "t_in"], 512, "design.linear.t_in", "512 is not a legal value"),
        ("u280", ["design", "linear", "t_out"], 7, "design.linear.t_out", "7 is not a legal value"),
        ("u280", ["design", "linear", "lanes"], 1000, "design.linear.lanes", "1000 is not a legal value"),
        ("u280", ["design", "linear", "lanes"], 1 << 40, "design.linear.lanes", "is not a legal value"),
        ("u280", ["design", "attention", "rows"], 1000, "design.attention.rows", "1000 is not a legal value"),
        ("u280", ["design", "ffn_passes"], 0, "design.ffn_passes", "0 is not a legal value"),
        ("u280", ["design", "ffn_passes"], 3, "design.ffn_passes", "3 is not a legal value"),
        ("u280", ["design", "batch"], 0, "design.batch", "0 is not a legal value"),
        ("u280", ["design", "batch"], -1, "design.batch", "-1 is not a legal value"),
        ("u280", ["design", "instances"], 0, "design.instances", "0 is not a legal value"),
        ("u280", ["design", "instances"], 1 << 40, "design.instances", "is not a legal value"),
        ("u280", ["design", "weight_ports", "channels"], 3, "design.weight_ports.channels", "3 is not a legal value"),
        ("u280", ["design", "weight_ports", "channels"], 64, "design.weight_ports.channels", "64 is not a legal value"),
        ("u280", ["design", "schedule"], "pipelined", "design", "pipelined needs msa_linear"),
        ("u280", ["model", "kind"], "vit", "model.kind", "but this run targets 'moe-vit'"),
        ("u280", ["device", "name"], "zcu102", "device.name", "but this run targets 'u280'"),
        ("u280", ["device", "part"], "xczu9eg-ffvb1156-2-e", "device.part", "but this run targets 'xcu280"),
        ("u280", ["device", "family"], "versal", "device.family", "but this run targets"),
        ("zcu102", ["design", "weight_buffer"], "uram", "design.weight_buffer", "uram is not a legal value"),
        ("zcu102", ["design", "weight_ports", "memory"], "hbm", "design.weight_ports.memory", "'hbm' is not a memory of zcu102"),
        ("u280", ["search", "cap"], 0, "search.cap", "must be in (0, 1]"),
    ] as [(String, [String], any Sendable, String, String)])
    func illegalDesignsAreRefused(_ board: String, _ path: [String], _ value: any Sendable, _ field: String, _ message: String) throws {
        let device = try #require(BuiltinDevices.named(board))
        let data = try Self.mutated(device) { Self.set(&$0, path, value) }
        let error = #expect(throws: DiagnosticError.self) { _ = try Self.load(data, device) }
        let found = error?.diagnostics.first { $0.path == field && $0.message.contains(message) }
        #expect(found != nil, "\(error?.diagnostics.map(\.description) ?? [])")
    }

    @Test func aDesignThatDoesNotFitNamesTheResourceAndTheExcess() throws {
        let board = BuiltinDevices.zcu102
        let data = try Self.mutated(board) {
            Self.set(&$0, ["design", "linear"], ["t_in": 32, "t_out": 32, "lanes": 17])
            Self.set(&$0, ["design", "schedule"], "sequential")
            Self.set(&$0, ["design", "msa_linear"], nil)
        }
        let error = #expect(throws: DiagnosticError.self) { _ = try Self.load(data, board) }
        let message = error?.diagnostics.first?.message ?? ""
        #expect(message.contains("does not fit zcu102 at the 80% cap") && message.contains("DSP") && message.contains("over by"),
                "\(message)")
    }

    @Test(arguments: [
        ("{\"schema\": \"moehls-design/1\", \"schema\": \"moehls-design/1\"}", 1, 31, "duplicate key \"schema\""),
        ("{\"schema\": \"moehls-design/1\",\n}", 2, 1, "not valid JSON"),
        ("{\"batch\": 0, \"batch\": 1}", 1, 14, "duplicate key \"batch\""),
    ])
    func strictJSONWithLocations(_ text: String, _ line: Int, _ column: Int, _ message: String) throws {
        let error = #expect(throws: DiagnosticError.self) { _ = try Self.load(Data(text.utf8), BuiltinDevices.u280) }
        let diagnostic = error?.diagnostics.first
        #expect(diagnostic?.message.contains(message) == true, "\(String(describing: diagnostic))")
        #expect(diagnostic?.location?.line == line && diagnostic?.location?.column == column, "\(String(describing: diagnostic))")
    }
}
