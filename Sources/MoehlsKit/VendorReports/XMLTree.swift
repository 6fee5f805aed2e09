import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A small element tree read with `XMLParser` (libxml2 through FoundationXML).
///
/// `XMLDocument(data:)` of swift-corelibs-foundation crashes on some malformed inputs (a null
/// dereference for an unterminated element, seen with Swift 6.3), so vendor reports are read with
/// the event parser, which reports errors instead. External entities are not resolved.
struct XMLTree: Sendable {
    final class Element: @unchecked Sendable {
        let name: String
        var text = ""
        var children: [Element] = []

        init(name: String) { self.name = name }

        /// The first child named `name`.
        func child(_ name: String) -> Element? { children.first { $0.name == name } }

        /// The element at a path of child names below this one.
        func at(_ path: [String]) -> Element? {
            var node: Element? = self
            for name in path { node = node?.child(name) }
            return node
        }

        var trimmedText: String { text.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    let root: Element

    /// Parses `data`; a syntax error is a message with the parser's line and column.
    static func parse(_ data: Data) -> Result<XMLTree, XMLTreeError> {
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        let builder = Builder()
        parser.delegate = builder
        let finished = parser.parse()
        if let error = parser.parserError ?? (finished ? nil : NSError(domain: "XMLParser", code: -1)) {
            let code = (error as NSError).code
            return .failure(XMLTreeError(message: "not a well-formed XML file (parser error \(code))",
                                         line: parser.lineNumber, column: parser.columnNumber))
        }
        guard let root = builder.root else {
            return .failure(XMLTreeError(message: "not a well-formed XML file (no root element)", line: 1, column: 1))
        }
        return .success(XMLTree(root: root))
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: Element?
        var stack: [Element] = []

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            let element = Element(name: elementName)
            if let parent = stack.last { parent.children.append(element) } else if root == nil { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            _ = stack.popLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }
    }
}

struct XMLTreeError: Error, Sendable {
    var message: String
    var line: Int
    var column: Int
}
