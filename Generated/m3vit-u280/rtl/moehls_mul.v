// moehls_mul: a signed AW x BW multiplier split into DSP-sized partial products exactly as
// DSPModel.multiply counts them (docs/cost-model.md, "DSP"): the operand that gives fewer pieces
// goes to the wide port (PA bits, 27 on a DSP48E2), the other to the narrow port (PB bits, 18);
// a w-bit operand on a P-bit port is cut into unsigned low pieces of P-1 bits and a signed top
// piece of at most P bits. Every piece pair is one PA x PB signed product (one DSP). Written out
// because Yosys 0.23 splits a plain `a * b` by operand order (25 x 32 bits takes 4 DSP48E2, not 2).
//
// Latency 4 (multiplier_depth): operand registers (A/B), product registers (M), P registers, and
// the register after the adder that sums the shifted partial products. p is the exact product.
module moehls_mul #(
    parameter AW = 32,
    parameter BW = 32,
    parameter PA = 27,
    parameter PB = 18
) (
    input  wire                clk,
    input  wire [AW-1:0]       a,          // signed
    input  wire [BW-1:0]       b,          // signed
    output wire [AW+BW-1:0]    p           // signed, exact
);
    function integer pieces;
        input integer width;
        input integer port;
        begin
            pieces = (width <= port) ? 1 : 1 + (width - port + port - 2) / (port - 1);
        end
    endfunction

    localparam STRAIGHT = pieces(AW, PA) * pieces(BW, PB);
    localparam CROSSED = pieces(BW, PA) * pieces(AW, PB);
    localparam SWAP = (CROSSED < STRAIGHT) ? 1 : 0;
    localparam XW = (SWAP != 0) ? BW : AW;     // operand on the wide port
    localparam YW = (SWAP != 0) ? AW : BW;     // operand on the narrow port
    localparam NX = pieces(XW, PA);
    localparam NY = pieces(YW, PB);
    localparam RW = AW + BW;

    reg [AW-1:0] a_q;
    reg [BW-1:0] b_q;
    always @(posedge clk) begin
        a_q <= a;
        b_q <= b;
    end
    wire [XW-1:0] x;
    wire [YW-1:0] y;
    generate
        if (SWAP != 0) begin : g_swap
            assign x = b_q;
            assign y = a_q;
        end else begin : g_keep
            assign x = a_q;
            assign y = b_q;
        end
    endgenerate

    // partial products: pair (i, j) at bit offset i (PA - 1) + j (PB - 1)
    localparam QW = PA + PB;
    wire [NX*NY*QW-1:0] parts;
    genvar i, j;
    generate
        for (i = 0; i < NX; i = i + 1) begin : g_x
            localparam XL = i * (PA - 1);
            localparam XH = (i == NX - 1) ? XW - 1 : XL + PA - 2;
            wire signed [PA-1:0] xp;
            if (i == NX - 1) begin : g_top
                assign xp = {{(PA-(XH-XL+1)){x[XW-1]}}, x[XH:XL]};
            end else begin : g_low
                assign xp = {1'b0, x[XH:XL]};
            end
            for (j = 0; j < NY; j = j + 1) begin : g_y
                localparam YL = j * (PB - 1);
                localparam YH = (j == NY - 1) ? YW - 1 : YL + PB - 2;
                wire signed [PB-1:0] yp;
                if (j == NY - 1) begin : g_top
                    assign yp = {{(PB-(YH-YL+1)){y[YW-1]}}, y[YH:YL]};
                end else begin : g_low
                    assign yp = {1'b0, y[YH:YL]};
                end
                reg signed [QW-1:0] m, pr;
                always @(posedge clk) begin
                    m <= xp * yp;
                    pr <= m;
                end
                assign parts[(i*NY+j)*QW +: QW] = pr;
            end
        end
    endgenerate

    // the sum of the partial products, each sign-extended and shifted into place, modulo 2^RW
    // (the exact product fits in RW bits); evaluated once per clock
    function [RW-1:0] add_parts;
        input [NX*NY*QW-1:0] all;
        integer k;
        reg [RW+QW-1:0] wide;
        begin
            add_parts = {RW{1'b0}};
            for (k = 0; k < NX * NY; k = k + 1) begin
                wide = {{RW{all[k*QW+QW-1]}}, all[k*QW +: QW]};
                wide = wide << ((k / NY) * (PA - 1) + (k % NY) * (PB - 1));
                add_parts = add_parts + wide[RW-1:0];
            end
        end
    endfunction
    reg [RW-1:0] sum;
    always @(posedge clk) sum <= add_parts(parts);
    assign p = sum;
endmodule
