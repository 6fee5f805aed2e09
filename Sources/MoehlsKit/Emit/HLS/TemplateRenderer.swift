import Foundation
import MoehlsTemplates

/// Plain `{{key}}` substitution for the template files (Templates/hls). There is no logic in a
/// template: every choice is made in Swift and arrives as a finished string.
///
/// Rendering fails instead of leaking a placeholder: on a key the values do not define, on a
/// malformed `{{`, and on any `{{` left in the output.
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

    /// `text` with every `{{key}}` replaced; `name` labels errors.
    public func render(_ text: String, name: String) throws(Failure) -> String {
        var output = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            output += rest[..<open.lowerBound]
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "}}") else {
                throw Failure(template: name, message: "unterminated '{{'")
            }
            let key = String(afterOpen[..<close.lowerBound])
            guard !key.isEmpty, key.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "_" }) else {
                throw Failure(template: name, message: "malformed placeholder '{{\(key)}}'")
            }
            guard let value = values[key] else {
                throw Failure(template: name, message: "no value for '{{\(key)}}'")
            }
            output += value
            rest = afterOpen[close.upperBound...]
        }
        output += rest
        if output.contains("{{") {
            throw Failure(template: name, message: "a value left '{{' in the output")
        }
        return output
    }

    /// Loads `relativePath` from the MoehlsTemplates bundle (`hls/src/moehls_linear.h`) and renders it.
    public func renderTemplate(_ relativePath: String) throws(Failure) -> String {
        guard let url = TemplateBundle.url(relativePath) else {
            throw Failure(template: relativePath, message: "template not found in the MoehlsTemplates bundle")
        }
        guard let data = FileManager.default.contents(atPath: url.path),
              let text = String(data: data, encoding: .utf8) else {
            throw Failure(template: relativePath, message: "template is not readable UTF-8")
        }
        return try render(text, name: relativePath)
    }
}
