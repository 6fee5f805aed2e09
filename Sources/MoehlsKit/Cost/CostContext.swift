/// The model, board and clock a design is priced for, with everything derived from them once:
/// operand widths and DSP costs, memory latency, the model's shape and MAC count. The component
/// pricing functions here are what `CostModel.estimate` and the search strategies share.
public struct CostContext: Sendable {
    public let spec: ModelSpec
    public let shape: ModelShape
    public let device: Device
    public let clockMHz: Double
    public let micro: MicroArchitecture
    public let fabric: FabricCoefficients
    public let dsp: DSPCosts
    /// MACs per image (docs/model-format.md).
    public let macsPerImage: Int
    /// Off-chip read latency in cycles at this clock.
    public let memoryLatency: Int

    /// Throws when the model's counts do not fit in 64 bits or the clock is not positive.
    public init(spec: ModelSpec, device: Device, clockMHz: Double? = nil, micro: MicroArchitecture = .v1,
                fabric: FabricCoefficients = .current) throws(DiagnosticError) {
        let clock = clockMHz ?? device.clockMHz
        guard clock.isFinite, clock > 0, clock <= 2_000 else {
            throw DiagnosticError([.error("clock must be between 0 and 2000 MHz, found \(clock)")])
        }
        let workload: Workload
        do { workload = try Workload.compute(spec) } catch {
            throw DiagnosticError([.error("model is too large: \(error.what) does not fit in a 64-bit integer")])
        }
        self.spec = spec
        shape = ModelShape(spec)
        self.device = device
        self.clockMHz = clock
        self.micro = micro
        self.fabric = fabric
        dsp = DSPCosts(OperandWidths(spec), family: device.family, embedDim: spec.embedDim)
        macsPerImage = workload.macs
        memoryLatency = micro.memoryLatencyCycles(clockMHz: clock)
    }

    // MARK: Pass geometry

    /// Images one kernel processes at a time: the batch, or half of it when pipelined.
    public func imagesPerGroup(_ design: DesignPoint) -> Int {
        design.schedule == .pipelined ? max(design.batch / 2, 1) : design.batch
    }

    /// Tokens one kernel processes at a time.
    public func tokensPerGroup(_ design: DesignPoint) -> Int {
        Sat.mul(imagesPerGroup(design), shape.tokens)
    }

    /// The memory the design's weight ports use.
    public func memory(_ ports: DesignPoint.WeightPorts) -> Device.Memory? {
        device.memory.first { $0.name == ports.memory }
    }

    /// Bytes per cycle over one engine's weight ports: `channels * bytesPerCycle(clock)`.
    public func portBytesPerCycle(_ ports: DesignPoint.WeightPorts) -> Double {
        guard let memory = memory(ports) else { return 1 }
        return Double(ports.channels) * memory.bytesPerCycle(clockMHz: clockMHz)
    }

    /// The engine's fixed properties; `gelu` says whether its write-back applies GELU.
    public func engineContext(_ engine: DesignPoint.LinearEngine, ports: DesignPoint.WeightPorts, gelu: Bool) -> LinearEngineContext {
        LinearEngineContext(engine: engine,
                            geluUnits: gelu ? LinearEngineContext.geluUnits(engine: engine, inputs: shape.embedDim) : 0,
                            portBytesPerCycle: portBytesPerCycle(ports), memoryLatency: memoryLatency, micro: micro)
    }

    // MARK: Invocations

    func linear(_ name: String, tokens: Int, inputs: Int, outputs: [Int], _ op: WriteBack, bias: Bool = true,
                weightBits: Int? = nil) -> LinearInvocation {
        LinearInvocation(name: name, tokens: tokens, inputs: inputs, outputSegments: outputs, writeBack: op,
                         weightBits: weightBits ?? shape.weightBits, biasBits: bias ? shape.biasBits : 0)
    }

    /// Runs `calls` back to back with continuous weight prefetch.
    func run(_ engine: LinearEngineContext, _ calls: [LinearInvocation]) -> (time: RunTime, ends: [Int]) {
        var pipeline = WeightPipeline(memoryLatency: engine.memoryLatency)
        var ends: [Int] = []
        for call in calls { ends.append(pipeline.invoke(engine.cost(call)).end) }
        return (RunTime(cycles: pipeline.end, stall: pipeline.stallCycles, portBusy: pipeline.loadCycles,
                        bytes: pipeline.bytes), ends)
    }

