import Foundation

/// `.safetensors` files: named tensors behind a JSON header.
///
/// Layout: an 8-byte little-endian header length `N`; `N` bytes of UTF-8 JSON
/// `{"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
/// "__metadata__": {"key": "value"}}` (padded with spaces); then the data buffer, which the
/// tensors tile exactly: offsets are relative to the buffer, little-endian, C order.
///
/// Reading validates everything the reference implementation validates (header length within
/// the file and at most 100,000,000 bytes, offsets in range, contiguous and non-overlapping,
/// each byte length equal to the element count times the dtype size, overflow-checked) and
/// reports every problem as a `DiagnosticError` naming the file. F16 and BF16 are widened exactly
/// to `.float32` storage; the entry's `dtype` keeps the type stored in the file.
///
/// Writing follows the reference implementation byte for byte: tensors sorted by dtype
/// alignment (largest first) then by name, compact JSON with `__metadata__` first, the header
/// padded with spaces to a multiple of 8 bytes. See `docs/tensor-files.md`.
public enum Safetensors {
    /// The largest header accepted, as in the reference implementation.
    public static let maxHeaderBytes = 100_000_000

    /// The element types of the format that moehls reads and writes.
    public enum DType: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
        case F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL

        /// Bytes per element.
        public var byteSize: Int { element.byteSize }

        /// Each type's storage (the tensor it is read into: F16 and BF16 become `.float32`) and its
        /// element encoding in the file. A tensor is written as the first type with its storage.
        private static let table: [(dtype: DType, storage: Tensor.DType, element: TensorFileElement)] = [
            (.F64, .float64, .float64), (.F32, .float32, .float32), (.F16, .float32, .float16),
            (.BF16, .float32, .bfloat16), (.I64, .int64, .int64), (.I32, .int32, .int32), (.I16, .int16, .int16),
            (.I8, .int8, .int8), (.U64, .uint64, .uint64), (.U32, .uint32, .uint32), (.U16, .uint16, .uint16),
            (.U8, .uint8, .uint8), (.BOOL, .bool, .bool),
        ]

        private var row: (dtype: DType, storage: Tensor.DType, element: TensorFileElement) {
            Self.table.first { $0.dtype == self }!
        }

        /// The storage a tensor of this type is read into: F16 and BF16 become `.float32`.
        public var tensorDType: Tensor.DType { row.storage }

        /// The type a tensor is written as by default: its own.
        public init(_ dtype: Tensor.DType) {
            self = Self.table.first { $0.storage == dtype }!.dtype
        }

        public var description: String { rawValue }

        var element: TensorFileElement { row.element }

