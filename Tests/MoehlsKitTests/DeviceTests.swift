import Testing
@testable import MoehlsKit

@Suite(.tags(.unit))
struct DeviceTests {
    @Test func builtinBoardsMatchTheVendorTable() throws {
        let zcu102 = try DeviceLoader.builtin("zcu102")
        #expect(zcu102.part == "xczu9eg-ffvb1156-2-e")
        #expect(zcu102.resources == .init(lut: 274_080, ff: 548_160, bram18k: 1_824, dsp: 2_520, uram: 0))
        let u280 = try DeviceLoader.builtin("U280")
        #expect(u280.part == "xcu280-fsvh2892-2L-e")
        #expect(u280.resources == .init(lut: 1_303_680, ff: 2_607_360, bram18k: 4_032, dsp: 9_024, uram: 960))
        #expect(u280.budget.lut == 1_165_920 && u280.budget.bram18k == 3_504 && u280.budget.dsp == 8_496)
        #expect(u280.slrs == 3)
        #expect(u280.memory.first?.channels == 32)
        // One HBM pseudo-channel at 300 MHz: 460/32 GB/s = 47.9 B/cycle, limited by the 256-bit port.
        #expect(u280.memory[0].bytesPerCycle(clockMHz: 300) == 32)
        // ZCU102: 19.2 GB/s over 4 HP ports at 300 MHz = 16 B/cycle per port.
        #expect(abs(zcu102.memory[0].bytesPerCycle(clockMHz: 300) - 16) < 1e-9)
        for device in BuiltinDevices.all {
            for (budget, total) in zip(device.budget.named, device.resources.named) {
                #expect(budget.value <= total.value, "\(device.name) \(budget.name)")
            }
        }
    }

    @Test func unknownDeviceListsTheAvailableOnes() {
        let error = #expect(throws: DiagnosticError.self) { _ = try DeviceLoader.builtin("zcu104") }
        let message = error?.diagnostics.first?.message ?? ""
        #expect(message.contains("unknown device 'zcu104'"))
        #expect(message.contains("Available devices: zcu102, u280, u50, u250, kv260, vck190"))
        #expect(message.contains("Did you mean 'zcu102'?"))
    }

    @Test(arguments: BuiltinDevices.all)
    func deviceFileRoundTrips(_ device: Device) throws {
        let text = DeviceText.yaml(device)
        #expect(try DeviceLoader.parse(text: text, file: "\(device.name).yaml") == device)
    }

    static let badDevices: [(String, String)] = [
        ("""
        name: board
        part: xczu7ev
        resources: {lut: 100, ff: 200, bram_18k: 10, ⏵dsps: 5}
        memory: [{name: ddr, channels: 1, port_bits: 128, bandwidth_gbps: 10}]
        clock_mhz: 200
        """, "unknown key 'dsps' in 'resources'; did you mean 'dsp'?"),
        ("""
        name: board
        part: xczu7ev
        resources: {lut: 100, ff: 200, bram_18k: 10, dsp: 5}
        budget: ⏵{lut: 1000, ff: 200, bram_18k: 10, dsp: 5}
        memory: [{name: ddr, channels: 1, port_bits: 128, bandwidth_gbps: 10}]
        clock_mhz: 200
        """, "'budget' LUT (1000) exceeds the part's LUT (100)"),
        ("""
        name: board
        part: xczu7ev
        resources: {lut: 100, ff: 200, bram_18k: 10, dsp: 5}
        memory: [{name: ddr, channels: 1, port_bits: ⏵100, bandwidth_gbps: 10}]
        clock_mhz: 200
        """, "'port_bits' must be a power of two number of bytes"),
        ("""
        ⏵name: board
        part: xczu7ev
        resources: {lut: 100, ff: 200, bram_18k: 10, dsp: 5}
        memory: [{name: ddr, channels: 1, port_bits: 128, bandwidth_gbps: 10}]
        """, "missing required field 'clock_mhz'"),
        ("""
        name: board
        part: xczu7ev
        family: ⏵versel
        resources: {lut: 100, ff: 200, bram_18k: 10, dsp: 5}
        memory: [{name: ddr, channels: 1, port_bits: 128, bandwidth_gbps: 10}]
        clock_mhz: 200
        """, "'family' must be one of 'ultrascale+', 'versal', found 'versel'; did you mean 'versal'?"),
        ("""
        name: board
        part: xczu7ev
        resources: {lut: 100, ff: 200, bram_18k: 10, dsp: 5}
        memory: ⏵[]
        clock_mhz: 200
        """, "'memory' is empty"),
        ("""
        name: board
        part: xczu7ev
        resources: {lut: 100, ff: 200, bram_18k: 10, dsp: ⏵-5}
        memory: [{name: ddr, channels: 1, port_bits: 128, bandwidth_gbps: 10}]
        clock_mhz: 200
        """, "'resources.dsp' must be at least 0, found -5"),
    ]

    @Test(arguments: badDevices)
    func badDeviceFile(_ input: String, _ message: String) throws {
        let marked = MarkedText(input)
        let error = #expect(throws: DiagnosticError.self) { _ = try DeviceLoader.parse(text: marked.text, file: "dev.yaml") }
        let diagnostics = try #require(error).diagnostics
        let found = try #require(diagnostics.first { $0.message.contains(message) },
                                 "got: \(diagnostics.map(\.description))")
        #expect(found.location == SourceLocation(file: "dev.yaml", line: marked.line, column: marked.column))
    }
}
