// moehls_residual_add: Q_O(a + b) of docs/numerics.md, one element (FixedKernels.add).
//
// a (AW bits, AF fraction bits) and b (BW, BF) are signed raw values. They are aligned to
// F = max(AF, BF) fraction bits and added exactly (combinationally), and the exact sum is converted
// to the output format (OW, OF; AP_TRN, then AP_WRAP or AP_SAT with O_SAT = 1) by moehls_convert
// with its two registers: y is the sum of the operands presented two cycles earlier ("add" and
// "convert", the two cycles the cost model's residual op counts).
//
// Verilog-2005 subset accepted by Icarus 11, Yosys 0.23 and Verilator 5.
module moehls_residual_add #(
    parameter AW = 32,
    parameter AF = 22,
    parameter BW = 32,
    parameter BF = 22,
    parameter OW = 32,
    parameter OF = 22,
    parameter O_SAT = 0
) (
    input  wire          clk,
    input  wire [AW-1:0] a,
    input  wire [BW-1:0] b,
    output wire [OW-1:0] y
);
    localparam F = (AF > BF) ? AF : BF;
    localparam AU = F - AF;                              // bits appended to a
    localparam BU = F - BF;                              // bits appended to b
    localparam SW = ((AW + AU > BW + BU) ? AW + AU : BW + BU) + 1;   // exact sum width
    wire signed [AW-1:0] as = a;
    wire signed [BW-1:0] bs = b;
    wire signed [SW-1:0] a_wide = {{(SW-AW){as[AW-1]}}, as};
    wire signed [SW-1:0] b_wide = {{(SW-BW){bs[BW-1]}}, bs};
    wire signed [SW-1:0] sum = (a_wide <<< AU) + (b_wide <<< BU);
    moehls_convert #(.IW(SW), .IF(F), .OW(OW), .OF(OF), .O_SAT(O_SAT), .STAGES(2))
        convert (.clk(clk), .x(sum), .y(y));
endmodule
