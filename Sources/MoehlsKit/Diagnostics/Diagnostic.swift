/// A position in a user's input file. Lines and columns start at 1.
public struct SourceLocation: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The file as the user named it (never made absolute, so output stays machine-independent).
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One problem found in a user's input, printed as `file:line:col: error: message`.
///
/// When the problem has no position (a check across fields, or a value built in code),
/// `path` names the field (`layers[3].moe.top_k`) and the file alone is printed.
public struct Diagnostic: Hashable, Codable, Sendable, CustomStringConvertible, Error {
    public enum Severity: String, Hashable, Codable, Sendable {
        case error, warning, note
    }

    public var severity: Severity
    public var message: String
    /// Where the problem is, when known.
    public var location: SourceLocation?
    /// The file, when there is no line/column (a missing field, a whole-file problem).
    public var file: String?
    /// Dotted field path, e.g. `moe.top_k`, when the problem concerns one field.
    public var path: String?

    public init(_ severity: Severity, _ message: String, at location: SourceLocation? = nil,
                file: String? = nil, path: String? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
        self.file = file ?? location?.file
        self.path = path
    }

    public static func error(_ message: String, at location: SourceLocation? = nil,
                             file: String? = nil, path: String? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: location, file: file, path: path)
    }

    /// `file:line:col: error: message`, or `file: error: path: message` without a position.
    public var description: String {
        var prefix = ""
        if let location {
            prefix = "\(location): "
        } else if let file {
            prefix = "\(file): "
        }
        let field = (location == nil && path != nil) ? "\(path!): " : ""
        return "\(prefix)\(severity.rawValue): \(field)\(message)"
    }
}

/// A batch of problems, thrown when an input cannot be used. The CLI prints each and exits 1.
public struct DiagnosticError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects diagnostics while a stage runs, so that every problem is reported in one run.
public struct DiagnosticCollector: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public mutating func add(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    public mutating func error(_ message: String, at location: SourceLocation?, file: String? = nil,
                               path: String? = nil) {
        add(.error(message, at: location, file: file, path: path))
    }

    /// Throws the collected errors, sorted by position, if there are any.
    public func throwIfErrors() throws(DiagnosticError) {
        if hasErrors { throw DiagnosticError(sorted) }
    }

    /// Diagnostics in reading order: by line and column, positionless ones last, stable otherwise.
    public var sorted: [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            let la = a.element.location, lb = b.element.location
            switch (la, lb) {
            case let (x?, y?):
                if x.line != y.line { return x.line < y.line }
                if x.column != y.column { return x.column < y.column }
                return a.offset < b.offset
            case (.some, .none): return true
            case (.none, .some): return false
            case (.none, .none): return a.offset < b.offset
            }
        }.map(\.element)
    }
}
