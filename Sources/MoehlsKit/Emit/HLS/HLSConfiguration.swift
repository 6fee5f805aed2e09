/// Every number the HLS kernels are compiled with, derived from the model, the design point and
/// the bus width: sizes, fixed-point types, the widths and exponent ranges of the intermediate
/// values of docs/numerics.md, and the tile sizes and memory banking of the design point.
///
/// Pure: `init` computes, validates and returns; `HLSConfigHeader` prints it as
/// `hls/include/moehls_config.h`. The C++ kernels use nothing else.
public struct HLSConfiguration: Hashable, Sendable {
    // MARK: Model
    public var modelName: String
    public var kind: ModelSpec.Kind
    public var tokens: Int
    public var embedDim: Int
    public var heads: Int
    public var headDim: Int
    public var layers: Int
    public var tasks: Int
    /// Experts and top-k (1 for models without MoE, so every array has a size).
    public var experts: Int
    public var topK: Int
    public var softmaxAll: Bool
    /// Patch geometry (1 for attention blocks).
    public var patches: Int
    public var patchesAcross: Int
    public var patchSize: Int
    public var patchColumns: Int
    public var imageHeight: Int
    public var imageWidth: Int
    public var imageChannels: Int
    /// Output widths the activation buffers must hold (3D, hidden widths, logits, ...).
    public var bufferWidths: [Int]
    /// Input widths of the linear layers.
    public var linearInputs: [Int]
    /// Output widths of the linear layers.
    public var linearOutputs: [Int]
    /// Widest stage written to the output image.
    public var widestStage: Int

    // MARK: Formats
    public var precision: PrecisionSpec
    /// One format holding every value of both the weight and the patch-weight formats exactly:
    /// the type of the engine's weight slab.
    public var slab: FixedFormat
    /// The attention value accumulator: the accumulator widened by `attentionGuard` integer bits.
    public var wide: FixedFormat
    public var attentionGuard: Int
    /// Guard bits of the gate's exp sum (over all experts or the k chosen).
    public var gateGuard: Int
    /// The attention scale as `raw * 2^-fractionBits` in `bits` unsigned bits.
    public var scaleRaw: Int64
    public var scaleFractionBits: Int
    public var scaleBits: Int
    /// LayerNorm: eps in units of 2^-2F, the width of the variance and the range of its 1/sqrt exponent.
    public var layerNormEpsRaw: Int64
    public var layerNormVarianceWidth: Int
    public var layerNormExponentRange: ClosedRange<Int>

    // MARK: Design
    public var design: DesignPoint
    /// Whether `design` is `HLSConfiguration.defaultDesign` because none was given.
    public var designIsDefault: Bool
    /// Width of a bus word of every image and m_axi port.
    public var busBits: Int
    /// Rows of the activation buffers: at least every token count, a multiple of the lanes.
    public var maxTokens: Int
    /// Columns of the activation buffers: a multiple of `activationBanks`.
    public var maxWidth: Int
    /// Cyclic banks of a buffer row: lcm(T_in, T_out, T_a, LayerNorm lanes), so every parallel
    /// access of every kernel hits distinct banks.
    public var activationBanks: Int
    /// Columns of the weight slab: the widest linear input, a multiple of T_in.
    public var slabColumns: Int

    /// Bits a value of `format` occupies in an image: its width rounded up to 8, 16, 32 or 64.
    public static func storageBits(_ format: FixedFormat) -> Int {
        [8, 16, 32, 64].first { $0 >= format.width } ?? 64
    }

    /// The design used when none is given: one small engine (16 x 16 x 1 or the largest
    /// divisors of D below that), T_a up to 8, one attention row, up to 8 LayerNorm lanes, one
    /// weight port.
    public static func defaultDesign(for spec: ModelSpec) -> DesignPoint {
        func divisor(_ n: Int, atMost limit: Int) -> Int { (1...min(n, limit)).last { n % $0 == 0 }! }
        let tile = divisor(spec.embedDim, atMost: 16)
        return DesignPoint(schedule: .sequential,
                           linear: .init(tIn: tile, tOut: tile, lanes: 1),
                           attention: .init(tA: divisor(spec.headDim, atMost: 8), rows: 1),
                           layerNormLanes: divisor(spec.embedDim, atMost: 8),
                           weightPorts: .init(memory: "ddr", channels: 1))
    }

