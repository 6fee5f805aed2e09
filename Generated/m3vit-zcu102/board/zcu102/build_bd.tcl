# Vivado block design for Zynq UltraScale+ MPSoC ZCU102 (xczu9eg-ffvb1156-2-e) around the moehls HLS IP.
# Run from this folder after `MOEHLS_STAGES="csynth export"` in ../../hls:
#   vivado -mode batch -source build_bd.tcl                 (block design and wrapper)
#   MOEHLS_BITSTREAM=1 vivado -mode batch -source build_bd.tcl   (also the bitstream)

set part xczu9eg-ffvb1156-2-e
create_project moehls_zcu102 ./vivado -part $part -force
if {[catch {set_property board_part xilinx.com:zcu102:part0:3.4 [current_project]}]} { puts "board files for xilinx.com:zcu102:part0:3.4 not installed: using the part only" }
file mkdir ./ip
exec unzip -o ../../build/moehls_top_ip.zip -d ./ip
set_property ip_repo_paths ./ip [current_project]
update_ip_catalog
create_bd_design moehls

# The processing system, its board preset, the PL clock and the HP ports the IP uses.
create_bd_cell -type ip -vlnv xilinx.com:ip:zynq_ultra_ps_e zynq_ps
apply_bd_automation -rule xilinx.com:bd_rule:zynq_ultra_ps_e -config {apply_board_preset "1"} [get_bd_cells zynq_ps]
set_property -dict [list CONFIG.PSU__CRL_APB__PL0_REF_CTRL__FREQMHZ {300} CONFIG.PSU__USE__S_AXI_GP2 {1} CONFIG.PSU__USE__S_AXI_GP3 {1} CONFIG.PSU__USE__S_AXI_GP4 {1} CONFIG.PSU__USE__S_AXI_GP5 {1}] [get_bd_cells zynq_ps]

create_bd_cell -type ip -vlnv xilinx.com:hls:moehls_top:1.0 moehls_top_0
apply_bd_automation -rule xilinx.com:bd_rule:axi4 -config {Master {/zynq_ps/M_AXI_HPM0_FPD} Slave {/moehls_top_0/s_axi_control} Clk_master {Auto} Clk_slave {Auto} Clk_xbar {Auto} intc_ip {New AXI Interconnect}} [get_bd_intf_pins moehls_top_0/s_axi_control]
apply_bd_automation -rule xilinx.com:bd_rule:axi4 -config {Master {/moehls_top_0/m_axi_gmem0} Slave {/zynq_ps/S_AXI_HP0_FPD} Clk_master {Auto} Clk_slave {Auto} Clk_xbar {Auto} intc_ip {Auto}} [get_bd_intf_pins zynq_ps/S_AXI_HP0_FPD]
apply_bd_automation -rule xilinx.com:bd_rule:axi4 -config {Master {/moehls_top_0/m_axi_gmem1} Slave {/zynq_ps/S_AXI_HP1_FPD} Clk_master {Auto} Clk_slave {Auto} Clk_xbar {Auto} intc_ip {Auto}} [get_bd_intf_pins zynq_ps/S_AXI_HP1_FPD]
apply_bd_automation -rule xilinx.com:bd_rule:axi4 -config {Master {/moehls_top_0/m_axi_gmem2} Slave {/zynq_ps/S_AXI_HP2_FPD} Clk_master {Auto} Clk_slave {Auto} Clk_xbar {Auto} intc_ip {Auto}} [get_bd_intf_pins zynq_ps/S_AXI_HP2_FPD]
apply_bd_automation -rule xilinx.com:bd_rule:axi4 -config {Master {/moehls_top_0/m_axi_gmem3} Slave {/zynq_ps/S_AXI_HP3_FPD} Clk_master {Auto} Clk_slave {Auto} Clk_xbar {Auto} intc_ip {Auto}} [get_bd_intf_pins zynq_ps/S_AXI_HP3_FPD]
apply_bd_automation -rule xilinx.com:bd_rule:axi4 -config {Master {/moehls_top_0/m_axi_gmem_io} Slave {/zynq_ps/S_AXI_HP0_FPD} Clk_master {Auto} Clk_slave {Auto} Clk_xbar {Auto} intc_ip {Auto}} [get_bd_intf_pins zynq_ps/S_AXI_HP0_FPD]

validate_bd_design
save_bd_design
make_wrapper -files [get_files moehls.bd] -top
add_files -norecurse [glob ./vivado/moehls_zcu102.gen/sources_1/bd/moehls/hdl/moehls_wrapper.v]

if {[info exists ::env(MOEHLS_BITSTREAM)] && $::env(MOEHLS_BITSTREAM) == 1} {
    launch_runs impl_1 -to_step write_bitstream -jobs 4
    wait_on_run impl_1
    file copy -force [glob ./vivado/moehls_zcu102.runs/impl_1/*.bit] ./moehls.bit
    file copy -force [glob ./vivado/moehls_zcu102.gen/sources_1/bd/moehls/hw_handoff/*.hwh] ./moehls.hwh
}
