/// What the cost model says about one design on one model and board (docs/cost-model.md).
public struct Estimate: Hashable, Codable, Sendable {
    /// One kernel call on the critical path of a layer.
    public struct Step: Hashable, Codable, Sendable {
        /// `LN1`, `QKV`, `attention`, `QKV+attention` (head-overlap), `proj`, `LN2`, `MLP`, `gate`,
        /// `gate softmax/top-k`, `experts`.
        public var kernel: String
        /// Cycles of the call for one pass (one batch, or one half of it when pipelined).
        public var cycles: Int
        /// Of those, cycles the linear engine waited for weights.
        public var weightStall: Int
        /// Weight bytes loaded by the call.
        public var weightBytes: Int
    }

    /// One encoder layer.
    public struct Layer: Hashable, Codable, Sendable {
        public var index: Int
        public var kind: ModelShape.LayerKind
        /// The MSA half's calls then the FFN half's.
        public var steps: [Step]
        /// MSA half (LN1 .. proj) and FFN half (LN2 .. residual), per pass.
        public var msaCycles: Int
        public var ffnCycles: Int
        /// What the layer adds to the latency (for pipelined: its share of the alternating steps).
        public var criticalCycles: Int
    }

    /// A segment of the critical path: `input`, `patch embed`, `layers`, `final LayerNorm`,
    /// `classifier`, `output`. The segments add up to `latencyCycles`.
    public struct Phase: Hashable, Codable, Sendable {
        public var name: String
        public var cycles: Int
    }

    /// Totals per kernel over the image pass.
    public struct Kernel: Hashable, Codable, Sendable {
        public var kernel: String
        /// Calls per pass (per batch).
        public var calls: Int
        /// Cycles on the critical path.
        public var cycles: Int
        /// Share of the latency.
        public var share: Double
    }

    /// What limits the design: the largest part of the critical path.
    public struct Bound: Hashable, Codable, Sendable {
        /// `compute`, `bandwidth` or `latency` (fixed pipeline and handshake cycles).
        public var kind: String
        /// The kernel or port: `linear engine 16x16x3`, `attention engine`, `weight ports 4 x ps-ddr4`.
        public var what: String
        /// Share of the critical path.
        public var share: Double

        public var description: String { "\(kind) of \(what) (\(Format.fixed(share * 100, 1))% of the critical path)" }
    }

    /// Off-chip traffic of one port group per pass.
    public struct Traffic: Hashable, Codable, Sendable {
        public var port: String
        public var bytes: Int
        /// Cycles the ports transfer.
        public var busyCycles: Int
        /// Bytes per cycle of the group (all its channels).
        public var bytesPerCycle: Double
    }

    public var design: DesignPoint
    public var clockMHz: Double
    /// Images per pass (the batch).
    public var imagesPerPass: Int
    /// Cycles from the first input byte to the last output byte of a pass.
    public var latencyCycles: Int
    /// `latencyCycles / clock`, per image of the pass (all images of a batch finish together).
    public var latencySeconds: Double
    /// Images per second over all instances: `instances * batch / latency`.
    public var throughput: Double
    /// MACs per image (docs/model-format.md); GOPS counts 2 operations per MAC.
    public var macsPerImage: Int
    public var gops: Double
    /// Resources of the whole design (all instances) and their breakdown (one instance).
    public var resources: Device.Resources
    public var resourceItems: [ResourceItem]
    public var phases: [Phase]
    public var layers: [Layer]
    public var kernels: [Kernel]
    public var traffic: [Traffic]
    public var bound: Bound
    /// Tokens each expert receives per pass under the balanced-routing assumption.
    public var tokensPerExpert: [Int]
    /// Whether a count hit the 2^62 clamp (the model is too large to estimate).
    public var isSaturated: Bool

    /// Latency per image in milliseconds.
    public var latencyMilliseconds: Double { latencySeconds * 1e3 }
}
