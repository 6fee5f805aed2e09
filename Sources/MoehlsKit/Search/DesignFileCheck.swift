import Foundation

/// A design file given to `generate` or `bench sim` is checked as strictly as the search checks
/// its own points before anything is built from it (docs/design-space.md, "design.json"):
///
/// 1. the bytes are strict JSON (no duplicate keys, no trailing commas; located errors);
/// 2. `model` and `device` describe the model and board of this run (the Tcl would otherwise mix
///    the design's clock with another part);
/// 3. every design parameter is one of the search space's legal values for this model and board
///    (`DesignSpace.full` with the throughput objective, the widest), then `DesignSpace.violations`;
/// 4. the design is re-priced with the cost model, must fit the board's budget at the cap the file
///    records, and the file's estimate is replaced by the re-priced one (a hand-edited estimate is
///    never shown as moehls's).
extension DesignFile {
    /// Reads `data` (the file `file`) and checks it for `spec` on `device` at `clockMHz` (nil: the
    /// clock the file records).
    public static func load(_ data: Data, file: String, spec: ModelSpec, device: Device, clockMHz: Double?)
        throws(DiagnosticError) -> DesignFile {
        try requireStrictJSON(data, file: file)
        return try decode(data, file: file).checked(spec: spec, device: device, clockMHz: clockMHz, file: file)
    }

