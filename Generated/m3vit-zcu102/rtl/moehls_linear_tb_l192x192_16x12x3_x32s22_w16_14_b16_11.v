// Testbench for moehls_linear, rendered by moehls (RTLLinearKernel.swift): built for XW=32 XF=22 X_SIGNED=1 WW=16 WF=14 BW=16 BF=11 HAS_BIAS=1 CW=32 CF=22 OW=32 OF=22 O_SAT=0 GELU=0 GELU_ROM="gelu_delta.hex" GELU_ENTRIES=385 GELU_EW=18 GELU_UNITS=1 RELU=0 T_IN=16 T_OUT=12 N_L=3 D_IN=192 D_OUT=192 D_VALID=192 MAX_TOK=129 BEAT=512 ROW_BEATS=6 BIAS_BEATS=1 LATENCY=90
//
// Plusargs: +weights=FILE (slab beats, $readmemh), +inputs=FILE (one word of T_IN inputs per
// token and input block, token-major), +tokens=N, +outputs=FILE (written with $writememh: one
// output per token and column, token-major). Prints "CYCLES <n>" from the start pulse to done,
// and an ERROR unless every result was written exactly once.
// The weight memory answers LATENCY cycles after start and then delivers one BEAT-bit beat per
// cycle while the kernel is ready (AXI-style back-pressure). The memories are the shared models
// of moehls_tb_models.v.
// Lint waivers for this testbench only (it is simulated, never synthesised):
// DECLFILENAME: the file is named after the shape it was rendered for, the module is not;
// INITIALDLY: the stimulus process drives registers with nonblocking assignments;
// WIDTH: the models' rows, columns and limits are 32-bit integers on narrower ports;
// PINCONNECTEMPTY: the result buffer's read port is left open;
// UNUSEDSIGNAL: `busy` is part of the kernel's interface but the testbench waits for `done`.
/* verilator lint_off DECLFILENAME */
/* verilator lint_off INITIALDLY */
/* verilator lint_off WIDTH */
/* verilator lint_off PINCONNECTEMPTY */
/* verilator lint_off UNUSEDSIGNAL */
module moehls_linear_tb;
    localparam T_IN = 16;
    localparam N_L = 3;
    localparam K = 12;
    localparam D_OUT = 192;
    localparam MAX_TOK = 129;
    localparam TOKB = 8;
    localparam OB = 8;
    localparam KB = 4;
    localparam XW = 32;
    localparam OW = 32;
    localparam BEAT = 512;
    localparam MAX_BEATS = 1168;
    localparam LATENCY = 90;
    localparam TIMEOUT = 96140;

    reg clk = 1'b0;
    reg rst = 1'b1;
    reg start = 1'b0;
    reg [TOKB-1:0] n_tokens = {TOKB{1'b0}};
    wire done, busy;
    wire w_valid, w_ready;
    wire [BEAT-1:0] w_data;
    wire x_rd_en;
    wire [TOKB-1:0] x_rd_token;
    wire [KB-1:0] x_rd_block;
    wire [N_L*T_IN*XW-1:0] x_rd_data;
    wire y_we;
    wire [TOKB-1:0] y_token;
    wire [N_L-1:0] y_lanes;
    wire [OB-1:0] y_column;
    wire [T_IN-1:0] y_columns;
    wire [N_L*T_IN*OW-1:0] y_data;

    moehls_linear #(.XW(32), .XF(22), .X_SIGNED(1), .WW(16), .WF(14), .BW(16), .BF(11), .HAS_BIAS(1), .CW(32), .CF(22), .OW(32), .OF(22), .O_SAT(0), .GELU(0), .GELU_ROM("gelu_delta.hex"), .GELU_ENTRIES(385), .GELU_EW(18), .GELU_UNITS(1), .RELU(0), .T_IN(16), .T_OUT(12), .N_L(3), .D_IN(192), .D_OUT(192), .D_VALID(192), .MAX_TOK(129), .BEAT(512), .ROW_BEATS(6), .BIAS_BEATS(1)) dut (
        .clk(clk), .rst(rst), .start(start), .n_tokens(n_tokens), .done(done), .busy(busy),
        .w_valid(w_valid), .w_ready(w_ready), .w_data(w_data),
        .x_rd_en(x_rd_en), .x_rd_token(x_rd_token), .x_rd_block(x_rd_block), .x_rd_data(x_rd_data),
        .y_we(y_we), .y_token(y_token), .y_lanes(y_lanes), .y_column(y_column), .y_columns(y_columns),
        .y_data(y_data));

    // weight stream, activation buffer (lane l reads token x_rd_token + l), result buffer
    moehls_tb_weight_stream #(.BEAT(BEAT), .DEPTH(MAX_BEATS), .LATENCY(LATENCY)) wmem (
        .clk(clk), .start(start), .enable(1'b1), .base(0), .beats(beats),
        .valid(w_valid), .ready(w_ready), .data(w_data));
    moehls_tb_word_buffer #(.LANES(N_L), .WORD(T_IN*XW), .BLOCKS(K), .DEPTH(MAX_TOK*K)) xmem (
        .clk(clk), .rd_en(x_rd_en), .rd_row(x_rd_token), .rd_block(x_rd_block), .limit(tokens), .rd_data(x_rd_data));
    moehls_tb_value_buffer #(.WL(N_L), .T(T_IN), .W(OW), .COLS(D_OUT), .DEPTH(MAX_TOK*D_OUT)) ymem (
        .clk(clk), .rd_en(1'b0), .rd_row(0), .rd_column(0), .limit(0), .rd_data(),
        .we(y_we), .wr_row(y_token), .wr_lanes(y_lanes), .wr_column(y_column), .wr_columns(y_columns),
        .wr_data(y_data));

    reg [8*512-1:0] weights_file, inputs_file, outputs_file;
    integer tokens = 0;
    integer beats = 0;
    integer cycles;

    always #5 clk = ~clk;

    always @(posedge clk) begin
        if (start) cycles <= 0;
        else cycles <= cycles + 1;
    end

    initial begin
        if (!$value$plusargs("weights=%s", weights_file)) begin $display("ERROR: %s", "missing +weights=FILE"); $finish; end
        if (!$value$plusargs("inputs=%s", inputs_file)) begin $display("ERROR: %s", "missing +inputs=FILE"); $finish; end
        if (!$value$plusargs("outputs=%s", outputs_file)) begin $display("ERROR: %s", "missing +outputs=FILE"); $finish; end
        if (!$value$plusargs("tokens=%d", tokens)) begin $display("ERROR: %s", "missing +tokens=N"); $finish; end
        if (!$value$plusargs("beats=%d", beats)) begin $display("ERROR: %s", "missing +beats=N"); $finish; end
        wmem.load(weights_file, beats);
        xmem.load(inputs_file, tokens * K);
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
        if (ymem.writes != tokens * D_OUT || ymem.outside != 0)
            $display("ERROR: %0d result values written and %0d past the last column, expected %0d (each result exactly once)",
                     ymem.writes, ymem.outside, tokens * D_OUT);
        ymem.dump(outputs_file, tokens * D_OUT);
        $finish;
    end
endmodule
