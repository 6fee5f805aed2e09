import Foundation
import Testing
@testable import MoehlsKit

/// The search strategies: `exact` against brute-force enumeration, caps and channels respected,
/// the no-fit diagnostic, determinism and design.json.
@Suite(.tags(.unit))
struct SearchTests {
    /// A small board where the cap binds for tiny-moe: two memories, few DSPs.
    static let smallBoard = Device(
        name: "small", description: "test board", part: "xczu-test", family: .ultrascalePlus,
        resources: .init(lut: 150_000, ff: 300_000, bram18k: 400, dsp: 800, uram: 8),
        budget: .init(lut: 150_000, ff: 300_000, bram18k: 400, dsp: 800, uram: 8),
        memory: [.init(name: "ddr", kind: "DDR4", channels: 2, portBits: 128, bandwidthGBps: 9.6, capacityGiB: 2),
                 .init(name: "hbm", kind: "HBM2", channels: 4, portBits: 256, bandwidthGBps: 40, capacityGiB: 2)],
        slrs: 1, clockMHz: 250, flow: .vivado, source: "test")

    static func context(_ model: String, _ device: Device, clock: Double? = nil) throws -> CostContext {
        try CostContext(spec: try CostModelTests.model(model), device: device, clockMHz: clock)
    }

    /// tiny-moe, every schedule, two memories, both slab storages, two MLP pass counts.
    static func tinySpace(objective: SearchObjective) -> DesignSpace {
        DesignSpace(schedules: DesignPoint.Schedule.allCases,
                    instances: objective == .latency ? [1] : [1, 2],
                    batches: objective == .latency ? [1, 2] : [1, 2, 4],
                    tIn: [8, 16], tOut: [8, 16], lanes: [1, 2, 3], msaLanes: [1],
                    tA: [4, 8], attentionRows: [2, 5], layerNormLanes: [4, 8], ffnPasses: [1, 2],
                    weightBuffers: [.bram, .lutram],
                    weightPorts: [.init(memory: "ddr", channels: 1), .init(memory: "hbm", channels: 2),
                                  .init(memory: "hbm", channels: 4)])
    }

    static func keys(_ front: [FrontPoint]) -> [String] {
        front.map { "\($0.value) \($0.resources.dsp) \($0.resources.bram18k) \($0.resources.lut)" }.sorted()
    }

    static func checkFits(_ r: SearchResult, _ c: CostContext, cap: Double) {
        let e = r.best
        #expect(DesignSpace.violations(e.design, c).isEmpty)
        #expect(e.resources.fits(.capped(c.device.budget, cap: cap)), "\(e.design) uses \(e.resources)")
        let memory = c.memory(e.design.weightPorts)!
        #expect(e.design.weightPorts.channels * e.design.linearEngines * e.design.instances <= memory.channels)
        // Bandwidth: no port moves more than its share per cycle over the pass.
        for t in e.traffic {
            #expect(Double(t.bytes) <= Double(t.busyCycles + 1) * t.bytesPerCycle)
            #expect(t.busyCycles <= e.latencyCycles)
        }
        #expect(r.front.allSatisfy { $0.resources.fits(.capped(c.device.budget, cap: cap)) })
    }

    @Test(arguments: [SearchObjective.latency, .throughput])
    func exactEqualsBruteForceOnTinyMoE(_ objective: SearchObjective) throws {
        let c = try Self.context("tiny-moe.yaml", Self.smallBoard)
        let space = Self.tinySpace(objective: objective)
        for cap in [0.8, 0.5] {
            let options = SearchOptions(strategy: .exact, objective: objective, cap: cap, frontSlack: 0.25)
            let exact = try Search.run(c, space: space, options: options)
            var bruteOptions = options
            bruteOptions.strategy = .brute
            let brute = try Search.run(c, space: space, options: bruteOptions)
            #expect(exact.optimal)
            #expect(exact.best.value(objective) == brute.best.value(objective), "cap \(cap)")
            #expect(Self.keys(exact.front) == Self.keys(brute.front), "cap \(cap)")
            Self.checkFits(exact, c, cap: cap)
            // The estimate of the chosen design is the value the search optimised.
            let again = try CostModel.estimate(exact.best.design, c)
            #expect(again.value(objective) == exact.best.value(objective))
        }
    }

    @Test func exactEqualsBruteForceOnReducedM3ViT() throws {
        let c = try Self.context("m3vit.yaml", BuiltinDevices.zcu102, clock: 300)
        let space = DesignSpace(schedules: DesignPoint.Schedule.allCases, instances: [1], batches: [1, 2],
                                tIn: [8, 16, 32], tOut: [8, 16], lanes: [1, 2, 3, 4], msaLanes: [1], tA: [8, 16],
                                attentionRows: [4, 8], layerNormLanes: [8], ffnPasses: [1, 2], weightBuffers: [.bram],
                                weightPorts: [.init(memory: "ps-ddr4", channels: 2), .init(memory: "ps-ddr4", channels: 4)])
        let options = SearchOptions(strategy: .exact, objective: .latency, cap: 0.8, frontSlack: 0.1)
        let exact = try Search.run(c, space: space, options: options)
        var bruteOptions = options
        bruteOptions.strategy = .brute
        let brute = try Search.run(c, space: space, options: bruteOptions)
        #expect(exact.best.latencyCycles == brute.best.latencyCycles)
        #expect(Self.keys(exact.front) == Self.keys(brute.front))
        Self.checkFits(exact, c, cap: 0.8)
    }

