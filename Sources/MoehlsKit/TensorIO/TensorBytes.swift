import Foundation

/// The element types that occur in tensor files, a superset of `Tensor.DType`: 16-bit floats
/// are read into `.float32` storage (exactly) and written from float storage (rounded).
enum TensorFileElement: Hashable, Sendable {
    case float64, float32, float16, bfloat16
    case int64, int32, int16, int8, uint64, uint32, uint16, uint8, bool

    var byteSize: Int {
        switch self {
        case .float64, .int64, .uint64: 8
        case .float32, .int32, .uint32: 4
        case .float16, .bfloat16, .int16, .uint16: 2
        case .int8, .uint8, .bool: 1
        }
    }

    init(_ dtype: Tensor.DType) {
        switch dtype {
        case .float64: self = .float64
        case .float32: self = .float32
        case .int64: self = .int64
        case .int32: self = .int32
        case .int16: self = .int16
        case .int8: self = .int8
        case .uint64: self = .uint64
        case .uint32: self = .uint32
        case .uint16: self = .uint16
        case .uint8: self = .uint8
        case .bool: self = .bool
        }
    }
}

/// Bulk conversions between file bytes and typed arrays: one `memcpy` per array, plus an in-place
/// byte swap when the file's byte order differs from the host's (never per-element appends).
enum TensorBytes {
    static var hostIsLittleEndian: Bool { UInt16(1).littleEndian == 1 }

    /// Reads `count` elements of `element` from `raw` (at least `count * byteSize` bytes, any
    /// alignment), stored big-endian when `bigEndian`.
    static func storage(_ element: TensorFileElement, from raw: UnsafeRawBufferPointer, count: Int,
                        bigEndian: Bool) -> Tensor.Storage {
        let swap = bigEndian == hostIsLittleEndian
        switch element {
        case .float64: return .float64(load(Double.self, raw, count, swap))
        case .float32: return .float32(load(Float.self, raw, count, swap))
        case .int64: return .int64(load(Int64.self, raw, count, swap))
        case .int32: return .int32(load(Int32.self, raw, count, swap))
        case .int16: return .int16(load(Int16.self, raw, count, swap))
        case .int8: return .int8(load(Int8.self, raw, count, false))
        case .uint64: return .uint64(load(UInt64.self, raw, count, swap))
        case .uint32: return .uint32(load(UInt32.self, raw, count, swap))
        case .uint16: return .uint16(load(UInt16.self, raw, count, swap))
        case .uint8: return .uint8(load(UInt8.self, raw, count, false))
        case .bool:
            // Not a memcpy: a Bool must be 0 or 1 in memory, a file byte may be anything.
            return .bool([Bool](unsafeUninitializedCapacity: count) { buffer, initialized in
                for i in 0..<count { buffer[i] = raw[i] != 0 }
                initialized = count
            })
        case .float16:
            let bits = load(UInt16.self, raw, count, swap)
            return .float32(bits.map { HalfPrecision.float(fromFloat16Bits: $0) })
        case .bfloat16:
            let bits = load(UInt16.self, raw, count, swap)
            return .float32(bits.map { HalfPrecision.float(fromBFloat16Bits: $0) })
        }
    }

