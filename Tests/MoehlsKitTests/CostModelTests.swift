import Foundation
import Testing
@testable import MoehlsKit

/// The cost model's arithmetic on cases computed by hand here (docs/cost-model.md), not copied
/// from the code's output.
@Suite(.tags(.unit))
struct CostModelTests {
    static func model(_ name: String) throws -> ModelSpec {
        try ModelLoader.load(path: repositoryRoot.appendingPathComponent("Examples/\(name)").path)
    }

    static func context(_ name: String, _ device: Device, clock: Double? = nil) throws -> CostContext {
        try CostContext(spec: try model(name), device: device, clockMHz: clock)
    }

    // MARK: DSP

    @Test(arguments: [
        // (a, b, DSP48E2): pieces(32, 27) = 1 + ceil(5/26) = 2, pieces(16, 18) = 1 -> 2.
        (32, 16, 2), (16, 32, 2), (32, 32, 4), (16, 16, 1), (27, 18, 1), (18, 27, 1),
        // 28 x 18: pieces(28,27) = 2 (or 28 on the 18-bit port: 1 + ceil(10/17) = 2) -> 2.
        (28, 18, 2),
        // 40 x 26: min(pieces(40,27) pieces(26,18), pieces(26,27) pieces(40,18)) = min(2 x 2, 1 x 3) = 3.
        (40, 26, 3),
        // 72 x 73: min(3 x 5, 3 x 5) = 15 (pieces(72,27) = 1 + ceil(45/26) = 3, pieces(73,18) = 1 + ceil(55/17) = 5).
        (72, 73, 15),
    ])
    func dspPerMultiplyOnUltraScale(_ a: Int, _ b: Int, _ dsp: Int) {
        #expect(DSPModel.multiply(a, b, family: .ultrascalePlus) == dsp)
    }

    @Test func dspPerMultiplyOnVersal() {
        // DSP58 27 x 24: 32 x 24 -> min(pieces(32,27) x 1, pieces(24,27) x pieces(32,24)) = min(2, 1 x 2) = 2;
        // 24 x 24 -> 1; 32 x 32 -> 2 x 2 = 4.
        #expect(DSPModel.multiply(32, 24, family: .versal) == 2)
        #expect(DSPModel.multiply(24, 24, family: .versal) == 1)
        #expect(DSPModel.multiply(32, 32, family: .versal) == 4)
    }

    // MARK: Memory blocks

    @Test func bramAspectRatios() {
        // 516 words x 32 bits: 36x512 -> 1 x 2 = 2; 18x1K -> 2 x 1 = 2; 9x2K -> 4 x 1 = 4. Minimum 2.
        #expect(MemoryMapping.bram18(depth: 516, width: 32) == 2)
        // 512 x 32 fits one 36x512.
        #expect(MemoryMapping.bram18(depth: 512, width: 32) == 1)
        // 2,064 x 8: 9x2K -> 1 x 2 = 2; 4x4K -> 2 x 1 = 2; 2x8K -> 4 x 1 = 4. Minimum 2.
        #expect(MemoryMapping.bram18(depth: 2_064, width: 8) == 2)
        // 16K x 1 is one block; 16,385 x 1 two.
        #expect(MemoryMapping.bram18(depth: 16_384, width: 1) == 1)
        #expect(MemoryMapping.bram18(depth: 16_385, width: 1) == 2)
        // 48 x 4,096 (a 16 x 16 slab of 16-bit weights): 36x512 -> ceil(4096/36) = 114 x 1.
        #expect(MemoryMapping.bram18(depth: 48, width: 4_096) == 114)
        // URAM 72 x 4096: ceil(4096/72) = 57.
        #expect(MemoryMapping.uram(depth: 48, width: 4_096) == 57)
        // LUT RAM: 8 LUTs per 64 x 7: 48 x 4,096 -> 8 x 586 x 1 = 4,688.
        #expect(MemoryMapping.lutram(depth: 48, width: 4_096) == 4_688)
        // A bank set: 48 banks of 516 x 32 -> 96 BRAM_18K; 64 deep goes to LUT RAM automatically.
        #expect(BufferShape(name: "x", banks: 48, depth: 516, width: 32).cost.bram18k == 96)
        #expect(BufferShape(name: "x", banks: 2, depth: 64, width: 32).cost == (0, 0, 2 * 8 * 5))
    }

    // MARK: A single linear layer

