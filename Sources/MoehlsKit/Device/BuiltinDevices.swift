/// The boards moehls knows by name. Figures are the full parts' resources from the vendors'
/// product tables (the same numbers csynth reports as AvailableResources); `budget` removes the
/// platform shell where there is one. `source` on each says which figures are estimates.
public enum BuiltinDevices {
    public static let all: [Device] = [zcu102, u280, u50, u250, kv260, vck190]

    /// Looks up a board by name, case-insensitively.
    public static func named(_ name: String) -> Device? {
        all.first { $0.name == name.lowercased() }
    }

    public static let zcu102 = Device(
        name: "zcu102", description: "Zynq UltraScale+ MPSoC ZCU102", part: "xczu9eg-ffvb1156-2-e",
        family: .ultrascalePlus,
        resources: .init(lut: 274_080, ff: 548_160, bram18k: 1_824, dsp: 2_520, uram: 0),
        budget: .init(lut: 274_080, ff: 548_160, bram18k: 1_824, dsp: 2_520, uram: 0),
        memory: [.init(name: "ps-ddr4", kind: "DDR4 via HP ports", channels: 4, portBits: 128,
                       bandwidthGBps: 19.2, capacityGiB: 4)],
        slrs: 1, clockMHz: 300, flow: .vivado,
        source: "resources: AMD part table; PL reaches PS DDR4 through 4 HP ports of 128 bit, ~19 GB/s practical (shared/reference/vendor-flow.md); no shell")

    public static let u280 = Device(
        name: "u280", description: "Alveo U280", part: "xcu280-fsvh2892-2L-e",
        family: .ultrascalePlus,
        resources: .init(lut: 1_303_680, ff: 2_607_360, bram18k: 4_032, dsp: 9_024, uram: 960),
        budget: .init(lut: 1_165_920, ff: 2_331_840, bram18k: 3_504, dsp: 8_496, uram: 960),
        memory: [.init(name: "hbm", kind: "HBM2", channels: 32, portBits: 256, bandwidthGBps: 460, capacityGiB: 8),
                 .init(name: "ddr", kind: "DDR4", channels: 2, portBits: 512, bandwidthGBps: 38.4, capacityGiB: 32)],
        slrs: 3, clockMHz: 300, flow: .vitis,
        source: "resources: AMD part table; budget after the xdma shell as FINN/TAPA plan it (LUT, BRAM, DSP, URAM); FF budget estimated at the LUT ratio")

    public static let u50 = Device(
        name: "u50", description: "Alveo U50", part: "xcu50-fsvh2104-2-e",
        family: .ultrascalePlus,
        resources: .init(lut: 871_680, ff: 1_743_360, bram18k: 2_688, dsp: 5_952, uram: 640),
        budget: .init(lut: 779_520, ff: 1_559_040, bram18k: 2_336, dsp: 5_604, uram: 640),
        memory: [.init(name: "hbm", kind: "HBM2", channels: 32, portBits: 256, bandwidthGBps: 316, capacityGiB: 8)],
        slrs: 2, clockMHz: 300, flow: .vitis,
        source: "resources: AMD part table; budget estimated by removing the U280 shell's share (LUT 10.6%, BRAM 13.1%, DSP 5.9%)")

    public static let u250 = Device(
        name: "u250", description: "Alveo U250", part: "xcu250-figd2104-2L-e",
        family: .ultrascalePlus,
        resources: .init(lut: 1_728_000, ff: 3_456_000, bram18k: 5_376, dsp: 12_288, uram: 1_280),
        budget: .init(lut: 1_545_216, ff: 3_090_432, bram18k: 4_672, dsp: 11_568, uram: 1_280),
        memory: [.init(name: "ddr", kind: "DDR4", channels: 4, portBits: 512, bandwidthGBps: 77, capacityGiB: 64)],
        slrs: 4, clockMHz: 300, flow: .vitis,
        source: "resources: AMD part table; budget estimated by removing the U280 shell's share (LUT 10.6%, BRAM 13.1%, DSP 5.9%)")

    public static let kv260 = Device(
        name: "kv260", description: "Kria KV260 Vision AI Starter Kit", part: "xck26-sfvc784-2LV-c",
        family: .ultrascalePlus,
        resources: .init(lut: 117_120, ff: 234_240, bram18k: 288, dsp: 1_248, uram: 64),
        budget: .init(lut: 117_120, ff: 234_240, bram18k: 288, dsp: 1_248, uram: 64),
        memory: [.init(name: "ps-ddr4", kind: "DDR4 via HP ports", channels: 4, portBits: 128,
                       bandwidthGBps: 19.2, capacityGiB: 4)],
        slrs: 1, clockMHz: 250, flow: .vivado,
        source: "resources: AMD part table (K26 SOM); 64-bit DDR4-2400 shared with the PS; no shell")

    public static let vck190 = Device(
        name: "vck190", description: "Versal AI Core VCK190", part: "xcvc1902-vsva2197-2MP-e-S",
        family: .versal,
        resources: .init(lut: 899_840, ff: 1_799_680, bram18k: 1_934, dsp: 1_968, uram: 463),
        budget: .init(lut: 899_840, ff: 1_799_680, bram18k: 1_934, dsp: 1_968, uram: 463),
        memory: [.init(name: "ddr4", kind: "DDR4 via NoC", channels: 1, portBits: 512, bandwidthGBps: 25.6, capacityGiB: 8),
                 .init(name: "lpddr4", kind: "LPDDR4 via NoC", channels: 2, portBits: 512, bandwidthGBps: 34.1, capacityGiB: 8)],
        slrs: 1, clockMHz: 300, flow: .vivado,
        source: "resources: AMD part table (DSP58 engines; the 400 AI Engines are not modelled); no shell budget applied")
}
