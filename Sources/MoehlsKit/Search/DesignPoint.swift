/// One accelerator built from the architecture template (docs/design-space.md): which kernels
/// run how, how wide each one is, where weights are buffered and which off-chip ports feed them.
///
/// A design point says nothing about the model or the board; `DesignSpace` says which points are
/// legal for a pair of them and `CostModel.estimate` prices a point. It is the `design` section
/// of `design.json`, the input of the generators.
public struct DesignPoint: Hashable, Codable, Sendable, CustomStringConvertible {
    /// How the kernels are ordered in time.
    public enum Schedule: String, Hashable, Codable, Sendable, CaseIterable {
        /// One linear engine; every kernel runs after the previous one (UbiMoE's host order).
        case sequential
        /// One linear engine; attention of head h runs while the engine projects Q/K/V of head h+1.
        case headOverlap = "head-overlap"
        /// Two kernels with their own linear engines, MSA and FFN, working on two halves of the
        /// batch in alternation (UbiMoE's "running parallelization"); batch must be even.
        case pipelined
    }

    /// A T_in x T_out grid of multiply-accumulators replicated over `lanes` tokens.
    public struct LinearEngine: Hashable, Codable, Sendable, CustomStringConvertible {
        /// Input features consumed per cycle per lane (T_in).
        public var tIn: Int
        /// Output features produced per pass per lane (T_out).
        public var tOut: Int
        /// Tokens processed side by side, sharing each weight (N_L).
        public var lanes: Int

        public init(tIn: Int, tOut: Int, lanes: Int) {
            self.tIn = tIn
            self.tOut = tOut
            self.lanes = lanes
        }

        /// Multipliers in the grid: T_in x T_out x N_L.
        public var multipliers: Int { Sat.mul(Sat.mul(tIn, tOut), lanes) }

        public var description: String { "\(tIn)x\(tOut)x\(lanes)" }
    }

    /// The streaming attention engine: N_a query rows on chip, K/V streamed T_a elements per cycle.
    public struct AttentionEngine: Hashable, Codable, Sendable, CustomStringConvertible {
        /// Head-dimension elements per cycle per row (T_a).
        public var tA: Int
        /// Query rows held on chip (N_a).
        public var rows: Int

        public init(tA: Int, rows: Int) {
            self.tA = tA
            self.rows = rows
        }

        public var description: String { "\(tA)x\(rows)" }
    }

    /// Where the ping-pong weight slabs are stored.
    public enum WeightBuffer: String, Hashable, Codable, Sendable, CaseIterable {
        case bram, uram, lutram
    }

    /// The off-chip ports that feed one linear engine with weights (and carry input and output).
    public struct WeightPorts: Hashable, Codable, Sendable, CustomStringConvertible {
        /// Name of the device memory (`Device.memory[i].name`).
        public var memory: String
        /// Channels (AXI ports) of that memory used per linear engine.
        public var channels: Int

        public init(memory: String, channels: Int) {
            self.memory = memory
            self.channels = channels
        }

        public var description: String { "\(channels)x\(memory)" }
    }

    public var schedule: Schedule
    /// Replicas of the whole accelerator, each working on its own images (UbiMoE's `num`).
    public var instances: Int
    /// Images processed together per pass, so that every weight is loaded once per batch.
    public var batch: Int
    /// The linear engine: the only one (sequential, head-overlap) or the FFN kernel's (pipelined).
    public var linear: LinearEngine
    /// The MSA kernel's linear engine; present exactly for `pipelined`.
    public var msaLinear: LinearEngine?
    public var attention: AttentionEngine
    /// LayerNorm lanes: features per cycle in each pass (T_ln).
    public var layerNormLanes: Int
    /// The dense MLP is run over the tokens in this many passes (1: all at once), which shrinks
    /// its hidden buffer at the price of loading fc1/fc2 once per pass.
    public var ffnPasses: Int
    public var weightBuffer: WeightBuffer
    /// Ports per linear engine.
    public var weightPorts: WeightPorts

    public init(schedule: Schedule, instances: Int = 1, batch: Int = 1, linear: LinearEngine,
                msaLinear: LinearEngine? = nil, attention: AttentionEngine, layerNormLanes: Int,
                ffnPasses: Int = 1, weightBuffer: WeightBuffer = .bram, weightPorts: WeightPorts) {
        self.schedule = schedule
        self.instances = instances
        self.batch = batch
        self.linear = linear
        self.msaLinear = msaLinear
        self.attention = attention
        self.layerNormLanes = layerNormLanes
        self.ffnPasses = ffnPasses
        self.weightBuffer = weightBuffer
        self.weightPorts = weightPorts
    }

    /// The engine that runs patch embedding, Q/K/V and the projection.
    public var msaEngine: LinearEngine { msaLinear ?? linear }

    /// Linear engines in the accelerator (2 when pipelined).
    public var linearEngines: Int { schedule == .pipelined ? 2 : 1 }

    /// A one-line summary: `sequential L16x16x3 A8x4 LN8 B1 bram 4xps-ddr4`.
    public var description: String {
        var text = "\(schedule.rawValue) L\(linear)"
        if let msaLinear { text += " M\(msaLinear)" }
        text += " A\(attention) LN\(layerNormLanes)"
        if ffnPasses > 1 { text += " P\(ffnPasses)" }
        text += " B\(batch)"
        if instances > 1 { text += " x\(instances)" }
        return text + " \(weightBuffer.rawValue) \(weightPorts)"
    }
}
