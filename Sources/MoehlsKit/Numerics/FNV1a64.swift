/// FNV-1a, 64 bit: the one small non-cryptographic hash moehls uses where a value must be the same
/// on every platform (weight-stream seeds from parameter names, file hashes in project manifests).
public enum FNV1a64 {
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
