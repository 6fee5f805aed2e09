/// `board/zcu102/build_bd.tcl` (and other Zynq UltraScale+ boards): a Vivado script that builds
/// the block design around the HLS IP exported by `run_hls.tcl` (stage `export`): the MPSoC with
/// its board preset, the PL clock at the design's frequency, the control port on HPM0, and each
/// m_axi bundle on its own high-performance port (HP0..HP3, round robin when there are more
/// bundles than ports). Stage `bitstream` (set `MOEHLS_BITSTREAM=1`) runs implementation and
/// writes the `.bit` and `.hwh` that the PYNQ host loads.
public enum VivadoBlockDesign {
    public static func render(interface: KernelInterface, device: Device, clockMHz: Double, boardPart: String?) -> String {
        let hpPorts = ["S_AXI_HP0_FPD", "S_AXI_HP1_FPD", "S_AXI_HP2_FPD", "S_AXI_HP3_FPD"]
        let enables = ["PSU__USE__S_AXI_GP2", "PSU__USE__S_AXI_GP3", "PSU__USE__S_AXI_GP4", "PSU__USE__S_AXI_GP5"]
        let bundles = interface.bundles
        let used = min(bundles.count, hpPorts.count)
        let cell = "\(interface.kernel)_0"
        let boardLine = boardPart.map {
            "if {[catch {set_property board_part \($0) [current_project]}]} { puts \"board files for \($0) not installed: using the part only\" }\n"
        } ?? ""
        let connections = bundles.enumerated().map { index, bundle in
            let port = hpPorts[index % hpPorts.count]
            return "apply_bd_automation -rule xilinx.com:bd_rule:axi4 -config {Master {/\(cell)/m_axi_\(bundle)} Slave {/zynq_ps/\(port)} "
                + "Clk_master {Auto} Clk_slave {Auto} Clk_xbar {Auto} intc_ip {Auto}} [get_bd_intf_pins zynq_ps/\(port)]"
        }
        return renderScript("scripts/build_bd.tcl", Context(
            description: device.description, part: device.part, device: device.name, boardPartLine: boardLine,
            kernel: interface.kernel, clockMhz: Format.fixed(clockMHz, 0),
            portEnables: enables.prefix(used).map { "CONFIG.\($0) {1}" }.joined(separator: " "), cell: cell,
            bundleConnections: connections.joined(separator: "\n")))
    }

    /// The placeholders of Templates/scripts/build_bd.tcl.
    struct Context: TemplateContext {
        var description, part, device: String
        /// The `set_property board_part` line with its newline, or nothing for a board without
        /// board files.
        var boardPartLine: String
        var kernel: String
        var clockMhz: String
        /// `CONFIG.PSU__USE__S_AXI_GPn {1}` for each HP port used.
        var portEnables: String
        /// The IP's cell name and one `apply_bd_automation` line per m_axi bundle.
        var cell, bundleConnections: String
    }
}