    @Test func singleLinearLayerComputeBound() throws {
        // M3ViT's projection: n = 129, d_in = 192, one segment of 192, residual, on a 16 x 16 x 3
        // engine with 4 ZCU102 HP ports at 300 MHz.
        let c = try Self.context("m3vit.yaml", BuiltinDevices.zcu102, clock: 300)
        let ports = DesignPoint.WeightPorts(memory: "ps-ddr4", channels: 4)
        let engine = c.engineContext(.init(tIn: 16, tOut: 16, lanes: 3), ports: ports, gelu: false)
        // beta = min(128/8, 19.2e9 / 4 / 300e6) = 16 B/cycle per port; 4 ports: 64.
        #expect(engine.portBytesPerCycle == 64)
        // Dmem = ceil(300 ns x 300 MHz) = 90.
        #expect(c.memoryLatency == 90)
        let cost = engine.cost(c.linear("proj", tokens: 129, inputs: 192, outputs: [192], .residual))
        // G = ceil(129/3) = 43, K = 192/16 = 12, J = 12, omega = ceil(16/16) = 1, C = 43 x max(12, 1) = 516.
        #expect(cost.groups == 43)
        #expect(cost.inputBlocks == 12)
        #expect(cost.outputBlocks == 12)
        #expect(cost.blockCycles == 516)
        // Slab: (12 x 16 x 16 x 16 + 16 x 16) / 8 = 6,176 bytes; W = ceil(6176 / 64) = 97.
        #expect(cost.slabBytes == 6_176)
        #expect(cost.loadCycles == 97)
        // F = overhead 3 + (read 2 + multiply 4 + tree log2(16) = 4 + accumulate 1 + omega 1 + write 2
        // + residual (read 2 + add/convert 2) - 1, the start pulse being the request's first cycle) = 20.
        #expect(cost.latency == 20)
        // W < C: the first slab's latency and load are exposed, then 12 blocks of C, then F.
        let run = c.run(engine, [c.linear("proj", tokens: 129, inputs: 192, outputs: [192], .residual)]).time
        #expect(run.cycles == 90 + 97 + 12 * 516 + 20)
        #expect(run.stall == 90 + 97)
        #expect(run.bytes == 12 * 6_176)
    }

    @Test func singleLinearLayerBandwidthBound() throws {
        // An expert's fc1: 16 tokens, d_in 192 -> 384 with GELU on the same engine.
        let c = try Self.context("m3vit.yaml", BuiltinDevices.zcu102, clock: 300)
        let ports = DesignPoint.WeightPorts(memory: "ps-ddr4", channels: 4)
        let engine = c.engineContext(.init(tIn: 16, tOut: 16, lanes: 3), ports: ports, gelu: true)
        // GELU units R = ceil(N_L T_in / floor(K / ceil(T_out / T_in))) = ceil(48 / floor(12 / 1)) = 4.
        #expect(engine.geluUnits == 4)
        let call = c.linear("expert fc1", tokens: 16, inputs: 192, outputs: [384], .gelu)
        let cost = engine.cost(call)
        // G = ceil(16/3) = 6, K = 12, omega = 1 chunk x ceil(48/4) passes = 12, C = 6 x 12 = 72; J = 24; W = 97 > C.
        #expect(cost.blockCycles == 72)
        #expect(cost.writeBackCycles == 12)
        // F = 3 + (2 + 4 + 4 + 1 + 12 + 2 + gelu 6 - 1) = 33.
        #expect(cost.latency == 33)
        // Load-bound: Dmem + W + C + (J - 1) x W + F = 90 + 97 + 72 + 23 x 97 + 33 = 2,523.
        let run = c.run(engine, [call]).time
        #expect(run.cycles == 2_523)
        // The engine waits 187 cycles for the first slab, then W - C = 25 before each of the other 23.
        #expect(run.stall == 187 + 23 * 25)
    }

    @Test func twoInvocationsPrefetchAcrossTheBoundary() throws {
        // Two identical compute-bound invocations in one run: the second's first slab is loaded
        // while the first computes, so the run is Dmem + W + 2 x (J C + F).
        let c = try Self.context("m3vit.yaml", BuiltinDevices.zcu102, clock: 300)
        let engine = c.engineContext(.init(tIn: 16, tOut: 16, lanes: 3), ports: .init(memory: "ps-ddr4", channels: 4),
                                     gelu: false)
        let call = c.linear("proj", tokens: 129, inputs: 192, outputs: [192], .residual)
        #expect(c.run(engine, [call, call]).time.cycles == 90 + 97 + 2 * (12 * 516 + 20))
    }

    // MARK: A single attention head

