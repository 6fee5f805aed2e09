import Foundation

/// What Vitis HLS needs beyond what g++ accepts, checked on the generated kernel sources
/// (`hls/src`, `hls/include`; the testbench is plain C++ and exempt), since no vendor tool runs
/// here:
///
/// - no dynamic allocation (`new`, `delete`, `malloc`, ...), no STL (`std::`, standard headers
///   other than the ap_types ones), no `float` / `double` (types or literals), no `goto`;
/// - no pointers except the top function's interface parameters (`T *name`, `&x`, `->`);
/// - no recursion, direct or mutual;
/// - every `for` loop bounded by a constant (an integer literal or an UPPER_CASE name, combined
///   with + - * / and parentheses) or carrying a LOOP_TRIPCOUNT pragma; no `while` / `do` loops
///   without one;
/// - only the pragmas listed in `HLSRuleCheck.pragmas`, with their documented options;
/// - in a DATAFLOW region, every variable passed to at most two calls (one producer, one consumer).
///
/// A lexical check (comments and strings removed), not a C++ parser: it is written for the code
/// moehls generates, and errs on the side of reporting.
public enum HLSRuleCheck {
    public struct Violation: Hashable, Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var rule: String
        public var message: String
        public var description: String { "\(file):\(line): \(rule): \(message)" }
    }

    /// The pragmas allowed, with the option keys (`key=value`) and bare words each accepts.
    public static let pragmas: [String: (keys: Set<String>, words: Set<String>)] = [
        "PIPELINE": (["II", "style"], ["off", "rewind"]),
        "UNROLL": (["factor"], ["skip_exit_check", "off"]),
        "ARRAY_PARTITION": (["variable", "type", "factor", "dim"], ["off", "cyclic", "block", "complete"]),
        "ARRAY_RESHAPE": (["variable", "type", "factor", "dim"], ["off", "cyclic", "block", "complete", "object"]),
        "DATAFLOW": (["disable_start_propagation"], []),
        "STREAM": (["variable", "depth", "type"], ["off"]),
        "INLINE": ([], ["off", "recursive"]),
        "BIND_STORAGE": (["variable", "type", "impl", "latency"], []),
        "BIND_OP": (["variable", "op", "impl", "latency"], []),
        "LOOP_TRIPCOUNT": (["min", "max", "avg"], []),
        "INTERFACE": (["mode", "port", "offset", "bundle", "depth", "max_widen_bitwidth", "max_read_burst_length",
                       "max_write_burst_length", "num_read_outstanding", "num_write_outstanding", "latency",
                       "name", "register_mode", "storage_impl", "storage_type"],
                      ["m_axi", "s_axilite", "axis", "ap_none", "ap_vld", "ap_ack", "ap_hs", "ap_ovld", "ap_fifo",
                       "ap_memory", "bram", "ap_ctrl_none", "ap_ctrl_hs", "ap_ctrl_chain", "register"]),
    ]

    /// Values allowed for enumerated options.
    static let optionValues: [String: Set<String>] = [
        "type": ["cyclic", "block", "complete", "ram_1p", "ram_2p", "ram_t2p", "ram_s2p", "rom_1p", "rom_2p", "rom_np",
                 "fifo", "shiftreg", "ram_1wnr"],
        "impl": ["bram", "uram", "lutram", "srl", "auto", "memory", "dsp", "fabric"],
        "offset": ["slave", "direct", "off"],
        "mode": ["m_axi", "s_axilite", "axis", "ap_none", "ap_vld", "ap_ack", "ap_hs", "ap_ovld", "ap_fifo", "ap_memory",
                 "bram", "ap_ctrl_none", "ap_ctrl_hs", "ap_ctrl_chain"],
    ]

    /// Options whose value is a number or a constant's name.
    static let numericOptions: Set<String> = ["II", "factor", "dim", "min", "max", "avg", "depth", "latency",
                                              "max_widen_bitwidth", "max_read_burst_length", "max_write_burst_length",
                                              "num_read_outstanding", "num_write_outstanding"]

    static let forbiddenWords = ["new", "delete", "malloc", "calloc", "realloc", "free", "alloca", "float", "double",
                                 "goto", "virtual", "throw", "try", "catch"]
    static let allowedIncludes: Set<String> = ["<ap_int.h>", "<ap_fixed.h>", "<hls_stream.h>"]

    /// Checks every kernel source among `files` (paths under `hls/src` or `hls/include`).
    public static func check(_ files: [RenderedFile], topFunction: String = "moehls_top") -> [Violation] {
        files.filter { ($0.path.hasPrefix("hls/src/") || $0.path.hasPrefix("hls/include/"))
            && ($0.path.hasSuffix(".h") || $0.path.hasSuffix(".cpp")) }
            .flatMap { check(source: $0.text, file: $0.path, topFunction: topFunction) }
            + recursion(files)
    }

    /// The per-file rules (all but recursion, which needs every file).
    public static func check(source: String, file: String, topFunction: String = "moehls_top") -> [Violation] {
        let code = CppSource(source)
        var found: [Violation] = []
        func report(_ offset: String.Index, _ rule: String, _ message: String) {
            found.append(Violation(file: file, line: code.line(of: offset), rule: rule, message: message))
        }
        let text = code.stripped

        for word in forbiddenWords {
            for match in text.regexMatches("\\b\(word)\\b") { report(match.lowerBound, "forbidden", "'\(word)' is not synthesisable") }
        }
        for match in text.regexMatches("\\bstd\\s*::") { report(match.lowerBound, "forbidden", "the C++ standard library is not synthesisable") }
        for match in text.regexMatches("(?<![\\w.])(\\d+\\.\\d*|\\.\\d+|\\d+[eE][-+]?\\d+)(?![\\w])") {
            report(match.lowerBound, "forbidden", "floating-point literal '\(text[match])'")
        }
        let originalLines = source.split(separator: "\n", omittingEmptySubsequences: false)
        for (number, line) in code.lines where line.trimmingCharacters(in: .whitespaces).hasPrefix("#include") {
            // The stripped text blanks the quoted name; read it from the original line.
            let original = originalLines[number - 1]
            guard let name = original.firstRegexMatch("[<\"][^>\"]*[>\"]") else { continue }
            let target = String(original[name])
            let local = target.hasPrefix("\"moehls_") && target.hasSuffix(".h\"")
            if !local && !allowedIncludes.contains(target) {
                found.append(Violation(file: file, line: number, rule: "include", message: "\(target) is not an ap_types or moehls header"))
            }
        }

        // Pointers, except in the top function's parameter list.
        let allowed = code.parameterRanges(of: topFunction)
        let pointerDeclaration = "\\b(?:void|char|short|int|long|unsigned|signed|bool|auto|\\w+_t|ap_u?(?:int|fixed)\\s*<[^;{}()]*?>)\\s*(?:const\\s*)?\\*+\\s*(?:const\\s*)?[A-Za-z_]"
        for match in text.regexMatches(pointerDeclaration) where !allowed.contains(where: { $0.contains(match.lowerBound) }) {
            report(match.lowerBound, "pointer", "pointer '\(text[match])' outside the top function's interface")
        }
        for match in text.regexMatches("(?:[=(,{]|\\breturn)\\s*&\\s*[A-Za-z_]") {
            report(match.lowerBound, "pointer", "address taken: '\(text[match])'")
        }
        for match in text.regexMatches("->") { report(match.lowerBound, "pointer", "member access through a pointer") }

        found += loops(code, file: file)
        found += pragmaRules(code, file: file)
        found += dataflow(code, file: file)
        return found
    }

    // MARK: Loops

    static func loops(_ code: CppSource, file: String) -> [Violation] {
        var found: [Violation] = []
        let text = code.stripped
        for match in text.regexMatches("\\b(for|while|do)\\b") {
            let keyword = String(text[match])
            if keyword == "while", code.isDoWhileTail(at: match.lowerBound) { continue }
            guard let body = code.loopBody(after: match) else { continue }
            if code.hasTripCount(body) { continue }
            if keyword == "for", let header = code.forHeader(after: match.upperBound), isConstantBound(header) { continue }
            found.append(Violation(file: file, line: code.line(of: match.lowerBound), rule: "loop",
                                   message: "\(keyword) loop without a constant bound or LOOP_TRIPCOUNT"))
        }
        return found
    }

    /// Whether the condition of a `for (init; condition; step)` header compares against a constant.
    static func isConstantBound(_ header: String) -> Bool {
        let parts = header.split(separator: ";", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return false }
        let condition = parts[1].trimmingCharacters(in: .whitespaces)
        guard let comparison = condition.firstRegexMatch("(<=|>=|<|>|!=)") else { return false }
        let bound = condition[comparison.upperBound...].trimmingCharacters(in: .whitespaces)
        guard !bound.isEmpty else { return false }
        let tokens = bound.regexMatches("[A-Za-z_][A-Za-z0-9_]*|\\d+|[-+*/() ]").map { String(bound[$0]) }
        guard tokens.joined() == bound else { return false }
        return tokens.allSatisfy { token in
            token.first!.isNumber || "+-*/() ".contains(token) || token.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "_" }
        }
    }

    // MARK: Pragmas

    static func pragmaRules(_ code: CppSource, file: String) -> [Violation] {
        var found: [Violation] = []
        for (offset, line) in code.lines where line.trimmingCharacters(in: .whitespaces).hasPrefix("#pragma") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            func report(_ message: String) {
                found.append(Violation(file: file, line: offset, rule: "pragma", message: message))
            }
            guard words.count >= 2 else { report("empty pragma"); continue }
            guard words[1] == "HLS", words.count >= 3 else { report("'\(line)' is not an HLS pragma"); continue }
            let name = words[2].uppercased()
            guard let allowed = pragmas[name] else { report("pragma HLS \(words[2]) is not on the allowed list"); continue }
            for option in words.dropFirst(3) {
                let pair = option.split(separator: "=", maxSplits: 1).map(String.init)
                if pair.count == 1 {
                    if !allowed.words.contains(option) { report("\(name): unknown option '\(option)'") }
                    continue
                }
                let (key, value) = (pair[0], pair[1])
                if !allowed.keys.contains(key) { report("\(name): unknown option '\(key)'"); continue }
                if let values = optionValues[key], !values.contains(value) { report("\(name): \(key)=\(value) is not a documented value") }
                if numericOptions.contains(key), !value.allSatisfy({ $0.isNumber }),
                   !value.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) {
                    report("\(name): \(key)=\(value) is neither a number nor a constant")
                }
            }
        }
        return found
    }

    // MARK: Dataflow

    /// In a function with DATAFLOW, each variable may be an argument of at most two calls.
    static func dataflow(_ code: CppSource, file: String) -> [Violation] {
        var found: [Violation] = []
        for function in code.functions where function.body.contains("HLS DATAFLOW") || function.body.contains("HLS dataflow") {
            var uses: [String: Int] = [:]
            for call in function.body.regexMatches("\\b[A-Za-z_]\\w*\\s*\\(([^;{}]*)\\)\\s*;") {
                let arguments = function.body[call]
                guard let open = arguments.firstIndex(of: "(") else { continue }
                for name in Set(arguments[open...].regexMatches("[A-Za-z_]\\w*").map { String(arguments[open...][$0]) }) {
                    uses[name, default: 0] += 1
                }
            }
            for (name, count) in uses.sorted(by: { $0.key < $1.key }) where count > 2 {
                found.append(Violation(file: file, line: code.line(of: function.start), rule: "dataflow",
                                       message: "\(function.name): '\(name)' is passed to \(count) processes (one producer, one consumer allowed)"))
            }
        }
        return found
    }

    // MARK: Recursion

    /// Cycles in the call graph of every function defined in the kernel sources.
    static func recursion(_ files: [RenderedFile]) -> [Violation] {
        var bodies: [String: (file: String, body: String)] = [:]
        for file in files where file.path.hasPrefix("hls/src/") || file.path.hasPrefix("hls/include/") {
            for function in CppSource(file.text).functions { bodies[function.name] = (file.path, String(function.body)) }
        }
        let names = Set(bodies.keys)
        var calls: [String: Set<String>] = [:]
        for (name, entry) in bodies {
            calls[name] = Set(entry.body.regexMatches("\\b([A-Za-z_]\\w*)\\s*(?:<[^;{}()]*>)?\\s*\\(").compactMap { match in
                let callee = String(entry.body[match].prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                return names.contains(callee) ? callee : nil
            })
        }
        var found: [Violation] = []
        for start in names.sorted() {
            var stack = Array(calls[start] ?? []), seen = Set<String>()
            while let next = stack.popLast() {
                if next == start {
                    found.append(Violation(file: bodies[start]!.file, line: 0, rule: "recursion", message: "\(start) calls itself"))
                    break
                }
                if seen.insert(next).inserted { stack += calls[next] ?? [] }
            }
        }
        return found
    }
}
