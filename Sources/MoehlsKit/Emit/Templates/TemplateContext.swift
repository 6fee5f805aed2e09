/// The typed values of one template (or one family of templates): a struct whose stored
/// properties are the placeholders, `camelCase` in Swift and `@@snake_case@@` in the template
/// (`tIn` fills `@@t_in@@`, `weightPort0` fills `@@weight_port0@@`). Properties are `String` or
/// `Int`; a property that is itself a `TemplateContext` contributes its own properties (so a
/// testbench can extend the context of the one it builds on). Swift checks the names at the call
/// sites; the renderer checks that template and context agree key for key.
public protocol TemplateContext: Sendable {}

extension TemplateContext {
    /// The placeholder values: every stored property, nested contexts flattened, by snake_case key.
    public func templateValues() throws(TemplateRenderer.Failure) -> [String: String] {
        var values: [String: String] = [:]
        try collect(into: &values)
        return values
    }

    private func collect(into values: inout [String: String]) throws(TemplateRenderer.Failure) {
        for child in Mirror(reflecting: self).children {
            guard let label = child.label else { continue }
            let key = Self.snakeCase(label)
            let text: String
            switch child.value {
            case let nested as any TemplateContext:
                try nested.collect(into: &values)
                continue
            case let string as String: text = string
            case let number as Int: text = "\(number)"
            default:
                throw .init(template: "\(Self.self)", message: "'\(label)' is neither a String, an Int nor a TemplateContext")
            }
            if values[key] != nil { throw .init(template: "\(Self.self)", message: "'\(key)' is defined twice") }
            values[key] = text
        }
    }

    /// `weightPort0` -> `weight_port0`, `tIn` -> `t_in`.
    static func snakeCase(_ name: String) -> String {
        var out = ""
        for c in name {
            if c.isUppercase {
                out += "_" + c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }
}

extension TemplateRenderer {
    /// A renderer for the values of `context`.
    public init(_ context: some TemplateContext) throws(Failure) {
        self.init(try context.templateValues())
    }
}
