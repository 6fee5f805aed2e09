// moehls_residual: the dense residual write-back x = Q_O(x + y) (docs/kernels-moe.md, "Residual";
// FixedKernels.add), as a stage on a producer's write port (the linear kernel's y port for the
// attention projection and the MLP fc2).
//
// Every write the producer presents (the columns y_column + c where y_columns[c], of the tokens
// y_token + l where y_lanes[l]) reads the residual x at the same place (a synchronous-read buffer,
// one cycle after x_rd_en: buffer_read_depth = 2 with the address register here), adds it
// (moehls_residual_add: add, convert; 2 registers) and writes the result through the o_ port,
// usually back into the residual buffer in place (each element is read once, then written three
// cycles later). Each write leaves LAT = buffer_read_depth + 2 = 4 cycles after the producer would
// have committed it; in_done is delayed alike to out_done.
//
// Verilog-2005 subset accepted by Icarus 11, Yosys 0.23 and Verilator 5.
module moehls_residual #(
    parameter XW = 32,         // residual width (signed)
    parameter XF = 22,
    parameter YW = 32,         // producer output width (signed)
    parameter YF = 22,
    parameter OW = 32,         // result width (signed, AP_TRN; AP_WRAP or AP_SAT)
    parameter OF = 22,
    parameter O_SAT = 0,
    parameter T_IN = 4,
    parameter N_L = 2,
    parameter TOKB = 5,        // token bits of the producer's port
    parameter COLB = 6         // column bits of the producer's port
) (
    input  wire                   clk,
    input  wire                   rst,
    input  wire                   in_done,     // the producer's done pulse
    output wire                   out_done,    // in_done, LAT cycles later (the last result written)
    // producer write port
    input  wire                   y_we,
    input  wire [TOKB-1:0]        y_token,
    input  wire [N_L-1:0]         y_lanes,
    input  wire [COLB-1:0]        y_column,
    input  wire [T_IN-1:0]        y_columns,    // columns of the write that are results
    input  wire [N_L*T_IN*YW-1:0] y_data,       // lane l, column c at [(l*T_IN+c)*YW +: YW]
    // residual read: lane l reads token x_rd_token + l, columns x_rd_column ... + T_IN - 1
    output reg                    x_rd_en,
    output reg  [TOKB-1:0]        x_rd_token,
    output reg  [COLB-1:0]        x_rd_column,
    input  wire [N_L*T_IN*XW-1:0] x_rd_data,
    // result write
    output wire                   o_we,
    output wire [TOKB-1:0]        o_token,
    output wire [N_L-1:0]         o_lanes,
    output wire [COLB-1:0]        o_column,
    output wire [T_IN-1:0]        o_columns,
    output wire [N_L*T_IN*OW-1:0] o_data
);
    localparam LAT = 4;

    reg              r_valid [1:LAT];
    reg              r_done  [1:LAT];
    reg [TOKB-1:0]   r_tok   [1:LAT];
    reg [N_L-1:0]    r_lanes [1:LAT];
    reg [COLB-1:0]   r_col   [1:LAT];
    reg [T_IN-1:0]   r_cols  [1:LAT];
    reg [N_L*T_IN*YW-1:0] y_d1, y_d2;          // the producer's values, delayed to meet x
    integer d;

    always @(posedge clk) begin
        x_rd_en <= y_we && !rst;
        x_rd_token <= y_token;
        x_rd_column <= y_column;
        y_d1 <= y_data;
        y_d2 <= y_d1;
        r_valid[1] <= y_we && !rst;
        r_done[1] <= in_done && !rst;
        r_tok[1] <= y_token;
        r_lanes[1] <= y_lanes;
        r_col[1] <= y_column;
        r_cols[1] <= y_columns;
        for (d = 2; d <= LAT; d = d + 1) begin
            r_valid[d] <= rst ? 1'b0 : r_valid[d-1];
            r_done[d] <= rst ? 1'b0 : r_done[d-1];
            r_tok[d] <= r_tok[d-1];
            r_lanes[d] <= r_lanes[d-1];
            r_col[d] <= r_col[d-1];
            r_cols[d] <= r_cols[d-1];
        end
    end

    genvar c;
    generate
        for (c = 0; c < N_L * T_IN; c = c + 1) begin : g_add
            moehls_residual_add #(.AW(XW), .AF(XF), .BW(YW), .BF(YF), .OW(OW), .OF(OF), .O_SAT(O_SAT))
                add (.clk(clk), .a(x_rd_data[c*XW +: XW]), .b(y_d2[c*YW +: YW]), .y(o_data[c*OW +: OW]));
        end
    endgenerate
    assign o_we = r_valid[LAT];
    assign o_token = r_tok[LAT];
    assign o_lanes = r_lanes[LAT];
    assign o_column = r_col[LAT];
    assign o_columns = r_cols[LAT];
    assign out_done = r_done[LAT];
endmodule
