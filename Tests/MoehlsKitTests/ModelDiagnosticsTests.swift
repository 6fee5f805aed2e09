import Testing
@testable import MoehlsKit

/// Bad model files: each case marks where the diagnostic must point (⏵) and a fragment of the
/// message it must carry.
@Suite(.tags(.unit))
struct ModelDiagnosticsTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let input: String
        let message: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "unknown top-level key with suggestion", input: """
            kind: vit
            image: {height: 32, width: 32}
            patch: 8
            ⏵embed_dims: 32
            heads: 2
            layers: 2
            mlp: {hidden: 64}
            """, message: "unknown key 'embed_dims'; did you mean 'embed_dim'?"),
        Case(name: "unknown nested key with suggestion", input: """
            kind: vit
            image: {height: 32, ⏵widht: 32}
            patch: 8
            embed_dim: 32
            heads: 2
            layers: 2
            mlp: {hidden: 64}
            """, message: "unknown key 'widht' in 'image'; did you mean 'width'?"),
        Case(name: "missing kind", input: """
            ⏵image: {height: 32, width: 32}
            patch: 8
            """, message: "missing required field 'kind'"),
        Case(name: "unknown kind", input: """
            kind: ⏵moevit
            """, message: "'kind' must be one of 'moe-vit', 'vit', 'attention', found 'moevit'; did you mean 'moe-vit'?"),
        Case(name: "missing embed_dim", input: """
            ⏵kind: attention
            tokens: 16
            heads: 2
            """, message: "missing required field 'embed_dim'"),
        Case(name: "zero patch", input: """
            kind: vit
            image: {height: 32, width: 32}
            patch: ⏵0
            embed_dim: 32
            heads: 2
            layers: 2
            mlp: {hidden: 64}
            """, message: "'patch' must be positive, found 0"),
        Case(name: "negative heads", input: """
            kind: attention
            tokens: 16
            embed_dim: 32
            heads: ⏵-2
            """, message: "'heads' must be positive, found -2"),
        Case(name: "string where integer expected", input: """
            kind: attention
            tokens: ⏵"sixteen"
            embed_dim: 32
            heads: 2
            """, message: "expected an integer for 'tokens', found the string \"sixteen\""),
        Case(name: "fractional integer", input: """
            kind: attention
            tokens: 16
            embed_dim: ⏵32.5
            heads: 2
            """, message: "expected an integer for 'embed_dim', found the number 32.5"),
        Case(name: "mapping where integer expected", input: """
            kind: attention
            tokens: 16
            embed_dim: ⏵{value: 32}
            heads: 2
            """, message: "expected an integer for 'embed_dim', found a mapping"),
        Case(name: "heads do not divide width", input: """
            kind: attention
            tokens: 16
            embed_dim: 32
            heads: ⏵3
            """, message: "'heads' (3) must divide 'embed_dim' (32)"),
        Case(name: "patch does not divide image", input: """
            kind: vit
            image: {height: 30, width: 32}
            patch: ⏵8
            embed_dim: 32
            heads: 2
            layers: 2
            mlp: {hidden: 64}
            """, message: "'patch' (8) must divide the image height (30)"),
        Case(name: "top-k greater than experts", input: """
            kind: moe-vit
            image: {height: 32, width: 32}
            patch: 8
            embed_dim: 32
            heads: 2
            layers: 2
            mlp: {hidden: 64}
            moe: {experts: 4, top_k: ⏵5, expert_hidden: 32, layers: [1]}
            """, message: "'moe.top_k' (5) must not exceed 'moe.experts' (4)"),
        Case(name: "MoE layer index out of range", input: """
            kind: moe-vit
            image: {height: 32, width: 32}
            patch: 8
            embed_dim: 32
            heads: 2
            layers: 2
            mlp: {hidden: 64}
            moe: {experts: 4, top_k: 2, expert_hidden: 32, layers: [1, ⏵2]}
            """, message: "MoE layer index 2 is out of range: the model has 2 layers (0...1)"),
        Case(name: "MoE layer start out of range", input: """
            kind: moe-vit
            image: {height: 32, width: 32}
            patch: 8
            embed_dim: 32
            heads: 2
            layers: 2
            mlp: {hidden: 64}
            moe: {experts: 4, top_k: 2, expert_hidden: 32, layers: {every: 2, start: ⏵5}}
            """, message: "'moe.layers.start' (5) is out of range"),
        Case(name: "MoE layer listed twice", input: """
            kind: moe-vit
            image: {height: 32, width: 32}
            patch: 8
            embed_dim: 32
            heads: 2
            layers: 2
            mlp: {hidden: 64}
            moe: {experts: 4, top_k: 2, expert_hidden: 32, layers: [1, ⏵1]}
            """, message: "MoE layer index 1 is listed twice"),
        Case(name: "moe section missing for moe-vit", input: """
            ⏵kind: moe-vit
            image: {height: 32, width: 32}
            patch: 8
            embed_dim: 32
            heads: 2
            layers: 2
            mlp: {hidden: 64}
            """, message: "missing required field 'moe'"),
        Case(name: "moe section on a vit", input: """
            kind: vit
            image: {height: 32, width: 32}
            patch: 8
            embed_dim: 32
            heads: 2
            layers: 2
            mlp: {hidden: 64}
            moe: ⏵{experts: 4}
            """, message: "'moe' applies only to kind 'moe-vit'"),
        Case(name: "image on an attention block", input: """
            kind: attention
            tokens: 16
            embed_dim: 32
            heads: 2
            image: ⏵{height: 32, width: 32}
            """, message: "'image' does not apply to kind 'attention'"),
        Case(name: "precision that does not parse", input: """
            kind: attention
            tokens: 16
            embed_dim: 32
            heads: 2
            precision: {activation: ⏵fixed32}
            """, message: "cannot parse precision 'fixed32'"),
        Case(name: "precision with more integer than total bits", input: """
            kind: attention
            tokens: 16
            embed_dim: 32
            heads: 2
            precision: {weight: ⏵"fixed<8,10>"}
            """, message: "precision has 10 integer bits but only 8 bits in total"),
        Case(name: "precision too wide", input: """
            kind: attention
            tokens: 16
            embed_dim: 32
            heads: 2
            precision:
              accumulator: ⏵fixed<96,20>
            """, message: "precision width 96 is out of range"),
        Case(name: "unquoted precision inside a flow mapping", input: """
            kind: attention
            tokens: 16
            embed_dim: 32
            heads: 2
            precision: {activation: ⏵fixed<32,10>}
            """, message: "inside a flow mapping {...}, quote the precision: \"fixed<32,...>\""),
        Case(name: "unknown rounding mode", input: """
            kind: attention
            tokens: 16
            embed_dim: 32
            heads: 2
            precision: {activation: ⏵"fixed<16,4,AP_RNDD,AP_SAT>"}
            """, message: "unknown quantisation mode 'AP_RNDD'"),
        Case(name: "huge number", input: """
            kind: attention
            tokens: ⏵99999999999999999999999
            embed_dim: 32
            heads: 2
            """, message: "'tokens' is too large"),
        Case(name: "size over the limit", input: """
            kind: attention
            tokens: 16
            embed_dim: ⏵1000000
            heads: 2
            """, message: "'embed_dim' is too large: 1000000 (maximum 65536)"),
        Case(name: "too many tokens from the image", input: """
            kind: vit
            image: {height: 4096, width: 4096}
            patch: ⏵4
            embed_dim: 32
            heads: 2
            layers: 2
            mlp: {hidden: 64}
            """, message: "the image gives 1048577 tokens; at most 65536 are supported"),
        Case(name: "counts overflow 64 bits", input: """
            ⏵kind: moe-vit
            image: {height: 1024, width: 1024}
            patch: 8
            embed_dim: 65536
            heads: 1
            layers: 1024
            mlp: {hidden: 1048576}
            moe: {experts: 1024, top_k: 1024, expert_hidden: 1048576, layers: {every: 1}}
            """, message: "model is too large"),
        Case(name: "hidden and ratio both given", input: """
            kind: vit
            image: {height: 32, width: 32}
            patch: 8
            embed_dim: 32
            heads: 2
            layers: 2
            mlp: {hidden: 64, ratio: ⏵2}
            """, message: "give either 'mlp.hidden' or 'mlp.ratio', not both"),
        Case(name: "ratio that is not a whole number of units", input: """
            kind: vit
            image: {height: 32, width: 32}
            patch: 8
            embed_dim: 32
            heads: 2
            layers: 2
            mlp: {ratio: ⏵2.01}
            """, message: "is not a whole number of units"),
        Case(name: "boolean expected", input: """
            kind: vit
            image: {height: 32, width: 32}
            patch: 8
            class_token: ⏵"yes please"
            embed_dim: 32
            heads: 2
            layers: 2
            mlp: {hidden: 64}
            """, message: "expected true or false for 'class_token'"),
        Case(name: "unknown score normalisation", input: """
            kind: moe-vit
            image: {height: 32, width: 32}
            patch: 8
            embed_dim: 32
            heads: 2
            layers: 2
            mlp: {hidden: 64}
            moe: {experts: 4, top_k: 2, expert_hidden: 32, layers: [1], score_normalisation: ⏵softmax}
            """, message: "'moe.score_normalisation' must be one of 'softmax-all', 'topk-softmax'"),
        Case(name: "document is a list", input: """
            ⏵- kind: vit
            """, message: "expected a mapping for 'the document', found a list"),
        Case(name: "YAML syntax error", input: """
            kind: vit
            image: {height: 32, width: 32
            patch⏵: 8
            """, message: "syntax error: did not find expected ',' or '}' (while parsing a flow mapping at line 2)"),
        Case(name: "JSON syntax error", input: """
            {"kind": "attention", "tokens": 16,⏵, "embed_dim": 32}
            """, message: "syntax error"),
        Case(name: "duplicate key", input: """
            kind: attention
            ⏵tokens: 16
            tokens: 17
            embed_dim: 32
            heads: 2
            """, message: "duplicate key 'tokens'"),
        Case(name: "empty file", input: "⏵\n\n", message: "file is empty"),
        Case(name: "comments only", input: "⏵# nothing here\n", message: "file is empty"),
        Case(name: "alias bomb", input: """
            a: &a [x, x, x, x, x, x, x, x, x, x]
            b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
            c: &c [*b, *b, *b, *b, *b, *b, ⏵*b, *b, *b, *b]
            """, message: "too many YAML aliases"),
        Case(name: "undefined alias", input: """
            kind: attention
            tokens: ⏵*nothing
            embed_dim: 32
            heads: 2
            """, message: "syntax error: found undefined alias"),
        Case(name: "zero layer-norm eps", input: """
            kind: attention
            tokens: 16
            embed_dim: 32
            heads: 2
            layer_norm: ⏵{eps: 0}
            """, message: "'layer_norm.eps' must be positive"),
    ]

    @Test(arguments: cases)
    func reportsLocatedDiagnostic(_ testCase: Case) throws {
        let marked = MarkedText(testCase.input)
        let error = #expect(throws: DiagnosticError.self) {
            _ = try ModelLoader.parse(text: marked.text, file: "bad.yaml")
        }
        let diagnostics = try #require(error).diagnostics
        let match = diagnostics.first { $0.message.contains(testCase.message) }
        let found = try #require(match, "no diagnostic contains \"\(testCase.message)\"; got:\n\(diagnostics.map(\.description).joined(separator: "\n"))")
        #expect(found.location == SourceLocation(file: "bad.yaml", line: marked.line, column: marked.column),
                "\(found)")
        #expect(found.description.hasPrefix("bad.yaml:\(marked.line):\(marked.column): error: "))
    }

    @Test func reportsEveryProblemInOneRun() throws {
        let text = """
            kind: moe-vit
            image: {height: 30, width: 32}
            patch: 8
            embed_dims: 32
            heads: 0
            layers: 2
            mlp: {hidden: -1}
            moe: {experts: 4, top_k: 9, expert_hidden: 32, layers: [7]}
            """
        let error = #expect(throws: DiagnosticError.self) { _ = try ModelLoader.parse(text: text, file: "m.yaml") }
        let lines = try #require(error).diagnostics.map(\.description)
        #expect(lines == [
            "m.yaml:1:1: error: missing required field 'embed_dim'",
            "m.yaml:3:8: error: 'patch' (8) must divide the image height (30)",
            "m.yaml:4:1: error: unknown key 'embed_dims'; did you mean 'embed_dim'?",
            "m.yaml:5:8: error: 'heads' must be positive, found 0",
            "m.yaml:7:15: error: 'mlp.hidden' must be positive, found -1",
            "m.yaml:8:26: error: 'moe.top_k' (9) must not exceed 'moe.experts' (4)",
            "m.yaml:8:57: error: MoE layer index 7 is out of range: the model has 2 layers (0...1)",
        ])
    }

    @Test func nonUTF8FileIsLocated() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-latin1-\(getpid()).yaml").path
        var bytes = Array("kind: vit\nname: caf".utf8)
        bytes.append(0xE9)  // Latin-1 e-acute
        bytes += Array("\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: DiagnosticError.self) { _ = try ModelLoader.load(path: path) }
        let diagnostic = try #require(error?.diagnostics.first)
        #expect(diagnostic.location?.line == 2)
        #expect(diagnostic.location?.column == 10)
        #expect(diagnostic.message.contains("not valid UTF-8 (byte 0xE9)"))
    }

    @Test func missingFileIsADiagnostic() {
        let error = #expect(throws: DiagnosticError.self) { _ = try ModelLoader.load(path: "no/such/model.yaml") }
        #expect(error?.diagnostics.first?.description == "no/such/model.yaml: error: no such file")
    }
}

import Foundation
