/// Resource model: DSP from operand widths, BRAM/URAM/LUT RAM from buffer shapes, LUT/FF from the
/// fabric table (docs/cost-model.md, "Resources"). Pure functions of the model, the design and
/// the device family.

/// The resources of one component of a design.
public struct ResourceItem: Hashable, Codable, Sendable {
    public var component: String
    public var resources: Device.Resources
    /// The buffers behind the component's BRAM/URAM/LUT RAM.
    public var buffers: [BufferShape]
}

/// What one component needs before LUT/FF are priced: DSPs, fabric counts and buffers.
public struct ComponentCost: Hashable, Sendable {
    public var dsp = 0
    public var features = FabricFeatures()
    public var buffers: [BufferShape] = []

    public init() {}

    /// Priced with `table`: buffers add BRAM/URAM and LUT RAM, banks add fabric.
    public func resources(_ table: FabricCoefficients) -> Device.Resources { tally.resources(table) }

    /// The counts behind `resources`, with the buffers mapped to blocks.
    public var tally: Tally {
        var t = Tally(dsp: dsp, features: features)
        for buffer in buffers {
            let c = buffer.cost
            t.bram18k = Sat.add(t.bram18k, c.bram18k)
            t.uram = Sat.add(t.uram, c.uram)
            t.lutram = Sat.add(t.lutram, c.lut)
            t.features.bufferBanks = Sat.add(t.features.bufferBanks, buffer.banks)
        }
        return t
    }

    /// The sum of two components (buffers concatenated).
    public static func + (a: ComponentCost, b: ComponentCost) -> ComponentCost {
        var c = a
        c.dsp = Sat.add(a.dsp, b.dsp)
        c.features = a.features + b.features
        c.buffers = a.buffers + b.buffers
        return c
    }

    /// A component reduced to counts: adding tallies and pricing the sum gives exactly the
    /// resources of the summed components (LUT/FF are rounded up once, after the sum).
    public struct Tally: Hashable, Sendable {
        public var dsp = 0
        public var features = FabricFeatures()
        public var bram18k = 0
        public var uram = 0
        public var lutram = 0

        public static func + (a: Tally, b: Tally) -> Tally {
            Tally(dsp: Sat.add(a.dsp, b.dsp), features: a.features + b.features, bram18k: Sat.add(a.bram18k, b.bram18k),
                  uram: Sat.add(a.uram, b.uram), lutram: Sat.add(a.lutram, b.lutram))
        }

        public func resources(_ table: FabricCoefficients) -> Device.Resources {
            let fabric = features.cost(table)
            return Device.Resources(lut: Sat.add(fabric.lut, lutram), ff: fabric.ff, bram18k: bram18k, dsp: dsp, uram: uram)
        }
    }
}

extension Device.Resources {
    /// Zero of every resource.
    public static let zero = Device.Resources(lut: 0, ff: 0, bram18k: 0, dsp: 0, uram: 0)

    /// Element-wise sum (saturating).
    public static func + (a: Self, b: Self) -> Self {
        Self(lut: Sat.add(a.lut, b.lut), ff: Sat.add(a.ff, b.ff), bram18k: Sat.add(a.bram18k, b.bram18k),
             dsp: Sat.add(a.dsp, b.dsp), uram: Sat.add(a.uram, b.uram))
    }

    /// Every resource times `k` (saturating).
    public func scaled(by k: Int) -> Self {
        Self(lut: Sat.mul(lut, k), ff: Sat.mul(ff, k), bram18k: Sat.mul(bram18k, k), dsp: Sat.mul(dsp, k),
             uram: Sat.mul(uram, k))
    }

    /// Whether every resource is at most `limit`'s.
    public func fits(_ limit: Self) -> Bool {
        lut <= limit.lut && ff <= limit.ff && bram18k <= limit.bram18k && dsp <= limit.dsp && uram <= limit.uram
    }

