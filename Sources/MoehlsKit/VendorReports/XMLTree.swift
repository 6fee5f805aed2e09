import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A small element tree read with `XMLParser` (libxml2 through FoundationXML).
///
/// `XMLDocument(data:)` of swift-corelibs-foundation crashes on some malformed inputs (a null
/// dereference for an unterminated element, seen with Swift 6.3), so vendor reports are read with
/// the event parser, which reports errors instead. External entities are not resolved.
///
/// Two inputs crash FoundationXML itself and are refused before or while parsing: bytes that are
/// not UTF-8 (its callbacks trap building a String from an invalid element or attribute name), so
/// the whole file is validated first and the first bad byte located; and nesting deeper than
/// `maxDepth` (the element tree's recursive release overflows the stack near 100,000 levels), so
/// the builder stops there. Vendor reports are UTF-8 and nest about ten levels deep.
struct XMLTree: Sendable {
    /// The deepest element nesting accepted.
    static let maxDepth = 1_000

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
        if let bad = firstInvalidUTF8(data) {
            return .failure(XMLTreeError(message: "not UTF-8: byte 0x\(String(data[data.startIndex + bad.offset], radix: 16)) "
                                                  + "at offset \(bad.offset) does not start a valid UTF-8 character",
                                         line: bad.line, column: bad.column))
        }
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        let builder = Builder()
        parser.delegate = builder
        let finished = parser.parse()
        if builder.tooDeep {
            return .failure(XMLTreeError(message: "elements nest deeper than \(maxDepth) levels; not a vendor report",
                                         line: builder.tooDeepLine, column: builder.tooDeepColumn))
        }
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

    /// The offset, line and column (1-based, in bytes) of the first byte that is not valid UTF-8.
    static func firstInvalidUTF8(_ data: Data) -> (offset: Int, line: Int, column: Int)? {
        var parser = Unicode.UTF8.ForwardParser()
        var bytes = data.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &bytes) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error:
                let before = data.prefix(offset)
                let line = before.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
                let column = offset - (before.lastIndex(of: 0x0A).map { $0 - data.startIndex + 1 } ?? 0) + 1
                return (offset, line, column)
            }
        }
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: Element?
        var stack: [Element] = []
        var tooDeep = false
        var tooDeepLine = 1, tooDeepColumn = 1

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            if stack.count >= XMLTree.maxDepth {
                if !tooDeep {
                    tooDeep = true
                    (tooDeepLine, tooDeepColumn) = (parser.lineNumber, parser.columnNumber)
                    parser.abortParsing()
                }
                return
            }
            let element = Element(name: elementName)
            if let parent = stack.last { parent.children.append(element) } else if root == nil { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            if !tooDeep { _ = stack.popLast() }
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
