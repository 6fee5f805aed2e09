import Foundation

/// NumPy `.npy` files (format versions 1.0, 2.0 and 3.0), one array per file.
///
/// Layout: the magic `\x93NUMPY`, the version (two bytes), the header length (2 bytes
/// little-endian in 1.0, 4 bytes in 2.0 and 3.0), the header, then the raw elements. The header is
/// a Python dict literal `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }` padded
/// with spaces and a newline so the data starts at a multiple of 64 bytes.
///
/// Reading accepts both byte orders and Fortran order (reordered into C order); `float16`
/// (`'<f2'`) is widened exactly to `.float32`. Everything else unexpected (structured, complex,
/// string or object dtypes, extra header keys, a shape whose size overflows, data shorter or
/// longer than the shape needs) is a `DiagnosticError` naming the file. Writing produces what
/// `numpy.save` writes for the same array, byte for byte: little-endian, C order, version 1.0.
/// See `docs/tensor-files.md`.
public enum NPY {
    /// The first six bytes of every `.npy` file.
    public static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY
    /// Longest header accepted on read. NumPy itself refuses more than 10,000 bytes by default;
    /// a longer header can only come from a structured dtype, which is rejected anyway.
    public static let maxHeaderBytes = 1 << 20
    /// NumPy's limit on the number of axes.
    public static let maxRank = 64
    /// Data starts at a multiple of this many bytes (NumPy's `ARRAY_ALIGN`).
    static let alignment = 64
    /// NumPy leaves room after the dict so the first axis can grow in place.
    static let growthDigits = 21

    // MARK: Reading

    /// Reads the `.npy` file at `path`.
    public static func read(path: String) throws(DiagnosticError) -> Tensor {
        try decode(try TensorFileAccess.read(path: path), file: path)
    }

    /// Decodes the bytes of a `.npy` file; `file` names it in diagnostics.
    public static func decode(_ data: Data, file: String) throws(DiagnosticError) -> Tensor {
        try data.withUnsafeBytes { raw in
            Result { () throws(DiagnosticError) in try decode(raw: raw, file: file) }
        }.get()
    }

