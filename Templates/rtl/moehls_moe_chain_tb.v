// Testbench for one whole MoE layer's experts, chained: moehls_gather -> moehls_linear (fc1, with
// its activation) -> moehls_linear (fc2) -> moehls_combine, rendered by moehls
// (RTLMoEChainKernel.swift): @@header@@
//
// For every expert with a non-empty queue, in index order: gather its queued tokens from the
// LayerNorm output into the staging buffer, fc1 from the staging buffer into the hidden buffer,
// fc2 into the staging-out buffer (weights streamed from a memory model that answers LATENCY
// cycles after the start, as the linear kernel's testbench), scatter into the accumulators. Then
// one finish pass over all tokens and a second one that must see cleared accumulators. Prints
// "GATHER e m cycles", "FC1 e m cycles", "FC2 e m cycles", "SCATTER e m cycles",
// "FINISH n cycles", "CLEAR n cycles", each counted from the start pulse to done. The layer and
// its buffers are the shared model moehls_tb_moe_layer; this testbench adds the experts.
//
// Plusargs (all $readmemh/$writememh files): +ln=FILE (LayerNorm output, one word of T_IN values
// per token and block, token-major), +residual=FILE (the residual x, same layout), +lengths=FILE
// (E queue lengths), +queues=FILE (the queue entries {score, token} of all experts in expert order),
// +w1=FILE, +w2=FILE (the fc1 and fc2 weight streams of the active experts, in expert order,
// BEATS1 / BEATS2 beats each), +gathered=FILE (written: the staging rows of all experts, one value
// per line, D per row), +out=FILE and +cleared=FILE (written: n x D values of each finish pass),
// +tokens=N.
// Lint waivers for this testbench only (it is simulated, never synthesised):
// DECLFILENAME: the file is named after the shape it was rendered for, the module is not;
// INITIALDLY: the stimulus process drives registers with nonblocking assignments;
// WIDTH: the models' rows, columns and limits (moehls_tb_models.v) are 32-bit integers on
// narrower ports;
// UNUSEDSIGNAL: `busy` of the linear kernels gates their weight streams only.
/* verilator lint_off DECLFILENAME */
/* verilator lint_off INITIALDLY */
/* verilator lint_off WIDTH */
/* verilator lint_off UNUSEDSIGNAL */
module moehls_moe_chain_tb;
    localparam T_IN = @@t_in@@;
    localparam N_L = @@lanes@@;
    localparam D = @@d@@;
    localparam E = @@experts@@;
    localparam MAX_TOK = @@max_tokens@@;
    localparam TOKB = @@token_bits@@;
    localparam KB = @@block_bits@@;
    localparam XW = @@x_width@@;
    localparam YW = @@y_width@@;
    localparam TIMEOUT = @@timeout_cycles@@;
    localparam H = @@hidden@@;
    localparam KHB = @@hidden_block_bits@@;
    localparam OB1 = @@fc1_column_bits@@;
    localparam OB2 = @@fc2_column_bits@@;
    localparam BEAT = @@beat_bits@@;
    localparam BEATS1 = @@fc1_beats@@;
    localparam BEATS2 = @@fc2_beats@@;
    localparam LATENCY = @@memory_latency@@;

    reg clk = 1'b0;
    reg rst = 1'b1;
    always #5 clk = ~clk;

    // ---- the layer: gather, combine and their buffers --------------------------------------
    wire s_we;
    wire [TOKB-1:0] s_pos;
    wire [KB-1:0] s_block;
    wire [T_IN*XW-1:0] s_data;
    wire y_rd_en;
    wire [TOKB-1:0] y_rd_pos;
    wire [KB-1:0] y_rd_block;
    wire [T_IN*YW-1:0] y_rd_data;

    moehls_tb_moe_layer #(@@layer_parameters@@) layer (
        .clk(clk), .rst(rst), .s_we(s_we), .s_pos(s_pos), .s_block(s_block), .s_data(s_data),
        .y_rd_en(y_rd_en), .y_rd_pos(y_rd_pos), .y_rd_block(y_rd_block), .y_rd_data(y_rd_data));

    // ---- fc1 and fc2 (the linear kernel) --------------------------------------------------------
    reg f1_start = 1'b0;
    reg f2_start = 1'b0;
    reg [TOKB-1:0] f_n = {TOKB{1'b0}};
    wire f1_done, f1_busy, f2_done, f2_busy;
    wire f1_w_valid, f1_w_ready, f2_w_valid, f2_w_ready;
    wire [BEAT-1:0] f1_w_data, f2_w_data;
    wire f1_x_rd_en, f2_x_rd_en;
    wire [TOKB-1:0] f1_x_rd_token, f2_x_rd_token;
    wire [KB-1:0] f1_x_rd_block;
    wire [KHB-1:0] f2_x_rd_block;
    wire [N_L*T_IN*XW-1:0] f1_x_rd_data, f2_x_rd_data;
    wire f1_y_we, f2_y_we;
    wire [TOKB-1:0] f1_y_token, f2_y_token;
    wire [N_L-1:0] f1_y_lanes, f2_y_lanes;
    wire [OB1-1:0] f1_y_column;
    wire [OB2-1:0] f2_y_column;
    wire [T_IN-1:0] f1_y_columns, f2_y_columns;
    wire [N_L*T_IN*XW-1:0] f1_y_data;   // fc1's output is fc2's input (XW wide)
    wire [N_L*T_IN*YW-1:0] f2_y_data;   // fc2's output, the experts' result (YW wide)

    moehls_linear #(@@fc1_parameters@@) fc1 (
        .clk(clk), .rst(rst), .start(f1_start), .n_tokens(f_n), .done(f1_done), .busy(f1_busy),
        .w_valid(f1_w_valid), .w_ready(f1_w_ready), .w_data(f1_w_data),
        .x_rd_en(f1_x_rd_en), .x_rd_token(f1_x_rd_token), .x_rd_block(f1_x_rd_block), .x_rd_data(f1_x_rd_data),
        .y_we(f1_y_we), .y_token(f1_y_token), .y_lanes(f1_y_lanes), .y_column(f1_y_column), .y_columns(f1_y_columns),
        .y_data(f1_y_data));

    moehls_linear #(@@fc2_parameters@@) fc2 (
        .clk(clk), .rst(rst), .start(f2_start), .n_tokens(f_n), .done(f2_done), .busy(f2_busy),
        .w_valid(f2_w_valid), .w_ready(f2_w_ready), .w_data(f2_w_data),
        .x_rd_en(f2_x_rd_en), .x_rd_token(f2_x_rd_token), .x_rd_block(f2_x_rd_block), .x_rd_data(f2_x_rd_data),
        .y_we(f2_y_we), .y_token(f2_y_token), .y_lanes(f2_y_lanes), .y_column(f2_y_column), .y_columns(f2_y_columns),
        .y_data(f2_y_data));

    // ---- the experts' buffers (moehls_tb_models.v) ----------------------------------------------
    // staging (in): the gathered rows by queue position, which fc1 reads; fc1's output, which fc2
    // reads; staging (out): fc2's output, which the scatter reads
    moehls_tb_value_buffer #(.RL(N_L), .T(T_IN), .W(XW), .COLS(D), .DEPTH(MAX_TOK*D)) stmem (
        .clk(clk), .rd_en(f1_x_rd_en), .rd_row(f1_x_rd_token), .rd_column(f1_x_rd_block * T_IN), .limit(layer.m),
        .rd_data(f1_x_rd_data),
        .we(s_we), .wr_row(s_pos), .wr_lanes(1'b1), .wr_column(s_block * T_IN), .wr_columns({T_IN{1'b1}}),
        .wr_data(s_data));
    moehls_tb_value_buffer #(.RL(N_L), .WL(N_L), .T(T_IN), .W(XW), .COLS(H), .DEPTH(MAX_TOK*H)) hmem (
        .clk(clk), .rd_en(f2_x_rd_en), .rd_row(f2_x_rd_token), .rd_column(f2_x_rd_block * T_IN), .limit(layer.m),
        .rd_data(f2_x_rd_data),
        .we(f1_y_we), .wr_row(f1_y_token), .wr_lanes(f1_y_lanes), .wr_column(f1_y_column), .wr_columns(f1_y_columns),
        .wr_data(f1_y_data));
    moehls_tb_value_buffer #(.WL(N_L), .T(T_IN), .W(YW), .COLS(D), .DEPTH(MAX_TOK*D)) somem (
        .clk(clk), .rd_en(y_rd_en), .rd_row(y_rd_pos), .rd_column(y_rd_block * T_IN), .limit(MAX_TOK),
        .rd_data(y_rd_data),
        .we(f2_y_we), .wr_row(f2_y_token), .wr_lanes(f2_y_lanes), .wr_column(f2_y_column), .wr_columns(f2_y_columns),
        .wr_data(f2_y_data));
    // the fc1 and fc2 weight streams of the active experts, in expert order: first beat LATENCY
    // cycles after the kernel's start, then one per accepted cycle
    moehls_tb_weight_stream #(.BEAT(BEAT), .DEPTH(E*BEATS1), .LATENCY(LATENCY)) w1mem (
        .clk(clk), .start(f1_start), .enable(f1_busy), .base(wbase1), .beats(BEATS1),
        .valid(f1_w_valid), .ready(f1_w_ready), .data(f1_w_data));
    moehls_tb_weight_stream #(.BEAT(BEAT), .DEPTH(E*BEATS2), .LATENCY(LATENCY)) w2mem (
        .clk(clk), .start(f2_start), .enable(f2_busy), .base(wbase2), .beats(BEATS2),
        .valid(f2_w_valid), .ready(f2_w_ready), .data(f2_w_data));

    reg [8*512-1:0] ln_file, residual_file, lengths_file, queues_file, w1_file, w2_file;
    reg [8*512-1:0] gathered_file, out_file, cleared_file;
    integer wbase1 = 0;
    integer wbase2 = 0;
    integer cycles = 0;
    integer tokens, e, failed, active;

    always @(posedge clk) begin
        if (f1_start || f2_start) cycles <= 0;
        else cycles <= cycles + 1;
    end

    // `which` 0: fc1, 1: fc2
    task run_linear;
        input integer which;
        input integer expert;
        begin
            hmem.writes = 0;
            somem.writes = 0;
            if (which == 0) f1_start <= 1'b1;
            else f2_start <= 1'b1;
            @(posedge clk);
            f1_start <= 1'b0;
            f2_start <= 1'b0;
            while (!(which == 0 ? f1_done : f2_done) && cycles < TIMEOUT) @(posedge clk);
            if (!(which == 0 ? f1_done : f2_done)) begin
                $display("ERROR: TIMEOUT after %0d cycles", cycles);
                $finish;
            end
            $display("%s %0d %0d %0d", which == 0 ? "FC1" : "FC2", expert, layer.m, cycles);
            if ((which == 0 ? hmem.writes : somem.writes) != layer.m * (which == 0 ? H : D))
                $display("ERROR: %s wrote %0d values, expected %0d (each result exactly once)", which == 0 ? "FC1" : "FC2",
                         which == 0 ? hmem.writes : somem.writes, layer.m * (which == 0 ? H : D));
        end
    endtask

    initial begin
        failed = 0;
        if (!$value$plusargs("ln=%s", ln_file)) failed = 1;
        if (!$value$plusargs("residual=%s", residual_file)) failed = 1;
        if (!$value$plusargs("lengths=%s", lengths_file)) failed = 1;
        if (!$value$plusargs("queues=%s", queues_file)) failed = 1;
        if (!$value$plusargs("w1=%s", w1_file)) failed = 1;
        if (!$value$plusargs("w2=%s", w2_file)) failed = 1;
        if (!$value$plusargs("gathered=%s", gathered_file)) failed = 1;
        if (!$value$plusargs("out=%s", out_file)) failed = 1;
        if (!$value$plusargs("cleared=%s", cleared_file)) failed = 1;
        if (!$value$plusargs("tokens=%d", tokens)) failed = 1;
        if (failed != 0) begin
            $display("ERROR: %s", "usage: +ln= +residual= +lengths= +queues= +w1= +w2= +gathered= +out= +cleared= +tokens=");
            $finish;
        end
        layer.load(ln_file, residual_file, lengths_file, queues_file, tokens);
        active = 0;
        for (e = 0; e < E; e = e + 1) if (layer.lengths[e] != 0) active = active + 1;
        w1mem.load(w1_file, active * BEATS1);
        w2mem.load(w2_file, active * BEATS2);
        active = 0;
        repeat (3) @(posedge clk);
        rst <= 1'b0;
        @(posedge clk);
        for (e = 0; e < E; e = e + 1) begin
            if (layer.lengths[e] != 0) begin
                wbase1 = active * BEATS1;
                wbase2 = active * BEATS2;
                active = active + 1;
                layer.gather(e);
                f_n <= layer.lengths[e];
                run_linear(0, e);
                run_linear(1, e);
                layer.scatter(e);
            end
        end
        layer.finish;
        layer.clear;
        layer.dump(gathered_file, out_file, cleared_file);
        $finish;
    end
endmodule
