import Yams

/// Reads typed fields out of a YAML node tree and records a located diagnostic for every problem
/// (wrong type, missing field, unknown key, out-of-range value) instead of stopping at the first.
///
/// Scalars follow YAML's core schema as JSON does: a plain (unquoted) `16` is a number, a quoted
/// `"16"` is a string. Every node visited counts against `nodeBudget`, so a document inflated by
/// aliases cannot make the reader run for long.
final class SpecReader {
    let file: String
    var diagnostics = DiagnosticCollector()
    private var nodeBudget: Int
    private var budgetReported = false

    init(file: String, nodeBudget: Int = 20_000) {
        self.file = file
        self.nodeBudget = nodeBudget
    }

    func location(_ node: Node) -> SourceLocation? {
        node.mark.map { SourceLocation(file: file, line: max(1, $0.line), column: max(1, $0.column)) }
    }

    func error(_ message: String, at node: Node?, path: String) {
        diagnostics.error(message, at: node.flatMap(location), file: file, path: path)
    }

    /// Counts a visited node; false once the budget is spent (reported once).
    func visit(_ node: Node) -> Bool {
        nodeBudget -= 1
        if nodeBudget >= 0 { return true }
        if !budgetReported {
            budgetReported = true
            error("document is too large after expanding aliases; write the values out", at: node, path: "")
        }
        return false
    }

    /// Opens `node` as a mapping whose keys must come from `keys`; nil (with a diagnostic) otherwise.
    func object(_ node: Node, path: String, keys: [String]) -> ObjectReader? {
        guard visit(node) else { return nil }
        guard case let .mapping(mapping) = node else {
            error("expected a mapping for '\(path.isEmpty ? "the document" : path)', found \(describe(node))",
                  at: node, path: path)
            return nil
        }
        return ObjectReader(reader: self, node: node, mapping: mapping, path: path, keys: keys)
    }

    /// Opens `node` as a list; nil (with a diagnostic) otherwise.
    func list(_ node: Node, path: String) -> [Node]? {
        guard visit(node) else { return nil }
        guard case let .sequence(sequence) = node else {
            error("expected a list for '\(path)', found \(describe(node))", at: node, path: path)
            return nil
        }
        return Array(sequence)
    }

    /// A short description of what a node holds, for "expected X, found Y" messages.
    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case let .scalar(scalar):
            switch Scalar(scalar) {
            case .null: return "null"
            case .bool(let b): return "the boolean \(b)"
            case .int(let i): return "the number \(i)"
            case .double(let d): return "the number \(d)"
            case .bigInteger(let s): return "the number \(s)"
            case .string(let s): return "the string \"\(s.prefix(40))\""
            }
        }
    }

    // MARK: Scalar values

    func int(_ node: Node, path: String, range: ClosedRange<Int>) -> Int? {
        guard visit(node) else { return nil }
        guard case let .scalar(scalar) = node else {
            error("expected an integer for '\(path)', found \(describe(node))", at: node, path: path)
            return nil
        }
        switch Scalar(scalar) {
        case .int(let value):
            return check(value, range: range, node: node, path: path)
        case .double(let value) where value.rounded() == value && abs(value) < 1e15:
            return check(Int(value), range: range, node: node, path: path)
        case .bigInteger(let text):
            let sign = text.hasPrefix("-") ? "small" : "large"
            error("'\(path)' is too \(sign): \(text) (allowed \(range.lowerBound)...\(range.upperBound))",
                  at: node, path: path)
            return nil
        default:
            error("expected an integer for '\(path)', found \(describe(node))", at: node, path: path)
            return nil
        }
    }

    private func check(_ value: Int, range: ClosedRange<Int>, node: Node, path: String) -> Int? {
        if value < range.lowerBound {
            let what = range.lowerBound == 1 ? "must be positive" : "must be at least \(range.lowerBound)"
            error("'\(path)' \(what), found \(value)", at: node, path: path)
            return nil
        }
        if value > range.upperBound {
            error("'\(path)' is too large: \(value) (maximum \(range.upperBound))", at: node, path: path)
            return nil
        }
        return value
    }

    func double(_ node: Node, path: String, range: ClosedRange<Double>) -> Double? {
        guard visit(node) else { return nil }
        let value: Double
        if case let .scalar(scalar) = node {
            switch Scalar(scalar) {
            case .int(let i): value = Double(i)
            case .double(let d): value = d
            default:
                error("expected a number for '\(path)', found \(describe(node))", at: node, path: path)
                return nil
            }
        } else {
            error("expected a number for '\(path)', found \(describe(node))", at: node, path: path)
            return nil
        }
        guard value.isFinite, range.contains(value) else {
            error("'\(path)' must be in \(range.lowerBound)...\(range.upperBound), found \(value)", at: node, path: path)
            return nil
        }
        return value
    }

    func bool(_ node: Node, path: String) -> Bool? {
        guard visit(node) else { return nil }
        if case let .scalar(scalar) = node, case let .bool(value) = Scalar(scalar) { return value }
        error("expected true or false for '\(path)', found \(describe(node))", at: node, path: path)
        return nil
    }

    func string(_ node: Node, path: String) -> String? {
        guard visit(node) else { return nil }
        if case let .scalar(scalar) = node {
            switch Scalar(scalar) {
            case .string(let s): return s
            case .int, .double, .bigInteger, .bool: return scalar.string
            case .null: break
            }
        }
        error("expected a string for '\(path)', found \(describe(node))", at: node, path: path)
        return nil
    }

    /// A string that must be one of `E`'s raw values.
    func choice<E: RawRepresentable & CaseIterable>(_ node: Node, path: String, as: E.Type) -> E?
    where E.RawValue == String {
        guard let text = string(node, path: path) else { return nil }
        if let value = E(rawValue: text) { return value }
        let names = E.allCases.map(\.rawValue)
        error("'\(path)' must be one of \(names.map { "'\($0)'" }.joined(separator: ", ")), found '\(text)'"
              + Suggestions.hint(for: text, among: names), at: node, path: path)
        return nil
    }
}

