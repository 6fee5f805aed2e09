// moehls_gelu: GELU as GELUUnit computes it (docs/numerics.md, "GELU"), then Q_out.
//
// gelu(x) = relu(x) - delta(|x|): |x| brought to 22 fraction bits (floor), index = bits above the
// low 16, delta = 0 from index ENTRIES-1 on, otherwise T[k] + floor((T[k+1] - T[k]) * r / 2^16)
// from the ROM written from GELUUnit's table (units 2^-20); the difference is exact at
// max(CF, 20) fraction bits, then converted (AP_TRN, AP_WRAP or AP_SAT) to OW/OF.
// Latency 8: |x| and address, ROM read, difference, interpolation multiply, add, subtract from
// relu (gelu_depth 6), then the two conversion stages (write_back_depth 2).
module moehls_gelu #(
    parameter CW = 32,
    parameter CF = 22,
    parameter OW = 32,
    parameter OF = 22,
    parameter O_SAT = 0,
    parameter ROM = "gelu_delta.hex",
    parameter ENTRIES = 385,
    parameter EW = 18
) (
    input  wire          clk,
    input  wire [CW-1:0] x,
    output wire [OW-1:0] y
);
    localparam VF = 20;                                  // table value fraction bits
    localparam EF = (CF > VF) ? CF : VF;                 // fraction bits of the exact result
    localparam AUP = (CF < 22) ? 22 - CF : 0;
    localparam ADN = (CF > 22) ? CF - 22 : 0;
    localparam AM = CW + AUP;                            // bits of |x| at 22 fraction bits
    // at least 32 bits: the 9 index and 16 fraction bits always exist (accumulators with 2 or fewer
    // integer bits have fewer), and the range test below compares in 32-bit arithmetic
    localparam AW = (AM > 32) ? AM : 32;
    localparam IB = 9;                                   // index bits (ENTRIES <= 513)
    localparam RW = CW + (EF - CF) + 1;                  // relu at EF fraction bits
    localparam DW = EW + 18 + (EF - VF);                 // delta at EF fraction bits
    localparam XW = ((RW > DW) ? RW : DW) + 2;          // exact result width

    reg [EW-1:0] rom [0:ENTRIES-1];
    initial $readmemh(ROM, rom);

    // stage 1: |x|, relu, table address
    wire signed [CW-1:0] xs = x;
    wire [CW-1:0] magnitude = xs[CW-1] ? (~x + 1'b1) : x;
    wire [AW-1:0] a = ({{(AW-CW){1'b0}}, magnitude} << AUP) >> ADN;
    wire outside = (a >> 16) >= (ENTRIES - 1);
    reg [IB-1:0] index1;
    reg [15:0] frac1;
    reg outside1;
    reg signed [CW-1:0] relu1;
    always @(posedge clk) begin
        index1 <= outside ? {IB{1'b0}} : a[16 +: IB];
        frac1 <= a[15:0];
        outside1 <= outside;
        relu1 <= xs[CW-1] ? {CW{1'b0}} : xs;
    end
    // stage 2: ROM read
    reg [EW-1:0] t0, t1;
    reg [15:0] frac2;
    reg outside2;
    reg signed [CW-1:0] relu2;
    always @(posedge clk) begin
        t0 <= rom[index1];
        t1 <= rom[index1 + 1'b1];
        frac2 <= frac1;
        outside2 <= outside1;
        relu2 <= relu1;
    end
    // stage 3: step
    reg signed [EW:0] step3;
    reg [EW-1:0] t03;
    reg [15:0] frac3;
    reg outside3;
    reg signed [CW-1:0] relu3;
    always @(posedge clk) begin
        step3 <= $signed({1'b0, t1}) - $signed({1'b0, t0});
        t03 <= t0;
        frac3 <= frac2;
        outside3 <= outside2;
        relu3 <= relu2;
    end
    // stage 4: interpolation multiply
    reg signed [EW+17:0] prod4;
    reg [EW-1:0] t04;
    reg outside4;
    reg signed [CW-1:0] relu4;
    always @(posedge clk) begin
        prod4 <= step3 * $signed({1'b0, frac3});
        t04 <= t03;
        outside4 <= outside3;
        relu4 <= relu3;
    end
    // stage 5: delta = T[k] + floor(step * r / 2^16)
    wire signed [EW+17:0] interpolated = $signed({{18{1'b0}}, t04}) + (prod4 >>> 16);
    reg signed [EW+17:0] delta5;
    reg signed [CW-1:0] relu5;
    always @(posedge clk) begin
        delta5 <= outside4 ? {(EW+18){1'b0}} : interpolated;
        relu5 <= relu4;
    end
    // stage 6: relu - delta at EF fraction bits (exact)
    wire signed [XW-1:0] relu_e = $signed({{(XW-CW){relu5[CW-1]}}, relu5}) <<< (EF - CF);
    wire signed [XW-1:0] delta_e = $signed({{(XW-EW-18){delta5[EW+17]}}, delta5}) <<< (EF - VF);
    reg signed [XW-1:0] exact6;
    always @(posedge clk) exact6 <= relu_e - delta_e;
    // stages 7-8: conversion
    moehls_convert #(.IW(XW), .IF(EF), .OW(OW), .OF(OF), .O_SAT(O_SAT), .STAGES(2))
        out (.clk(clk), .x(exact6), .y(y));
endmodule
