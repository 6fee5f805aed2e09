/// The text `moehls search` prints: the best design, its resources, the latency by phase, kernel
/// and layer, the bound, off-chip traffic and the top of the Pareto front. Deterministic (no
/// timings; the CLI prints those on stderr).
public enum SearchReport {
    /// How many Pareto points the report lists.
    public static let frontRows = 10

    static func ms(_ cycles: Int, _ clock: Double) -> String { Format.fixed(Double(cycles) / (clock * 1e3), 3) }

    static func percent(_ x: Double) -> String { Format.fixed(x * 100, 1) + "%" }

    /// The design's parameters, one per line.
    public static func designLines(_ d: DesignPoint, _ c: CostContext) -> String {
        let scheduleText: String
        switch d.schedule {
        case .sequential: scheduleText = "sequential: one linear engine, kernels one after another"
        case .headOverlap: scheduleText = "head-overlap: attention of head h runs beside Q/K/V of head h+1"
        case .pipelined: scheduleText = "pipelined: MSA and FFN kernels alternate over two halves of the batch"
        }
        func engine(_ e: DesignPoint.LinearEngine, role: String) -> String {
            "  \(role)T_in \(e.tIn) x T_out \(e.tOut) x \(e.lanes) lane\(e.lanes == 1 ? "" : "s") = "
                + "\(Format.count(e.multipliers)) MACs/cycle (\(Format.count(Sat.mul(e.multipliers, c.dsp.grid))) DSP)\n"
        }
        var out = "  schedule        \(scheduleText)\n"
        if let msa = d.msaLinear {
            out += engine(msa, role: "MSA engine      ")
            out += engine(d.linear, role: "FFN engine      ")
        } else {
            out += engine(d.linear, role: "linear engine   ")
        }
        out += "  attention       T_a \(d.attention.tA) x N_a \(d.attention.rows) rows\n"
        out += "  LayerNorm       \(d.layerNormLanes) lanes\n"
        if c.shape.hasDense { out += "  MLP passes      \(d.ffnPasses)\n" }
        out += "  weight slabs    \(d.weightBuffer.rawValue), ping-pong\n"
        if let memory = c.memory(d.weightPorts) {
            out += "  weight ports    \(d.weightPorts.channels) x \(memory.name) (\(memory.portBits)-bit) per engine, "
                + "\(Format.fixed(c.portBytesPerCycle(d.weightPorts), 1)) B/cycle\n"
        }
        out += "  batch           \(d.batch) image\(d.batch == 1 ? "" : "s") per pass, \(d.instances) instance\(d.instances == 1 ? "" : "s")\n"
        return out
    }

    /// The resources table: used, cap, budget, % of budget.
    public static func resourceTable(_ used: Device.Resources, _ c: CostContext, cap: Double) -> String {
        let limit = Device.Resources.capped(c.device.budget, cap: cap)
        var table = TextTable(["resource", "used", "cap", "available", "% of available"])
        for ((name, u), ((_, l), (_, b))) in zip(used.named, zip(limit.named, c.device.budget.named)) {
            table.add([name, Format.count(u), Format.count(l), Format.count(b), b > 0 ? percent(Double(u) / Double(b)) : "-"])
        }
        return table.text
    }

    /// The resource closest to its cap.
    public static func tightest(_ used: Device.Resources, _ c: CostContext, cap: Double) -> String {
        let limit = Device.Resources.capped(c.device.budget, cap: cap)
        var best: (String, Int, Int, Double)? = nil
        for ((name, u), (_, l)) in zip(used.named, limit.named) where l > 0 {
            let r = Double(u) / Double(l)
            if best == nil || r > best!.3 { best = (name, u, l, r) }
        }
        guard let best else { return "none" }
        return "\(best.0) \(Format.count(best.1)) / \(Format.count(best.2)) (\(percent(best.3)) of the cap)"
    }

