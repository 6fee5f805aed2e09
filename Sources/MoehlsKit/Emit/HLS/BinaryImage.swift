/// A memory image the HLS top function reads or writes through an m_axi port: tensors of raw
/// fixed-point values, each starting at a multiple of `alignment` bytes, every value stored as
/// two's complement in its format's storage width (8, 16, 32 or 64 bits), little-endian.
/// Bus words are little-endian too, so element k of a tensor is bits `k % perWord * bits ...` of
/// word `k / perWord`: the layout `read_field` (hls/src/moehls_memory.h) decodes.
public struct BinaryImage: Hashable, Sendable {
    /// Tensor alignment in bytes (a whole bus word for every supported bus width).
    public static let alignment = 64

    /// One tensor's place in the image.
    public struct Tensor: Hashable, Codable, Sendable {
        public var name: String
        public var rows: Int
        public var columns: Int
        /// The model-file spelling of the values' format (`fixed<16,2>`).
        public var format: String
        public var fractionBits: Int
        public var storageBits: Int
        /// Byte offset in the image (a multiple of `BinaryImage.alignment`).
        public var offset: Int
        public var bytes: Int
        /// SHA-256 of the tensor's bytes.
        public var sha256: String

        enum CodingKeys: String, CodingKey {
            case name, rows, columns, format, offset, bytes, sha256
            case fractionBits = "fraction_bits", storageBits = "storage_bits"
        }
    }

    public private(set) var bytes: [UInt8] = []
    public private(set) var tensors: [Tensor] = []
    private var index: [String: Int] = [:]

    public init() {}

    /// Appends a tensor at the next aligned offset.
    public mutating func append(_ name: String, _ matrix: FixedMatrix) {
        append(name, rows: matrix.rows, columns: matrix.columns, format: matrix.format, raw: matrix.raw)
    }

    /// Appends raw values of `format` (row-major `rows x columns`) at the next aligned offset.
    public mutating func append(_ name: String, rows: Int, columns: Int, format: FixedFormat, raw: [Int64]) {
        precondition(index[name] == nil, "BinaryImage: tensor \(name) appended twice")
        pad()
        let offset = bytes.count
        let storage = HLSConfiguration.storageBits(format)
        let size = storage / 8
        bytes.reserveCapacity(offset + raw.count * size)
        for value in raw {
            for b in 0..<size { bytes.append(UInt8(truncatingIfNeeded: value >> Int64(8 * b))) }
        }
        let tensorBytes = Array(bytes[offset...])
        index[name] = tensors.count
        tensors.append(Tensor(name: name, rows: rows, columns: columns, format: format.description,
                              fractionBits: format.fractionBits, storageBits: storage, offset: offset,
                              bytes: tensorBytes.count, sha256: SHA256.hex(tensorBytes)))
        pad()
    }

    /// Zero bytes up to the next multiple of the alignment.
    private mutating func pad() {
        let target = (bytes.count + BinaryImage.alignment - 1) / BinaryImage.alignment * BinaryImage.alignment
        bytes += [UInt8](repeating: 0, count: target - bytes.count)
    }

    /// One aligned block of zeros when the image is empty, so every port has at least one word.
    public mutating func ensureNonEmpty() {
        if bytes.isEmpty { bytes = [UInt8](repeating: 0, count: BinaryImage.alignment) }
    }

    /// The tensor named `name`.
    public func tensor(_ name: String) -> Tensor? { index[name].map { tensors[$0] } }

    /// Word offset of tensor `name` for a bus of `busBits`.
    public func wordOffset(_ name: String, busBits: Int) -> Int? { tensor(name).map { $0.offset / (busBits / 8) } }

    /// Bus words in the image.
    public func words(busBits: Int) -> Int { bytes.count / (busBits / 8) }
}
