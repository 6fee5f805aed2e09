extension FixedFormat {
    /// Parses the model-file spelling of a fixed-point format.
    ///
    /// Accepted: `fixed<W,I>`, `ufixed<W,I>`, optionally prefixed `ap_`, with optional quantisation
    /// and overflow modes (`fixed<16,2,AP_RND,AP_SAT>`, the `AP_` prefix optional, any case), and
    /// `int<W>` / `uint<W>` for integers (`fixed<W,W>`). W is 1...64, I is 0...W.
    /// Returns the format or a message saying what is wrong.
    public static func parse(_ text: String) -> Result<FixedFormat, FixedFormatError> {
        let compact = text.filter { !$0.isWhitespace }
        var body = Substring(compact)
        if body.lowercased().hasPrefix("ap_") { body = body.dropFirst(3) }
        guard let open = body.firstIndex(of: "<"), body.hasSuffix(">") else {
            return .failure(.syntax(text))
        }
        let family = body[..<open].lowercased()
        let arguments = body[body.index(after: open)..<body.index(before: body.endIndex)]
            .split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let isInteger: Bool, isSigned: Bool
        switch family {
        case "fixed": (isInteger, isSigned) = (false, true)
        case "ufixed": (isInteger, isSigned) = (false, false)
        case "int": (isInteger, isSigned) = (true, true)
        case "uint": (isInteger, isSigned) = (true, false)
        default: return .failure(.syntax(text))
        }
        let numberCount = isInteger ? 1 : 2
        guard arguments.count >= numberCount, arguments.count <= numberCount + (isInteger ? 0 : 2) else {
            return .failure(.syntax(text))
        }
        guard let width = Int(arguments[0]) else { return .failure(.syntax(text)) }
        let integerBits: Int
        if isInteger {
            integerBits = width
        } else {
            guard let i = Int(arguments[1]) else { return .failure(.syntax(text)) }
            integerBits = i
        }
        guard (1...maxWidth).contains(width) else { return .failure(.width(width)) }
        guard integerBits <= width else { return .failure(.integerBits(integerBits, width: width)) }
        guard integerBits >= 0 else { return .failure(.negativeIntegerBits(integerBits)) }
        var format = FixedFormat(width: width, integerBits: integerBits, isSigned: isSigned)
        if arguments.count > 2 {
            let name = normalisedMode(arguments[2])
            guard let mode = QuantizationMode(rawValue: name) else {
                return .failure(.quantization(arguments[2]))
            }
            format.quantization = mode
        }
        if arguments.count > 3 {
            let name = normalisedMode(arguments[3])
            guard let mode = OverflowMode(rawValue: name) else { return .failure(.overflow(arguments[3])) }
            format.overflow = mode
        }
        return .success(format)
    }

    private static func normalisedMode(_ text: String) -> String {
        let upper = text.uppercased()
        return upper.hasPrefix("AP_") ? upper : "AP_" + upper
    }
}

/// Why a precision string does not parse.
public enum FixedFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    case syntax(String)
    case width(Int)
    case integerBits(Int, width: Int)
    case negativeIntegerBits(Int)
    case quantization(String)
    case overflow(String)

    public var description: String {
        switch self {
        case .syntax(let text):
            var message = "cannot parse precision '\(text)': expected fixed<W,I>, ufixed<W,I>, fixed<W,I,Q,O>, int<W> or uint<W>"
            if text.contains("<") && !text.contains(">") {
                // `{activation: fixed<32,10>}`: YAML's flow style splits the value at the comma.
                message += "; inside a flow mapping {...}, quote the precision: \"\(text),...>\""
            }
            return message
        case .width(let w):
            return "precision width \(w) is out of range: widths are 1...\(FixedFormat.maxWidth) bits"
        case let .integerBits(i, width):
            return "precision has \(i) integer bits but only \(width) bits in total"
        case .negativeIntegerBits(let i):
            return "precision has \(i) integer bits: negative integer bits are not supported"
        case .quantization(let q):
            let names = QuantizationMode.allCases.map(\.rawValue)
            return "unknown quantisation mode '\(q)': expected one of \(names.joined(separator: ", "))"
                + Suggestions.hint(for: q.uppercased(), among: names)
        case .overflow(let o):
            let names = OverflowMode.allCases.map(\.rawValue)
            return "unknown overflow mode '\(o)': expected one of \(names.joined(separator: ", "))"
                + Suggestions.hint(for: o.uppercased(), among: names)
        }
    }
}
