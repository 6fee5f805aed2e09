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
        var lines = [
            "# Vivado block design for \(device.description) (\(device.part)) around the moehls HLS IP.",
            "# Run from this folder after `MOEHLS_STAGES=\"csynth export\"` in ../../hls:",
            "#   vivado -mode batch -source build_bd.tcl                 (block design and wrapper)",
            "#   MOEHLS_BITSTREAM=1 vivado -mode batch -source build_bd.tcl   (also the bitstream)",
            "",
            "set part \(device.part)",
            "create_project moehls_\(device.name) ./vivado -part $part -force",
        ]
        if let boardPart {
            lines.append("if {[catch {set_property board_part \(boardPart) [current_project]}]} { puts \"board files for \(boardPart) not installed: using the part only\" }")
        }
        lines += [
            "file mkdir ./ip",
            "exec unzip -o ../../build/\(interface.kernel)_ip.zip -d ./ip",
            "set_property ip_repo_paths ./ip [current_project]",
            "update_ip_catalog",
            "create_bd_design moehls",
            "",
            "# The processing system, its board preset, the PL clock and the HP ports the IP uses.",
            "create_bd_cell -type ip -vlnv xilinx.com:ip:zynq_ultra_ps_e zynq_ps",
            "apply_bd_automation -rule xilinx.com:bd_rule:zynq_ultra_ps_e -config {apply_board_preset \"1\"} [get_bd_cells zynq_ps]",
            "set_property -dict [list CONFIG.PSU__CRL_APB__PL0_REF_CTRL__FREQMHZ {\(Format.fixed(clockMHz, 0))} "
                + enables.prefix(used).map { "CONFIG.\($0) {1}" }.joined(separator: " ") + "] [get_bd_cells zynq_ps]",
            "",
            "create_bd_cell -type ip -vlnv xilinx.com:hls:\(interface.kernel):1.0 \(cell)",
            "apply_bd_automation -rule xilinx.com:bd_rule:axi4 -config {Master {/zynq_ps/M_AXI_HPM0_FPD} Slave {/\(cell)/s_axi_control} Clk_master {Auto} Clk_slave {Auto} Clk_xbar {Auto} intc_ip {New AXI Interconnect}} [get_bd_intf_pins \(cell)/s_axi_control]",
        ]
        for (index, bundle) in bundles.enumerated() {
            let port = hpPorts[index % hpPorts.count]
            lines.append("apply_bd_automation -rule xilinx.com:bd_rule:axi4 -config {Master {/\(cell)/m_axi_\(bundle)} Slave {/zynq_ps/\(port)} Clk_master {Auto} Clk_slave {Auto} Clk_xbar {Auto} intc_ip {Auto}} [get_bd_intf_pins zynq_ps/\(port)]")
        }
        lines += [
            "",
            "validate_bd_design",
            "save_bd_design",
            "make_wrapper -files [get_files moehls.bd] -top",
            "add_files -norecurse [glob ./vivado/moehls_\(device.name).gen/sources_1/bd/moehls/hdl/moehls_wrapper.v]",
            "",
            "if {[info exists ::env(MOEHLS_BITSTREAM)] && $::env(MOEHLS_BITSTREAM) == 1} {",
            "    launch_runs impl_1 -to_step write_bitstream -jobs 4",
            "    wait_on_run impl_1",
            "    file copy -force [glob ./vivado/moehls_\(device.name).runs/impl_1/*.bit] ./moehls.bit",
            "    file copy -force [glob ./vivado/moehls_\(device.name).gen/sources_1/bd/moehls/hw_handoff/*.hwh] ./moehls.hwh",
            "}",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
