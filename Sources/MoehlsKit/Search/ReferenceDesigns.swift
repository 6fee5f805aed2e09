/// UbiMoE's published designs (ISCAS'25) and their numbers, for the comparison `moehls search
/// --reference ubimoe` prints (shared/reference/anchors.md).
public enum ReferenceDesigns {
    /// What a paper reports for one board.
    public struct Published: Hashable, Codable, Sendable {
        public var system: String
        public var board: String
        public var clockMHz: Double
        public var latencyMilliseconds: Double
        public var dsp: Int
        /// BRAM as the paper counts it (36 Kbit blocks).
        public var bram36: Int
        public var lut: Int
        public var ff: Int
    }

    /// UbiMoE on the U280 at 200 MHz and on the ZCU102 at 300 MHz (M3ViT).
    public static let ubimoePublished: [Published] = [
        Published(system: "UbiMoE", board: "u280", clockMHz: 200, latencyMilliseconds: 10.33, dsp: 3_413, bram36: 974,
                  lut: 316_100, ff: 385_900),
        Published(system: "UbiMoE", board: "zcu102", clockMHz: 300, latencyMilliseconds: 25.76, dsp: 1_850, bram36: 458,
                  lut: 123_400, ff: 142_600),
    ]

    /// UbiMoE's configuration from its repository (T_a 8, N_a 4, T_in 16, T_out 16, N_L 3) in this
    /// template: MSA and FFN kernels alternating over two images (`pipelined`, batch 2), the MSA
    /// kernel's linear unit single-lane, 8 LayerNorm lanes, BRAM weight buffers, and half of the
    /// first memory's channels per kernel (at most 2 on a 4-port board, as UbiMoE binds one bundle
    /// per kernel for weights).
    public static func ubimoe(on device: Device, schedule: DesignPoint.Schedule = .pipelined) -> DesignPoint {
        let memory = device.memory.first
        var channels = 1
        while let memory, channels * 4 <= memory.channels { channels *= 2 }
        let pipelined = schedule == .pipelined
        return DesignPoint(schedule: schedule, instances: 1, batch: pipelined ? 2 : 1,
                           linear: .init(tIn: 16, tOut: 16, lanes: 3),
                           msaLinear: pipelined ? .init(tIn: 16, tOut: 16, lanes: 1) : nil,
                           attention: .init(tA: 8, rows: 4), layerNormLanes: 8, ffnPasses: 1, weightBuffer: .bram,
                           weightPorts: .init(memory: memory?.name ?? "", channels: channels))
    }
}
