/// A JSON value parsed strictly (RFC 8259) for `.safetensors` headers: object members keep their
/// order, duplicate keys are an error, integers are kept apart from other numbers, nesting is
/// limited. Errors carry the byte offset.
enum StrictJSON {
    case object([(key: String, value: StrictJSON)])
    case array([StrictJSON])
    case string(String)
    /// An integer literal (no fraction or exponent) that fits in `Int`.
    case integer(Int)
    /// Any other number, as written.
    case number(String)
    case bool(Bool)
    case null

    var kindDescription: String {
        switch self {
        case .object: "an object"
        case .array: "a list"
        case .string: "a string"
        case .integer, .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    struct Failure: Error {
        var message: String
        var offset: Int
    }

    static let maxDepth = 32

    /// Parses one JSON value followed only by whitespace.
    static func parse(_ bytes: [UInt8]) throws(Failure) -> StrictJSON {
        var parser = Parser(bytes: bytes)
        let value = try parser.value()
        parser.skipWhitespace()
        if parser.position < bytes.count {
            throw Failure(message: "unexpected \(parser.describeCurrent()) after the JSON value", offset: parser.position)
        }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0
        var depth = 0

        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

        func fail(_ message: String) -> Failure { Failure(message: message, offset: position) }

        mutating func skipWhitespace() {
            while let b = peek, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { position += 1 }
        }

        func describeCurrent() -> String {
            guard let b = peek else { return "the end of the JSON" }
            if b >= 0x21 && b < 0x7F { return "'\(String(UnicodeScalar(b)))'" }
            return "byte 0x" + String(b, radix: 16, uppercase: true)
        }

        mutating func value() throws(Failure) -> StrictJSON {
            skipWhitespace()
            guard let b = peek else { throw fail("unexpected end of the JSON, expected a value") }
            switch b {
            case UInt8(ascii: "{"): return try object()
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            default: throw fail("unexpected \(describeCurrent())")
            }
        }

        mutating func literal(_ word: String, _ result: StrictJSON) throws(Failure) -> StrictJSON {
            let expected = Array(word.utf8)
            guard position + expected.count <= bytes.count,
                  bytes[position..<(position + expected.count)].elementsEqual(expected) else {
                throw fail("unexpected \(describeCurrent())")
            }
            position += expected.count
            return result
        }

        mutating func enter() throws(Failure) {
            depth += 1
            if depth > StrictJSON.maxDepth { throw fail("values nested more than \(StrictJSON.maxDepth) deep") }
        }

        mutating func object() throws(Failure) -> StrictJSON {
            try enter()
            defer { depth -= 1 }
            position += 1  // {
            var members: [(key: String, value: StrictJSON)] = []
            var keys = Set<String>()
            skipWhitespace()
            if peek == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard peek == UInt8(ascii: "\"") else { throw fail("expected a string key, found \(describeCurrent())") }
                let keyStart = position
                let key = try string()
                if !keys.insert(key).inserted {
                    position = keyStart
                    throw fail("duplicate key \"\(key)\"")
                }
                skipWhitespace()
                guard peek == UInt8(ascii: ":") else { throw fail("expected ':' after the key \"\(key)\", found \(describeCurrent())") }
                position += 1
                members.append((key, try value()))
                skipWhitespace()
                switch peek {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "}"):
                    position += 1
                    return .object(members)
                default: throw fail("expected ',' or '}' in an object, found \(describeCurrent())")
                }
            }
        }

        mutating func array() throws(Failure) -> StrictJSON {
            try enter()
            defer { depth -= 1 }
            position += 1  // [
            var items: [StrictJSON] = []
            skipWhitespace()
            if peek == UInt8(ascii: "]") {
                position += 1
                return .array(items)
            }
            while true {
                items.append(try value())
                skipWhitespace()
                switch peek {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "]"):
                    position += 1
                    return .array(items)
                default: throw fail("expected ',' or ']' in a list, found \(describeCurrent())")
                }
            }
        }

        mutating func string() throws(Failure) -> String {
            let start = position
            position += 1  // "
            var runStart = position  // start of the current run of plain bytes
            var pending: [UInt8] = []  // the decoded bytes so far
            func flush(_ end: Int) { pending += bytes[runStart..<end] }
            while true {
                guard let b = peek else {
                    position = start
                    throw fail("unterminated string")
                }
                if b == UInt8(ascii: "\"") {
                    flush(position)
                    position += 1
                    break
                }
                if b < 0x20 { throw fail("control character 0x\(String(b, radix: 16)) inside a string (escape it)") }
                if b != UInt8(ascii: "\\") {
                    position += 1
                    continue
                }
                flush(position)
                position += 1
                guard let e = peek else { continue }
                position += 1
                let simple: UInt8? = switch e {
                case UInt8(ascii: "\""): 0x22
                case UInt8(ascii: "\\"): 0x5C
                case UInt8(ascii: "/"): 0x2F
                case UInt8(ascii: "b"): 0x08
                case UInt8(ascii: "f"): 0x0C
                case UInt8(ascii: "n"): 0x0A
                case UInt8(ascii: "r"): 0x0D
                case UInt8(ascii: "t"): 0x09
                default: nil
                }
                if let simple {
                    pending.append(simple)
                } else if e == UInt8(ascii: "u") {
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code) {
                        // A high surrogate must be followed by an escaped low surrogate.
                        guard peek == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                            throw fail("unpaired surrogate \\u\(String(code, radix: 16)) in a string")
                        }
                        position += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate in a string") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(code) {
                        throw fail("unpaired surrogate \\u\(String(code, radix: 16)) in a string")
                    }
                    pending += Array(String(UnicodeScalar(code)!).utf8)
                } else {
                    position -= 1
                    throw fail("invalid escape '\\\(String(UnicodeScalar(e)))' in a string")
                }
                runStart = position
            }
            // The header was checked to be UTF-8, so the bytes decode without repair.
            return String(decoding: pending, as: UTF8.self)
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            var code: UInt32 = 0
            for _ in 0..<4 {
                guard let b = peek else { throw fail("unterminated \\u escape") }
                let digit: UInt32
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
                default: throw fail("invalid \\u escape: expected 4 hex digits")
                }
                code = code << 4 | digit
                position += 1
            }
            return code
        }

        /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
        mutating func number() throws(Failure) -> StrictJSON {
            let start = position
            func digits() -> Int {
                let from = position
                while let b = peek, b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") { position += 1 }
                return position - from
            }
            if peek == UInt8(ascii: "-") { position += 1 }
            let integerStart = position
            let integerDigits = digits()
            if integerDigits == 0 { throw fail("expected digits in a number") }
            if integerDigits > 1 && bytes[integerStart] == UInt8(ascii: "0") {
                position = integerStart
                throw fail("leading zero in a number")
            }
            var isInteger = true
            if peek == UInt8(ascii: ".") {
                position += 1
                if digits() == 0 { throw fail("expected digits after the decimal point") }
                isInteger = false
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                position += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
                if digits() == 0 { throw fail("expected digits in the exponent") }
                isInteger = false
            }
            let literal = String(decoding: bytes[start..<position], as: UTF8.self)
            if isInteger, let value = Int(literal) { return .integer(value) }
            return .number(literal)
        }
    }
}
