/// The LUT and FF model: one table of coefficients, each multiplied by a count of the design
/// (docs/cost-model.md, "LUT and FF").
///
/// Fitted rows come from a least-squares fit to Yosys 0.23 `synth_xilinx -family xcup` cell counts
/// of probe Verilog written like the kernels (a multiplier per grid point, a pipelined pairwise
/// adder tree, an accumulator per output); the data is docs/cost-model-fit.csv and the method is in
/// docs/cost-model.md. Estimated rows are not fitted yet (no RTL exists for those units); each says
/// what it assumes. All of them are to be refitted against Yosys counts of the generated Verilog and
/// against vendor csynth reports.
public struct FabricCoefficients: Hashable, Codable, Sendable {
    /// One row of the table.
    public struct Row: Hashable, Codable, Sendable {
        public var feature: String
        public var lut: Double
        public var ff: Double
        /// `fit` (from the probe data) or `estimate`.
        public var source: String
        public var note: String
    }

    public var rows: [Row]
    /// LUT and FF coefficients in `FabricFeatures.featureNames` order (0 for a missing row).
    let lutByFeature: [Double]
    let ffByFeature: [Double]

    public init(rows: [Row]) {
        self.rows = rows
        lutByFeature = FabricFeatures.featureNames.map { name in rows.first { $0.feature == name }?.lut ?? 0 }
        ffByFeature = FabricFeatures.featureNames.map { name in rows.first { $0.feature == name }?.ff ?? 0 }
    }

    enum CodingKeys: String, CodingKey { case rows }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(rows: try container.decode([Row].self, forKey: .rows))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rows, forKey: .rows)
    }

    /// The table moehls uses.
    public static let current = FabricCoefficients(rows: [
        Row(feature: "linear_multiplier", lut: 79, ff: 96, source: "fit",
            note: "grid multiplier (activation x weight, 2 DSP48E2) with its product and adder-tree registers"),
        Row(feature: "linear_output", lut: 48, ff: 0, source: "fit",
            note: "accumulator per lane and output"),
        Row(feature: "attention_multiplier", lut: 158, ff: 96, source: "fit",
            note: "QK or PV multiplier (activation x activation, 4 DSP48E2) with its adder-tree share"),
        Row(feature: "attention_row", lut: 48, ff: 0, source: "fit",
            note: "accumulator per attention row and stage"),
        Row(feature: "other_multiplier_dsp", lut: 39.5, ff: 24, source: "estimate",
            note: "per DSP of any other multiplier (LayerNorm, scale, normalise, combine, gate): the fitted LUT per DSP "
                + "(79 / 2 = 158 / 4); FF for one product register"),
        Row(feature: "nonlinear_unit", lut: 250, ff: 300, source: "estimate",
            note: "exp, reciprocal, 1/sqrt or GELU unit: table ROM in LUTs, shifts, leading-one detection"),
        Row(feature: "divider", lut: 300, ff: 400, source: "estimate",
            note: "LayerNorm divide-by-D correction logic"),
        Row(feature: "buffer_bank", lut: 6, ff: 4, source: "estimate",
            note: "address and enable logic of one buffer bank"),
        Row(feature: "axi_port", lut: 1_500, ff: 2_200, source: "estimate",
            note: "AXI4 read/write master with burst logic"),
        Row(feature: "kernel_control", lut: 800, ff: 900, source: "estimate",
            note: "loop counters and handshakes of one kernel (engine, attention, LayerNorm, gate, gather/scatter)"),
        Row(feature: "base", lut: 3_000, ff: 4_000, source: "estimate",
            note: "top-level control, AXI-Lite registers, clocking"),
    ])

    /// The coefficients of `feature` (zero if the table lacks it).
    public func coefficients(_ feature: String) -> (lut: Double, ff: Double) {
        guard let row = rows.first(where: { $0.feature == feature }) else { return (0, 0) }
        return (row.lut, row.ff)
    }
}

/// The counts the fabric model multiplies: one per row of `FabricCoefficients`.
public struct FabricFeatures: Hashable, Codable, Sendable {
    public var linearMultipliers = 0
    public var linearOutputs = 0
    public var attentionMultipliers = 0
    public var attentionRows = 0
    public var otherMultiplierDSPs = 0
    public var nonlinearUnits = 0
    public var dividers = 0
    public var bufferBanks = 0
    public var axiPorts = 0
    public var kernelControls = 0
    public var base = 0

    public init() {}

    /// Element-wise sum (saturating).
    public static func + (a: FabricFeatures, b: FabricFeatures) -> FabricFeatures {
        var c = FabricFeatures()
        c.linearMultipliers = Sat.add(a.linearMultipliers, b.linearMultipliers)
        c.linearOutputs = Sat.add(a.linearOutputs, b.linearOutputs)
        c.attentionMultipliers = Sat.add(a.attentionMultipliers, b.attentionMultipliers)
        c.attentionRows = Sat.add(a.attentionRows, b.attentionRows)
        c.otherMultiplierDSPs = Sat.add(a.otherMultiplierDSPs, b.otherMultiplierDSPs)
        c.nonlinearUnits = Sat.add(a.nonlinearUnits, b.nonlinearUnits)
        c.dividers = Sat.add(a.dividers, b.dividers)
        c.bufferBanks = Sat.add(a.bufferBanks, b.bufferBanks)
        c.axiPorts = Sat.add(a.axiPorts, b.axiPorts)
        c.kernelControls = Sat.add(a.kernelControls, b.kernelControls)
        c.base = Sat.add(a.base, b.base)
        return c
    }

    /// The feature names in table order.
    public static let featureNames = ["linear_multiplier", "linear_output", "attention_multiplier", "attention_row",
                                      "other_multiplier_dsp", "nonlinear_unit", "divider", "buffer_bank", "axi_port",
                                      "kernel_control", "base"]

    /// The counts in `featureNames` order.
    public var counts: [Int] {
        [linearMultipliers, linearOutputs, attentionMultipliers, attentionRows, otherMultiplierDSPs, nonlinearUnits, dividers,
         bufferBanks, axiPorts, kernelControls, base]
    }

    /// The counts in table order with their feature names.
    public var named: [(feature: String, count: Int)] {
        Array(zip(Self.featureNames, counts))
    }

    /// LUT and FF from `table`: each the sum of coefficient x count, rounded up.
    public func cost(_ table: FabricCoefficients) -> (lut: Int, ff: Int) {
        let l = table.lutByFeature, f = table.ffByFeature
        let c = (Double(linearMultipliers), Double(linearOutputs), Double(attentionMultipliers), Double(attentionRows),
                 Double(otherMultiplierDSPs), Double(nonlinearUnits), Double(dividers), Double(bufferBanks),
                 Double(axiPorts), Double(kernelControls), Double(base))
        var lut = l[0] * c.0 + l[1] * c.1 + l[2] * c.2 + l[3] * c.3
        lut += l[4] * c.4 + l[5] * c.5 + l[6] * c.6 + l[7] * c.7 + l[8] * c.8 + l[9] * c.9 + l[10] * c.10
        var ff = f[0] * c.0 + f[1] * c.1 + f[2] * c.2 + f[3] * c.3
        ff += f[4] * c.4 + f[5] * c.5 + f[6] * c.6 + f[7] * c.7 + f[8] * c.8 + f[9] * c.9 + f[10] * c.10
        return (Sat.ceil(lut), Sat.ceil(ff))
    }
}
