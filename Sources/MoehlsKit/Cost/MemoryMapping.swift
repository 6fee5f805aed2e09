/// Maps on-chip buffers onto block RAM, UltraRAM or LUT RAM, block by block.
///
/// A buffer is a set of banks (one per partition: each partition of an array is its own set of
/// blocks) of `depth` words of `width` bits. A bank in BRAM takes, over the BRAM_18K aspect
/// ratios 1x16K, 2x8K, 4x4K, 9x2K, 18x1K and 36x512 (simple dual port), the fewest blocks
/// `ceil(width / w) * ceil(depth / d)`. In URAM (72 x 4096): `ceil(width / 72) * ceil(depth / 4096)`.
/// In LUT RAM (RAM64M8: 64 words x 7 bits, simple dual port, 8 LUTs):
/// `8 * ceil(width / 7) * ceil(depth / 64)` LUTs.
public enum MemoryMapping {
    /// BRAM_18K shapes as (width, depth).
    public static let bramAspects: [(width: Int, depth: Int)] = [(1, 16_384), (2, 8_192), (4, 4_096), (9, 2_048),
                                                                 (18, 1_024), (36, 512)]
    /// Banks at most this deep go to LUT RAM when the storage is `automatic`.
    public static let lutramMaxDepth = 64

    /// BRAM_18K blocks for one bank.
    public static func bram18(depth: Int, width: Int) -> Int {
        guard depth > 0, width > 0 else { return 0 }
        return bramAspects.map { Sat.mul(ceilDiv(width, $0.width), ceilDiv(depth, $0.depth)) }.min()!
    }

    /// URAM blocks for one bank.
    public static func uram(depth: Int, width: Int) -> Int {
        guard depth > 0, width > 0 else { return 0 }
        return Sat.mul(ceilDiv(width, 72), ceilDiv(depth, 4_096))
    }

    /// LUTs for one bank in LUT RAM.
    public static func lutram(depth: Int, width: Int) -> Int {
        guard depth > 0, width > 0 else { return 0 }
        return Sat.mul(8, Sat.mul(ceilDiv(width, 7), ceilDiv(depth, 64)))
    }
}

/// One on-chip buffer: `banks` banks of `depth` x `width` bits.
public struct BufferShape: Hashable, Codable, Sendable {
    /// Where a buffer is stored.
    public enum Storage: String, Hashable, Codable, Sendable {
        /// LUT RAM when a bank is at most `MemoryMapping.lutramMaxDepth` deep, BRAM otherwise.
        case automatic
        case bram, uram, lutram
    }

    public var name: String
    public var banks: Int
    public var depth: Int
    public var width: Int
    public var storage: Storage

    public init(name: String, banks: Int, depth: Int, width: Int, storage: Storage = .automatic) {
        self.name = name
        self.banks = banks
        self.depth = depth
        self.width = width
        self.storage = storage
    }

    /// Bits stored (banks x depth x width).
    public var bits: Int { Sat.mul(Sat.mul(banks, depth), width) }

    /// The storage actually used.
    public var resolvedStorage: Storage {
        storage == .automatic ? (depth <= MemoryMapping.lutramMaxDepth ? .lutram : .bram) : storage
    }

    /// BRAM_18K, URAM and LUT (as LUT RAM) this buffer takes.
    public var cost: (bram18k: Int, uram: Int, lut: Int) {
        switch resolvedStorage {
        case .bram, .automatic: return (Sat.mul(banks, MemoryMapping.bram18(depth: depth, width: width)), 0, 0)
        case .uram: return (0, Sat.mul(banks, MemoryMapping.uram(depth: depth, width: width)), 0)
        case .lutram: return (0, 0, Sat.mul(banks, MemoryMapping.lutram(depth: depth, width: width)))
        }
    }
}