    /// Derives and checks everything; a model or design the kernels cannot run exactly is a diagnostic.
    public init(spec: ModelSpec, design given: DesignPoint?, busBits: Int = 512) throws(DiagnosticError) {
        let design = given ?? HLSConfiguration.defaultDesign(for: spec)
        var problems = DiagnosticCollector()
        HLSConfiguration.check(spec: spec, design: design, busBits: busBits, into: &problems)
        try problems.throwIfErrors()
        let p = spec.precision
        modelName = spec.name
        kind = spec.kind
        tokens = spec.tokens
        embedDim = spec.embedDim
        heads = spec.heads
        headDim = spec.headDim
        layers = spec.layers
        tasks = spec.moe?.tasks ?? 1
        experts = spec.moe?.experts ?? 1
        topK = spec.moe?.topK ?? 1
        softmaxAll = spec.moe?.scoreNormalisation != .topKSoftmax
        let image = spec.image, side = spec.patchSize ?? 1
        patches = max(1, spec.patches)
        patchSize = side
        patchesAcross = (image?.width ?? side) / side
        imageHeight = image?.height ?? 1
        imageWidth = image?.width ?? 1
        imageChannels = image?.channels ?? 1
        patchColumns = image == nil ? 1 : (image?.channels ?? 1) * side * side

        let d = spec.embedDim
        var inputs = [d], outputs = [3 * d, d]
        if image != nil { inputs.append(patchColumns) }
        if let mlp = spec.mlp, spec.kind != .attention {
            inputs.append(mlp.hidden)
            outputs.append(mlp.hidden)
        }
        if let moe = spec.moe {
            inputs.append(moe.expertHidden)
            outputs += [moe.expertHidden, moe.experts]
        }
        if let classes = spec.classifier?.classes, spec.kind != .attention { outputs.append(classes) }
        linearInputs = inputs
        linearOutputs = outputs
        bufferWidths = outputs + inputs
        widestStage = max(d, spec.classifier?.classes ?? 0)

        precision = p
        slab = HLSConfiguration.union(p.weight, spec.kind == .attention ? p.weight : p.patchWeight)
        attentionGuard = FixedKernels.guardBits(spec.tokens)
        wide = FixedFormat(width: p.accumulator.width + attentionGuard, integerBits: p.accumulator.integerBits + attentionGuard,
                           isSigned: true, quantization: p.accumulator.quantization, overflow: .wrap)
        gateGuard = FixedKernels.guardBits(softmaxAll ? experts : topK)
        let scale = FixedKernels.scaleConstant(spec.attention.scale)
        scaleRaw = scale.raw
        scaleFractionBits = scale.fractionBits
        scaleBits = max(18, 64 - scale.raw.leadingZeroBitCount)

        let f = p.activation.fractionBits
        layerNormEpsRaw = max(1, Int64(HLSConfiguration.scaledEps(spec)))
        let epsBits = 64 - layerNormEpsRaw.leadingZeroBitCount
        layerNormVarianceWidth = max(2 * p.activation.width, epsBits) + 1
        // 1/sqrt exponent h = floor_even(msb(var) - 2F) / 2 with msb in 0 ..< varianceWidth.
        let lowest = HLSConfiguration.floorEven(-2 * f) / 2
        let highest = HLSConfiguration.floorEven(layerNormVarianceWidth - 1 - 2 * f) / 2
        layerNormExponentRange = lowest...highest

        self.design = design
        designIsDefault = given == nil
        self.busBits = busBits
        let engine = design.linear
        activationBanks = [engine.tIn, engine.tOut, design.attention.tA, design.layerNormLanes].reduce(1, HLSConfiguration.lcm)
        maxTokens = HLSConfiguration.roundUp(max(spec.tokens, patches), to: engine.lanes)
        maxWidth = HLSConfiguration.roundUp(bufferWidths.max()!, to: activationBanks)
        slabColumns = HLSConfiguration.roundUp(inputs.max()!, to: engine.tIn)
    }

    /// `round(eps * 2^2F)` as the golden model computes it (F: the activation's fraction bits).
    static func scaledEps(_ spec: ModelSpec) -> Double {
        (spec.layerNormEps * Double(sign: .plus, exponent: 2 * spec.precision.activation.fractionBits, significand: 1)).rounded()
    }

