/// `hls/run_hls.tcl`: the Vitis HLS script of a generated project, runnable with both
/// `vitis-run --mode hls --tcl run_hls.tcl` (2023.2 and later) and `vitis_hls -f run_hls.tcl`.
///
/// Stages are chosen with the `MOEHLS_STAGES` environment variable (default `csim csynth`;
/// any of `csim csynth cosim export`), so a user can run just C simulation or just synthesis.
public struct HLSScript: Sendable {
    public var top: String
    public var part: String
    public var clockMHz: Double
    /// Sources relative to `hls/` (`src/...`), testbench files (`tb/...`).
    public var sources: [String]
    public var testbench: [String]
    public var flow: Device.Flow

    public init(top: String, part: String, clockMHz: Double, sources: [String], testbench: [String], flow: Device.Flow) {
        self.top = top
        self.part = part
        self.clockMHz = clockMHz
        self.sources = sources
        self.testbench = testbench
        self.flow = flow
    }

    /// Clock period in ns with 3 decimals (`create_clock -period`).
    public var periodNs: String { Format.fixed(1000 / clockMHz, 3) }

    public func render() -> String {
        // [pwd] is substituted when the script runs: csim builds in solution1/csim/build, so relative
        // include paths and testbench arguments would point to the wrong folder.
        let cflags = "-std=c++14 -I[pwd]/include -I[pwd]/src"
        let files = sources.sorted().map { "add_files \($0) -cflags \"\(cflags)\"" }
            + testbench.sorted().map { "add_files -tb \($0) -cflags \"\(cflags)\"" }
        return renderScript("scripts/run_hls.tcl", Context(
            top: top, addFiles: files.joined(separator: "\n"), flowTarget: flow == .vitis ? "vitis" : "vivado", part: part,
            periodNs: periodNs, exportFormat: flow == .vitis ? "xo" : "ip_catalog",
            exportFile: flow == .vitis ? "\(top).xo" : "\(top)_ip.zip"))
    }

    /// The placeholders of Templates/scripts/run_hls.tcl.
    struct Context: TemplateContext {
        var top: String
        /// One `add_files` line per source, then per testbench file (`-tb`).
        var addFiles: String
        var flowTarget, part, periodNs: String
        /// `export_design -format` and the file it writes under ../build.
        var exportFormat, exportFile: String
    }
}

/// Renders one of the project scripts in Templates/scripts. They are shipped with moehls and
/// their contexts built in Swift, so a failure is a moehls bug, not a user error.
func renderScript(_ template: String, _ context: some TemplateContext) -> String {
    do {
        return try TemplateRenderer(context).renderTemplate(template)
    } catch {
        preconditionFailure("project script templates: \(error)")
    }
}