    /// Refuses bytes that are not strict JSON, with the line and column of the first fault.
    static func requireStrictJSON(_ data: Data, file: String) throws(DiagnosticError) {
        do {
            _ = try StrictJSON.parse([UInt8](data))
        } catch {
            let bytes = [UInt8](data.prefix(error.offset))
            let line = bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            let column = error.offset - (bytes.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            throw DiagnosticError([.error("not valid JSON: \(error.message)", at: SourceLocation(file: file, line: line, column: column))])
        }
    }

    /// The file checked against `spec`, `device` and `clockMHz`, and re-priced.
    public func checked(spec: ModelSpec, device: Device, clockMHz: Double?, file: String) throws(DiagnosticError) -> DesignFile {
        var problems: [Diagnostic] = []
        func problem(_ path: String, _ message: String) { problems.append(.error(message, file: file, path: path)) }

        // 2. the model and the board
        let m = model
        let expected: [(String, String, String)] = [
            ("model.name", m.name, spec.name), ("model.kind", m.kind, spec.kind.rawValue),
            ("model.tokens", "\(m.tokens)", "\(spec.tokens)"), ("model.embed_dim", "\(m.embedDim)", "\(spec.embedDim)"),
            ("model.heads", "\(m.heads)", "\(spec.heads)"), ("model.layers", "\(m.layers)", "\(spec.layers)"),
            ("device.name", self.device.name, device.name), ("device.part", self.device.part, device.part),
            ("device.family", self.device.family, device.family.rawValue), ("device.flow", self.device.flow, device.flow.rawValue),
        ]
        for (path, found, wanted) in expected where found != wanted {
            problem(path, "'\(found)', but this run targets '\(wanted)'; run `moehls search` for this model and board")
        }
        let clock = self.device.clockMHz
        if !(clock > 0 && clock <= 2_000) {
            problem("device.clock_mhz", "must be in (0, 2000] MHz, found \(clock)")
        } else if let clockMHz, clockMHz != clock {
            problem("device.clock_mhz", "the design was searched at \(Format.fixed(clock, 0)) MHz, not the --clock "
                    + "\(Format.fixed(clockMHz, 0)) MHz; search again at that clock, or leave --clock out")
        }
        if !(search.cap > 0 && search.cap <= 1) { problem("search.cap", "must be in (0, 1], found \(search.cap)") }
        if !problems.isEmpty { throw DiagnosticError(problems) }

        // 3. every parameter a legal value of the search space, then the cross-field rules
        let context = try CostContext(spec: spec, device: device, clockMHz: clock)
        for (path, message) in Self.outsideSpace(design, context) { problem(path, message) }
        if !problems.isEmpty { throw DiagnosticError(problems) }
        let violations = DesignSpace.violations(design, context)
        if !violations.isEmpty { throw DiagnosticError(violations.map { .error($0, file: file, path: "design") }) }

        // 4. re-priced, within the budget at the recorded cap
        let estimate = try CostModel.estimate(design, context)
        let constraints = SearchConstraints(device: device, cap: search.cap, objective: .latency)
        if !constraints.fits(estimate.resources) {
            let over = zip(estimate.resources.named, constraints.limit.named).filter { $0.0.value > $0.1.value }.map { need, limit in
                "\(need.name) \(Format.count(need.value)) / \(Format.count(limit.value)) (over by \(Format.count(need.value - limit.value)))"
            }
            throw DiagnosticError([.error("the design does not fit \(device.name) at the \(Format.fixed(search.cap * 100, 0))% cap "
                                          + "it records: it needs " + over.joined(separator: ", "), file: file, path: "design")])
        }
        var checked = self
        checked.estimate = estimate
        checked.derived = Derived(design: design, estimate: estimate, context: context)
        checked.microArchitecture = context.micro
        return checked
    }

    /// Each parameter that is not one of the legal values the search considers (with its path).
    static func outsideSpace(_ design: DesignPoint, _ context: CostContext) -> [(String, String)] {
        let space = DesignSpace.full(context, objective: .throughput)
        var out: [(String, String)] = []
        func check<T: Equatable & CustomStringConvertible>(_ path: String, _ value: T, in legal: [T]) {
            guard !legal.contains(value) else { return }
            let shown = legal.count <= 12 ? legal.map(\.description).joined(separator: ", ")
                : "\(legal.first!.description) ... \(legal.last!.description) (\(legal.count) values)"
            out.append((path, "\(value) is not a legal value for \(context.spec.name) on \(context.device.name): \(shown)"))
        }
        check("design.schedule", design.schedule.rawValue, in: space.schedules.map(\.rawValue))
        check("design.instances", design.instances, in: space.instances)
        check("design.batch", design.batch, in: space.batches)
        for (name, engine) in [("linear", Optional(design.linear)), ("msa_linear", design.msaLinear)] {
            guard let engine else { continue }
            check("design.\(name).t_in", engine.tIn, in: space.tIn)
            check("design.\(name).t_out", engine.tOut, in: space.tOut)
            check("design.\(name).lanes", engine.lanes, in: name == "linear" ? space.lanes : space.msaLanes)
        }
        check("design.attention.t_a", design.attention.tA, in: space.tA)
        check("design.attention.rows", design.attention.rows, in: space.attentionRows)
        check("design.layer_norm_lanes", design.layerNormLanes, in: space.layerNormLanes)
        check("design.ffn_passes", design.ffnPasses, in: space.ffnPasses)
        check("design.weight_buffer", design.weightBuffer.rawValue, in: space.weightBuffers.map(\.rawValue))
        let memories = context.device.memory.map(\.name)
        if !memories.contains(design.weightPorts.memory) {
            out.append(("design.weight_ports.memory", "'\(design.weightPorts.memory)' is not a memory of "
                        + "\(context.device.name) (\(memories.joined(separator: ", ")))"))
        } else {
            check("design.weight_ports.channels", design.weightPorts.channels,
                  in: space.weightPorts.filter { $0.memory == design.weightPorts.memory }.map(\.channels))
        }
        return out
    }
}

extension DesignFile.Derived {
    /// What the generators derive from `design` priced as `estimate` in `context`.
    init(design: DesignPoint, estimate: Estimate, context: CostContext) {
        let ffn = context.engineContext(design.linear, ports: design.weightPorts, gelu: context.shape.usesGELU)
        self.init(geluUnits: ffn.geluUnits, combineMultipliers: context.shape.hasMoE ? design.linear.tIn : 0,
                  memoryLatencyCycles: context.memoryLatency, portBytesPerCycle: context.portBytesPerCycle(design.weightPorts),
                  gridDspPerMultiplier: context.dsp.grid, scoreDspPerMultiplier: context.dsp.score,
                  tokensPerExpert: estimate.tokensPerExpert)
    }
}
