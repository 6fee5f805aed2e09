import Foundation
import Testing
@testable import MoehlsKit

/// The MoE layers and dense residual adds of a tiny-moe forward pass, for the MoE units' RTL.
enum RTLTinyMoELayers {
    static let engine = DesignPoint.LinearEngine(tIn: 4, tOut: 4, lanes: 2)

    static func golden() throws -> (ModelSpec, GoldenModel, ModelInput) {
        let spec = try ModelLoader.load(path: repositoryRoot.appendingPathComponent("Examples/tiny-moe.yaml").path)
        return (spec, try GoldenModel(spec: spec, seed: 1), .synthetic(spec: spec, seed: 2))
    }

    static func shape(_ spec: ModelSpec) throws -> RTLMoEShape {
        try #require(RTLMoEShape(spec: spec, engine: engine))
    }

    /// Layer `layer` recomputed with a forced routing: every token chooses expert 0; token 0 also
    /// expert 2 (a one-token queue), the other even tokens expert 1 and the odd ones expert 3,
    /// with the rank order reversed for every third token (scores are looked up by token id, so
    /// the rank must not matter). Queue lengths 17, 8, 1, 8 for tiny-moe's 17 tokens.
    static func forcedRouting(_ layer: RTLMoELayer, golden: GoldenModel) -> RTLMoELayer {
        var scores: [[Int64]] = Array(repeating: [], count: layer.tokens)
        for (expert, queue) in layer.queues.enumerated() {
            for (position, token) in queue.enumerated() { scores[token].append(layer.scores[expert][position]) }
        }
        let experts = (0..<layer.tokens).map { t -> [Int] in
            let pair = [0, t == 0 ? 2 : (t % 2 == 0 ? 1 : 3)]
            return t % 3 == 0 ? pair.reversed() : pair
        }
        let routing = Routing<Int64>(experts: experts, scores: scores)
        return RTLMoELayer.recompute(name: layer.name + "[forced routing]", layer: layer.layer, kernels: golden.fixedKernels,
                                     experts: golden.fixedWeights.layers[layer.layer].experts,
                                     activation: golden.spec.moe?.activation, normalized: layer.normalized,
                                     residual: layer.residual, routing: routing)
    }

    static func scratch(_ tag: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("moehls-rtl-\(tag)-\(UUID().uuidString)")
    }
}

@Suite("RTL MoE gather and combine", .tags(.simulation))
struct RTLMoETests {
    static func tools() throws {
        _ = try ExternalTool.iverilog.require()
    }