    @Test(arguments: ["zcu102", "u280", "kv260", "vck190"])
    func chosenDesignsFitTheCapAndChannels(_ board: String) throws {
        let device = try DeviceLoader.builtin(board)
        let c = try Self.context("tiny-moe.yaml", device)
        for cap in [0.8, 0.3] {
            let result = try Search.run(c, options: SearchOptions(strategy: .auto, cap: cap))
            #expect(result.optimal)
            Self.checkFits(result, c, cap: cap)
        }
        // UbiMoE's 16-multiple tiles need two 16 x 16 grids: only the larger boards fit them.
        if board == "zcu102" || board == "u280" {
            let ubimoe = try Search.run(c, options: SearchOptions(strategy: .ubimoe, cap: 0.8))
            Self.checkFits(ubimoe, c, cap: 0.8)
        }
    }

    @Test func ubimoeIsSeededAndNeverBeatsExact() throws {
        let c = try Self.context("tiny-moe.yaml", BuiltinDevices.zcu102)
        let a = try Search.run(c, options: SearchOptions(strategy: .ubimoe, seed: 7))
        let b = try Search.run(c, options: SearchOptions(strategy: .ubimoe, seed: 7))
        #expect(a.best.design == b.best.design)
        #expect(a.best.design.schedule == .pipelined)
        #expect(a.best.design.msaLinear?.lanes == 1)
        #expect(a.best.design.linear.tIn % 16 == 0 && a.best.design.linear.tOut % 16 == 0)
        let exact = try Search.run(c, options: SearchOptions(strategy: .exact))
        #expect(exact.best.latencyCycles <= a.best.latencyCycles)
    }

    @Test func autoWithATinyBudgetReportsAValidBound() throws {
        let c = try Self.context("tiny-moe.yaml", Self.smallBoard)
        let space = Self.tinySpace(objective: .latency)
        let exact = try Search.run(c, space: space, options: SearchOptions(strategy: .exact))
        let cut = try Search.run(c, space: space, options: SearchOptions(strategy: .auto, nodeBudget: 3))
        #expect(!cut.optimal)
        #expect(cut.lowerBound <= exact.best.value(.latency))
        #expect(cut.best.value(.latency) >= exact.best.value(.latency))
        #expect(cut.gap >= 0 && cut.gap < 1)
    }

    @Test func noFeasibleDesignNamesTheBindingResource() throws {
        var board = Self.smallBoard
        board.budget.dsp = 10
        board.resources.dsp = 10
        let c = try Self.context("tiny-moe.yaml", board)
        for strategy in [SearchStrategy.auto, .ubimoe] {
            do {
                _ = try Search.run(c, options: SearchOptions(strategy: strategy))
                Issue.record("\(strategy) found a design on a 10-DSP board")
            } catch {
                let message = error.description
                #expect(message.hasPrefix("error: no design fits small at 80% cap: the smallest needs "), "\(message)")
                #expect(message.contains("DSP ") && message.hasSuffix(" / 8"), "\(message)")
            }
        }
    }

    @Test func designFileIsDeterministicAndRoundTrips() throws {
        let c = try Self.context("tiny-moe.yaml", BuiltinDevices.zcu102)
        let one = try Search.run(c, options: SearchOptions())
        let two = try Search.run(c, options: SearchOptions())
        let a = try DesignFile(result: one, context: c, seed: 1).encoded()
        let b = try DesignFile(result: two, context: c, seed: 1).encoded()
        #expect(a == b)
        let text = String(decoding: a, as: UTF8.self)
        #expect(text.contains("\"schema\" : \"moehls-design/1\""))
        #expect(text.contains("\"t_in\""))
        #expect(text.contains("\"clock_mhz\" : 300"))
        #expect(!text.contains("m_hz"))
        let decoded = try DesignFile.decode(a, file: "design.json")
        #expect(decoded.design == one.best.design)
        #expect(decoded.estimate == one.best)
        let wrong = Data(text.replacingOccurrences(of: "moehls-design/1", with: "moehls-design/0").utf8)
        #expect(throws: DiagnosticError.self) { try DesignFile.decode(wrong, file: "old.json") }
    }

    @Test func paretoArchiveKeepsNonDominatedPoints() {
        func point(_ v: Double, _ dsp: Int, _ bram: Int, _ lut: Int) -> FrontPoint {
            FrontPoint(design: ReferenceDesigns.ubimoe(on: BuiltinDevices.zcu102), cycles: Int(v), value: v,
                       resources: .init(lut: lut, ff: 0, bram18k: bram, dsp: dsp, uram: 0))
        }
        var archive = ParetoArchive()
        let kept = [archive.offer(point(10, 100, 10, 1000)),
                    archive.offer(point(12, 50, 10, 1000)),     // slower but fewer DSP: kept
                    archive.offer(point(12, 100, 10, 1000)),    // dominated by the first
                    archive.offer(point(9, 100, 10, 1000))]     // dominates the first
        #expect(kept == [true, true, false, true])
        #expect(Self.keys(archive.points) == Self.keys([point(9, 100, 10, 1000), point(12, 50, 10, 1000)]))
    }
}