    /// Copies `count` elements out of unaligned bytes into a new array, byte-swapping if asked.
    private static func load<T: BitwiseCopyable>(_: T.Type, _ raw: UnsafeRawBufferPointer, _ count: Int,
                                                 _ swap: Bool) -> [T] {
        let byteCount = count * MemoryLayout<T>.stride
        precondition(raw.count >= byteCount)
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            if byteCount > 0, let source = raw.baseAddress, let destination = buffer.baseAddress {
                UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: byteCount)
                if swap {
                    swapBytes(UnsafeMutableRawBufferPointer(start: destination, count: byteCount),
                              elementSize: MemoryLayout<T>.size)
                }
            }
            initialized = count
        }
    }

    /// Reverses the bytes of each `elementSize`-byte element of an aligned buffer, in place.
    static func swapBytes(_ bytes: UnsafeMutableRawBufferPointer, elementSize: Int) {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count / elementSize
        switch elementSize {
        case 2:
            let p = base.assumingMemoryBound(to: UInt16.self)
            for i in 0..<count { p[i] = p[i].byteSwapped }
        case 4:
            let p = base.assumingMemoryBound(to: UInt32.self)
            for i in 0..<count { p[i] = p[i].byteSwapped }
        case 8:
            let p = base.assumingMemoryBound(to: UInt64.self)
            for i in 0..<count { p[i] = p[i].byteSwapped }
        default:
            break
        }
    }

    /// Writes the elements of `storage` little-endian into `destination` (exactly
    /// `storage.count * dtype.byteSize` bytes, any alignment).
    static func writeLittleEndian(_ storage: Tensor.Storage, into destination: UnsafeMutableRawBufferPointer) {
        let size = storage.dtype.byteSize
        storage.withUnsafeBytes { source in
            precondition(destination.count == source.count)
            guard let to = destination.baseAddress, let from = source.baseAddress else { return }
            to.copyMemory(from: from, byteCount: source.count)
            if !hostIsLittleEndian { swapUnaligned(destination, elementSize: size) }
        }
    }

    /// Writes the elements of a float tensor as 16-bit patterns little-endian into `destination`.
    static func writeHalves(_ storage: Tensor.Storage, brain: Bool, into destination: UnsafeMutableRawBufferPointer) {
        func put(_ i: Int, _ bits: UInt16) {
            destination.storeBytes(of: bits.littleEndian, toByteOffset: 2 * i, as: UInt16.self)
        }
        switch storage {
        case let .float32(values):
            for (i, v) in values.enumerated() { put(i, brain ? HalfPrecision.bfloat16Bits(v) : HalfPrecision.float16Bits(v)) }
        case let .float64(values):
            for (i, v) in values.enumerated() { put(i, brain ? HalfPrecision.bfloat16Bits(v) : HalfPrecision.float16Bits(v)) }
        default:
            preconditionFailure("16-bit floats are written from float storage only")
        }
    }

    /// Byte-swaps elements in a buffer that may be unaligned.
    private static func swapUnaligned(_ bytes: UnsafeMutableRawBufferPointer, elementSize: Int) {
        guard elementSize > 1 else { return }
        var offset = 0
        while offset + elementSize <= bytes.count {
            var low = offset, high = offset + elementSize - 1
            while low < high {
                bytes.swapAt(low, high)
                low += 1
                high -= 1
            }
            offset += elementSize
        }
    }

    /// Reorders the elements of an array stored in Fortran order (first index fastest) into
    /// C order (last index fastest) for the same `shape`.
    static func fortranToC(_ storage: Tensor.Storage, shape: [Int]) -> Tensor.Storage {
        guard shape.count > 1 else { return storage }  // 0-d and 1-d arrays are the same in both
        switch storage {
        case let .float64(v): return .float64(fortranToC(v, shape: shape))
        case let .float32(v): return .float32(fortranToC(v, shape: shape))
        case let .int64(v): return .int64(fortranToC(v, shape: shape))
        case let .int32(v): return .int32(fortranToC(v, shape: shape))
        case let .int16(v): return .int16(fortranToC(v, shape: shape))
        case let .int8(v): return .int8(fortranToC(v, shape: shape))
        case let .uint64(v): return .uint64(fortranToC(v, shape: shape))
        case let .uint32(v): return .uint32(fortranToC(v, shape: shape))
        case let .uint16(v): return .uint16(fortranToC(v, shape: shape))
        case let .uint8(v): return .uint8(fortranToC(v, shape: shape))
        case let .bool(v): return .bool(fortranToC(v, shape: shape))
        }
    }

    private static func fortranToC<T>(_ values: [T], shape: [Int]) -> [T] {
        let count = values.count
        guard count > 0 else { return values }
        let rank = shape.count
        // Fortran strides: axis k steps over the product of the extents before it.
        var strides = [Int](repeating: 1, count: rank)
        for k in 1..<rank { strides[k] = strides[k - 1] * shape[k - 1] }
        var index = [Int](repeating: 0, count: rank)
        return values.withUnsafeBufferPointer { source in
            [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                var from = 0
                for to in 0..<count {
                    (buffer.baseAddress! + to).initialize(to: source[from])
                    // Advance the C-order multi-index (last axis fastest), tracking the source offset.
                    var axis = rank - 1
                    while axis >= 0 {
                        index[axis] += 1
                        from += strides[axis]
                        if index[axis] < shape[axis] { break }
                        from -= strides[axis] * shape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
                initialized = count
            }
        }
    }

    static func bytesEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard a.count > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return true }
        return memcmp(pa, pb, a.count) == 0
    }
}

/// Reading and writing whole files, with the failures as diagnostics naming the file.
enum TensorFileAccess {
    static func read(path: String) throws(DiagnosticError) -> Data {
        try UserFile.read(path: path, mapped: true)
    }

    static func write(_ bytes: [UInt8], path: String) throws(DiagnosticError) {
        let url = URL(fileURLWithPath: path)
        let failure: (any Error)? = bytes.withUnsafeBytes { raw in
            // Wrap the array's memory without copying it (the closure outlives no write).
            let data = raw.baseAddress.map {
                Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: $0), count: raw.count, deallocator: .none)
            } ?? Data()
            do {
                try data.write(to: url, options: [.atomic])
                return nil
            } catch {
                return error
            }
        }
        guard failure != nil else { return }
        var reason = "cannot write file"
        var isDirectory: ObjCBool = false
        let directory = url.deletingLastPathComponent().path
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            reason = "cannot write file: it is a directory"
        } else if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
            reason = "cannot write file: no such directory '\(directory)'"
        } else if !FileManager.default.isWritableFile(atPath: directory) {
            reason = "cannot write file: directory '\(directory)' is not writable"
        }
        throw DiagnosticError([.error(reason, file: path)])
    }
}
