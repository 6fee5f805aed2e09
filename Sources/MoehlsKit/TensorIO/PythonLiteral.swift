/// A value of the small subset of Python literal syntax that `.npy` headers use: a dict of
/// string keys to strings, booleans, integers and tuples of integers. Parsed by a recursive
/// descent parser with a nesting limit; anything else (floats, expressions, calls, comments,
/// unsupported escapes) is an error with the byte position, never evaluated.
enum PythonLiteral {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    /// Entries in source order; duplicate keys are rejected by the parser.
    case dict([(key: String, value: PythonLiteral)])

    /// "a string", "an integer", ... for messages.
    var kindDescription: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .bool: "a boolean"
        case .none: "None"
        case .tuple: "a tuple"
        case .list: "a list"
        case .dict: "a dict"
        }
    }
}

/// Parses one Python literal from bytes (ASCII syntax; string contents decoded as Latin-1 or UTF-8).
struct PythonLiteralParser {
    struct Failure: Error {
        var message: String
        /// Byte offset in the parsed text.
        var offset: Int
    }

    static let maxDepth = 16

    private let bytes: [UInt8]
    private let utf8Strings: Bool
    private(set) var position = 0
    private var depth = 0

    /// `utf8Strings`: decode string contents as UTF-8 (format 3.0) rather than Latin-1 (1.0, 2.0).
    init(_ bytes: [UInt8], utf8Strings: Bool) {
        self.bytes = bytes
        self.utf8Strings = utf8Strings
    }

    /// Parses a single literal that must be followed by nothing but whitespace.
    static func parse(_ bytes: [UInt8], utf8Strings: Bool) throws(Failure) -> PythonLiteral {
        var parser = PythonLiteralParser(bytes, utf8Strings: utf8Strings)
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.position < bytes.count {
            throw Failure(message: "unexpected \(parser.describeCurrent()) after the header dict", offset: parser.position)
        }
        return value
    }

    // MARK: Grammar

    mutating func parseValue() throws(Failure) -> PythonLiteral {
        skipWhitespace()
        guard let byte = peek else { throw fail("unexpected end of the header, expected a value") }
        switch byte {
        case UInt8(ascii: "{"): return try parseDict()
        case UInt8(ascii: "("): return try parseTupleOrParenthesised()
        case UInt8(ascii: "["): return .list(try parseSequence(close: UInt8(ascii: "]")))
        case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"):
            return .integer(try parseInteger())
        case _ where Self.isNameStart(byte):
            let start = position
            while let b = peek, Self.isNameStart(b) || Self.isDigit(b) { position += 1 }
            let name = String(decoding: bytes[start..<position], as: UTF8.self)
            switch name {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .none
            default:
                position = start
                throw fail("unexpected name '\(name)'; only True, False and None are allowed")
            }
        default:
            throw fail("unexpected \(describeCurrent())")
        }
    }