    /// Decodes the bytes of a `.npy` file; `file` names it in diagnostics.
    public static func decode(_ bytes: [UInt8], file: String) throws(DiagnosticError) -> Tensor {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(DiagnosticError) in try decode(raw: raw, file: file) }
        }.get()
    }

    static func decode(raw: UnsafeRawBufferPointer, file: String) throws(DiagnosticError) -> Tensor {
        func fail(_ message: String) -> DiagnosticError { DiagnosticError([.error(message, file: file)]) }
        let size = raw.count
        if size == 0 { throw fail("file is empty; expected a .npy file") }
        guard raw.prefix(magic.count).elementsEqual(magic.prefix(size)) else {
            throw fail("not a .npy file: it does not start with the NumPy magic string \\x93NUMPY")
        }
        guard size >= 10 else {
            throw fail("truncated .npy file: \(size) bytes, too short to hold the format version and header length")
        }
        let (major, minor) = (raw[6], raw[7])
        guard minor == 0, (1...3).contains(major) else {
            throw fail("unsupported .npy format version \(major).\(minor); moehls reads versions 1.0, 2.0 and 3.0")
        }
        let headerStart = major == 1 ? 10 : 12
        guard size >= headerStart else {
            throw fail("truncated .npy file: \(size) bytes, too short to hold the header length")
        }
        var headerLength = 0
        for i in stride(from: headerStart - 1, through: 8, by: -1) { headerLength = headerLength << 8 | Int(raw[i]) }
        if headerLength > maxHeaderBytes {
            throw fail("the .npy header length field says \(headerLength) bytes; moehls accepts headers up to \(maxHeaderBytes) bytes")
        }
        guard headerLength <= size - headerStart else {
            throw fail("truncated .npy file: the header length field says \(headerLength) bytes, but only \(size - headerStart) bytes follow it")
        }
        let headerBytes = Array(raw[headerStart..<(headerStart + headerLength)])
        let header: Header
        do {
            header = try Header.parse(headerBytes, utf8: major == 3)
        } catch {
            throw fail(error.message)
        }

        let descr = "'\(header.descr)'"
        guard let count = Tensor.elementCount(of: header.shape) else {
            throw fail("shape \(Tensor.shapeText(header.shape)) has more elements than a 64-bit count can hold")
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: header.element.byteSize)
        if overflow {
            throw fail("shape \(Tensor.shapeText(header.shape)) of \(descr) needs more bytes than a 64-bit size can hold")
        }
        let dataStart = headerStart + headerLength
        let available = size - dataStart
        if byteCount > available {
            throw fail("truncated .npy file: shape \(Tensor.shapeText(header.shape)) of \(descr) needs \(byteCount) bytes of data, but only \(available) bytes follow the header")
        }
        if byteCount < available {
            throw fail("\(available - byteCount) unexpected bytes after the array data: shape \(Tensor.shapeText(header.shape)) of \(descr) needs \(byteCount) bytes, but \(available) bytes follow the header")
        }
        var storage = TensorBytes.storage(header.element, from: UnsafeRawBufferPointer(rebasing: raw[dataStart...]),
                                          count: count, bigEndian: header.bigEndian)
        if header.fortranOrder { storage = TensorBytes.fortranToC(storage, shape: header.shape) }
        return Tensor(shape: header.shape, storage: storage)
    }

    // MARK: Writing

    /// The bytes `numpy.save` writes for `tensor`: format 1.0 (2.0 only if the header exceeds
    /// 65,535 bytes), little-endian, C order, data at a multiple of 64 bytes. Deterministic.
    public static func encode(_ tensor: Tensor) -> [UInt8] {
        let header = headerBytes(for: tensor)
        let total = header.count + tensor.byteCount
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw.copyBytes(from: header)
            TensorBytes.writeLittleEndian(tensor.storage, into: UnsafeMutableRawBufferPointer(rebasing: raw[header.count...]))
            initialized = total
        }
    }

    /// Writes `tensor` to `path` as `encode(_:)` lays it out (replacing the file atomically).
    public static func write(_ tensor: Tensor, to path: String) throws(DiagnosticError) {
        try TensorFileAccess.write(encode(tensor), path: path)
    }

    /// The dtype descriptor written for `dtype`: `'<f8'`, `'|u1'`, `'|b1'`, ...
    public static func descr(for dtype: Tensor.DType) -> String {
        switch dtype {
        case .float64: "<f8"
        case .float32: "<f4"
        case .int64: "<i8"
        case .int32: "<i4"
        case .int16: "<i2"
        case .int8: "|i1"
        case .uint64: "<u8"
        case .uint32: "<u4"
        case .uint16: "<u2"
        case .uint8: "|u1"
        case .bool: "|b1"
        }
    }

    /// Magic, version, header length and the padded header dict, as NumPy's `_write_array_header`.
    static func headerBytes(for tensor: Tensor) -> [UInt8] {
        var text = "{'descr': '\(descr(for: tensor.dtype))', 'fortran_order': False, 'shape': \(Tensor.shapeText(tensor.shape)), }"
        if let first = tensor.shape.first {
            text += String(repeating: " ", count: max(0, growthDigits - String(first).count))
        }
        let dict = Array(text.utf8)
        let withNewline = dict.count + 1
        for (major, prefixLength) in [(UInt8(1), 10), (UInt8(2), 12)] {
            // NumPy pads a full 64 bytes when the header already ends on a boundary.
            let padding = alignment - (prefixLength + withNewline) % alignment
            let length = withNewline + padding
            if major == 1 && length > Int(UInt16.max) { continue }
            var bytes = magic + [major, 0]
            for i in 0..<(prefixLength - 8) { bytes.append(UInt8(truncatingIfNeeded: length >> (8 * i))) }
            bytes += dict
            bytes += [UInt8](repeating: 0x20, count: padding)
            bytes.append(0x0A)
            return bytes
        }
        preconditionFailure("unreachable: a format 2.0 header holds any shape")
    }

    // MARK: Header

    /// The three fields of a `.npy` header, checked.
    struct Header {
        var descr: String
        var element: TensorFileElement
        var bigEndian: Bool
        var fortranOrder: Bool
        var shape: [Int]

        struct Failure: Error { var message: String }

        static func parse(_ bytes: [UInt8], utf8: Bool) throws(Failure) -> Header {
            let literal: PythonLiteral
            do {
                literal = try PythonLiteralParser.parse(bytes, utf8Strings: utf8)
            } catch {
                throw Failure(message: "malformed .npy header: \(error.message) (header byte \(error.offset)): \(snippet(bytes))")
            }
            func fail(_ message: String) -> Failure { Failure(message: "bad .npy header: \(message): \(snippet(bytes))") }
            guard case let .dict(entries) = literal else {
                throw fail("the header must be a dict, found \(literal.kindDescription)")
            }
            let expected = ["descr", "fortran_order", "shape"]
            for entry in entries where !expected.contains(entry.key) {
                throw fail("unexpected key '\(entry.key)'; the header has exactly the keys 'descr', 'fortran_order' and 'shape'")
            }
            for key in expected where !entries.contains(where: { $0.key == key }) {
                throw fail("the key '\(key)' is missing")
            }
            func value(_ key: String) -> PythonLiteral { entries.first { $0.key == key }!.value }

            let descr: String
            switch value("descr") {
            case let .string(text): descr = text
            case .list:
                throw fail("structured dtypes ('descr' is a list of fields) are not supported; save each field as its own plain array")
            case let other:
                throw fail("'descr' must be a dtype string such as '<f8', found \(other.kindDescription)")
            }
            guard case let .bool(fortranOrder) = value("fortran_order") else {
                throw fail("'fortran_order' must be True or False, found \(value("fortran_order").kindDescription)")
            }
            guard case let .tuple(extents) = value("shape") else {
                throw fail("'shape' must be a tuple of integers such as (2, 3), found \(value("shape").kindDescription)")
            }
            var shape: [Int] = []
            for extent in extents {
                guard case let .integer(n) = extent else {
                    throw fail("'shape' must be a tuple of integers, found \(extent.kindDescription) in it")
                }
                if n < 0 { throw fail("'shape' has a negative extent \(n)") }
                shape.append(n)
            }
            if shape.count > NPY.maxRank {
                throw fail("'shape' has \(shape.count) axes; NumPy supports at most \(NPY.maxRank)")
            }
            guard let (element, bigEndian) = parseDescr(descr) else {
                throw Failure(message: "unsupported dtype '\(descr)'\(describeUnsupported(descr)); moehls reads float16/32/64, int8/16/32/64, uint8/16/32/64 and bool in either byte order ('<f8', '>f4', '<i8', '|u1', '|b1', ...)")
            }
            return Header(descr: descr, element: element, bigEndian: bigEndian, fortranOrder: fortranOrder, shape: shape)
        }

        /// `'<f8'` -> (.float64, little-endian). `=`, `|` or no order character mean the host's order.
        static func parseDescr(_ descr: String) -> (TensorFileElement, Bool)? {
            var chars = Array(descr.utf8)
            var bigEndian = !TensorBytes.hostIsLittleEndian
            if let first = chars.first, "<>|=".utf8.contains(first) {
                if first == UInt8(ascii: "<") { bigEndian = false }
                if first == UInt8(ascii: ">") { bigEndian = true }
                chars.removeFirst()
            }
            guard chars.count >= 2, chars.count <= 3, chars.dropFirst().allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            let size = Int(String(decoding: chars.dropFirst(), as: UTF8.self)) ?? 0
            let element: TensorFileElement?
            switch (chars[0], size) {
            case (UInt8(ascii: "f"), 2): element = .float16
            case (UInt8(ascii: "f"), 4): element = .float32
            case (UInt8(ascii: "f"), 8): element = .float64
            case (UInt8(ascii: "i"), 1): element = .int8
            case (UInt8(ascii: "i"), 2): element = .int16
            case (UInt8(ascii: "i"), 4): element = .int32
            case (UInt8(ascii: "i"), 8): element = .int64
            case (UInt8(ascii: "u"), 1): element = .uint8
            case (UInt8(ascii: "u"), 2): element = .uint16
            case (UInt8(ascii: "u"), 4): element = .uint32
            case (UInt8(ascii: "u"), 8): element = .uint64
            case (UInt8(ascii: "b"), 1): element = .bool
            default: element = nil
            }
            return element.map { ($0, bigEndian) }
        }

        /// " (complex numbers)" and the like, from the dtype kind character.
        static func describeUnsupported(_ descr: String) -> String {
            let kind = descr.drop { "<>|=".contains($0) }.first
            switch kind {
            case "c": return " (complex numbers)"
            case "U", "S", "a": return " (strings)"
            case "O": return " (Python objects)"
            case "V": return " (raw or structured records)"
            case "M", "m": return " (dates or time spans)"
            case "f": return " (this float width)"
            default: return ""
            }
        }

        /// The header as printable ASCII, trailing padding removed, shortened when long.
        static func snippet(_ bytes: [UInt8]) -> String {
            var end = bytes.count
            while end > 0, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[end - 1]) { end -= 1 }
            var text = ""
            for b in bytes[..<end] {
                if text.count >= 160 {
                    text += "..."
                    break
                }
                text += (b >= 0x20 && b < 0x7F) ? String(UnicodeScalar(b)) : "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16)
            }
            return text
        }
    }
}
