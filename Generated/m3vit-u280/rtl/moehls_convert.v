// moehls_convert: Q_out(x) of docs/numerics.md for AP_TRN with AP_WRAP or AP_SAT.
//
// x is a signed IW-bit raw value with IF fraction bits; y is the signed OW-bit raw value with OF
// fraction bits: floor(x * 2^(OF - IF)) (an arithmetic shift), then the low OW bits (AP_WRAP) or
// the value clamped to [-2^(OW-1), 2^(OW-1) - 1] (AP_SAT). STAGES (1 or 2) registers.
module moehls_convert #(
    parameter IW = 32,
    parameter IF = 22,
    parameter OW = 32,
    parameter OF = 22,
    parameter O_SAT = 0,
    parameter STAGES = 2
) (
    input  wire          clk,
    input  wire [IW-1:0] x,
    output wire [OW-1:0] y
);
    localparam UP = (OF > IF) ? OF - IF : 0;            // bits appended
    localparam DOWN = (IF > OF) ? IF - OF : 0;          // bits dropped (floor)
    localparam VW = ((IW + UP > OW) ? IW + UP : OW) + 1; // holds the quantised value exactly
    wire signed [IW-1:0] xs = x;
    wire signed [VW-1:0] wide = {{(VW-IW){xs[IW-1]}}, xs};
    wire signed [VW-1:0] v = (wide <<< UP) >>> DOWN;
    reg  signed [VW-1:0] v_q;
    wire signed [VW-1:0] max_v = {{(VW-OW+1){1'b0}}, {(OW-1){1'b1}}};
    wire signed [VW-1:0] min_v = {{(VW-OW+1){1'b1}}, {(OW-1){1'b0}}};
    wire [OW-1:0] wrapped = v_q[OW-1:0];
    wire [OW-1:0] saturated = (v_q > max_v) ? max_v[OW-1:0] : (v_q < min_v) ? min_v[OW-1:0] : v_q[OW-1:0];
    always @(posedge clk) v_q <= v;
    generate
        if (STAGES >= 2) begin : g_two
            reg [OW-1:0] y_q;
            always @(posedge clk) y_q <= (O_SAT != 0) ? saturated : wrapped;
            assign y = y_q;
        end else begin : g_one
            assign y = (O_SAT != 0) ? saturated : wrapped;
        end
    endgenerate
endmodule