    /// The widest d_in the engine multiplies (sets the slab depth).
    public func maxInputs(msa: Bool, ffn: Bool) -> Int {
        var widest = 1
        if msa { widest = max(widest, shape.embedDim, shape.patchInputs) }
        if ffn && shape.hasFFN {
            widest = max(widest, shape.embedDim)
            if shape.hasDense { widest = max(widest, shape.hidden) }
            if shape.hasMoE { widest = max(widest, shape.expertHidden) }
        }
        return widest
    }

    // MARK: Component timings

    /// Input read, patch embedding, Q/K/V and projection on the MSA engine.
    public func msaProfile(_ engine: LinearEngineContext, design: DesignPoint) -> MSAProfile {
        let s = shape, n = tokensPerGroup(design), d = s.embedDim
        let inputBytes: Int
        if s.kind == .attention {
            inputBytes = Sat.mul(Sat.mul(design.batch, s.tokens), ceilDiv(d * s.activationBits, 8))
        } else {
            let pixels = Sat.mul(design.batch, ceilDiv(Sat.mul(s.pixels, s.pixelBits), 8))
            let positions = s.positionEmbedding ? ceilDiv(Sat.mul(Sat.mul(s.tokens, d), s.activationBits), 8) : 0
            let cls = s.classToken ? ceilDiv(d * s.activationBits, 8) : 0
            inputBytes = Sat.sum([pixels, positions, cls])
        }
        var input = UnitTiming.read(bytes: inputBytes, bytesPerCycle: engine.portBytesPerCycle, latency: memoryLatency,
                                    micro: micro)
        if s.classToken { input = Sat.add(input, Sat.mul(design.batch, ceilDiv(d, engine.engine.tIn))) }
        let inputTime = RunTime(cycles: input, stall: 0, portBusy: Sat.ceil(Double(inputBytes) / engine.portBytesPerCycle),
                                bytes: inputBytes)
        var patch = RunTime.zero
        if s.patchInputs > 0 {
            patch = run(engine, [linear("patch embed", tokens: Sat.mul(design.batch, s.patches), inputs: s.patchInputs,
                                        outputs: [d], s.positionEmbedding ? .residual : .plain,
                                        weightBits: s.patchWeightBits)]).time
        }
        let qkv = run(engine, [linear("QKV", tokens: n, inputs: d, outputs: [d, d, d], .plain, bias: s.qkvBias)]).time
        var heads = RunTime.zero, ends: [Int] = []
        if design.schedule == .headOverlap {
            let hd = s.headDim
            let calls = (0..<s.heads).map { linear("QKV head \($0)", tokens: n, inputs: d, outputs: [hd, hd, hd], .plain,
                                                   bias: s.qkvBias) }
            (heads, ends) = run(engine, calls)
        }
        let proj = run(engine, [linear("proj", tokens: n, inputs: d, outputs: [d], .residual)]).time
        return MSAProfile(input: inputTime, patch: patch, qkv: qkv, qkvHeadEnds: ends, qkvHeads: heads, proj: proj)
    }

    /// MLP, gate, experts, classifier and output write on the FFN engine.
    public func ffnProfile(_ engine: LinearEngineContext, design: DesignPoint) -> FFNProfile {
        let s = shape, n = tokensPerGroup(design), d = s.embedDim
        var dense = RunTime.zero, gateLinear = RunTime.zero, experts = RunTime.zero, classifier = RunTime.zero
        if s.hasDense { dense = denseRun(engine, tokens: n, passes: design.ffnPasses) }
        if s.hasMoE {
            gateLinear = run(engine, [linear("gate", tokens: n, inputs: d, outputs: [s.experts], .plain, bias: false)]).time
            experts = expertsRun(engine, tokens: n)
        }
        if s.classes > 0 {
            classifier = run(engine, [linear("classifier", tokens: design.batch, inputs: d, outputs: [s.classes], .plain)]).time
        }
        let outputBytes = s.classes > 0 ? Sat.mul(design.batch, ceilDiv(Sat.mul(s.classes, s.activationBits), 8))
            : Sat.mul(design.batch, ceilDiv(Sat.mul(Sat.mul(s.tokens, d), s.activationBits), 8))
        let output = RunTime(cycles: UnitTiming.write(bytes: outputBytes, bytesPerCycle: engine.portBytesPerCycle,
                                                      latency: memoryLatency, micro: micro),
                             stall: 0, portBusy: Sat.ceil(Double(outputBytes) / engine.portBytesPerCycle), bytes: outputBytes)
        return FFNProfile(dense: dense, gateLinear: gateLinear, experts: experts, classifier: classifier, output: output)
    }