    /// Latency, throughput, bound and the breakdowns of one estimate.
    public static func estimateText(_ e: Estimate, _ c: CostContext, cap: Double) -> String {
        let clock = e.clockMHz
        var out = "latency     \(Format.fixed(e.latencyMilliseconds, 3)) ms per pass of \(e.imagesPerPass) image"
            + "\(e.imagesPerPass == 1 ? "" : "s") (\(Format.count(e.latencyCycles)) cycles at \(Format.fixed(clock, 0)) MHz)\n"
        out += "throughput  \(Format.fixed(e.throughput, 1)) images/s, \(Format.fixed(e.gops, 1)) GOPS "
            + "(2 operations per MAC, \(Format.scaled(Double(e.macsPerImage), decimals: 1)) MACs per image)\n"
        out += "bound       \(e.bound.description)\n"
        out += "tightest    \(tightest(e.resources, c, cap: cap))\n"
        if c.shape.hasMoE {
            out += "routing     balanced: \(e.tokensPerExpert.map(String.init).joined(separator: ",")) tokens per expert per pass (assumed)\n"
        }
        if e.isSaturated { out += "warning     a count reached 2^62: the model is too large to estimate\n" }
        out += "\nresources (\(e.design.instances) instance\(e.design.instances == 1 ? "" : "s"))\n"
        out += resourceTable(e.resources, c, cap: cap)
        var items = TextTable(["component", "LUT", "FF", "BRAM_18K", "DSP", "URAM"])
        for item in e.resourceItems {
            let r = item.resources
            items.add([item.component, Format.count(r.lut), Format.count(r.ff), Format.count(r.bram18k), Format.count(r.dsp),
                       Format.count(r.uram)])
        }
        out += "\nresources by component (one instance)\n" + items.text

        var phases = TextTable(["phase", "cycles", "ms", "share"])
        for p in e.phases {
            phases.add([p.name, Format.count(p.cycles), ms(p.cycles, clock), percent(Double(p.cycles) / Double(max(e.latencyCycles, 1)))])
        }
        out += "\nlatency by phase\n" + phases.text
        var kernels = TextTable(["kernel", "calls", "cycles", "ms", "share"])
        for k in e.kernels {
            kernels.add([k.kernel, String(k.calls), Format.count(k.cycles), ms(k.cycles, clock), percent(k.share)])
        }
        out += "\nlatency by kernel" + (e.design.schedule == .pipelined ? " (busy cycles; the two kernels overlap)" : "") + "\n"
        out += kernels.text
        out += "\nlatency by layer (cycles per pass\(e.design.schedule == .pipelined ? " of half the batch" : ""))\n"
        out += layerTable(e)
        var traffic = TextTable(["ports", "bytes per pass", "busy cycles", "B/cycle", "busy share"])
        for t in e.traffic {
            traffic.add([t.port, Format.count(t.bytes), Format.count(t.busyCycles), Format.fixed(t.bytesPerCycle, 1),
                         percent(Double(t.busyCycles) / Double(max(e.latencyCycles, 1)))])
        }
        out += "\noff-chip traffic (weights, input, output)\n" + traffic.text
        return out
    }

    /// One row per layer: each kernel's cycles, the halves and the critical-path share.
    static func layerTable(_ e: Estimate) -> String {
        var columns: [String] = []
        for layer in e.layers { for step in layer.steps where !columns.contains(step.kernel) { columns.append(step.kernel) } }
        var table = TextTable(["layer", "kind"] + columns + ["MSA", "FFN", "critical"])
        for layer in e.layers {
            var row = [String(layer.index), layer.kind.rawValue]
            for column in columns {
                row.append(layer.steps.first { $0.kernel == column }.map { Format.count($0.cycles) } ?? "")
            }
            row += [Format.count(layer.msaCycles), Format.count(layer.ffnCycles), Format.count(layer.criticalCycles)]
            table.add(row)
        }
        return table.text
    }

