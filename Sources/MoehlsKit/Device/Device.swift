/// An FPGA board as the cost models see it: resources, what is usable after the platform shell,
/// off-chip memory, SLRs and the default clock. Built-in boards are in `BuiltinDevices`; users
/// describe others in YAML (docs/device-format.md) and load them with `DeviceLoader`.
public struct Device: Hashable, Codable, Sendable {
    /// Short name used on the command line (`zcu102`).
    public var name: String
    /// Human-readable board name.
    public var description: String
    /// Vendor part number passed to the tools (`set_part`).
    public var part: String
    public var family: Family
    /// Resources of the whole part, as csynth's AvailableResources reports them.
    public var resources: Resources
    /// Resources usable by the accelerator after the platform shell (equals `resources` on
    /// boards without a shell). Utilisation caps apply to this budget.
    public var budget: Resources
    /// Off-chip memories the accelerator can reach.
    public var memory: [Memory]
    /// Super logic regions (dies).
    public var slrs: Int
    /// Default kernel clock in MHz.
    public var clockMHz: Double
    /// Which vendor flow the generated project targets.
    public var flow: Flow
    /// Where the figures come from and which are estimates.
    public var source: String

    public enum Family: String, Hashable, Codable, Sendable, CaseIterable {
        /// UltraScale+ (DSP48E2: 27 x 18 signed multiplier).
        case ultrascalePlus = "ultrascale+"
        /// Versal (DSP58: 27 x 24 signed multiplier).
        case versal

        /// Operand widths of one DSP multiplier (signed), wide x narrow.
        public var multiplier: (wide: Int, narrow: Int) {
            switch self {
            case .ultrascalePlus: return (27, 18)
            case .versal: return (27, 24)
            }
        }
    }

    public enum Flow: String, Hashable, Codable, Sendable, CaseIterable {
        /// Export IP and build a Vivado block design (embedded boards).
        case vivado
        /// Link kernels with v++ onto an Alveo/Vitis platform, run with XRT.
        case vitis
    }

    /// A resource vector. BRAM counts 18 Kbit halves (`BRAM_18K`), as csynth does.
    public struct Resources: Hashable, Codable, Sendable {
        public var lut: Int
        public var ff: Int
        public var bram18k: Int
        public var dsp: Int
        public var uram: Int

        public init(lut: Int, ff: Int, bram18k: Int, dsp: Int, uram: Int) {
            self.lut = lut
            self.ff = ff
            self.bram18k = bram18k
            self.dsp = dsp
            self.uram = uram
        }

        /// The resources in report order with their csynth names.
        public var named: [(name: String, value: Int)] {
            [("LUT", lut), ("FF", ff), ("BRAM_18K", bram18k), ("DSP", dsp), ("URAM", uram)]
        }
    }

    /// One kind of off-chip memory and the ports the accelerator uses to reach it.
    public struct Memory: Hashable, Codable, Sendable {
        public var name: String
        public var kind: String
        /// Independent channels / ports (HBM pseudo-channels, HP ports, DDR controllers).
        public var channels: Int
        /// Width of one AXI port in bits.
        public var portBits: Int
        /// Practical total bandwidth over all channels, in GB/s (10^9 bytes per second).
        public var bandwidthGBps: Double
        /// Capacity in GiB.
        public var capacityGiB: Double

        /// Bytes one port can deliver per kernel clock cycle: the port width, or the channel's
        /// share of the bandwidth if that is lower at this clock.
        public func bytesPerCycle(clockMHz: Double) -> Double {
            let perChannel = bandwidthGBps * 1e9 / Double(channels)
            return min(Double(portBits) / 8, perChannel / (clockMHz * 1e6))
        }
    }
}
