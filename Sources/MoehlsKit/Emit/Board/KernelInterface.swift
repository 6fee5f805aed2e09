/// The top function's interface as the board files see it: which pointer arguments exist, which
/// AXI bundle carries each, and the scalar registers. The HLS emitter decides it; the board
/// generators (v++ link configuration, Vivado block design, host programs) only read it.
public struct KernelInterface: Hashable, Codable, Sendable {
    public struct Pointer: Hashable, Codable, Sendable {
        /// Argument name (also the m_axi port name `v++` and the register map use).
        public var name: String
        public var bundle: String
        /// What the buffer holds: `weights`, `input` or `output`.
        public var role: String
    }

    public var kernel: String
    public var pointers: [Pointer]
    /// Scalar arguments (`task`, `trace`), in order after the pointers.
    public var scalars: [String]

    /// The interface of `moehls_top` with `weightPorts` weight arguments (`weights0`, ...), each on
    /// its own bundle (`gmem0`, ...), and input/output sharing `gmem_io`.
    public static func moehlsTop(weightPorts: Int) -> KernelInterface {
        var pointers = (0..<weightPorts).map { Pointer(name: "weights\($0)", bundle: "gmem\($0)", role: "weights") }
        pointers.append(Pointer(name: "image", bundle: "gmem_io", role: "input"))
        pointers.append(Pointer(name: "output", bundle: "gmem_io", role: "output"))
        return KernelInterface(kernel: "moehls_top", pointers: pointers, scalars: ["task", "trace"])
    }

    /// Distinct bundles in first-use order.
    public var bundles: [String] {
        var seen: [String] = []
        for p in pointers where !seen.contains(p.bundle) { seen.append(p.bundle) }
        return seen
    }
}
