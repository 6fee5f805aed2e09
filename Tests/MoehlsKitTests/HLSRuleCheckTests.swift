import Foundation
import MoehlsKit
import Testing

/// The Vitis HLS rules g++ does not enforce, checked on the generated kernels, and the checker
/// itself shown to catch each kind of violation.
@Suite("HLS rule check", .tags(.unit))
struct HLSRuleCheckTests {
    @Test("generated kernels follow the Vitis HLS rules", arguments: ["tiny-moe.yaml", "attention-block.yaml"])
    func generatedSourcesPass(example: String) throws {
        let files = try HLSTestSupport.emit(try HLSTestSupport.example(example), design: HLSTestSupport.oddDesign)
        let checked = files.filter { $0.path.hasPrefix("hls/src/") || $0.path.hasPrefix("hls/include/") }
        #expect(checked.count >= 14)
        let violations = HLSRuleCheck.check(files)
        #expect(violations.isEmpty, "\(violations.map(\.description).joined(separator: "\n"))")
    }

    /// One snippet per rule, each with exactly the violation it is named after.
    static let badSnippets: [(String, String)] = [
        ("void f() { int *p = new int[4]; delete[] p; }", "forbidden"),
        ("void f(int a[4]) { a[0] = (int)malloc(4); }", "forbidden"),
        ("void f(int a[4]) { std::sort(a, a + 4); }", "forbidden"),
        ("void f(float a[4]) { a[0] = 1; }", "forbidden"),
        ("void f(int a[4]) { a[0] = a[1] * 0.5; }", "forbidden"),
        ("#include <vector>\nvoid f() {}", "include"),
        ("void f(int a[4]) { int *p = a; p[0] = 1; }", "pointer"),
        ("void g(int *q); void f(int a[4]) { g(&a[0]); }", "pointer"),
        ("void f(int a[4], int n) { for (int i = 0; i < n; i++) { a[i] = 0; } }", "loop"),
        ("void f(int a[4], int n) { while (n > 0) { n--; } }", "loop"),
        ("void f() {\n#pragma HLS ALLOCATION function instances=g limit=1\n}", "pragma"),
        ("void f(int a[4]) {\n#pragma HLS ARRAY_PARTITION variable=a type=diagonal dim=1\n}", "pragma"),
        ("void f(int a[4]) {\n#pragma HLS PIPELINE II=one\n}", "pragma"),
        ("void f() {\n#pragma omp parallel\n}", "pragma"),
        ("void p(int a[4]); void c(int a[4]); void f() {\n#pragma HLS DATAFLOW\n int s[4];\n p(s);\n c(s);\n c(s);\n}", "dataflow"),
    ]

    @Test("each rule catches its violation", arguments: badSnippets)
    func catches(snippet: String, rule: String) {
        let violations = HLSRuleCheck.check([RenderedFile(path: "hls/src/bad.h", text: snippet)])
        #expect(violations.contains { $0.rule == rule }, "expected a \(rule) violation in: \(snippet)\ngot: \(violations)")
    }

    @Test("recursion, direct and mutual, is caught")
    func recursion() {
        let direct = RenderedFile(path: "hls/src/a.h", text: "int f(int n) { return n == 0 ? 0 : f(n - 1); }")
        #expect(HLSRuleCheck.check([direct]).contains { $0.rule == "recursion" })
        let mutual = [RenderedFile(path: "hls/src/a.h", text: "int g(int n);\nint f(int n) { return g(n); }"),
                      RenderedFile(path: "hls/src/b.h", text: "int g(int n) { return f(n); }")]
        #expect(HLSRuleCheck.check(mutual).filter { $0.rule == "recursion" }.count == 2)
    }

    @Test("constant bounds, trip counts, the top function's pointers and comments pass")
    func allowedForms() {
        let source = """
        // a comment with new, float and std::vector in it: ignored
        void moehls_top(const bus_t *weights, bus_t *output) {
        #pragma HLS INTERFACE m_axi port=weights offset=slave bundle=gmem_w0 depth=WEIGHT_WORDS
            for (int i = 0; i < N_MAX * 2; i++) {
        #pragma HLS PIPELINE II=1
                output[i] = weights[i] & MASK;
            }
            for (int j = 0; j < weights[0]; j++) {
        #pragma HLS LOOP_TRIPCOUNT min=1 max=MAX
                output[j] = 0;
            }
        }
        """
        let violations = HLSRuleCheck.check([RenderedFile(path: "hls/src/top.cpp", text: source)])
        #expect(violations.isEmpty, "\(violations)")
    }
}
