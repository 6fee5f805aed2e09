/// An n-dimensional array of numbers in C order (row-major: the last index varies fastest), as
/// read from and written to `.npy` and `.safetensors` files (see `docs/tensor-files.md`).
///
/// The elements live in a typed Swift array, one enum case per element type, so reading a file is
/// one copy of its bytes and users pattern-match on `storage` to get `[Float]`, `[UInt8]`, ...
/// without conversion. `shape` is `[]` for a 0-d array (one element) and may contain zeros (no
/// elements). Equality is element-wise `==` (so a tensor holding NaN is not equal to itself, and
/// `0.0 == -0.0`); `isIdentical(to:)` compares dtype, shape and bytes.
public struct Tensor: Hashable, Sendable, CustomStringConvertible {
    /// The element type of a tensor.
    public enum DType: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
        case float64, float32, int64, int32, int16, int8, uint64, uint32, uint16, uint8, bool

        /// Bytes per element in a file (`bool` is one byte, 0 or 1).
        public var byteSize: Int {
            switch self {
            case .float64, .int64, .uint64: 8
            case .float32, .int32, .uint32: 4
            case .int16, .uint16: 2
            case .int8, .uint8, .bool: 1
            }
        }

        public var isFloatingPoint: Bool { self == .float64 || self == .float32 }

        public var description: String { rawValue }
    }

    /// The elements, in C order.
    public enum Storage: Hashable, Sendable {
        case float64([Double])
        case float32([Float])
        case int64([Int64])
        case int32([Int32])
        case int16([Int16])
        case int8([Int8])
        case uint64([UInt64])
        case uint32([UInt32])
        case uint16([UInt16])
        case uint8([UInt8])
        case bool([Bool])

        public var dtype: DType {
            switch self {
            case .float64: .float64
            case .float32: .float32
            case .int64: .int64
            case .int32: .int32
            case .int16: .int16
            case .int8: .int8
            case .uint64: .uint64
            case .uint32: .uint32
            case .uint16: .uint16
            case .uint8: .uint8
            case .bool: .bool
            }
        }

        /// The number of elements.
        public var count: Int {
            switch self {
            case let .float64(v): v.count
            case let .float32(v): v.count
            case let .int64(v): v.count
            case let .int32(v): v.count
            case let .int16(v): v.count
            case let .int8(v): v.count
            case let .uint64(v): v.count
            case let .uint32(v): v.count
            case let .uint16(v): v.count
            case let .uint8(v): v.count
            case let .bool(v): v.count
            }
        }

        /// The elements' bytes in host byte order (`bool` as 0/1 bytes).
        func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
            switch self {
            case let .float64(v): v.withUnsafeBytes(body)
            case let .float32(v): v.withUnsafeBytes(body)
            case let .int64(v): v.withUnsafeBytes(body)
            case let .int32(v): v.withUnsafeBytes(body)
            case let .int16(v): v.withUnsafeBytes(body)
            case let .int8(v): v.withUnsafeBytes(body)
            case let .uint64(v): v.withUnsafeBytes(body)
            case let .uint32(v): v.withUnsafeBytes(body)
            case let .uint16(v): v.withUnsafeBytes(body)
            case let .uint8(v): v.withUnsafeBytes(body)
            case let .bool(v): v.withUnsafeBytes(body)
            }
        }
    }

    /// The extent of each axis; `[]` for a 0-d array.
    public let shape: [Int]
    public let storage: Storage

    /// A tensor of `shape` holding `storage` in C order. The element count must equal the product
    /// of `shape` (and no extent may be negative): a mismatch is a programming error and traps.
    /// Check data from outside first with `Tensor.elementCount(of:)`.
    public init(shape: [Int], storage: Storage) {
        guard let count = Tensor.elementCount(of: shape) else {
            preconditionFailure("Tensor shape \(Tensor.shapeText(shape)) has a negative extent or too many elements")
        }
        precondition(count == storage.count,
                     "Tensor shape \(Tensor.shapeText(shape)) needs \(count) elements, storage has \(storage.count)")
        self.shape = shape
        self.storage = storage
    }

    /// The product of `shape` (1 for `[]`), or nil when an extent is negative or the product
    /// overflows `Int`. A shape containing 0 has 0 elements whatever the other extents.
    public static func elementCount(of shape: [Int]) -> Int? {
        if shape.contains(where: { $0 < 0 }) { return nil }
        if shape.contains(0) { return 0 }
        var count = 1
        for extent in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            if overflow { return nil }
            count = product
        }
        return count
    }

    public var dtype: DType { storage.dtype }
    /// The number of elements (1 for a 0-d tensor).
    public var count: Int { storage.count }
    /// The number of axes (0 for a 0-d tensor).
    public var rank: Int { shape.count }
    /// The size of the elements in a file, in bytes.
    public var byteCount: Int { count * dtype.byteSize }

    /// The elements as `Double`s, in C order. Floats and integers up to 2^53 in magnitude are
    /// exact; larger 64-bit integers round to the nearest `Double`; `bool` gives 0 and 1.
    public func asDoubles() -> [Double] {
        switch storage {
        case let .float64(v): v
        case let .float32(v): v.map(Double.init)
        case let .int64(v): v.map(Double.init)
        case let .int32(v): v.map(Double.init)
        case let .int16(v): v.map(Double.init)
        case let .int8(v): v.map(Double.init)
        case let .uint64(v): v.map(Double.init)
        case let .uint32(v): v.map(Double.init)
        case let .uint16(v): v.map(Double.init)
        case let .uint8(v): v.map(Double.init)
        case let .bool(v): v.map { $0 ? 1 : 0 }
        }
    }

    /// True when both tensors have the same dtype, shape and element bytes (NaN payloads and
    /// the sign of zero included).
    public func isIdentical(to other: Tensor) -> Bool {
        guard dtype == other.dtype, shape == other.shape else { return false }
        return storage.withUnsafeBytes { a in
            other.storage.withUnsafeBytes { b in TensorBytes.bytesEqual(a, b) }
        }
    }

    /// `float32 tensor of shape (2, 3)`: a summary, never the elements.
    public var description: String { "\(dtype) tensor of shape \(Tensor.shapeText(shape))" }

    /// A shape as Python writes a tuple: `()`, `(5,)`, `(2, 3)`.
    public static func shapeText(_ shape: [Int]) -> String {
        switch shape.count {
        case 0: "()"
        case 1: "(\(shape[0]),)"
        default: "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
    }
}