    /// The whole report.
    public static func text(_ r: SearchResult, _ c: CostContext) -> String {
        let e = r.best
        var out = "\(c.spec.name) on \(c.device.name) (\(c.device.part)) at \(Format.fixed(c.clockMHz, 0)) MHz, "
            + "\(Format.fixed(r.cap * 100, 0))% cap, objective \(r.objective.rawValue)\n"
        out += "strategy \(r.strategy.rawValue): "
        if r.strategy == .ubimoe {
            out += "UbiMoE's heuristic, no optimality claim"
        } else if r.optimal {
            out += "optimum of the cost model (proven)"
        } else {
            out += "within \(percent(r.gap)) of the optimum (proven bound)"
        }
        out += "; \(Format.count(r.evaluated)) designs priced, \(Format.scaled(Double(r.spaceSize), decimals: 1)) points in the space\n"
        for note in r.notes { out += "note: \(note)\n" }
        out += "\nbest design\n" + designLines(e.design, c) + "\n"
        out += estimateText(e, c, cap: r.cap)
        if !r.front.isEmpty {
            let shown = r.front.prefix(frontRows)
            out += "\nPareto front (\(r.objective.rawValue) vs DSP, BRAM_18K, LUT)"
            if r.strategy != .ubimoe { out += " within \(Format.fixed(r.frontSlack * 100, 0))% of the optimum" }
            out += ", \(shown.count) of \(r.front.count) shown" + (r.frontComplete || r.strategy == .ubimoe ? "" : " (partial)") + "\n"
            var table = TextTable(["ms/image", "cycles", "DSP", "BRAM_18K", "LUT", "design"])
            for p in shown {
                let perImage = r.objective == .latency ? Double(p.cycles) : p.value
                table.add([Format.fixed(perImage / (c.clockMHz * 1e3), 3), Format.count(p.cycles), Format.count(p.resources.dsp),
                           Format.count(p.resources.bram18k), Format.count(p.resources.lut), p.design.description])
            }
            out += table.text
        }
        return out
    }

    /// UbiMoE's configuration estimated on each board it was published for, beside the paper.
    public static func ubimoeComparison(spec: ModelSpec) throws(DiagnosticError) -> String {
        var table = TextTable(["board", "MHz", "schedule", "ms/pass", "ms/image", "published ms", "DSP", "pub.", "BRAM_18K",
                               "pub.", "LUT", "pub.", "FF", "pub.", "bound"])
        for published in ReferenceDesigns.ubimoePublished {
            let device = try DeviceLoader.builtin(published.board)
            let context = try CostContext(spec: spec, device: device, clockMHz: published.clockMHz)
            for schedule in [DesignPoint.Schedule.pipelined, .sequential] {
                let design = ReferenceDesigns.ubimoe(on: device, schedule: schedule)
                let e = try CostModel.estimate(design, context)
                let perImage = e.latencyMilliseconds / Double(max(e.imagesPerPass, 1))
                table.add([device.name, Format.fixed(published.clockMHz, 0), schedule.rawValue, Format.fixed(e.latencyMilliseconds, 2),
                           Format.fixed(perImage, 2), Format.fixed(published.latencyMilliseconds, 2),
                           Format.count(e.resources.dsp), Format.count(published.dsp),
                           Format.count(e.resources.bram18k), Format.count(published.bram36 * 2),
                           Format.count(e.resources.lut), Format.count(published.lut),
                           Format.count(e.resources.ff), Format.count(published.ff), e.bound.what])
            }
        }
        var out = "UbiMoE's configuration (T_a 8, N_a 4, T_in 16, T_out 16, N_L 3; MSA linear unit 16 x 16 x 1) "
            + "priced by this cost model beside the paper (\(spec.name))\n"
        out += table.text
        out += "pipelined: MSA and FFN kernels alternate over two images (UbiMoE's parallel kernels); ms/image = ms/pass / 2.\n"
        out += "sequential: the same kernels run one after another on one image (one linear engine, 16 x 16 x 3).\n"
        out += "published BRAM is 36 Kbit blocks x 2. Our LUT/FF are for hand-written RTL fitted to Yosys counts, "
            + "not Vitis HLS output.\n"
        return out
    }
}
