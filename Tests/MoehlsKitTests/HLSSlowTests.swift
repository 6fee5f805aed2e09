import Foundation
import MoehlsKit
import Testing

/// The C simulation of a whole M3ViT image: minutes of compile and run, so not part of the
/// default run. Run it with
///
///     MOEHLS_SLOW_TESTS=1 swift test -c release --filter HLSSlow
///
/// It prints the emit, compile and run times and must be bit-exact like the small models.
@Suite("HLS slow", .enabled(if: ProcessInfo.processInfo.environment["MOEHLS_SLOW_TESTS"] != nil), .tags(.simulation))
struct HLSSlowTests {
    /// A ZCU102-like design: 16 x 16 x 3 engine, T_a 8 over 4 query rows, 8 LayerNorm lanes,
    /// the four HP ports at 128 bits.
    static let zcu102Like = DesignPoint(schedule: .sequential, linear: .init(tIn: 16, tOut: 16, lanes: 3),
                                        attention: .init(tA: 8, rows: 4), layerNormLanes: 8,
                                        weightPorts: .init(memory: "ps-ddr4", channels: 4))

    @Test("M3ViT: one image C-simulated bit-exact")
    func m3vit() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let files = try HLSTestSupport.emit(try HLSTestSupport.example("m3vit.yaml"), design: Self.zcu102Like, busBits: 128)
        let emitted = clock.now - start
        let result = try HLSTestSupport.simulate(files)
        print("m3vit C simulation: emit \(emitted), compile \(result.compileSeconds) s, run \(result.runSeconds) s "
              + "(moehls_top \(result.topSeconds ?? -1) s), stages \(result.stagesMatched.count), passed \(result.passed)")
        #expect(result.mismatch == nil, "first mismatch: \(result.mismatch?.description ?? "")")
        #expect(result.passed)
        #expect(result.warnings.isEmpty, "\(result.warnings)")
    }
}