    static func check(_ results: [RTLInvocationResult]) {
        for result in results {
            #expect(result.passed, "\(result)")
            // the units' cycle counts are the cost model's formulas exactly (UnitTiming)
            #expect(result.measuredCycles == result.predictedCycles, "\(result)")
            if let ratio = result.ratio { #expect(abs(ratio - 1) <= 0.03, "cycles off the cost model by more than 3%: \(result)") }
        }
        print(results.map(\.description).joined(separator: "\n"))
    }

    @Test("every MoE layer of a tiny-moe forward pass (empty and full experts), and a forced routing, is bit-exact in Icarus")
    func tinyMoELayers() throws {
        try Self.tools()
        let (spec, golden, input) = try RTLTinyMoELayers.golden()
        let shape = try RTLTinyMoELayers.shape(spec)
        let layers = RTLMoETrace.layers(golden, input: input)
        #expect(layers.count == spec.moe?.layers.count)
        let first = try #require(layers.first)
        // the recomputation from public golden APIs reproduces the forward pass for its own routing
        var routing = Routing<Int64>(experts: Array(repeating: [], count: first.tokens), scores: Array(repeating: [], count: first.tokens))
        for (expert, queue) in first.queues.enumerated() {
            for (position, token) in queue.enumerated() {
                routing.experts[token].append(expert)
                routing.scores[token].append(first.scores[expert][position])
            }
        }
        let again = RTLMoELayer.recompute(name: first.name, layer: first.layer, kernels: golden.fixedKernels,
                                          experts: golden.fixedWeights.layers[first.layer].experts, activation: spec.moe?.activation,
                                          normalized: first.normalized, residual: first.residual, routing: routing)
        #expect(again.output == first.output && again.combined == first.combined)

        // tiny-moe's gate sends every token to experts 1 and 2: two empty experts and two that
        // receive every token; the forced routing adds a one-token queue and uneven queues
        #expect(first.queueLengths.contains(0) && first.queueLengths.contains(first.tokens))
        let edge = RTLTinyMoELayers.forcedRouting(first, golden: golden)
        #expect(edge.queueLengths == [17, 8, 1, 8])
        let stimuli = (layers + [edge]).map { RTLMoEStimulus(layer: $0, shape: shape, kernels: golden.fixedKernels) }
        let scratch = RTLTinyMoELayers.scratch("moe")
        defer { RTLScratch.remove(scratch) }
        let results = try RTLPlanRunner.simulate(shape, stimuli, in: scratch)
        // per layer: gather and scatter of each active expert, finish, cleared finish
        let expected = (layers + [edge]).map { 2 * $0.queueLengths.filter { $0 > 0 }.count + 2 }.reduce(0, +)
        #expect(results.count == expected)
        #expect(results.contains { $0.name.hasSuffix("experts.1.gather") } == (first.queueLengths[1] > 0))
        Self.check(results)
    }

    @Test("gather -> linear fc1 (GELU) -> linear fc2 -> combine, chained in one testbench, is bit-exact")
    func chainedExperts() throws {
        try Self.tools()
        let (spec, golden, input) = try RTLTinyMoELayers.golden()
        let first = try #require(RTLMoETrace.layers(golden, input: input).first)
        let experts = golden.fixedWeights.layers[first.layer].experts
        let shape = try #require(RTLMoEChainShape(spec: spec, expert: experts[0], engine: RTLTinyMoELayers.engine,
                                                  beatBits: 128, memoryLatency: 90))
        let layers = [first, RTLTinyMoELayers.forcedRouting(first, golden: golden)]
        let stimuli = layers.map { RTLMoEChainStimulus(layer: $0, experts: experts, shape: shape, kernels: golden.fixedKernels) }
        let scratch = RTLTinyMoELayers.scratch("moe-chain")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let results = try RTLPlanRunner.simulate(shape, stimuli, in: scratch)
        #expect(results.count == layers.map { 4 * $0.queueLengths.filter { $0 > 0 }.count + 2 }.reduce(0, +))
        for result in results {
            #expect(result.passed, "\(result)")
            // every unit's own exact count (the linears': `rtlCycles`; `predictedCycles` is the cost model's)
            #expect(result.measuredCycles == result.kernelCycles, "\(result)")
            if result.name.hasSuffix(".fc1") || result.name.hasSuffix(".fc2") {
                let linear = result.name.hasSuffix(".fc1") ? shape.fc1 : shape.fc2
                #expect(result.kernelCycles == RTLLinearPrediction(shape: linear).rtlCycles(tokens: result.tokens), "\(result)")
                if let ratio = result.ratio { #expect(abs(ratio - 1) <= 0.03, "\(result)") }
            } else {
                #expect(result.measuredCycles == result.predictedCycles, "\(result)")
            }
        }
        print(results.map(\.description).joined(separator: "\n"))
    }

    @Test("the dense residual write-back (projection and MLP fc2 + x) is bit-exact behind the linear kernel")
    func denseResidual() throws {
        try Self.tools()
        let (spec, golden, input) = try RTLTinyMoELayers.golden()
        let adds = RTLResidualStimulus.calls(golden, input: input)
        // layer 0: projection and dense fc2; layer 1 (MoE): projection only
        #expect(adds.map(\.name) == ["blocks.0.residual1", "blocks.0.residual2", "blocks.1.residual1"])
        let maxTokens = adds.map(\.call.input.rows).max() ?? 1
        let scratch = RTLTinyMoELayers.scratch("residual")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var results: [RTLInvocationResult] = []
        var shapes: [RTLResidualShape] = [], stimuli: [[RTLResidualStimulus]] = []
        for add in adds {
            let call = add.call, p = spec.precision
            let linear = RTLLinearShape(input: call.input.format, weight: call.layer.weight.format, bias: call.layer.bias?.format,
                                        accumulator: p.accumulator, output: p.activation, gelu: call.gelu,
                                        engine: RTLTinyMoELayers.engine, inputs: call.input.columns,
                                        outputs: call.layer.weight.rows, maxTokens: maxTokens, beatBits: 128, memoryLatency: 90)
            let shape = RTLResidualShape(linear: linear, residual: p.activation)
            let stimulus = RTLResidualStimulus(
                linear: RTLLinearStimulus(name: add.name, shape: linear, x: call.input, layer: call.layer, expected: call.output),
                residual: add.residual, expected: add.output)
            if let i = shapes.firstIndex(of: shape) { stimuli[i].append(stimulus) } else { shapes.append(shape); stimuli.append([stimulus]) }
        }
        for (shape, group) in zip(shapes, stimuli) {
            for result in try RTLPlanRunner.simulate(shape, group, in: scratch) {
                results.append(result)
                #expect(result.passed, "\(result)")
                #expect(result.measuredCycles == shape.rtlCycles(tokens: result.tokens), "\(result)")
                #expect(result.measuredCycles == result.predictedCycles, "cost model's residual op_depth: \(result)")
            }
        }
        print(results.map(\.description).joined(separator: "\n"))
        #expect(results.count == adds.count)
    }