    /// The checks behind `init`: formats the kernels support and a design that fits the model.
    static func check(spec: ModelSpec, design: DesignPoint, busBits: Int, into problems: inout DiagnosticCollector) {
        let p = spec.precision
        if !p.activation.isSigned {
            problems.error("the HLS kernels need a signed activation format; got \(p.activation)", at: nil, path: "precision.activation")
        }
        if !p.accumulator.isSigned {
            problems.error("the HLS kernels need a signed accumulator format; got \(p.accumulator)", at: nil, path: "precision.accumulator")
        }
        if spec.image != nil {
            let pixel = p.pixel, act = p.activation
            let headroom = act.integerBits - (act.isSigned && !pixel.isSigned ? 1 : 0)
            if pixel.fractionBits > act.fractionBits || pixel.integerBits > headroom || (pixel.isSigned && !act.isSigned) {
                problems.error("the activation format \(act) must hold every pixel value of \(pixel) exactly: "
                               + "the patch embedding runs on the linear engine's activation inputs",
                               at: nil, path: "precision.pixel")
            }
        }
        if !(scaledEps(spec) < 0x1p62) {
            problems.error("layer_norm eps \(spec.layerNormEps) is too large for the HLS kernels: eps * 2^2F must be below 2^62",
                           at: nil, path: "layer_norm.eps")
        }
        if ![64, 128, 256, 512].contains(busBits) {
            problems.error("bus width \(busBits) is not one of 64, 128, 256, 512 bits", at: nil, path: "busBits")
        }
        let engine = design.linear
        for (value, path) in [(engine.tIn, "linear.tIn"), (engine.tOut, "linear.tOut"), (engine.lanes, "linear.lanes"),
                              (design.attention.tA, "attention.tA"), (design.attention.rows, "attention.rows"),
                              (design.layerNormLanes, "layerNormLanes"), (design.weightPorts.channels, "weightPorts.channels")]
            where value < 1 {
            problems.error("\(path) must be at least 1; got \(value)", at: nil, path: "design.\(path)")
        }
        if design.attention.tA >= 1, spec.headDim % design.attention.tA != 0 {
            problems.error("T_a = \(design.attention.tA) must divide the head width \(spec.headDim)", at: nil, path: "design.attention.tA")
        }
        if design.layerNormLanes >= 1, spec.embedDim % design.layerNormLanes != 0 {
            problems.error("LayerNorm lanes \(design.layerNormLanes) must divide D = \(spec.embedDim)", at: nil, path: "design.layerNormLanes")
        }
    }

    // MARK: Derived sizes

    public var activationStorageBits: Int { HLSConfiguration.storageBits(precision.activation) }
    public var activationsPerWord: Int { busBits / activationStorageBits }
    public var headChunks: Int { headDim / design.attention.tA }
    public var attentionRowBlocks: Int { (tokens + design.attention.rows - 1) / design.attention.rows }
    public var layerNormBlocks: Int { embedDim / design.layerNormLanes }
    public var slabRowsPerPort: Int { max(1, (design.linear.tOut + design.weightPorts.channels - 1) / design.weightPorts.channels) }
    public var maxOutputBlocks: Int { (linearOutputs.max()! + design.linear.tOut - 1) / design.linear.tOut }
    public var maxTokenGroups: Int { maxTokens / design.linear.lanes }
    public var storeMaxWords: Int { (tokens * widestStage + activationsPerWord - 1) / activationsPerWord }

    /// GELU: the shift that brings |x| to 22 fraction bits, the fraction bits of the exact
    /// difference and its width.
    public var geluAlign: Int { 22 - precision.accumulator.fractionBits }
    public var geluFractionBits: Int { max(precision.accumulator.fractionBits, GELUUnit.valueFractionBits) }
    public var geluExactBits: Int {
        let c = precision.accumulator
        return max(c.width + geluFractionBits - c.fractionBits,
                   GELUUnit().table.entryBits + geluFractionBits - GELUUnit.valueFractionBits) + 2
    }

    // MARK: Helpers

    /// A format holding every value of `a` and `b` exactly (signed if either is).
    static func union(_ a: FixedFormat, _ b: FixedFormat) -> FixedFormat {
        let signed = a.isSigned || b.isSigned
        func integerBits(_ x: FixedFormat) -> Int { x.integerBits + (signed && !x.isSigned ? 1 : 0) }
        let i = max(integerBits(a), integerBits(b)), f = max(a.fractionBits, b.fractionBits)
        return FixedFormat(width: i + f, integerBits: i, isSigned: signed)
    }

    static func roundUp(_ n: Int, to multiple: Int) -> Int { (n + multiple - 1) / multiple * multiple }

    static func lcm(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (max(a, 1), max(b, 1))
        while y != 0 { (x, y) = (y, x % y) }
        return max(a, 1) / x * max(b, 1)
    }

    /// `p` rounded down to an even number (toward minus infinity), as the 1/sqrt unit does.
    static func floorEven(_ p: Int) -> Int { p & ~1 }

    /// Bits of an unsigned counter that holds 0 ... n.
    static func counterBits(_ n: Int) -> Int { max(1, 64 - n.leadingZeroBitCount) }
}
