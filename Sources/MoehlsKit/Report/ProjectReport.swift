/// The content of `report/index.html`: the estimate of design.json as charts and tables.
public enum ProjectReport {
    public static func page(spec: ModelSpec, device: Device, design: DesignFile, front: [FrontPoint] = []) -> ReportPage {
        let e = design.estimate
        let cap = design.search.cap
        var summary = [
            "model \(spec.name) (\(spec.kind.rawValue)), \(spec.tokens) tokens, \(Format.count(e.macsPerImage)) MACs per image",
            "board \(device.description) (\(device.part)) at \(Format.fixed(design.device.clockMHz, 0)) MHz",
            "design \(design.design.description)",
            "estimated latency \(Format.fixed(e.latencyMilliseconds, 3)) ms per image, \(Format.fixed(e.throughput, 1)) images/s, "
                + "\(Format.fixed(e.gops, 1)) GOPS (2 operations per MAC)",
            "bound: \(e.bound.description)",
            "search: \(design.search.strategy), \(design.search.optimal ? "optimal" : "not proven optimal") at a \(Format.fixed(cap * 100, 0))% cap",
        ]
        if e.isSaturated { summary.append("warning: a count hit the 2^62 clamp; the estimate is not meaningful") }
        let resources = zip(e.resources.named, device.budget.named).map { used, budget in
            ReportPage.Bar(label: used.name, value: Double(used.value), limit: Double(budget.value) * cap,
                           note: "\(Format.count(used.value)) / \(Format.count(budget.value)) (\(budget.value > 0 ? Format.fixed(100 * Double(used.value) / Double(budget.value), 1) : "-")%)")
        }
        let kernels = e.kernels.map {
            ReportPage.Bar(label: $0.kernel, value: Double($0.cycles), note: "\(Format.count($0.cycles)) cycles (\(Format.fixed($0.share * 100, 1))%)")
        }
        let maxLayer = Double(e.layers.map(\.criticalCycles).max() ?? 1)
        let layers = e.layers.map {
            ReportPage.Bar(label: "layer \($0.index) \($0.kind)", value: Double($0.criticalCycles),
                           note: "\(Format.count($0.criticalCycles)) cycles")
        }
        let us = 1e6 / (design.device.clockMHz * 1e6)
        var phases: [[String]] = [["phase", "cycles", "µs"]]
        for phase in e.phases { phases.append([phase.name, Format.count(phase.cycles), Format.fixed(Double(phase.cycles) * us, 1)]) }
        var sections: [ReportPage.Section] = []
        if !front.isEmpty {
            let points = front.map { p in
                ReportPage.Point(x: Double(p.resources.dsp), y: Double(p.cycles) / (design.device.clockMHz * 1e3),
                                 label: "\(p.design.description): \(Format.count(p.cycles)) cycles, DSP \(p.resources.dsp), "
                                    + "BRAM_18K \(p.resources.bram18k), LUT \(p.resources.lut)",
                                 highlighted: p.design == design.design)
            }
            sections.append(.init(title: "Pareto front", text: "Latency (ms) against DSPs of the non-dominated designs the search kept "
                                  + "(latency against DSP, BRAM and LUT); the chosen design is red.",
                                  chart: .scatter(points, xLabel: "DSP", yLabel: "latency (ms)")))
        }
        return ReportPage(
            title: "moehls: \(spec.name) on \(device.name)",
            summary: summary,
            sections: [
                .init(title: "Resources against the device", text: "Bars are the design's use relative to the device budget; "
                      + "the red line is the \(Format.fixed(cap * 100, 0))% cap.", chart: .bars(resources, scale: 1)
                      .scaledToBudget(device.budget)),
                .init(title: "Latency by kernel", text: "Cycles each kernel contributes to the critical path of one pass.",
                      chart: .bars(kernels, scale: Double(e.latencyCycles))),
                .init(title: "Latency by layer", text: "Critical-path cycles of each encoder layer.",
                      chart: .bars(layers, scale: maxLayer)),
                .init(title: "Phases", text: "The segments of the critical path.", chart: .table(phases)),
                .init(title: "Design point", text: "From design.json.", chart: .table([
                    ["parameter", "value"],
                    ["schedule", design.design.schedule.rawValue], ["linear engine T_in x T_out x N_L", design.design.linear.description],
                    ["attention engine T_a x N_a", design.design.attention.description],
                    ["LayerNorm lanes", String(design.design.layerNormLanes)], ["batch", String(design.design.batch)],
                    ["instances", String(design.design.instances)], ["weight buffer", design.design.weightBuffer.rawValue],
                    ["weight ports", design.design.weightPorts.description],
                ])),
            ] + sections)
    }
}

extension ReportPage.Section.Chart {
    /// Resource bars drawn as fractions of each resource's own budget.
    func scaledToBudget(_ budget: Device.Resources) -> ReportPage.Section.Chart {
        guard case let .bars(bars, _) = self else { return self }
        let totals = budget.named.map { Double($0.value) }
        let scaled = zip(bars, totals).map { bar, total -> ReportPage.Bar in
            var b = bar
            b.value = total > 0 ? bar.value / total : 0
            b.limit = bar.limit.map { total > 0 ? $0 / total : 0 }
            return b
        }
        return .bars(scaled, scale: 1)
    }
}