    /// fc1 and fc2 of one dense layer over `tokens` tokens in `passes` passes of `ceil(tokens / passes)`.
    public func denseRun(_ engine: LinearEngineContext, tokens n: Int, passes: Int) -> RunTime {
        let s = shape, d = s.embedDim
        let per = ceilDiv(n, max(passes, 1))
        var calls: [LinearInvocation] = []
        var remaining = n
        while remaining > 0 {
            let tokens = min(per, remaining)
            calls.append(linear("MLP fc1", tokens: tokens, inputs: d, outputs: [s.hidden], s.mlpGELU ? .gelu : .relu))
            calls.append(linear("MLP fc2", tokens: tokens, inputs: s.hidden, outputs: [d], .residual))
            remaining -= tokens
        }
        return run(engine, calls).time
    }

    /// The experts of one MoE layer (docs/cost-model.md, "Experts"): for each expert with tokens,
    /// in index order, gather its tokens (overlapping the previous expert's fc1), fc1, fc2 into a
    /// staging buffer, and scatter `score * y` into the accumulators (overlapping the next expert);
    /// then convert the accumulators and add the residual.
    func expertsRun(_ engine: LinearEngineContext, tokens n: Int) -> RunTime {
        let s = shape, d = s.embedDim, tIn = engine.engine.tIn
        var pipeline = WeightPipeline(memoryLatency: engine.memoryLatency)
        var previousFC1Start: Int? = nil
        var scatterEnds: [Int] = []
        for count in s.balancedRouting(tokens: n) where count > 0 {
            let gatherEnd = Sat.add(previousFC1Start ?? 0, UnitTiming.gather(tokens: count, embedDim: d, tIn: tIn, micro: micro))
            let fc1 = pipeline.invoke(engine.cost(linear("expert fc1", tokens: count, inputs: d, outputs: [s.expertHidden],
                                                         s.expertGELU ? .gelu : .relu)), ready: gatherEnd)
            previousFC1Start = fc1.start
            let stagingFree = scatterEnds.count >= 2 ? scatterEnds[scatterEnds.count - 2] : 0
            let fc2 = pipeline.invoke(engine.cost(linear("expert fc2", tokens: count, inputs: s.expertHidden, outputs: [d],
                                                         .plain)), ready: stagingFree)
            let scatterStart = max(fc2.end, scatterEnds.last ?? 0)
            scatterEnds.append(Sat.add(scatterStart, UnitTiming.scatter(tokens: count, embedDim: d, tIn: tIn, micro: micro)))
        }
        let end = Sat.add(max(pipeline.end, scatterEnds.last ?? 0),
                          UnitTiming.combineFinish(tokens: n, embedDim: d, engine: engine.engine, micro: micro))
        return RunTime(cycles: end, stall: pipeline.stallCycles, portBusy: pipeline.loadCycles, bytes: pipeline.bytes)
    }

    /// The attention engine's calls in one pass.
    public func attentionProfile(_ engine: DesignPoint.AttentionEngine, design: DesignPoint) -> AttentionProfile {
        let timing = AttentionTiming(engine: engine, tokens: shape.tokens, headDim: shape.headDim,
                                     scaleIsPowerOfTwo: shape.scaleIsPowerOfTwo, micro: micro)
        let images = imagesPerGroup(design)
        return AttentionProfile(all: timing.cycles(heads: Sat.mul(images, shape.heads)), perHead: timing.cycles(heads: images),
                                timing: timing)
    }

    /// LayerNorm calls in one pass.
    public func normProfile(lanes: Int, design: DesignPoint) -> NormProfile {
        let timing = LayerNormTiming(lanes: lanes, embedDim: shape.embedDim, micro: micro)
        let finalTokens = shape.classes > 0 ? design.batch : Sat.mul(design.batch, shape.tokens)
        return NormProfile(layer: timing.cycles(tokens: tokensPerGroup(design)), final: timing.cycles(tokens: finalTokens))
    }

    /// The gate unit over one pass's tokens (0 without MoE).
    public func gateUnit(_ design: DesignPoint) -> Int {
        shape.hasMoE ? UnitTiming.gate(tokens: tokensPerGroup(design), experts: shape.experts, topK: shape.topK, micro: micro) : 0
    }
}
