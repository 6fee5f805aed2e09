// moehls_exp: e = exp(s - m) exactly as Exp2Unit computes it (docs/numerics.md, "exp").
//
// s and m are signed SW-bit raw values with SF fraction bits and s <= m (a score and its row
// maximum). z = s - m <= 0; t = z * LOG2E (LOG2E = 24204406 / 2^24, exact, SF + 24 fraction
// bits); n = floor(t / 2^(SF+24)) <= 0; the table index is bits SF+16 ... SF+23 of t and the
// interpolation fraction bits SF ... SF+15; 2^f = T[k] + floor((T[k+1] - T[k]) * r / 2^16) from
// the ROM written from Exp2Unit's table (257 entries, units 2^-23); e = floor(2^f / 2^-n), 0 once
// -n >= 32 (2^f < 2^25, so every shift of 25 or more gives 0, as Exp2Unit's "0 once -n >= 64").
// e is unsigned, units 2^-23, at most 2^23 (exactly 2^23 for s = m).
//
// Latency 9 (exp_depth): the log2(e) multiplier (4: operand, M, P, partial-product sum; the
// subtraction s - m feeds its operand register), ROM read, interpolation multiply (M, P), add,
// shift.
module moehls_exp #(
    parameter SW = 32,
    parameter SF = 22,
    parameter ROM = "exp2.hex",
    parameter ENTRIES = 257,
    parameter EW = 25            // ROM entry width (unsigned)
) (
    input  wire          clk,
    input  wire [SW-1:0] s,
    input  wire [SW-1:0] m,
    output wire [23:0]   e
);
    localparam ZW = SW + 1;
    localparam TW = ZW + 26;                // t = z * LOG2E
    localparam NW = TW - SF - 24;           // bits of n
    localparam NX = (NW > 5) ? NW : 5;      // bits of -n as the shift reads it
    localparam [25:0] LOG2E = 26'd24204406;

    reg [EW-1:0] rom [0:ENTRIES-1];
    initial $readmemh(ROM, rom);

    // registers 1-4: t = (s - m) * LOG2E
    wire [ZW-1:0] z = {s[SW-1], s} - {m[SW-1], m};
    // Waiver: the SF bits of t below the interpolation fraction are dropped (Exp2Unit floors f to
    // 24 fraction bits).
    /* verilator lint_off UNUSEDSIGNAL */
    wire [TW-1:0] t;
    /* verilator lint_on UNUSEDSIGNAL */
    moehls_mul #(.AW(ZW), .BW(26)) log2e (.clk(clk), .a(z), .b(LOG2E), .p(t));

    // register 5: ROM read; the shift -n, clamped to 32 (the result is then 0)
    wire [NW-1:0] n = t[TW-1:SF+24];
    wire [NW-1:0] neg_n = {NW{1'b0}} - n;   // -n >= 0 (no overflow: |t| < 2^(TW-2))
    // -n zero-extended to at least the 5 bits of a shift below 32 (NW is SW - SF + 3: 3 or 4
    // bits for activation formats with 0 or 1 integer bits)
    wire [NX-1:0] neg = {{(NX-NW){1'b0}}, neg_n};
    wire [8:0] index = {1'b0, t[SF+16 +: 8]};
    wire far;
    generate
        if (NX > 5) begin : g_far
            assign far = |neg[NX-1:5];
        end else begin : g_near
            assign far = 1'b0;
        end
    endgenerate
    wire [5:0] shift = far ? 6'd32 : {1'b0, neg[4:0]};
    reg [EW-1:0] t0_5, t1_5;
    reg [15:0] frac5;
    reg [5:0] shift5;
    always @(posedge clk) begin
        t0_5 <= rom[index];
        t1_5 <= rom[index + 9'd1];
        frac5 <= t[SF +: 16];
        shift5 <= shift;
    end

    // registers 6-7: (T[k+1] - T[k]) * r  (M, P)
    wire signed [EW:0] step = $signed({1'b0, t1_5}) - $signed({1'b0, t0_5});
    reg signed [EW+17:0] prod6, prod7;
    reg [EW-1:0] t0_6, t0_7;
    reg [5:0] shift6, shift7;
    always @(posedge clk) begin
        prod6 <= step * $signed({1'b0, frac5});
        prod7 <= prod6;
        t0_6 <= t0_5;
        t0_7 <= t0_6;
        shift6 <= shift5;
        shift7 <= shift6;
    end

    // register 8: 2^f = T[k] + floor(step * r / 2^16)
    wire signed [EW+17:0] interpolated = $signed({18'd0, t0_7}) + (prod7 >>> 16);
    reg [EW+17:0] power8;
    reg [5:0] shift8;
    always @(posedge clk) begin
        power8 <= interpolated;
        shift8 <= shift7;
    end

    // register 9: e = floor(2^f / 2^-n)
    // Waiver: 2^f < 2^25 and the shift is at least 1 unless z = 0 (then 2^f = 2^23), so only the
    // low 24 bits of the shifted value can be non-zero.
    /* verilator lint_off UNUSEDSIGNAL */
    wire [EW+17:0] shifted = power8 >> shift8;
    /* verilator lint_on UNUSEDSIGNAL */
    reg [23:0] e9;
    always @(posedge clk) e9 <= shifted[23:0];
    assign e = e9;
endmodule