    @Test func singleAttentionHead() throws {
        // One head of 8 over 16 tokens; scale 1/sqrt(8) is not a power of two.
        let spec = try ModelLoader.parse(text: "kind: attention\ntokens: 16\nembed_dim: 8\nheads: 1\n", file: "head.yaml")
        let c = try CostContext(spec: spec, device: BuiltinDevices.zcu102)
        let t = AttentionTiming(engine: .init(tA: 4, rows: 4), tokens: 16, headDim: 8,
                                scaleIsPowerOfTwo: c.shape.scaleIsPowerOfTwo, micro: .v1)
        #expect(!c.shape.scaleIsPowerOfTwo)
        // C_a = 2, nb = 4.
        #expect(t.chunks == 2)
        #expect(t.blocksPerHead == 4)
        // QK: 16 x 2 + read 2 + multiply 4 + tree log2(4) = 2 + accumulate 1 + scale 4 + 1 = 46.
        #expect(t.qkStage == 46)
        // PV: max(32 + 2 + exp 9 + 4 + 1, 16 + 2 + 9 + 1 + reciprocal 7) = max(48, 35) = 48.
        #expect(t.pvStage == 48)
        // Write-back: 4 x 2 + 4 + 2 = 14. Step 48.
        #expect(t.writeStage == 14)
        #expect(t.step == 48)
        // overhead 3 + prologue (4 x 2 + 2) + (1 x 4 + 2) x 48 = 301.
        #expect(t.cycles(heads: 1) == 301)
        // Two heads share the pipeline: 13 + (8 + 2) x 48 = 493.
        #expect(t.cycles(heads: 2) == 493)
    }

    @Test func ubimoeAttentionMatchesItsOwnFormulaPlusDrains() throws {
        // UbiMoE's per-layer estimate ceil((N + N_a - 1) / N_a) x N x (D / T_a) for M3ViT with T_a 8, N_a 4:
        // 33 x 129 x 24 = 102,168. Ours: 3 heads x 33 blocks + 2 steps of S = 129 x 8 + drains.
        let c = try Self.context("m3vit.yaml", BuiltinDevices.u280, clock: 200)
        let t = AttentionTiming(engine: .init(tA: 8, rows: 4), tokens: 129, headDim: 64, scaleIsPowerOfTwo: true, micro: .v1)
        // S_qk = 1032 + 2 + 4 + 3 + 1 + 0 + 1 = 1043; S_pv = max(1032 + 2 + 9 + 4 + 1, 129 + 2 + 9 + 1 + 7) = 1048.
        #expect(t.step == 1_048)
        // 3 + (4 x 8 + 2) + (99 + 2) x 1048 = 105,885.
        #expect(t.cycles(heads: 3) == 105_885)
        #expect(c.shape.scaleIsPowerOfTwo)
        let ubimoe = 33 * 129 * 24
        #expect(Double(t.cycles(heads: 3)) / Double(ubimoe) < 1.04)
    }

    // MARK: LayerNorm and gate

    @Test func layerNormAndGateUnits() {
        // 17 tokens of D = 32 on 8 lanes: K = 4; sum 4 + 3 + 1 = 8; statistics 6 + 4 + 1 + 8 = 19;
        // normalise 2 + 1 + 8 + 1 + 2 = 14; overhead 3 + 2 = 5 -> 18 x 4 + 46 = 118.
        #expect(LayerNormTiming(lanes: 8, embedDim: 32, micro: .v1).cycles(tokens: 17) == 118)
        // Gate: 17 tokens, 4 experts, top-2: 18 x 4 + 3 + 2 + 9 + 1 + 7 + 2 + 4 + 2 = 102.
        #expect(UnitTiming.gate(tokens: 17, experts: 4, topK: 2, micro: .v1) == 102)
        // Gather and scatter of 9 tokens, D 32, T_in 8 (the RTL's counts, docs/kernels-moe.md):
        // 9 x 4 + 2 x 2 - 1 = 39; 9 x 4 + 2 + 4 + 1 - 1 = 42.
        #expect(UnitTiming.gather(tokens: 9, embedDim: 32, tIn: 8, micro: .v1) == 39)
        #expect(UnitTiming.scatter(tokens: 9, embedDim: 32, tIn: 8, micro: .v1) == 42)
    }

    @Test func balancedRouting() throws {
        // M3ViT: 129 tokens x top-2 = 258 pairs over 16 experts: 16 each, the first 2 get 17.
        let shape = ModelShape(try Self.model("m3vit.yaml"))
        #expect(shape.balancedRouting(tokens: 129) == [17, 17] + Array(repeating: 16, count: 14))
        // tiny-moe: 17 x 2 = 34 over 4: 9, 9, 8, 8.
        #expect(ModelShape(try Self.model("tiny-moe.yaml")).balancedRouting(tokens: 17) == [9, 9, 8, 8])
    }

    // MARK: Whole estimates

