import Foundation

/// The checks of a kernel's Verilog besides simulation, as tool jobs run in the folder
/// `RTLKernel.files()` was written to: Verilator lint of every unit and of the testbench, and
/// Yosys synthesis for UltraScale+ (`Templates/rtl/synth_unit.ys`, one `stat_<unit>.txt` each).
public enum RTLCheckJobs {
    /// `verilator --lint-only -Wall` on each unit with the shape's parameters (`-G`). The kernels
    /// carry their waivers next to the code they excuse.
    public static func lint<K: RTLKernel>(_ kernel: K, in folder: URL) -> [ToolJob] {
        kernel.units.map { unit in
            ToolJob("verilator", ["--lint-only", "-Wall", "--top-module", unit.top]
                        + unit.parameters.map { "-G\($0.0)=\($0.1)" } + unit.sources, in: folder.path)
        }
    }

    /// `verilator --lint-only -Wall --timing` on the testbench with every source.
    public static func lintTestbench<K: RTLKernel>(_ kernel: K, in folder: URL) -> ToolJob {
        ToolJob("verilator", ["--lint-only", "-Wall", "--timing", "--top-module", K.testbenchTop] + K.testbenchSources
                    + [kernel.testbenchName], in: folder.path)
    }

    /// The Yosys script: each unit synthesised on its own (`synth_xilinx -family xcup -flatten`).
    public static func yosysScript<K: RTLKernel>(_ kernel: K) throws -> String {
        try kernel.units.map { unit in
            try TemplateRenderer(SynthesisScript(top: unit.top, stat: statFile(unit),
                                                 sources: unit.sources.joined(separator: " "),
                                                 parameters: unit.parameters.map { "-set \($0.0) \($0.1)" }.joined(separator: " ")))
                .renderTemplate("rtl/synth_unit.ys")
        }.joined(separator: "\n")
    }

    /// The file a unit's cell counts go to.
    public static func statFile(_ unit: RTLUnit) -> String { "stat_\(unit.top.replacingOccurrences(of: "moehls_", with: "")).txt" }

    /// Writes the script as `synth.ys` into `folder` and returns the job that runs it.
    public static func synthesis<K: RTLKernel>(_ kernel: K, in folder: URL) throws -> ToolJob {
        try Data(yosysScript(kernel).utf8).write(to: folder.appendingPathComponent("synth.ys"))
        return ToolJob("yosys", ["-q", "-s", "synth.ys"], in: folder.path, inputs: ["synth.ys"] + kernel.units.flatMap(\.sources),
                       outputs: kernel.units.map(statFile))
    }

    /// Runs the synthesis and reads each unit's counts, by unit top.
    public static func cellCounts<K: RTLKernel>(_ kernel: K, in folder: URL, executor: any ToolExecutor = ToolRunner())
        throws -> [String: RTLCellCounts] {
        let run = executor.run(try synthesis(kernel, in: folder))
        guard run.succeeded else { throw RTLUnsupported(message: run.failure ?? "yosys failed") }
        var counts: [String: RTLCellCounts] = [:]
        for unit in kernel.units {
            let text = try String(contentsOf: folder.appendingPathComponent(statFile(unit)), encoding: .utf8)
            counts[unit.top] = RTLCellCounts(stat: text)
        }
        return counts
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

/// The placeholders of synth_unit.ys: one unit, its sources and parameter overrides, and the file
/// its cell counts go to.
struct SynthesisScript: TemplateContext {
    var top, stat, sources, parameters: String
}
