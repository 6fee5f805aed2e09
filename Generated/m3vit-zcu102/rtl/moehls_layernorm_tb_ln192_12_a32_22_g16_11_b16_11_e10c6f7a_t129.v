// Testbench for moehls_layernorm, rendered by moehls (RTLLayerNormKernel.swift): built for AW=32 AF=22 O_SAT=0 GW=16 GF=11 BW=16 BF=11 L=12 D=192 MAX_TOK=129 POW2=0 LOG2D=8 M1W=41 M1=41'h15555555556 M2W=72 M2=72'haaaaaaaaaaaaaaaaab EPSW=25 EPS=25'h10c6f7a ROM="rsqrt.hex" ENTRIES=385 EW=25
//
// Plusargs: +inputs=FILE (tokens x D values, token-major, $readmemh), +gamma=FILE and +beta=FILE
// (D values each), +tokens=N, +outputs=FILE (written with $writememh, tokens x D values).
// Prints "CYCLES <n>" from the start pulse to done, and an ERROR unless every result was written
// exactly once. Both read ports of the input buffer are models of one buffer loaded twice; the
// memories are the shared models of moehls_tb_models.v.
// Lint waivers for this testbench only (it is simulated, never synthesised):
// DECLFILENAME: the file is named after the shape it was rendered for, the module is not;
// INITIALDLY: the stimulus process drives registers with nonblocking assignments;
// WIDTH: the models' rows, columns and limits are 32-bit integers on narrower ports;
// PINCONNECTEMPTY: read ports of buffers only written are left open;
// UNUSEDSIGNAL: the tied-off ports of the models.
/* verilator lint_off DECLFILENAME */
/* verilator lint_off INITIALDLY */
/* verilator lint_off WIDTH */
/* verilator lint_off PINCONNECTEMPTY */
/* verilator lint_off UNUSEDSIGNAL */
module moehls_layernorm_tb;
    localparam L = 12;
    localparam D = 192;
    localparam MAX_TOK = 129;
    localparam TOKB = 8;
    localparam CB = 8;
    localparam AW = 32;
    localparam GW = 16;
    localparam BW = 16;
    localparam TIMEOUT = 22240;

    reg clk = 1'b0;
    reg rst = 1'b1;
    reg start = 1'b0;
    reg [TOKB-1:0] n_tokens = {TOKB{1'b0}};
    wire done, busy;
    wire a_rd_en, b_rd_en, p_rd_en;
    wire [TOKB-1:0] a_rd_token, b_rd_token;
    wire [CB-1:0] a_rd_column, b_rd_column, p_rd_column;
    wire [L*AW-1:0] a_rd_data, b_rd_data;
    wire [L*GW-1:0] p_rd_gamma;
    wire [L*BW-1:0] p_rd_beta;
    wire y_we;
    wire [TOKB-1:0] y_token;
    wire [CB-1:0] y_column;
    wire [L-1:0] y_columns;
    wire [L*AW-1:0] y_data;

    moehls_layernorm #(.AW(32), .AF(22), .O_SAT(0), .GW(16), .GF(11), .BW(16), .BF(11), .L(12), .D(192), .MAX_TOK(129), .POW2(0), .LOG2D(8), .M1W(41), .M1(41'h15555555556), .M2W(72), .M2(72'haaaaaaaaaaaaaaaaab), .EPSW(25), .EPS(25'h10c6f7a), .ROM("rsqrt.hex"), .ENTRIES(385), .EW(25)) dut (
        .clk(clk), .rst(rst), .start(start), .n_tokens(n_tokens), .done(done), .busy(busy),
        .a_rd_en(a_rd_en), .a_rd_token(a_rd_token), .a_rd_column(a_rd_column), .a_rd_data(a_rd_data),
        .b_rd_en(b_rd_en), .b_rd_token(b_rd_token), .b_rd_column(b_rd_column), .b_rd_data(b_rd_data),
        .p_rd_en(p_rd_en), .p_rd_column(p_rd_column), .p_rd_gamma(p_rd_gamma), .p_rd_beta(p_rd_beta),
        .y_we(y_we), .y_token(y_token), .y_column(y_column), .y_columns(y_columns), .y_data(y_data));

    // the input (two read ports), gamma and beta (one row each), the result buffer
    moehls_tb_value_buffer #(.T(L), .W(AW), .COLS(D), .DEPTH(MAX_TOK*D)) amem (
        .clk(clk), .rd_en(a_rd_en), .rd_row(a_rd_token), .rd_column(a_rd_column), .limit(tokens), .rd_data(a_rd_data),
        .we(1'b0), .wr_row(0), .wr_lanes(1'b0), .wr_column(0), .wr_columns({L{1'b0}}), .wr_data({(L*AW){1'b0}}));
    moehls_tb_value_buffer #(.T(L), .W(AW), .COLS(D), .DEPTH(MAX_TOK*D)) bmem (
        .clk(clk), .rd_en(b_rd_en), .rd_row(b_rd_token), .rd_column(b_rd_column), .limit(tokens), .rd_data(b_rd_data),
        .we(1'b0), .wr_row(0), .wr_lanes(1'b0), .wr_column(0), .wr_columns({L{1'b0}}), .wr_data({(L*AW){1'b0}}));
    moehls_tb_value_buffer #(.T(L), .W(GW), .COLS(D), .DEPTH(D)) gmem (
        .clk(clk), .rd_en(p_rd_en), .rd_row(0), .rd_column(p_rd_column), .limit(1), .rd_data(p_rd_gamma),
        .we(1'b0), .wr_row(0), .wr_lanes(1'b0), .wr_column(0), .wr_columns({L{1'b0}}), .wr_data({(L*GW){1'b0}}));
    moehls_tb_value_buffer #(.T(L), .W(BW), .COLS(D), .DEPTH(D)) qmem (
        .clk(clk), .rd_en(p_rd_en), .rd_row(0), .rd_column(p_rd_column), .limit(1), .rd_data(p_rd_beta),
        .we(1'b0), .wr_row(0), .wr_lanes(1'b0), .wr_column(0), .wr_columns({L{1'b0}}), .wr_data({(L*BW){1'b0}}));
    moehls_tb_value_buffer #(.T(L), .W(AW), .COLS(D), .DEPTH(MAX_TOK*D)) ymem (
        .clk(clk), .rd_en(1'b0), .rd_row(0), .rd_column(0), .limit(0), .rd_data(),
        .we(y_we), .wr_row(y_token), .wr_lanes(1'b1), .wr_column(y_column), .wr_columns(y_columns), .wr_data(y_data));

    reg [8*512-1:0] inputs_file, gamma_file, beta_file, outputs_file;
    integer tokens = 0;
    integer cycles;

    always #5 clk = ~clk;

    moehls_tb_busy_monitor #(.UNIT("layernorm")) busy_rule (
        .clk(clk), .start(start), .nonempty(n_tokens != {TOKB{1'b0}}), .done(done), .busy(busy), .cycles(cycles));

    always @(posedge clk) begin
        if (start) cycles <= 0;
        else cycles <= cycles + 1;
    end

    initial begin
        if (!$value$plusargs("inputs=%s", inputs_file)) begin $display("ERROR: %s", "missing +inputs=FILE"); $finish; end
        if (!$value$plusargs("gamma=%s", gamma_file)) begin $display("ERROR: %s", "missing +gamma=FILE"); $finish; end
        if (!$value$plusargs("beta=%s", beta_file)) begin $display("ERROR: %s", "missing +beta=FILE"); $finish; end
        if (!$value$plusargs("outputs=%s", outputs_file)) begin $display("ERROR: %s", "missing +outputs=FILE"); $finish; end
        if (!$value$plusargs("tokens=%d", tokens)) begin $display("ERROR: %s", "missing +tokens=N"); $finish; end
        amem.load(inputs_file, tokens * D);
        bmem.load(inputs_file, tokens * D);
        gmem.load(gamma_file, D);
        qmem.load(beta_file, D);
        cycles = 0;
        n_tokens = tokens;
        repeat (3) @(posedge clk);
        rst <= 1'b0;
        @(posedge clk);
        start <= 1'b1;
        @(posedge clk);
        start <= 1'b0;
        while (!done && cycles < TIMEOUT) @(posedge clk);
        if (!done) begin $display("ERROR: TIMEOUT after %0d cycles", cycles); $finish; end
        $display("CYCLES %0d", cycles);
        if (ymem.writes != tokens * D || ymem.outside != 0)
            $display("ERROR: %0d result values written and %0d past D, expected %0d (each result exactly once)",
                     ymem.writes, ymem.outside, tokens * D);
        ymem.dump(outputs_file, tokens * D);
        $finish;
    end
endmodule