/// The interpretation of a YAML scalar under the core schema (plain scalars only are typed).
enum Scalar {
    case null, bool(Bool), int(Int), double(Double), bigInteger(String), string(String)

    init(_ scalar: Node.Scalar) {
        let text = scalar.string
        guard scalar.style == .plain else {
            self = .string(text)
            return
        }
        switch text {
        case "", "~", "null", "Null", "NULL": self = .null
        case "true", "True", "TRUE": self = .bool(true)
        case "false", "False", "FALSE": self = .bool(false)
        default:
            if let i = Int(text) {
                self = .int(i)
            } else if text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") }),
                      text.contains(where: \.isNumber) {
                self = .bigInteger(text)
            } else if let d = Double(text), text.contains(where: \.isNumber) {
                self = .double(d)
            } else {
                self = .string(text)
            }
        }
    }
}

/// Reads the fields of one mapping. Unknown keys are reported when the reader is created, with a
/// "did you mean" suggestion taken from the allowed keys.
final class ObjectReader {
    let reader: SpecReader
    let node: Node
    let path: String
    private var values: [String: Node] = [:]

    init(reader: SpecReader, node: Node, mapping: Node.Mapping, path: String, keys: [String]) {
        self.reader = reader
        self.node = node
        self.path = path
        for (keyNode, value) in mapping {
            guard reader.visit(keyNode) else { return }
            guard case let .scalar(scalar) = keyNode else {
                reader.error("keys must be plain names, found \(reader.describe(keyNode))", at: keyNode, path: path)
                continue
            }
            let key = scalar.string
            if keys.contains(key) {
                values[key] = value
            } else {
                let place = path.isEmpty ? "" : " in '\(path)'"
                reader.error("unknown key '\(key)'\(place)" + Suggestions.hint(for: key, among: keys),
                             at: keyNode, path: join(key))
            }
        }
    }

    func join(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The value node of `key`, or nil when absent or null.
    func node(_ key: String) -> Node? {
        guard let value = values[key] else { return nil }
        if case let .scalar(scalar) = value, case .null = Scalar(scalar) { return nil }
        return value
    }

    func has(_ key: String) -> Bool { node(key) != nil }

    /// Records "missing required field" at this mapping's position.
    func missing(_ key: String, hint: String = "") {
        let place = path.isEmpty ? "" : " in '\(path)'"
        reader.error("missing required field '\(key)'\(place)\(hint)", at: node, path: join(key))
    }

    func int(_ key: String, range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let value = node(key) else {
            if required { missing(key) }
            return nil
        }
        return reader.int(value, path: join(key), range: range)
    }

    func double(_ key: String, range: ClosedRange<Double>, required: Bool = false) -> Double? {
        guard let value = node(key) else {
            if required { missing(key) }
            return nil
        }
        return reader.double(value, path: join(key), range: range)
    }

    func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let value = node(key) else {
            if required { missing(key) }
            return nil
        }
        return reader.bool(value, path: join(key))
    }

    func string(_ key: String, required: Bool = false) -> String? {
        guard let value = node(key) else {
            if required { missing(key) }
            return nil
        }
        return reader.string(value, path: join(key))
    }

    func choice<E: RawRepresentable & CaseIterable>(_ key: String, as type: E.Type, required: Bool = false) -> E?
    where E.RawValue == String {
        guard let value = node(key) else {
            if required { missing(key) }
            return nil
        }
        return reader.choice(value, path: join(key), as: type)
    }

    func object(_ key: String, keys: [String], required: Bool = false) -> ObjectReader? {
        guard let value = node(key) else {
            if required { missing(key) }
            return nil
        }
        return reader.object(value, path: join(key), keys: keys)
    }

    /// Location of a key's value (or of this mapping when the key is absent).
    func location(_ key: String) -> SourceLocation? {
        reader.location(node(key) ?? node)
    }
}