    /// Each resource's least of `self` and `other`.
    func elementwiseMin(_ other: Self) -> Self {
        Self(lut: min(lut, other.lut), ff: min(ff, other.ff), bram18k: min(bram18k, other.bram18k),
             dsp: min(dsp, other.dsp), uram: min(uram, other.uram))
    }

    /// Whether no resource exceeds `other`'s: weak Pareto dominance, fewer being better (the test
    /// `fits` makes against a limit, read as a comparison of two designs).
    func dominates(_ other: Self) -> Bool { fits(other) }

    /// Lexicographic order over the resources in report order (LUT, FF, BRAM_18K, DSP, URAM).
    func lexicographicallyPrecedes(_ other: Self) -> Bool {
        (lut, ff, bram18k, dsp, uram) < (other.lut, other.ff, other.bram18k, other.dsp, other.uram)
    }

    /// `budget` times `cap`, rounded down per resource.
    public static func capped(_ budget: Self, cap: Double) -> Self {
        func c(_ v: Int) -> Int { Int((Double(v) * cap).rounded(.down)) }
        return Self(lut: c(budget.lut), ff: c(budget.ff), bram18k: c(budget.bram18k), dsp: c(budget.dsp),
                    uram: c(budget.uram))
    }
}

/// The component costs of the template.
public enum ResourceModel {
    /// A linear engine: the grid, its accumulators, the GELU units of its write-back path.
    public static func linearEngine(_ engine: DesignPoint.LinearEngine, geluUnits: Int, dsp: DSPCosts) -> ComponentCost {
        var c = ComponentCost()
        c.dsp = Sat.add(Sat.mul(engine.multipliers, dsp.grid), Sat.mul(geluUnits, dsp.geluUnit))
        c.features.linearMultipliers = engine.multipliers
        c.features.linearOutputs = Sat.mul(engine.lanes, engine.tOut)
        c.features.nonlinearUnits = geluUnits
        c.features.kernelControls = 1
        return c
    }

    /// Two slab buffers of `ceil(max d_in / T_in)` rows of `T_in * T_out` weights, plus the biases.
    public static func slabBuffers(_ engine: DesignPoint.LinearEngine, maxInputs: Int, weightBits: Int, biasBits: Int,
                                   storage: DesignPoint.WeightBuffer) -> ComponentCost {
        var c = ComponentCost()
        let kind: BufferShape.Storage = storage == .bram ? .bram : storage == .uram ? .uram : .lutram
        c.buffers = [
            BufferShape(name: "weight slabs", banks: 2, depth: ceilDiv(maxInputs, engine.tIn),
                        width: Sat.mul(Sat.mul(engine.tIn, engine.tOut), weightBits), storage: kind),
            BufferShape(name: "bias slabs", banks: 2, depth: 1, width: Sat.mul(engine.tOut, biasBits), storage: .lutram),
        ]
        return c
    }

    /// The attention engine: QK and PV multipliers, scale and normalisation multipliers, exp units,
    /// the reciprocal unit, query blocks, score rows and output accumulators (double-buffered).
    public static func attention(_ engine: DesignPoint.AttentionEngine, shape: ModelShape, dsp: DSPCosts) -> ComponentCost {
        var c = ComponentCost()
        let perStage = Sat.mul(engine.rows, engine.tA)
        let scale = shape.scaleIsPowerOfTwo ? 0 : engine.rows
        c.dsp = Sat.sum([Sat.mul(perStage, dsp.score), Sat.mul(perStage, dsp.value), Sat.mul(scale, dsp.scale),
                         Sat.mul(engine.tA, dsp.normalise), Sat.mul(engine.rows, dsp.expUnit), dsp.reciprocalUnit])
        c.features.attentionMultipliers = Sat.mul(2, perStage)
        c.features.attentionRows = Sat.mul(2, engine.rows)
        c.features.otherMultiplierDSPs = Sat.add(Sat.mul(scale, dsp.scale), Sat.mul(engine.tA, dsp.normalise))
        c.features.nonlinearUnits = engine.rows + 1
        c.features.kernelControls = 1
        let chunks = ceilDiv(shape.headDim, engine.tA)
        let guardBits = ceilLog2(shape.tokens)
        c.buffers = [
            BufferShape(name: "attention query blocks", banks: Sat.mul(2, engine.rows), depth: chunks,
                        width: Sat.mul(engine.tA, shape.activationBits)),
            BufferShape(name: "attention scores", banks: Sat.mul(2, engine.rows), depth: shape.tokens,
                        width: shape.activationBits),
            BufferShape(name: "attention outputs", banks: Sat.mul(2, engine.rows), depth: chunks,
                        width: Sat.mul(engine.tA, shape.accumulatorBits + guardBits)),
        ]
        return c
    }

