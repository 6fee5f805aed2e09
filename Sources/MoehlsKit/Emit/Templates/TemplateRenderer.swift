import Foundation
import MoehlsTemplates

/// Plain `@@key@@` substitution for the template files (Templates/). There is no logic in a
/// template: every choice is made in Swift and arrives as a finished string. `@@` occurs in none
/// of the languages templated (Verilog, C++, Python, Tcl, Yosys scripts), unlike `{{`, which is
/// Verilog's replication, so hand-written kernels go through the same renderer with no values.
///
/// Rendering fails instead of leaking a placeholder: on a key the values do not define, on a
/// malformed or unterminated `@@`, on any `@@` left in the output, and on a value the template
/// never uses (a context that drifted from its template).
public struct TemplateRenderer: Sendable {
    /// A problem with a template, naming the template and the key.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var template: String
        public var message: String
        public var description: String { "\(template): \(message)" }
    }

    public var values: [String: String]

    public init(_ values: [String: String]) {
        self.values = values
    }

    /// `text` with every `@@key@@` replaced; `name` labels errors. Every value must be used.
    public func render(_ text: String, name: String) throws(Failure) -> String {
        let (output, used) = try substitute(text, name: name)
        try checkUsed(used, name: name)
        return output
    }

    /// Fails naming the values no template used.
    func checkUsed(_ used: Set<String>, name: String) throws(Failure) {
        let unused = Set(values.keys).subtracting(used)
        if !unused.isEmpty {
            throw Failure(template: name, message: "values the template never uses: \(unused.sorted().joined(separator: ", "))")
        }
    }

    /// The placeholder delimiter, on both sides of a key.
    public static let delimiter = "@@"

    /// `text` with every `@@key@@` replaced, and the keys it used.
    func substitute(_ text: String, name: String) throws(Failure) -> (String, Set<String>) {
        let mark = Self.delimiter
        var output = ""
        var used = Set<String>()
        var rest = Substring(text)
        while let open = rest.range(of: mark) {
            output += rest[..<open.lowerBound]
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: mark) else {
                throw Failure(template: name, message: "unterminated '\(mark)'")
            }
            let key = String(afterOpen[..<close.lowerBound])
            guard !key.isEmpty, key.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "_" }) else {
                throw Failure(template: name, message: "malformed placeholder '\(mark)\(key.prefix(40))\(mark)'")
            }
            guard let value = values[key] else {
                throw Failure(template: name, message: "no value for '\(mark)\(key)\(mark)'")
            }
            output += value
            used.insert(key)
            rest = afterOpen[close.upperBound...]
        }
        output += rest
        if output.contains(mark) {
            throw Failure(template: name, message: "a value left '\(mark)' in the output")
        }
        return (output, used)
    }

    /// Loads `relativePath` from the MoehlsTemplates bundle (`hls/src/moehls_linear.h`) and renders it.
    /// A file without placeholders (a hand-written kernel) renders with no values, unchanged.
    public func renderTemplate(_ relativePath: String) throws(Failure) -> String {
        let (output, used) = try substitute(try load(relativePath), name: relativePath)
        try checkUsed(used, name: relativePath)
        return output
    }

    /// Renders a family of templates that share one context (Templates/hls): every value must be
    /// used by at least one of them.
    public func renderTemplates(_ relativePaths: [String]) throws(Failure) -> [String] {
        var used = Set<String>()
        var outputs: [String] = []
        for path in relativePaths {
            let (output, keys) = try substitute(try load(path), name: path)
            outputs.append(output)
            used.formUnion(keys)
        }
        try checkUsed(used, name: relativePaths.count == 1 ? relativePaths[0] : "the \(relativePaths.count) templates")
        return outputs
    }

    func load(_ relativePath: String) throws(Failure) -> String {
        guard let url = TemplateBundle.url(relativePath) else {
            throw Failure(template: relativePath, message: "template not found in the MoehlsTemplates bundle")
        }
        guard let data = FileManager.default.contents(atPath: url.path),
              let text = String(data: data, encoding: .utf8) else {
            throw Failure(template: relativePath, message: "template is not readable UTF-8")
        }
        return text
    }
}