    @Test func linearEngineDSPs() throws {
        // 16 x 16 x 3 grid of 32 x 16 products: 768 x 2 = 1,536; GELU units 4 x 1; MoE combine 16 x 4;
        // gate exp (2 + 1), reciprocal 1, score (25 x 26) 2: 1,536 + 4 + 64 + 6 = 1,610.
        let c = try Self.context("m3vit.yaml", BuiltinDevices.zcu102)
        let design = ReferenceDesigns.ubimoe(on: BuiltinDevices.zcu102, schedule: .sequential)
        #expect(c.linearComponent(design.linear, role: .shared, design: design).dsp == 1_610)
        // Attention 8 x 4: QK 32 x 4 + PV 32 x 2 + normalise 8 x 3 + exp 4 x 3 + reciprocal 1 = 229 (scale 0.125 is a shift).
        #expect(c.attentionComponent(design.attention).dsp == 229)
    }

    @Test func phasesAddUpToTheLatency() throws {
        for schedule in DesignPoint.Schedule.allCases {
            let c = try Self.context("m3vit.yaml", BuiltinDevices.u280, clock: 200)
            let e = try CostModel.estimate(ReferenceDesigns.ubimoe(on: BuiltinDevices.u280, schedule: schedule), c)
            #expect(e.phases.reduce(0) { $0 + $1.cycles } == e.latencyCycles)
            #expect(e.layers.reduce(0) { $0 + $1.criticalCycles } == e.phases.first { $0.name == "layers" }!.cycles)
            if schedule == .sequential {
                // Sequential: a layer is the sum of its steps.
                for layer in e.layers { #expect(layer.steps.reduce(0) { $0 + $1.cycles } == layer.criticalCycles) }
            }
            #expect(e.resources == c.resources(e.design))
            #expect(e.bound.share > 0 && e.bound.share <= 1)
        }
    }

    @Test func pipelinedAlternatesTheHalves() throws {
        // Layers alternate MSA and FFN halves: M + sum max(M, F_l) + sum_{l<L-1} max(M, F_l) + F_{L-1}.
        let c = try Self.context("m3vit.yaml", BuiltinDevices.u280, clock: 200)
        let e = try CostModel.estimate(ReferenceDesigns.ubimoe(on: BuiltinDevices.u280), c)
        let m = e.layers[0].msaCycles
        var expected = m
        for (i, layer) in e.layers.enumerated() {
            expected += max(m, layer.ffnCycles) + (i == e.layers.count - 1 ? layer.ffnCycles : max(m, layer.ffnCycles))
        }
        #expect(e.layers.reduce(0) { $0 + $1.criticalCycles } == expected)
    }

    @Test func illegalDesignsAreDiagnostics() throws {
        let c = try Self.context("m3vit.yaml", BuiltinDevices.zcu102)
        var d = ReferenceDesigns.ubimoe(on: BuiltinDevices.zcu102, schedule: .sequential)
        d.attention.tA = 5                       // does not divide 64
        d.weightPorts.channels = 8               // the ZCU102 has 4 HP ports
        d.layerNormLanes = 0
        #expect(throws: DiagnosticError.self) { try CostModel.estimate(d, c) }
        let problems = DesignSpace.violations(d, c)
        #expect(problems.contains { $0.contains("does not divide the head width 64") })
        #expect(problems.contains { $0.contains("exceeds the 4 channels of ps-ddr4") })
        #expect(problems.contains { $0.contains("layer_norm_lanes must be at least 1") })
        // A 128-bit beat holds 8 weights: a 2 x 2 grid row (64 bits) is not a whole number of beats.
        d = ReferenceDesigns.ubimoe(on: BuiltinDevices.zcu102, schedule: .sequential)
        d.linear = .init(tIn: 2, tOut: 2, lanes: 1)
        d.attention.tA = 2
        d.layerNormLanes = 2
        #expect(DesignSpace.violations(d, c) == ["linear: a grid row of T_in x T_out = 2 x 2 weights of 16 bits is not a whole number of 128-bit beats"])
    }

    @Test func absurdModelsSaturateInsteadOfTrapping() throws {
        let text = "kind: attention\ntokens: 65536\nembed_dim: 65536\nheads: 1\n"
        let spec = try ModelLoader.parse(text: text, file: "huge.yaml")
        let c = try CostContext(spec: spec, device: BuiltinDevices.u280)
        let d = DesignPoint(schedule: .sequential, linear: .init(tIn: 1, tOut: 16, lanes: 1), attention: .init(tA: 1, rows: 1),
                            layerNormLanes: 1, weightPorts: .init(memory: "hbm", channels: 1))
        let e = try CostModel.estimate(d, c)
        #expect(e.latencyCycles > 0)
        #expect(e.latencyCycles <= Sat.limit)
    }
}