    private mutating func parseDict() throws(Failure) -> PythonLiteral {
        try enter()
        defer { depth -= 1 }
        position += 1  // {
        var entries: [(key: String, value: PythonLiteral)] = []
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            position += 1
            return .dict(entries)
        }
        while true {
            skipWhitespace()
            let keyStart = position
            let key = try parseValue()
            guard case let .string(name) = key else {
                position = keyStart
                throw fail("dict keys must be strings, found \(key.kindDescription)")
            }
            if entries.contains(where: { $0.key == name }) {
                position = keyStart
                throw fail("duplicate key '\(name)'")
            }
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw fail("expected ':' after the key '\(name)', found \(describeCurrent())") }
            position += 1
            let value = try parseValue()
            entries.append((name, value))
            skipWhitespace()
            if peek == UInt8(ascii: ",") {
                position += 1
                skipWhitespace()
                if peek == UInt8(ascii: "}") {
                    position += 1
                    return .dict(entries)
                }
            } else if peek == UInt8(ascii: "}") {
                position += 1
                return .dict(entries)
            } else {
                throw fail("expected ',' or '}' in the dict, found \(describeCurrent())")
            }
        }
    }

    /// `()`, `(x,)`, `(x, y)`, `(x, y,)` are tuples; `(x)` is just `x`, as in Python.
    private mutating func parseTupleOrParenthesised() throws(Failure) -> PythonLiteral {
        try enter()
        defer { depth -= 1 }
        position += 1  // (
        skipWhitespace()
        if peek == UInt8(ascii: ")") {
            position += 1
            return .tuple([])
        }
        let first = try parseValue()
        skipWhitespace()
        if peek == UInt8(ascii: ")") {
            position += 1
            return first
        }
        guard peek == UInt8(ascii: ",") else { throw fail("expected ',' or ')' in the tuple, found \(describeCurrent())") }
        position += 1
        return .tuple([first] + (try parseElements(close: UInt8(ascii: ")"))))
    }

    private mutating func parseSequence(close: UInt8) throws(Failure) -> [PythonLiteral] {
        try enter()
        defer { depth -= 1 }
        position += 1  // [
        return try parseElements(close: close)
    }

    /// Elements up to and including `close`, each followed by ',' or `close` (a trailing comma is allowed).
    private mutating func parseElements(close: UInt8) throws(Failure) -> [PythonLiteral] {
        var elements: [PythonLiteral] = []
        let closeText = String(UnicodeScalar(close))
        while true {
            skipWhitespace()
            if peek == close {
                position += 1
                return elements
            }
            elements.append(try parseValue())
            skipWhitespace()
            if peek == UInt8(ascii: ",") {
                position += 1
            } else if peek != close {
                throw fail("expected ',' or '\(closeText)', found \(describeCurrent())")
            }
        }
    }

    private mutating func parseString() throws(Failure) -> String {
        let quote = bytes[position]
        let start = position
        position += 1
        var content: [UInt8] = []
        while true {
            guard let byte = peek else {
                position = start
                throw fail("unterminated string")
            }
            position += 1
            if byte == quote { break }
            if byte == UInt8(ascii: "\n") {
                position = start
                throw fail("unterminated string (a newline inside quotes)")
            }
            if byte == UInt8(ascii: "\\") {
                guard let escaped = peek else { continue }
                switch escaped {
                case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): content.append(escaped)
                case UInt8(ascii: "n"): content.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): content.append(UInt8(ascii: "\t"))
                default:
                    position -= 1
                    throw fail("unsupported escape '\\\(String(UnicodeScalar(escaped)))' in a string")
                }
                position += 1
            } else {
                content.append(byte)
            }
        }
        if utf8Strings {
            // Decoding repairs invalid sequences; a repaired string no longer matches its bytes.
            let text = String(decoding: content, as: UTF8.self)
            guard text.utf8.elementsEqual(content) else {
                position = start
                throw fail("string is not valid UTF-8")
            }
            return text
        }
        // Latin-1: each byte is the Unicode scalar of the same value.
        return String(String.UnicodeScalarView(content.map { UnicodeScalar($0) }))
    }

    private mutating func parseInteger() throws(Failure) -> Int {
        let start = position
        var negative = false
        if peek == UInt8(ascii: "-") || peek == UInt8(ascii: "+") {
            negative = peek == UInt8(ascii: "-")
            position += 1
            skipWhitespace()  // Python allows "- 1"
        }
        guard let first = peek, Self.isDigit(first) else {
            throw fail("expected digits, found \(describeCurrent())")
        }
        var value = 0
        var overflow = false
        while let b = peek, Self.isDigit(b) {
            let digit = Int(b - UInt8(ascii: "0"))
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
            overflow = overflow || o1 || o2
            value = next
            position += 1
        }
        if peek == UInt8(ascii: "L") || peek == UInt8(ascii: "l") { position += 1 }  // Python 2 long suffix
        if let b = peek, Self.isNameStart(b) || Self.isDigit(b) || b == UInt8(ascii: ".") {
            throw fail("malformed integer: only decimal integers are allowed here")
        }
        if overflow {
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            position = start
            throw fail("integer \(text) does not fit in 64 bits")
        }
        return value
    }

    // MARK: Helpers

    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func enter() throws(Failure) {
        depth += 1
        if depth > Self.maxDepth { throw fail("values nested more than \(Self.maxDepth) deep") }
    }

    mutating func skipWhitespace() {
        while let b = peek, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C { position += 1 }
    }

    private func fail(_ message: String) -> Failure { Failure(message: message, offset: position) }

    /// "'x'", "byte 0x93", or "the end of the header".
    private func describeCurrent() -> String {
        guard let b = peek else { return "the end of the header" }
        if b == UInt8(ascii: "'") { return "\"'\"" }
        if b >= 0x21 && b < 0x7F { return "'\(String(UnicodeScalar(b)))'" }
        return "byte 0x" + String(b, radix: 16, uppercase: true)
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private static func isNameStart(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || b == UInt8(ascii: "_")
    }
}