    @Test("verilator --lint-only -Wall is clean on the MoE units, the residual stage and the testbenches")
    func lintClean() async throws {
        let verilator = try ExternalTool.verilator.require()
        let (spec, _, _) = try RTLTinyMoELayers.golden()
        // tiny-moe's shape, and M3ViT's widths on UbiMoE's engine (3 lanes: not a power of two)
        let tiny = try RTLTinyMoELayers.shape(spec)
        var wide = tiny
        wide.engine = .init(tIn: 16, tOut: 16, lanes: 3)
        wide.embedDim = 192
        wide.experts = 16
        wide.maxTokens = 129
        _ = verilator
        for shape in [tiny, wide] {
            let folder = try RTLScratch.write(shape, tag: "moe-lint")
            defer { try? FileManager.default.removeItem(at: folder) }
            for job in RTLCheckJobs.lint(shape, in: folder) + [RTLCheckJobs.lintTestbench(shape, in: folder)] {
                let run = await job.run()
                #expect(run.succeeded, "\(shape.identifier) \(job.arguments[3]): \(run.standardError)")
            }
        }
        // the chained testbench (units and two linear kernels)
        let (_, golden, _) = try RTLTinyMoELayers.golden()
        let chain = try #require(RTLMoEChainShape(spec: spec, expert: golden.fixedWeights.layers[1].experts[0],
                                                  engine: RTLTinyMoELayers.engine, beatBits: 128, memoryLatency: 90))
        // the residual stage with a linear shape of the projection
        let linear = try #require(RTLToolTests.shapes().first { $0.inputs == 32 && $0.outputs == 32 })
        let residual = RTLResidualShape(linear: linear, residual: spec.precision.activation)
        let chainFolder = try RTLScratch.write(chain, tag: "moe-chain-lint")
        let residualFolder = try RTLScratch.write(residual, tag: "residual-lint")
        defer {
            try? FileManager.default.removeItem(at: chainFolder)
            try? FileManager.default.removeItem(at: residualFolder)
        }
        for job in [RTLCheckJobs.lintTestbench(chain, in: chainFolder)] + RTLCheckJobs.lint(residual, in: residualFolder)
            + [RTLCheckJobs.lintTestbench(residual, in: residualFolder)] {
            let run = await job.run()
            #expect(run.succeeded, "\(job.arguments[3]): \(run.standardError)")
        }
    }

    @Test("Yosys synth_xilinx -family xcup: the combine has T_in x 4 DSP48E2, as the cost model; the gather none")
    func yosysDSP() async throws {
        let yosys = try ExternalTool.yosys.require()
        let (spec, _, _) = try RTLTinyMoELayers.golden()
        let shape = try RTLTinyMoELayers.shape(spec)
        _ = yosys
        let folder = try RTLScratch.write(shape, tag: "moe-yosys")
        defer { try? FileManager.default.removeItem(at: folder) }
        let counts = try RTLCheckJobs.cellCounts(shape, in: folder)
        let gather = try #require(counts["moehls_gather"]), combine = try #require(counts["moehls_combine"])
        let costs = DSPCosts(OperandWidths(spec), family: .ultrascalePlus, embedDim: spec.embedDim)
        let model = shape.engine.tIn * costs.combine
        print("yosys \(shape.identifier): gather DSP \(gather.dsp) LUT \(gather.lut) FF \(gather.ff) BRAM18 \(gather.bram18k); "
              + "combine DSP \(combine.dsp) (cost model \(model), RTL formula \(shape.rtlDSP)) LUT \(combine.lut) FF \(combine.ff) "
              + "BRAM18 \(combine.bram18k)")
        #expect(gather.dsp == 0)
        #expect(combine.dsp == shape.rtlDSP)
        #expect(combine.dsp == model)
    }
}
