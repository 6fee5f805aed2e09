import Foundation
import Yams

/// A model or device file read from disk and parsed into a YAML node tree, with every failure
/// turned into a located diagnostic. JSON files go through the same parser (JSON is YAML's flow
/// style), so both formats report `file:line:col` positions.
public struct YAMLDocument {
    /// The file name as the user gave it; used in diagnostics.
    public var file: String
    /// The root node.
    public var root: Node

    /// Files larger than this are refused: model and device files are a few kilobytes.
    public static let maxBytes = 256 * 1024
    /// Alias references allowed in one document (anchors and aliases can multiply a document's
    /// size exponentially; a model file needs few, if any).
    public static let maxAliases = 16

    /// Parses `text`, reporting problems against `file`.
    public static func parse(text: String, file: String) throws(DiagnosticError) -> YAMLDocument {
        func fail(_ message: String, line: Int = 1, column: Int = 1) -> DiagnosticError {
            DiagnosticError([.error(message, at: SourceLocation(file: file, line: line, column: column))])
        }
        if text.utf8.count > maxBytes {
            throw fail("file is \(text.utf8.count) bytes; model and device files are limited to \(maxBytes) bytes")
        }
        if text.allSatisfy({ $0.isWhitespace }) || YAMLDocument.isOnlyComments(text) {
            throw fail("file is empty: expected a mapping of fields (see docs/model-format.md)")
        }
        if let alias = aliasReferences(in: text).dropFirst(maxAliases).first {
            throw fail("too many YAML aliases (more than \(maxAliases)): aliases can multiply a document's size; write the values out",
                       line: alias.line, column: alias.column)
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw DiagnosticError([diagnostic(for: error, file: file)])
        } catch {
            throw fail("cannot parse file: \(error)")
        }
        guard let node else { throw fail("file is empty: expected a mapping of fields") }
        return YAMLDocument(file: file, root: node)
    }

    /// Reads and parses a file; a file that cannot be read or is not UTF-8 is a diagnostic.
    public static func load(path: String) throws(DiagnosticError) -> YAMLDocument {
        let data = try UserFile.read(path: path)
        if data.count > maxBytes {
            throw DiagnosticError([.error("file is \(data.count) bytes; model and device files are limited to \(maxBytes) bytes", file: path)])
        }
        let bytes = [UInt8](data)
        if let bad = firstInvalidUTF8(bytes) {
            let (line, column) = lineAndColumn(ofByte: bad, in: bytes)
            let hex = String(bytes[bad], radix: 16, uppercase: true)
            throw DiagnosticError([.error("file is not valid UTF-8 (byte 0x\(hex)); save it as UTF-8",
                                          at: SourceLocation(file: path, line: line, column: column))])
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return try parse(text: text, file: path)
    }

    /// Maps a Yams error to a diagnostic at the position libyaml reported.
    static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation {
            SourceLocation(file: file, line: max(1, mark.line), column: max(1, mark.column))
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let detail = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return .error("syntax error: \(problem)\(detail)", at: at(mark))
        case let .duplicatedKeysInMapping(duplicates, context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return .error("duplicate key \(names): each field may appear once", at: at(context.mark))
        case let .reader(problem, offset, _, _):
            return .error("cannot read file: \(problem)\(offset.map { " at byte \($0)" } ?? "")", file: file)
        default:
            return .error("cannot parse file: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    /// Positions of `*alias` references outside comments and quoted strings (a conservative scan).
    static func aliasReferences(in text: String) -> [(line: Int, column: Int)] {
        var found: [(line: Int, column: Int)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var previous: Character = " "
            var quote: Character?
            for (column, ch) in line.enumerated() {
                if let q = quote {
                    if ch == q { quote = nil }
                } else if ch == "\"" || ch == "'" {
                    if previous == " " || previous == "[" || previous == "{" || previous == "," || previous == ":" {
                        quote = ch
                    }
                } else if ch == "#" && (previous == " " || column == 0) {
                    break
                } else if ch == "*" && " [{,:-".contains(previous) || (ch == "*" && column == 0) {
                    found.append((index + 1, column + 1))
                }
                previous = ch
            }
        }
        return found
    }

    static func isOnlyComments(_ text: String) -> Bool {
        text.split(separator: "\n").allSatisfy {
            let t = $0.drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" })
            return t.isEmpty || t.hasPrefix("#") || t == "---" || t == "..."
        }
    }

    /// Index of the first byte that does not start or continue a valid UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: i += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return i
            }
            if i + length > bytes.count { return i }
            for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { return i + k }
            // Overlong and surrogate forms.
            if b == 0xE0 && bytes[i + 1] < 0xA0 { return i }
            if b == 0xED && bytes[i + 1] > 0x9F { return i }
            if b == 0xF0 && bytes[i + 1] < 0x90 { return i }
            if b == 0xF4 && bytes[i + 1] > 0x8F { return i }
            i += length
        }
        return nil
    }

    static func lineAndColumn(ofByte offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1, lineStart = 0
        for i in 0..<offset where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return (line, offset - lineStart + 1)
    }
}