        /// Position in the reference implementation's `Dtype` enum, which is in increasing
        /// alignment order; writing sorts by it, descending.
        var referenceOrder: Int {
            switch self {
            case .BOOL: 0
            case .U8: 1
            case .I8: 2
            case .I16: 5
            case .U16: 6
            case .F16: 7
            case .BF16: 8
            case .I32: 9
            case .U32: 10
            case .F32: 11
            case .F64: 12
            case .I64: 13
            case .U64: 14
            }
        }
    }

    /// One named tensor and the type it has (or will have) in the file.
    public struct Entry: Hashable, Sendable {
        public var name: String
        public var tensor: Tensor
        /// The type in the file. A float tensor may be written as any float type (rounded to
        /// nearest, ties to even); an integer or bool tensor only as its own type.
        public var dtype: DType

        /// `dtype` defaults to the tensor's own type (`.float32` -> F32, ...).
        public init(name: String, tensor: Tensor, dtype: DType? = nil) {
            self.name = name
            self.tensor = tensor
            self.dtype = dtype ?? DType(tensor.dtype)
        }
    }

    /// The tensors of a file in file order (by data offset), with lookup by name.
    public struct Contents: Hashable, Sendable {
        public let entries: [Entry]
        /// The `__metadata__` map; empty when the file has none.
        public let metadata: [String: String]
        /// Entry positions by name (the first, should a hand-built list repeat a name).
        private let index: [String: Int]

        public init(entries: [Entry], metadata: [String: String] = [:]) {
            self.entries = entries
            self.metadata = metadata
            index = Dictionary(entries.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        }

        public var names: [String] { entries.map(\.name) }

        /// The tensor called `name`, if any.
        public subscript(name: String) -> Tensor? { entry(named: name)?.tensor }

        /// The entry called `name`, if any.
        public func entry(named name: String) -> Entry? { index[name].map { entries[$0] } }
    }

    // MARK: Reading

    /// Reads the `.safetensors` file at `path`.
    public static func read(path: String) throws(DiagnosticError) -> Contents {
        try decode(try TensorFileAccess.read(path: path), file: path)
    }

    /// Decodes the bytes of a `.safetensors` file; `file` names it in diagnostics.
    public static func decode(_ data: Data, file: String) throws(DiagnosticError) -> Contents {
        try data.withUnsafeBytes { raw in
            Result { () throws(DiagnosticError) in try decode(raw: raw, file: file) }
        }.get()
    }

    /// Decodes the bytes of a `.safetensors` file; `file` names it in diagnostics.
    public static func decode(_ bytes: [UInt8], file: String) throws(DiagnosticError) -> Contents {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(DiagnosticError) in try decode(raw: raw, file: file) }
        }.get()
    }

    static func decode(raw: UnsafeRawBufferPointer, file: String) throws(DiagnosticError) -> Contents {
        func fail(_ message: String) -> DiagnosticError { DiagnosticError([.error(message, file: file)]) }
        let size = raw.count
        guard size >= 8 else {
            throw fail("not a .safetensors file: \(size) bytes, too short for the 8-byte header length")
        }
        var length: UInt64 = 0
        for i in stride(from: 7, through: 0, by: -1) { length = length << 8 | UInt64(raw[i]) }
        if length > UInt64(maxHeaderBytes) {
            throw fail("the .safetensors header length field says \(length) bytes, more than the \(maxHeaderBytes)-byte limit; the file is corrupt or not a .safetensors file")
        }
        let headerLength = Int(length)
        guard headerLength <= size - 8 else {
            throw fail("truncated .safetensors file: the header length field says \(headerLength) bytes, but only \(size - 8) bytes follow it")
        }
        let headerBytes = UnsafeRawBufferPointer(rebasing: raw[8..<(8 + headerLength)])
        let header = try parseHeader(headerBytes, file: file)
        let buffer = UnsafeRawBufferPointer(rebasing: raw[(8 + headerLength)...])

        var problems: [Diagnostic] = []
        func problem(_ message: String) { problems.append(.error(message, file: file)) }
        struct Located {
            var name: String, dtype: DType, shape: [Int], begin: Int, end: Int, count: Int
        }
        var located: [Located] = []
        for raw in header.tensors {
            let name = "tensor '\(raw.name)'"
            guard let dtype = DType(rawValue: raw.dtype) else {
                problem("\(name): unsupported dtype '\(raw.dtype)'; moehls reads \(DType.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            if let negative = raw.shape.first(where: { $0 < 0 }) {
                problem("\(name): shape \(raw.shape) has a negative extent \(negative)")
                continue
            }
            guard raw.offsets.count == 2 else {
                problem("\(name): data_offsets must be [begin, end], found \(raw.offsets.count) numbers")
                continue
            }
            let (begin, end) = (raw.offsets[0], raw.offsets[1])
            if begin < 0 || end < begin {
                problem("\(name): data_offsets [\(begin), \(end)] are not an increasing pair of byte offsets")
                continue
            }
            if end > buffer.count {
                problem("\(name): data_offsets [\(begin), \(end)] run past the end of the data buffer (\(buffer.count) bytes)")
                continue
            }
            guard let count = Tensor.elementCount(of: raw.shape) else {
                problem("\(name): shape \(raw.shape) has more elements than a 64-bit count can hold")
                continue
            }
            let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
            if overflow {
                problem("\(name): shape \(raw.shape) of \(dtype) needs more bytes than a 64-bit size can hold")
                continue
            }
            if byteCount != end - begin {
                problem("\(name): shape \(raw.shape) of \(dtype) needs \(byteCount) bytes, but data_offsets [\(begin), \(end)] hold \(end - begin)")
                continue
            }
            located.append(Located(name: raw.name, dtype: dtype, shape: raw.shape, begin: begin, end: end, count: count))
        }
        if !problems.isEmpty { throw DiagnosticError(problems) }

        // The reference implementation orders tensors by offsets and requires them to tile the buffer.
        located.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var position = 0
        var previous: Located?
        for tensor in located {
            if tensor.begin < position, let previous {
                problem("tensor '\(tensor.name)': data_offsets [\(tensor.begin), \(tensor.end)] overlap tensor '\(previous.name)' [\(previous.begin), \(previous.end)]")
            } else if tensor.begin > position {
                problem("tensor '\(tensor.name)': data_offsets [\(tensor.begin), \(tensor.end)] leave bytes \(position)..<\(tensor.begin) of the data buffer unused; tensors must tile the buffer")
            }
            position = max(position, tensor.end)
            previous = tensor
        }
        if problems.isEmpty && position != buffer.count {
            problem("\(buffer.count - position) bytes at the end of the data buffer belong to no tensor (the tensors end at byte \(position) of \(buffer.count))")
        }
        if !problems.isEmpty { throw DiagnosticError(problems) }

        let entries = located.map { tensor in
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[tensor.begin..<tensor.end])
            let storage = TensorBytes.storage(tensor.dtype.element, from: bytes, count: tensor.count, bigEndian: false)
            return Entry(name: tensor.name, tensor: Tensor(shape: tensor.shape, storage: storage), dtype: tensor.dtype)
        }
        return Contents(entries: entries, metadata: header.metadata)
    }

    // MARK: Header JSON

    struct RawHeader {
        struct RawTensor {
            var name: String, dtype: String, shape: [Int], offsets: [Int]
        }
        var tensors: [RawTensor] = []
        var metadata: [String: String] = [:]
    }

    /// Parses and checks the header JSON. Parsed by `StrictJSON` rather than Foundation, whose
    /// decoders silently keep one of two duplicate keys (two readers could then see different
    /// tensors) and report a fractional or oversized offset as "not valid JSON".
    static func parseHeader(_ bytes: UnsafeRawBufferPointer, file: String) throws(DiagnosticError) -> RawHeader {
        func fail(_ message: String) -> DiagnosticError { DiagnosticError([.error("bad .safetensors header: \(message)", file: file)]) }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.utf8.elementsEqual(bytes) else {
            throw DiagnosticError([.error("the .safetensors header is not valid UTF-8", file: file)])
        }
        guard bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{") else {
            throw DiagnosticError([.error("the .safetensors header is not a JSON object (it must start with '{'); the file is corrupt or not a .safetensors file", file: file)])
        }
        let root: StrictJSON
        do {
            root = try StrictJSON.parse(Array(bytes))
        } catch {
            throw fail("invalid JSON: \(error.message) at byte \(error.offset) of the header")
        }
        guard case let .object(members) = root else { throw fail("the header is not a JSON object") }
        var header = RawHeader()
        for (key, value) in members {
            if key == "__metadata__" {
                guard case let .object(pairs) = value else {
                    throw fail("'__metadata__' must be an object of strings, found \(value.kindDescription)")
                }
                for (name, item) in pairs {
                    guard case let .string(text) = item else {
                        throw fail("'__metadata__'.\(name) must be a string, found \(item.kindDescription)")
                    }
                    header.metadata[name] = text
                }
                continue
            }
            guard case let .object(fields) = value else {
                throw fail("tensor '\(key)' must be an object with dtype, shape and data_offsets, found \(value.kindDescription)")
            }
            func field(_ name: String) throws(DiagnosticError) -> StrictJSON {
                guard let found = fields.first(where: { $0.key == name }) else {
                    throw fail("tensor '\(key)' has no '\(name)' field")
                }
                return found.value
            }
            func integers(_ name: String) throws(DiagnosticError) -> [Int] {
                guard case let .array(items) = try field(name) else {
                    throw fail("tensor '\(key)': '\(name)' must be a list of integers, found \(try field(name).kindDescription)")
                }
                var numbers: [Int] = []
                for item in items {
                    switch item {
                    case let .integer(n): numbers.append(n)
                    case let .number(literal):
                        throw fail("tensor '\(key)': '\(name)' holds \(literal), not an integer that fits in 64 bits")
                    default:
                        throw fail("tensor '\(key)': '\(name)' must be a list of integers, found \(item.kindDescription) in it")
                    }
                }
                return numbers
            }
            guard case let .string(dtype) = try field("dtype") else {
                throw fail("tensor '\(key)': 'dtype' must be a string such as \"F32\", found \(try field("dtype").kindDescription)")
            }
            header.tensors.append(RawHeader.RawTensor(name: key, dtype: dtype, shape: try integers("shape"),
                                                      offsets: try integers("data_offsets")))
        }
        return header
    }

    // MARK: Writing

    /// The bytes of a `.safetensors` file holding `entries` (in any order) and `metadata`, laid
    /// out as the reference implementation does. Deterministic. Throws for duplicate names,
    /// the reserved name `__metadata__`, or a dtype the tensor cannot be written as.
    public static func encode(_ entries: [Entry], metadata: [String: String] = [:]) throws(DiagnosticError) -> [UInt8] {
        try encode(entries, metadata: metadata, file: nil)
    }

    /// Writes `entries` and `metadata` to `path` as `encode(_:metadata:)` lays them out.
    public static func write(_ entries: [Entry], metadata: [String: String] = [:], to path: String) throws(DiagnosticError) {
        try TensorFileAccess.write(try encode(entries, metadata: metadata, file: path), path: path)
    }

    static func encode(_ entries: [Entry], metadata: [String: String], file: String?) throws(DiagnosticError) -> [UInt8] {
        var problems: [Diagnostic] = []
        var seen = Set<String>()
        for entry in entries {
            if entry.name == "__metadata__" {
                problems.append(.error("'__metadata__' is reserved for the metadata map and cannot name a tensor", file: file))
            } else if !seen.insert(entry.name).inserted {
                problems.append(.error("two tensors are named '\(entry.name)'", file: file))
            }
            let own = DType(entry.tensor.dtype)
            let floats: Set<DType> = [.F64, .F32, .F16, .BF16]
            if entry.dtype != own && !(entry.tensor.dtype.isFloatingPoint && floats.contains(entry.dtype)) {
                problems.append(.error("tensor '\(entry.name)' holds \(entry.tensor.dtype) and cannot be written as \(entry.dtype); only float tensors convert (to F64, F32, F16 or BF16)", file: file))
            }
        }
        if !problems.isEmpty { throw DiagnosticError(problems) }

        let sorted = entries.sorted { a, b in
            if a.dtype.referenceOrder != b.dtype.referenceOrder { return a.dtype.referenceOrder > b.dtype.referenceOrder }
            return a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
        }
        var json = "{"
        var members: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                .map { jsonString($0.key) + ":" + jsonString($0.value) }
            members.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for entry in sorted {
            let byteCount = entry.tensor.count * entry.dtype.byteSize
            let shape = entry.tensor.shape.map(String.init).joined(separator: ",")
            members.append(jsonString(entry.name) + ":{\"dtype\":\"\(entry.dtype)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + byteCount)]}")
            offset += byteCount
        }
        json += members.joined(separator: ",") + "}"
        var header = Array(json.utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)

        let total = 8 + header.count + offset
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw.storeBytes(of: UInt64(header.count).littleEndian, toByteOffset: 0, as: UInt64.self)
            UnsafeMutableRawBufferPointer(rebasing: raw[8..<(8 + header.count)]).copyBytes(from: header)
            var position = 8 + header.count
            for entry in sorted {
                let byteCount = entry.tensor.count * entry.dtype.byteSize
                let destination = UnsafeMutableRawBufferPointer(rebasing: raw[position..<(position + byteCount)])
                switch (entry.dtype, entry.tensor.storage) {
                case (.F16, _):
                    TensorBytes.writeHalves(entry.tensor.storage, brain: false, into: destination)
                case (.BF16, _):
                    TensorBytes.writeHalves(entry.tensor.storage, brain: true, into: destination)
                case let (.F32, .float64(values)):
                    TensorBytes.writeLittleEndian(.float32(values.map { Float($0) }), into: destination)
                case let (.F64, .float32(values)):
                    TensorBytes.writeLittleEndian(.float64(values.map { Double($0) }), into: destination)
                default:
                    TensorBytes.writeLittleEndian(entry.tensor.storage, into: destination)
                }
                position += byteCount
            }
            initialized = total
        }
    }

    /// A JSON string literal escaped as serde_json does: `"` `\` and control characters only.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