    /// `units` LayerNorm units of `lanes` lanes, and the on-chip table of every LayerNorm's gamma
    /// and beta (loaded once at start-up).
    public static func layerNorm(lanes: Int, units: Int, shape: ModelShape, layerNormBits: Int, dsp: DSPCosts) -> ComponentCost {
        var c = ComponentCost()
        let perLane = dsp.square + dsp.centre + dsp.gamma
        let perUnit = Sat.sum([Sat.mul(lanes, perLane), dsp.square, dsp.dividers, dsp.rsqrtUnit])
        c.dsp = Sat.mul(perUnit, units)
        c.features.otherMultiplierDSPs = Sat.mul(Sat.add(Sat.mul(lanes, perLane), dsp.square), units)
        c.features.nonlinearUnits = units
        c.features.dividers = dsp.dividers > 0 ? Sat.mul(2, units) : 0
        c.features.kernelControls = units
        let norms = 2 * shape.layerKinds.count + (shape.hasFFN ? 1 : 0)
        c.buffers = [BufferShape(name: "LayerNorm parameters", banks: Sat.mul(2, lanes),
                                 depth: Sat.mul(norms, ceilDiv(shape.embedDim, lanes)), width: layerNormBits)]
        return c
    }

    /// The gate unit (exp, reciprocal, score multiplier), the combine multipliers of the scatter
    /// step (T_in of them) and, when `tokens > 0`, the expert queues (E queues of up to `tokens`).
    public static func moe(shape: ModelShape, tokens: Int, tIn: Int, dsp: DSPCosts) -> ComponentCost {
        var c = ComponentCost()
        c.dsp = Sat.sum([dsp.expUnit, dsp.reciprocalUnit, dsp.gateScore, Sat.mul(tIn, dsp.combine)])
        c.features.otherMultiplierDSPs = Sat.add(dsp.gateScore, Sat.mul(tIn, dsp.combine))
        c.features.nonlinearUnits = 2
        c.features.kernelControls = 2
        if tokens > 0 {
            let entryBits = ceilLog2(max(tokens, 2)) + shape.activationBits
            c.buffers = [BufferShape(name: "expert queues", banks: 1, depth: Sat.mul(shape.experts, tokens), width: entryBits)]
        }
        return c
    }

    /// A token-major activation buffer of `rows x columns` elements, banked by token lane
    /// (`t mod lanes`) and by column (`c mod columns`): depth `ceil(rows / lanes) * ceil(cols / width)`.
    public static func activationBuffer(_ name: String, rows: Int, columns: Int, bits: Int, lanes: Int, width: Int) -> BufferShape {
        BufferShape(name: name, banks: Sat.mul(lanes, width),
                    depth: Sat.mul(ceilDiv(rows, lanes), ceilDiv(columns, width)), width: bits)
    }

    /// Off-chip ports: `ports` AXI masters with a 64-beat read FIFO each.
    public static func ports(_ ports: Int, portBits: Int) -> ComponentCost {
        var c = ComponentCost()
        c.features.axiPorts = ports
        c.buffers = ports > 0 ? [BufferShape(name: "port FIFOs", banks: ports, depth: 64, width: portBits)] : []
        return c
    }
}
