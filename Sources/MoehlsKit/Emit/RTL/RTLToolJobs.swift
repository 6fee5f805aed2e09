/// Command lines for the external tools that check the Verilog: Verilator lint and Yosys
/// synthesis for UltraScale+ (Icarus jobs live in `RTLLinearSimulation`). Every job runs in the
/// folder `RTLEmitter.emitLinear` wrote, so paths are relative.
public enum RTLToolJobs {
    /// `verilator --lint-only -Wall` on the kernel sources with the shape's parameters (`-G`).
    /// The kernels carry their waivers next to the code they excuse.
    public static func lintArguments(_ shape: RTLLinearShape) -> [String] {
        ["--lint-only", "-Wall", "--top-module", "moehls_linear"]
            + shape.verilogParameters.map { "-G\($0.0)=\($0.1)" }
            + RTLEmitter.linearSources
    }

    /// `verilator --lint-only -Wall --timing` on the testbench (with the kernel sources).
    public static func testbenchLintArguments(_ shape: RTLLinearShape) -> [String] {
        ["--lint-only", "-Wall", "--timing", "--top-module", "moehls_linear_tb"]
            + RTLEmitter.linearSources + ["moehls_linear_tb_\(shape.identifier).v"]
    }

    /// The Yosys script: read the kernel, set the shape's parameters, `synth_xilinx -family xcup`,
    /// and write the cell counts to `stat.txt`.
    public static func yosysScript(_ shape: RTLLinearShape) -> String {
        let params = shape.verilogParameters.map { "-set \($0.0) \($0.1)" }.joined(separator: " ")
        return """
            read_verilog -defer \(RTLEmitter.linearSources.joined(separator: " "))
            chparam \(params) moehls_linear
            hierarchy -top moehls_linear
            synth_xilinx -family xcup -flatten
            tee -o stat.txt stat

            """
    }
}

/// Cell counts from Yosys `stat` after `synth_xilinx -family xcup`.
public struct RTLCellCounts: Hashable, Codable, Sendable {
    public var dsp: Int
    /// LUT1 ... LUT6 plus LUT RAM cells (RAM32M16, RAM64M8, ...).
    public var lut: Int
    /// FDRE, FDSE, FDCE, FDPE.
    public var ff: Int
    public var bram18k: Int
    public var cells: [String: Int]

    /// Parses the cell list of a `stat` report.
    public init(stat text: String) {
        var cells: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count == 2, let n = Int(fields[1]), fields[0].first?.isUppercase == true {
                cells[String(fields[0]), default: 0] += n
            }
        }
        self.cells = cells
        dsp = cells["DSP48E2", default: 0]
        lut = cells.filter { $0.key.hasPrefix("LUT") || $0.key.hasPrefix("RAM32M") || $0.key.hasPrefix("RAM64M")
            || $0.key.hasPrefix("RAM32X") || $0.key.hasPrefix("RAM64X") || $0.key.hasPrefix("RAM128X") || $0.key.hasPrefix("RAM256X")
            || $0.key.hasPrefix("SRL") }.values.reduce(0, +)
        ff = ["FDRE", "FDSE", "FDCE", "FDPE"].map { cells[$0, default: 0] }.reduce(0, +)
        bram18k = cells["RAMB18E2", default: 0] + 2 * cells["RAMB36E2", default: 0]
    }
}

extension RTLLinearShape {
    /// DSP48E2 blocks the RTL uses: the grid's multipliers at `DSPModel.multiply` each (operand
    /// widths as the RTL builds them: an unsigned input takes one more bit), plus one interpolation
    /// multiplier per GELU unit (`geluUnits`).
    public var rtlDSP: Int {
        let x = input.width + (input.isSigned ? 0 : 1)
        let grid = DSPModel.multiply(x, weight.width, family: .ultrascalePlus) * engine.multipliers
        let gelu = (geluUnits ?? 0) * DSPModel.multiply(GELUUnit().table.entryBits + 1, 17, family: .ultrascalePlus)
        return grid + gelu
    }
}
