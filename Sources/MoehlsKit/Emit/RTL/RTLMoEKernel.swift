/// The MoE units (docs/kernels-moe.md): `moehls_gather` and `moehls_combine`, and the layer
/// testbench `moehls_moe_tb`, which runs a whole layer's gathers, scatters and finishes from the
/// experts' outputs.
extension RTLMoEShape: RTLKernel {
    public static let kind = RTLKernelKind.moeUnits
    public static let testbenchTop = "moehls_moe_tb"
    public static let sources = ["moehls_convert.v", "moehls_residual_add.v", "moehls_gather.v", "moehls_combine.v"]
    public static var roms: [RenderedFile] { [] }
    public static var testbenchModels: [String] { ["moehls_tb_models.v", "moehls_tb_moe_layer.v"] }
    /// The combine's `T_in` score multipliers.
    public var multipliers: Int { engine.tIn }
    public var units: [RTLUnit] {
        [RTLUnit(top: "moehls_gather", sources: ["moehls_gather.v"], parameters: gatherParameters),
         RTLUnit(top: "moehls_combine", sources: ["moehls_convert.v", "moehls_residual_add.v", "moehls_combine.v"],
                 parameters: combineParameters)]
    }

    /// The testbench context shared with the chained testbench (which adds the linears): the
    /// layer model `moehls_tb_moe_layer` with `timeout` cycles per unit invocation.
    func layerContext(timeout: Int) -> LayerBench {
        let layer = combineParameters + [("D", "\(embedDim)"), ("E", "\(experts)"), ("MAX_PAIRS", "\(maxPairs)"),
                                         ("TIMEOUT", "\(timeout)")]
        return LayerBench(tIn: engine.tIn, experts: experts, tokenBits: tokenBits, blockBits: blockBits,
                          xWidth: activation.width, yWidth: activation.width, layerParameters: verilogOverrides(layer))
    }

    /// The placeholders both MoE testbenches have.
    struct LayerBench: TemplateContext {
        var tIn, experts, tokenBits, blockBits, xWidth, yWidth: Int
        var layerParameters: String
    }

    /// The placeholders of moehls_moe_tb.v.
    struct Testbench: TemplateContext {
        var header: String
        var layer: LayerBench
        var blocks, maxPairs: Int
    }

    /// The longest unit invocation: a finish or a gather/scatter of every token.
    var longestUnitCycles: Int { max(ceilDiv(maxTokens, engine.lanes), maxTokens) * blocks }

    var headerParameters: String {
        "built for " + verilogAssignments(combineParameters) + " D=\(embedDim)"
    }

    public func testbench() throws -> String {
        try TemplateRenderer(Testbench(header: headerParameters + " E=\(experts) TOP_K=\(topK)",
                                       layer: layerContext(timeout: 2 * longestUnitCycles + 1000),
                                       blocks: blocks, maxPairs: maxPairs))
            .renderTemplate("rtl/moehls_moe_tb.v")
    }
}

extension RTLMoEStimulus: RTLStimulus {
    /// The layer's input files under `folder`, the expert outputs as `experts.hex`; steps as
    /// `layerCase` lays them out.
    public func simulation(on shape: RTLMoEShape, folder: String) -> (files: [RenderedFile], case: RTLSimulationPlan.Case) {
        let prediction = RTLMoEPrediction(shape: shape)
        return layerCase(shape: shape, bench: shape.identifier, folder: folder, extraInputs: [("experts", expertOutputs)], units: [
            ("gather", "GATHER", { m in (prediction.gather(tokens: m), prediction.gather(tokens: m)) }),
            ("scatter", "SCATTER", { m in (prediction.scatter(tokens: m), prediction.scatter(tokens: m)) }),
        ])
    }

    /// One layer run of `moehls_moe_tb` or `moehls_moe_chain_tb`: inputs `ln`, `residual`,
    /// `lengths`, `queues` and `extraInputs`; outputs `gathered` (every active expert's staging
    /// rows, one after another), `out` (the layer's output) and `cleared` (a second finish on
    /// cleared accumulators). Steps: `units` for each active expert (the first, the gather, owns
    /// its slice of `gathered`; each gives its name, tag and predicted/kernel cycles for `m`
    /// tokens), then `FINISH` and the check-only `CLEAR`.
    func layerCase(shape: RTLMoEShape, bench: String, folder: String, extraInputs: [(String, String)],
                   units: [(name: String, tag: String, cycles: (Int) -> (Int, Int))])
        -> (files: [RenderedFile], case: RTLSimulationPlan.Case) {
        typealias Plan = RTLSimulationPlan
        let width = shape.activation.width
        let inputs = [("ln", normalized), ("residual", residual), ("lengths", lengths), ("queues", queues)] + extraInputs
        let expectations = [("gathered", expectedGathered), ("out", expected), ("cleared", expectedCleared)]
        var files = inputs.map { RenderedFile(path: folder + "\($0.0).hex", text: $0.1) }
        files += expectations.map { RenderedFile(path: folder + "expected_\($0.0).hex", text: Plan.memh($0.1, width: width)) }
        var steps: [Plan.Step] = []
        var offset = 0
        for (expert, m) in queueLengths.enumerated() where m > 0 {
            for (index, unit) in units.enumerated() {
                let (predicted, kernel) = unit.cycles(m)
                let checks = index == 0 ? [Plan.Check(output: "gathered", offset: offset, count: m * shape.embedDim)] : []
                steps.append(Plan.Step(name: "\(name).experts.\(expert).\(unit.name)", tag: unit.tag, tokens: m,
                                       predictedCycles: predicted, kernelCycles: kernel, checks: checks))
            }
            offset += m * shape.embedDim
        }
        let finish = RTLMoEPrediction(shape: shape).finish(tokens: tokens)
        steps.append(Plan.Step(name: "\(name).finish", tag: "FINISH", tokens: tokens, predictedCycles: finish, kernelCycles: finish,
                               checks: [Plan.Check(output: "out", offset: 0, count: expected.count)]))
        steps.append(Plan.Step(name: "\(name).finish.cleared", tag: "CLEAR", tokens: tokens, predictedCycles: finish,
                               kernelCycles: finish, checks: [Plan.Check(output: "cleared", offset: 0, count: expectedCleared.count)],
                               checkOnly: true))
        let c = Plan.Case(name: name, shape: bench, plusargs: inputs.map { "\($0.0)=\(folder)\($0.0).hex" } + ["tokens=\(tokens)"],
                          outputs: expectations.map { Plan.Output(plusarg: $0.0, expected: folder + "expected_\($0.0).hex",
                                                                  width: width, signed: true) },
                          steps: steps)
        return (files, c)
    }
}
