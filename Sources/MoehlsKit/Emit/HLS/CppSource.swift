import Foundation

/// C++ source text prepared for lexical checks (`HLSRuleCheck`): comments and the contents of
/// string and character literals replaced by spaces, newlines kept, so offsets and line numbers
/// still match the original.
struct CppSource {
    let stripped: String

    init(_ text: String) {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var chars = Array(text)
        chars.append("\n")
        var i = 0
        while i < chars.count - 1 {
            let c = chars[i], next = chars[i + 1]
            if c == "/" && next == "/" {
                while i < chars.count - 1 && chars[i] != "\n" { out.append(" "); i += 1 }
            } else if c == "/" && next == "*" {
                out += "  "
                i += 2
                while i < chars.count - 1 && !(chars[i] == "*" && chars[i + 1] == "/") {
                    out.append(chars[i] == "\n" ? "\n" : " ")
                    i += 1
                }
                out += "  "
                i += 2
            } else if c == "\"" || c == "'" {
                out.append(c)
                i += 1
                while i < chars.count - 1 && chars[i] != c && chars[i] != "\n" {
                    if chars[i] == "\\" { out.append(" "); i += 1 }
                    out.append(" ")
                    i += 1
                }
                if i < chars.count - 1 { out.append(chars[i]); i += 1 }
            } else {
                out.append(c)
                i += 1
            }
        }
        stripped = out
    }

    /// 1-based line of an offset in `stripped`.
    func line(of index: String.Index) -> Int {
        stripped[..<index].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    }

    /// Every line with its 1-based number.
    var lines: [(Int, String)] {
        stripped.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { ($0.offset + 1, String($0.element)) }
    }

    /// The text between the parentheses that open at or after `start`, without them.
    func parenthesised(from start: String.Index) -> Range<String.Index>? {
        guard let open = stripped[start...].firstIndex(of: "(") else { return nil }
        return matched(from: open, opening: "(", closing: ")")
    }

    /// The text between a `{` at `open` and its matching `}`.
    func braced(from open: String.Index) -> Range<String.Index>? {
        matched(from: open, opening: "{", closing: "}")
    }

    /// The text between the `opening` bracket at `open` and the `closing` one that matches it.
    private func matched(from open: String.Index, opening: Character, closing: Character) -> Range<String.Index>? {
        var depth = 0
        var index = open
        while index < stripped.endIndex {
            let c = stripped[index]
            if c == opening {
                depth += 1
            } else if c == closing {
                depth -= 1
                if depth == 0 { return stripped.index(after: open)..<index }
            }
            index = stripped.index(after: index)
        }
        return nil
    }

    /// The header of a `for` whose keyword ends at `keywordEnd`.
    func forHeader(after keywordEnd: String.Index) -> String? {
        parenthesised(from: keywordEnd).map { String(stripped[$0]) }
    }

    /// The body of the loop whose keyword is at `keyword`: the braced block, or the single statement.
    func loopBody(after keyword: Range<String.Index>) -> Substring? {
        var start = keyword.upperBound
        if stripped[keyword] != "do" {
            guard let header = parenthesised(from: keyword.upperBound) else { return nil }
            start = stripped.index(after: header.upperBound)
        }
        guard let first = stripped[start...].firstIndex(where: { !$0.isWhitespace }) else { return nil }
        if stripped[first] == "{" { return braced(from: first).map { stripped[$0] } }
        let end = stripped[first...].firstIndex(of: ";") ?? stripped.endIndex
        return stripped[first..<end]
    }

    /// Whether the pragmas at the start of a loop body include LOOP_TRIPCOUNT.
    func hasTripCount(_ body: Substring) -> Bool {
        for line in body.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard trimmed.hasPrefix("#pragma") else { return false }
            if trimmed.uppercased().contains("LOOP_TRIPCOUNT") { return true }
        }
        return false
    }

    /// Whether the `while` at `index` ends a `do { ... } while (...)` loop.
    func isDoWhileTail(at index: String.Index) -> Bool {
        stripped[..<index].last(where: { !$0.isWhitespace }) == "}"
    }

    /// The parameter lists of every declaration or definition of `name` (`void name(...)`).
    func parameterRanges(of name: String) -> [Range<String.Index>] {
        stripped.regexMatches("\\bvoid\\s+\(name)\\s*\\(").compactMap { parenthesised(from: $0.lowerBound) }
    }

    /// A function defined at file scope: its name, where its definition starts and its body.
    struct Function {
        var name: String
        var start: String.Index
        var body: Substring
    }

    /// Every function defined at brace depth 0 (a `{` right after `name(...)`, maybe `const`).
    var functions: [Function] {
        var found: [Function] = []
        var index = stripped.startIndex
        while index < stripped.endIndex {
            let c = stripped[index]
            if c == "{" {
                guard let body = braced(from: index) else { break }
                if let name = functionName(before: index) {
                    found.append(Function(name: name, start: index, body: stripped[body]))
                }
                index = body.upperBound
            }
            index = stripped.index(after: index)
        }
        return found
    }

    /// The name of the function whose parameter list closes right before `brace`.
    private func functionName(before brace: String.Index) -> String? {
        var head = stripped[..<brace]
        while let last = head.last, last.isWhitespace { head = head.dropLast() }
        if head.hasSuffix("const") { head = head.dropLast(5) }
        while let last = head.last, last.isWhitespace { head = head.dropLast() }
        guard head.last == ")" else { return nil }
        var depth = 0
        var index = head.index(before: head.endIndex)
        while true {
            switch head[index] {
            case ")": depth += 1
            case "(":
                depth -= 1
                if depth == 0 {
                    let before = head[..<index].reversed().drop { $0.isWhitespace }.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                    let name = String(before.reversed())
                    return name.isEmpty || ["if", "for", "while", "switch"].contains(name) ? nil : name
                }
            default: break
            }
            if index == head.startIndex { return nil }
            index = head.index(before: index)
        }
    }
}

extension StringProtocol {
    /// Ranges of every match of an ICU regular expression (NSRegularExpression; lookbehind works).
    func regexMatches(_ pattern: String) -> [Range<String.Index>] {
        let text = String(self)
        guard let regex = try? NSRegularExpression(pattern: pattern) else { preconditionFailure("bad pattern \(pattern)") }
        let base = text.startIndex
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            guard let range = Range(match.range, in: text) else { return nil }
            // Map back into `self`'s indices by distance (self may be a Substring).
            let lower = index(startIndex, offsetBy: text.distance(from: base, to: range.lowerBound))
            let upper = index(lower, offsetBy: text.distance(from: range.lowerBound, to: range.upperBound))
            return lower..<upper
        }
    }

    /// The first match of a regular expression.
    func firstRegexMatch(_ pattern: String) -> Range<String.Index>? { regexMatches(pattern).first }
}
