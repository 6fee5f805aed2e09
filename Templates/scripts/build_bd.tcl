# Vivado block design for @@description@@ (@@part@@) around the moehls HLS IP.
# Run from this folder after `MOEHLS_STAGES="csynth export"` in ../../hls:
#   vivado -mode batch -source build_bd.tcl                 (block design and wrapper)
#   MOEHLS_BITSTREAM=1 vivado -mode batch -source build_bd.tcl   (also the bitstream)

set part @@part@@
create_project moehls_@@device@@ ./vivado -part $part -force
@@board_part_line@@file mkdir ./ip
exec unzip -o ../../build/@@kernel@@_ip.zip -d ./ip
set_property ip_repo_paths ./ip [current_project]
update_ip_catalog
create_bd_design moehls

# The processing system, its board preset, the PL clock and the HP ports the IP uses.
create_bd_cell -type ip -vlnv xilinx.com:ip:zynq_ultra_ps_e zynq_ps
apply_bd_automation -rule xilinx.com:bd_rule:zynq_ultra_ps_e -config {apply_board_preset "1"} [get_bd_cells zynq_ps]
set_property -dict [list CONFIG.PSU__CRL_APB__PL0_REF_CTRL__FREQMHZ {@@clock_mhz@@} @@port_enables@@] [get_bd_cells zynq_ps]

create_bd_cell -type ip -vlnv xilinx.com:hls:@@kernel@@:1.0 @@cell@@
apply_bd_automation -rule xilinx.com:bd_rule:axi4 -config {Master {/zynq_ps/M_AXI_HPM0_FPD} Slave {/@@cell@@/s_axi_control} Clk_master {Auto} Clk_slave {Auto} Clk_xbar {Auto} intc_ip {New AXI Interconnect}} [get_bd_intf_pins @@cell@@/s_axi_control]
@@bundle_connections@@

validate_bd_design
save_bd_design
make_wrapper -files [get_files moehls.bd] -top
add_files -norecurse [glob ./vivado/moehls_@@device@@.gen/sources_1/bd/moehls/hdl/moehls_wrapper.v]

if {[info exists ::env(MOEHLS_BITSTREAM)] && $::env(MOEHLS_BITSTREAM) == 1} {
    launch_runs impl_1 -to_step write_bitstream -jobs 4
    wait_on_run impl_1
    file copy -force [glob ./vivado/moehls_@@device@@.runs/impl_1/*.bit] ./moehls.bit
    file copy -force [glob ./vivado/moehls_@@device@@.gen/sources_1/bd/moehls/hw_handoff/*.hwh] ./moehls.hwh
}
