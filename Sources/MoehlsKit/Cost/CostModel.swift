/// The cost model: `(model, design point, device, clock) -> Estimate`, pure
/// (docs/cost-model.md). `estimate` validates the design, prices every component, composes the
/// schedule and explains the result: per-layer and per-kernel cycles, resources, off-chip traffic
/// and the bound that limits the design.
public enum CostModel {
    /// Prices `design` for `spec` on `device` at `clockMHz` (the device's default when nil).
    /// Throws the design's violations as diagnostics.
    public static func estimate(spec: ModelSpec, design: DesignPoint, device: Device, clockMHz: Double? = nil,
                                micro: MicroArchitecture = .v1,
                                fabric: FabricCoefficients = .current) throws(DiagnosticError) -> Estimate {
        let context = try CostContext(spec: spec, device: device, clockMHz: clockMHz, micro: micro, fabric: fabric)
        return try estimate(design, context)
    }

    /// Prices `design` in an existing context.
    public static func estimate(_ design: DesignPoint, _ context: CostContext) throws(DiagnosticError) -> Estimate {
        let problems = DesignSpace.violations(design, context)
        if !problems.isEmpty {
            throw DiagnosticError(problems.map { .error("design is not legal for \(context.spec.name) on \(context.device.name): \($0)") })
        }
        return Explained(design, context).estimate
    }
}

/// The composition of one design with everything recorded for the report.
struct Explained {
    let design: DesignPoint
    let context: CostContext
    var estimate: Estimate

