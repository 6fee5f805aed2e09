// moehls_recip: 1/x exactly as ReciprocalUnit computes it (docs/numerics.md, "reciprocal").
//
// x is an unsigned XW-bit raw value, x > 0. msb = index of its leading one; y = x shifted so
// that the leading one sits at bit 24 (floor when shifting right); the mantissa is
// T[k] + floor((T[k+1] - T[k]) * r / 2^16) with k = bits 23..16 and r = bits 15..0 of y, from the
// ROM written from ReciprocalUnit's table (257 entries, units 2^-24). With F fraction bits of x,
// 1/x ~ mant * 2^-(24 + msb - F); the caller subtracts F.
//
// Latency 6: input register, leading-one detection and normalising shift, ROM read,
// interpolation multiply (M, P), add. The caller's write of the result into its register is the
// seventh stage of reciprocal_depth (docs/cost-model.md).
module moehls_recip #(
    parameter XW = 32,
    parameter ROM = "recip.hex",
    parameter ENTRIES = 257,
    parameter EW = 25,           // ROM entry width (unsigned)
    parameter MW = 5             // msb output width: clog2(XW)
) (
    input  wire          clk,
    input  wire [XW-1:0] x,
    output wire [EW-1:0] mant,
    output wire [MW-1:0] msb
);
    reg [EW-1:0] rom [0:ENTRIES-1];
    initial $readmemh(ROM, rom);

    // register 1: input
    reg [XW-1:0] x1;
    always @(posedge clk) x1 <= x;

    // register 2: leading one and y = floor(x * 2^(24 - msb))
    reg [MW-1:0] lead;
    integer i;
    always @(*) begin
        lead = {MW{1'b0}};
        for (i = 0; i < XW; i = i + 1)
            if (x1[i]) lead = i[MW-1:0];
    end
    // Waiver: the leading one of scaled sits at bit 24 and the bits above it are zero, so the
    // table index and fraction (bits 23 ... 0) are all that is used.
    /* verilator lint_off UNUSEDSIGNAL */
    wire [XW+23:0] scaled = {x1, 24'd0} >> lead;
    /* verilator lint_on UNUSEDSIGNAL */
    reg [23:0] y2;
    reg [MW-1:0] msb2;
    always @(posedge clk) begin
        y2 <= scaled[23:0];
        msb2 <= lead;
    end

    // register 3: ROM read
    wire [8:0] index = {1'b0, y2[23:16]};
    reg [EW-1:0] t0_3, t1_3;
    reg [15:0] frac3;
    reg [MW-1:0] msb3;
    always @(posedge clk) begin
        t0_3 <= rom[index];
        t1_3 <= rom[index + 9'd1];
        frac3 <= y2[15:0];
        msb3 <= msb2;
    end

    // registers 4-5: (T[k+1] - T[k]) * r  (M, P)
    wire signed [EW:0] step = $signed({1'b0, t1_3}) - $signed({1'b0, t0_3});
    reg signed [EW+17:0] prod4, prod5;
    reg [EW-1:0] t0_4, t0_5;
    reg [MW-1:0] msb4, msb5;
    always @(posedge clk) begin
        prod4 <= step * $signed({1'b0, frac3});
        prod5 <= prod4;
        t0_4 <= t0_3;
        t0_5 <= t0_4;
        msb4 <= msb3;
        msb5 <= msb4;
    end

    // register 6: mant = T[k] + floor(step * r / 2^16)
    // Waiver: the interpolated value lies between two table entries, so it fits in EW bits.
    /* verilator lint_off UNUSEDSIGNAL */
    wire signed [EW+17:0] interpolated = $signed({18'd0, t0_5}) + (prod5 >>> 16);
    /* verilator lint_on UNUSEDSIGNAL */
    reg [EW-1:0] mant6;
    reg [MW-1:0] msb6;
    always @(posedge clk) begin
        mant6 <= interpolated[EW-1:0];
        msb6 <= msb5;
    end
    assign mant = mant6;
    assign msb = msb6;
endmodule
