// Testbench for the dense residual write-back: moehls_linear followed by moehls_residual on its
// write port (x = Q_O(x + linear(in))), rendered by moehls (RTLResidualKernel.swift): @@header@@
//
// Plusargs: +weights=FILE (slab beats, $readmemh), +inputs=FILE (one word of T_IN inputs per
// token and input block, token-major), +residual=FILE (the residual x, one value per token and
// column, token-major), +tokens=N, +outputs=FILE (written with $writememh: the residual buffer
// after the invocation, updated in place). Prints "CYCLES <n>" from the start pulse to the
// residual stage's done.
// The weight memory answers LATENCY cycles after start and then delivers one BEAT-bit beat per
// cycle while the kernel is ready (AXI-style back-pressure). The memories are the shared models
// of moehls_tb_models.v.
// Lint waivers for this testbench only (it is simulated, never synthesised):
// DECLFILENAME: the file is named after the shape it was rendered for, the module is not;
// INITIALDLY: the stimulus process drives registers with nonblocking assignments;
// WIDTH: the models' rows, columns and limits are 32-bit integers on narrower ports;
// UNUSEDSIGNAL: `busy` is part of the kernel's interface but the testbench waits for `done`, and
// the linear kernel's output width OW is only used through the residual stage's parameters.
/* verilator lint_off DECLFILENAME */
/* verilator lint_off INITIALDLY */
/* verilator lint_off WIDTH */
/* verilator lint_off UNUSEDSIGNAL */
module moehls_residual_tb;
    localparam T_IN = @@t_in@@;
    localparam N_L = @@lanes@@;
    localparam K = @@input_blocks@@;
    localparam D_OUT = @@d_out@@;
    localparam MAX_TOK = @@max_tokens@@;
    localparam TOKB = @@token_bits@@;
    localparam OB = @@column_bits@@;
    localparam KB = @@block_bits@@;
    localparam XW = @@x_width@@;
    localparam OW = @@o_width@@;
    localparam RW = @@r_width@@;
    localparam BEAT = @@beat_bits@@;
    localparam MAX_BEATS = @@beats@@;
    localparam LATENCY = @@memory_latency@@;
    localparam TIMEOUT = @@timeout_cycles@@;

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
    wire [T_IN-1:0] y_columns, r_columns;
    wire [N_L*T_IN*OW-1:0] y_data;
    wire r_done;
    wire r_rd_en;
    wire [TOKB-1:0] r_rd_token;
    wire [OB-1:0] r_rd_column;
    wire [N_L*T_IN*RW-1:0] r_rd_data;
    wire r_we;
    wire [TOKB-1:0] r_token;
    wire [N_L-1:0] r_lanes;
    wire [OB-1:0] r_column;
    wire [N_L*T_IN*RW-1:0] r_data;

    moehls_linear #(@@kernel_parameters@@) dut (
        .clk(clk), .rst(rst), .start(start), .n_tokens(n_tokens), .done(done), .busy(busy),
        .w_valid(w_valid), .w_ready(w_ready), .w_data(w_data),
        .x_rd_en(x_rd_en), .x_rd_token(x_rd_token), .x_rd_block(x_rd_block), .x_rd_data(x_rd_data),
        .y_we(y_we), .y_token(y_token), .y_lanes(y_lanes), .y_column(y_column), .y_columns(y_columns),
        .y_data(y_data));

    moehls_residual #(@@residual_parameters@@) residual (
        .clk(clk), .rst(rst), .in_done(done), .out_done(r_done),
        .y_we(y_we), .y_token(y_token), .y_lanes(y_lanes), .y_column(y_column), .y_columns(y_columns), .y_data(y_data),
        .x_rd_en(r_rd_en), .x_rd_token(r_rd_token), .x_rd_column(r_rd_column), .x_rd_data(r_rd_data),
        .o_we(r_we), .o_token(r_token), .o_lanes(r_lanes), .o_column(r_column), .o_columns(r_columns), .o_data(r_data));

    // weight stream, activation buffer (lane l reads token x_rd_token + l), and the residual
    // buffer: T_IN columns from r_rd_column for every lane, written back in place by the
    // residual stage
    moehls_tb_weight_stream #(.BEAT(BEAT), .DEPTH(MAX_BEATS), .LATENCY(LATENCY)) wmem (
        .clk(clk), .start(start), .enable(1'b1), .base(0), .beats(beats),
        .valid(w_valid), .ready(w_ready), .data(w_data));
    moehls_tb_word_buffer #(.LANES(N_L), .WORD(T_IN*XW), .BLOCKS(K), .DEPTH(MAX_TOK*K)) xmem (
        .clk(clk), .rd_en(x_rd_en), .rd_row(x_rd_token), .rd_block(x_rd_block), .limit(tokens), .rd_data(x_rd_data));
    moehls_tb_value_buffer #(.RL(N_L), .WL(N_L), .T(T_IN), .W(RW), .COLS(D_OUT), .DEPTH(MAX_TOK*D_OUT)) rmem (
        .clk(clk), .rd_en(r_rd_en), .rd_row(r_rd_token), .rd_column(r_rd_column), .limit(tokens), .rd_data(r_rd_data),
        .we(r_we), .wr_row(r_token), .wr_lanes(r_lanes), .wr_column(r_column), .wr_columns(r_columns),
        .wr_data(r_data));

    reg [8*512-1:0] weights_file, inputs_file, residual_file, outputs_file;
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
        if (!$value$plusargs("residual=%s", residual_file)) begin $display("ERROR: %s", "missing +residual=FILE"); $finish; end
        if (!$value$plusargs("outputs=%s", outputs_file)) begin $display("ERROR: %s", "missing +outputs=FILE"); $finish; end
        if (!$value$plusargs("tokens=%d", tokens)) begin $display("ERROR: %s", "missing +tokens=N"); $finish; end
        if (!$value$plusargs("beats=%d", beats)) begin $display("ERROR: %s", "missing +beats=N"); $finish; end
        wmem.load(weights_file, beats);
        xmem.load(inputs_file, tokens * K);
        rmem.load(residual_file, tokens * D_OUT);
        cycles = 0;
        n_tokens = tokens;
        repeat (3) @(posedge clk);
        rst <= 1'b0;
        @(posedge clk);
        start <= 1'b1;
        @(posedge clk);
        start <= 1'b0;
        while (!r_done && cycles < TIMEOUT) @(posedge clk);
        if (!r_done) begin $display("ERROR: TIMEOUT after %0d cycles", cycles); $finish; end
        $display("CYCLES %0d", cycles);
        if (rmem.writes != tokens * D_OUT || rmem.outside != 0)
            $display("ERROR: %0d residual values written and %0d past the last column, expected %0d (each exactly once)",
                     rmem.writes, rmem.outside, tokens * D_OUT);
        rmem.dump(outputs_file, tokens * D_OUT);
        $finish;
    end
endmodule