    init(_ design: DesignPoint, _ c: CostContext) {
        self.design = design
        context = c
        let s = c.shape
        let msaEngine = c.engineContext(design.msaEngine, ports: design.weightPorts,
                                        gelu: design.schedule != .pipelined && s.usesGELU)
        let ffnEngine = c.engineContext(design.linear, ports: design.weightPorts, gelu: s.usesGELU)
        let m = c.msaProfile(msaEngine, design: design)
        let f = c.ffnProfile(ffnEngine, design: design)
        let a = c.attentionProfile(design.attention, design: design)
        let n = c.normProfile(lanes: design.layerNormLanes, design: design)
        let gateUnit = c.gateUnit(design)
        let total = Composition.total(shape: s, schedule: design.schedule, msa: m, ffn: f, attention: a, norm: n,
                                      gateUnit: gateUnit)

        // Layers and their steps.
        let msaCycles = Composition.msa(design.schedule, m, a, n)
        var layers: [Estimate.Layer] = []
        for (index, kind) in s.layerKinds.enumerated() {
            var steps = [Estimate.Step(kernel: "LN1", cycles: n.layer, weightStall: 0, weightBytes: 0)]
            if design.schedule == .headOverlap {
                steps.append(.init(kernel: "QKV+attention", cycles: Composition.headOverlapChain(qkvEnds: m.qkvHeadEnds,
                                                                                                  attentionPerHead: a.perHead),
                                   weightStall: m.qkvHeads.stall, weightBytes: m.qkvHeads.bytes))
            } else {
                steps.append(.init(kernel: "QKV", cycles: m.qkv.cycles, weightStall: m.qkv.stall, weightBytes: m.qkv.bytes))
                steps.append(.init(kernel: "attention", cycles: a.all, weightStall: 0, weightBytes: 0))
            }
            steps.append(.init(kernel: "proj", cycles: m.proj.cycles, weightStall: m.proj.stall, weightBytes: m.proj.bytes))
            var ffnCycles = 0
            if s.hasFFN {
                steps.append(.init(kernel: "LN2", cycles: n.layer, weightStall: 0, weightBytes: 0))
                if kind == .dense {
                    steps.append(.init(kernel: "MLP", cycles: f.dense.cycles, weightStall: f.dense.stall, weightBytes: f.dense.bytes))
                } else {
                    steps.append(.init(kernel: "gate", cycles: f.gateLinear.cycles, weightStall: f.gateLinear.stall,
                                       weightBytes: f.gateLinear.bytes))
                    steps.append(.init(kernel: "gate softmax/top-k", cycles: gateUnit, weightStall: 0, weightBytes: 0))
                    steps.append(.init(kernel: "experts", cycles: f.experts.cycles, weightStall: f.experts.stall,
                                       weightBytes: f.experts.bytes))
                }
                ffnCycles = Composition.ffn(kind, f, gateUnit: gateUnit, n)
            }
            let share = Composition.layerShare(schedule: design.schedule, msa: msaCycles, ffn: ffnCycles, index: index,
                                               count: s.layerKinds.count)
            layers.append(Estimate.Layer(index: index, kind: kind, steps: steps, msaCycles: msaCycles, ffnCycles: ffnCycles,
                                         criticalCycles: share))
        }

        var phases = [Estimate.Phase(name: "input", cycles: m.input.cycles)]
        if s.patchInputs > 0 { phases.append(.init(name: "patch embed", cycles: m.patch.cycles)) }
        phases.append(.init(name: "layers", cycles: Sat.sum(layers.map(\.criticalCycles))))
        if s.hasFFN { phases.append(.init(name: "final LayerNorm", cycles: n.final)) }
        if s.classes > 0 { phases.append(.init(name: "classifier", cycles: f.classifier.cycles)) }
        phases.append(.init(name: "output", cycles: f.output.cycles))

        // Kernels: calls and critical-path cycles (for pipelined: busy cycles of both halves).
        var kernels: [(String, Int, Int)] = []
        func addKernel(_ name: String, calls: Int, cycles: Int) {
            if let i = kernels.firstIndex(where: { $0.0 == name }) {
                kernels[i].1 += calls
                kernels[i].2 = Sat.add(kernels[i].2, cycles)
            } else {
                kernels.append((name, calls, cycles))
            }
        }
        let halves = design.schedule == .pipelined ? 2 : 1
        addKernel("input", calls: 1, cycles: m.input.cycles)
        if s.patchInputs > 0 { addKernel("patch embed", calls: 1, cycles: m.patch.cycles) }
        for layer in layers {
            for step in layer.steps {
                let calls = step.kernel == "QKV+attention" ? s.heads : 1
                addKernel(step.kernel, calls: calls * halves, cycles: Sat.mul(step.cycles, halves))
            }
        }
        if s.hasFFN { addKernel("final LayerNorm", calls: 1, cycles: n.final) }
        if s.classes > 0 { addKernel("classifier", calls: 1, cycles: f.classifier.cycles) }
        addKernel("output", calls: 1, cycles: f.output.cycles)
        let latency = max(total, 1)
        let kernelRows = kernels.map { Estimate.Kernel(kernel: $0.0, calls: $0.1, cycles: $0.2,
                                                       share: Double($0.2) / Double(latency)) }

        // The bound: the largest category of the critical path.
        let portName = "weight ports \(design.weightPorts.channels) x \(design.weightPorts.memory)"
        var categories: [(kind: String, what: String, cycles: Int)] = []
        func add(_ kind: String, _ what: String, _ cycles: Int) {
            if let i = categories.firstIndex(where: { $0.kind == kind && $0.what == what }) {
                categories[i].cycles = Sat.add(categories[i].cycles, cycles)
            } else {
                categories.append((kind, what, cycles))
            }
        }
        func linear(_ run: RunTime, engine: DesignPoint.LinearEngine, times: Int = 1) {
            add("bandwidth", portName, Sat.mul(run.stall, times))
            add("compute", "linear engine \(engine)", Sat.mul(run.cycles - run.stall, times))
        }
        add("bandwidth", portName, Sat.add(m.input.cycles, f.output.cycles))
        linear(m.patch, engine: design.msaEngine)
        if s.hasFFN { add("compute", "LayerNorm unit", n.final) }
        linear(f.classifier, engine: design.linear)
        func msaParts(_ times: Int) {
            add("compute", "LayerNorm unit", Sat.mul(n.layer, times))
            if design.schedule == .headOverlap {
                let chain = Composition.headOverlapChain(qkvEnds: m.qkvHeadEnds, attentionPerHead: a.perHead)
                linear(m.qkvHeads, engine: design.msaEngine, times: times)
                add("compute", "attention engine \(design.attention)", Sat.mul(max(chain - m.qkvHeads.cycles, 0), times))
            } else {
                linear(m.qkv, engine: design.msaEngine, times: times)
                add("compute", "attention engine \(design.attention)", Sat.mul(a.all, times))
            }
            linear(m.proj, engine: design.msaEngine, times: times)
        }
        func ffnParts(_ kind: ModelShape.LayerKind, _ times: Int) {
            guard s.hasFFN else { return }
            add("compute", "LayerNorm unit", Sat.mul(n.layer, times))
            if kind == .dense {
                linear(f.dense, engine: design.linear, times: times)
            } else {
                linear(f.gateLinear, engine: design.linear, times: times)
                add("compute", "gate unit", Sat.mul(gateUnit, times))
                linear(f.experts, engine: design.linear, times: times)
            }
        }
        for layer in layers {
            if design.schedule == .pipelined {
                // Steps: MSA alone (first layer), then two alternating steps each as long as
                // its slower half; the last layer's second step is FFN alone.
                let last = layer.index == s.layerKinds.count - 1
                let msaSlower = layer.msaCycles >= layer.ffnCycles
                let msaTimes = (layer.index == 0 ? 1 : 0) + (msaSlower ? 1 : 0) + (!last && msaSlower ? 1 : 0)
                let ffnTimes = (msaSlower ? 0 : 1) + (last ? 1 : (msaSlower ? 0 : 1))
                msaParts(msaTimes)
                ffnParts(layer.kind, ffnTimes)
            } else {
                msaParts(1)
                ffnParts(layer.kind, 1)
            }
        }
        let best = categories.max { a, b in a.cycles != b.cycles ? a.cycles < b.cycles : a.what > b.what }
            ?? ("compute", "nothing", 0)
        let bound = Estimate.Bound(kind: best.kind, what: best.what, share: Double(best.cycles) / Double(latency))

        // Traffic per engine's ports.
        let bytesPerCycle = c.portBytesPerCycle(design.weightPorts)
        var traffic: [Estimate.Traffic] = []
        let layerCounts = (dense: s.layerKinds.filter { $0 == .dense }.count, moe: s.layerKinds.filter { $0 == .moe }.count)
        let msaRuns = design.schedule == .headOverlap ? [m.qkvHeads, m.proj] : [m.qkv, m.proj]
        var msaBytes = Sat.add(Sat.add(m.input.bytes, m.patch.bytes), Sat.mul(Sat.sum(msaRuns.map(\.bytes)), Sat.mul(s.layerKinds.count, halves)))
        var msaBusy = Sat.add(Sat.add(m.input.portBusy, m.patch.portBusy), Sat.mul(Sat.sum(msaRuns.map(\.portBusy)), Sat.mul(s.layerKinds.count, halves)))
        var ffnBytes = Sat.sum([Sat.mul(f.dense.bytes, Sat.mul(layerCounts.dense, halves)),
                                Sat.mul(Sat.add(f.gateLinear.bytes, f.experts.bytes), Sat.mul(layerCounts.moe, halves)),
                                f.classifier.bytes, f.output.bytes])
        var ffnBusy = Sat.sum([Sat.mul(f.dense.portBusy, Sat.mul(layerCounts.dense, halves)),
                               Sat.mul(Sat.add(f.gateLinear.portBusy, f.experts.portBusy), Sat.mul(layerCounts.moe, halves)),
                               f.classifier.portBusy, f.output.portBusy])
        if design.schedule == .pipelined {
            traffic.append(.init(port: "MSA engine: \(portName)", bytes: msaBytes, busyCycles: msaBusy, bytesPerCycle: bytesPerCycle))
            traffic.append(.init(port: "FFN engine: \(portName)", bytes: ffnBytes, busyCycles: ffnBusy, bytesPerCycle: bytesPerCycle))
        } else {
            msaBytes = Sat.add(msaBytes, ffnBytes)
            msaBusy = Sat.add(msaBusy, ffnBusy)
            ffnBytes = 0
            ffnBusy = 0
            traffic.append(.init(port: portName, bytes: msaBytes, busyCycles: msaBusy, bytesPerCycle: bytesPerCycle))
        }

        let seconds = Double(total) / (c.clockMHz * 1e6)
        let images = Double(max(design.instances, 1) * max(design.batch, 1))
        let throughput = seconds > 0 ? images / seconds : 0
        let items = c.resourceItems(design)
        let resources = items.reduce(Device.Resources.zero) { $0 + $1.resources }.scaled(by: max(design.instances, 1))
        let saturated = total >= Sat.limit || resources.named.contains { $0.value >= Sat.limit }
        estimate = Estimate(design: design, clockMHz: c.clockMHz, imagesPerPass: design.batch, latencyCycles: total,
                            latencySeconds: seconds, throughput: throughput, macsPerImage: c.macsPerImage,
                            gops: throughput * 2 * Double(c.macsPerImage) / 1e9, resources: resources, resourceItems: items,
                            phases: phases, layers: layers, kernels: kernelRows, traffic: traffic, bound: bound,
                            tokensPerExpert: s.balancedRouting(tokens: c.tokensPerGroup(design)), isSaturated: saturated)
    }
}
