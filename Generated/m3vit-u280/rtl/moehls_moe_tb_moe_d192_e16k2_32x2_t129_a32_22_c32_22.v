// Testbench for one MoE layer's gather, scatter and finish (moehls_gather, moehls_combine),
// rendered by moehls (RTLMoEEmitter.swift): built for SW=32 SF=22 YW=32 YF=22 CW=32 CF=22 XW=32 XF=22 OW=32 OF=22 O_SAT=0 T_IN=32 N_L=2 K=6 MAX_TOK=129 D=192 E=16 TOP_K=2
//
// For every expert with a non-empty queue, in index order: gather its queued tokens from the
// LayerNorm output into the staging buffer, then scatter the expert's output (the golden fc2
// output, the stimulus) into the accumulators. Then one finish pass over all tokens (convert, add
// the residual, clear) and a second finish pass, which must see cleared accumulators (its output
// is Q_O(x + 0)). Prints "GATHER e m cycles", "SCATTER e m cycles", "FINISH n cycles",
// "CLEAR n cycles", each counted from the start pulse to done.
//
// Plusargs (all $readmemh/$writememh files): +ln=FILE (LayerNorm output, one word of T_IN values
// per token and block, token-major), +residual=FILE (the residual x, same layout), +lengths=FILE
// (E queue lengths), +queues=FILE (the queue entries {score, token} of all experts in expert order),
// +experts=FILE (every expert's output rows in queue order, experts in index order, one word per
// block), +gathered=FILE (written: the staging rows of all experts, one value per line, D per row),
// +out=FILE and +cleared=FILE (written: n x D values of each finish pass), +tokens=N.
// Lint waivers for this testbench only (it is simulated, never synthesised):
// DECLFILENAME: the file is named after the shape it was rendered for, the module is not;
// BLKSEQ, INITIALDLY: the memory models use blocking temporaries and the stimulus process drives
// registers with nonblocking assignments, as testbenches do;
// WIDTH: addresses and counters of the memory models are integer arithmetic on narrower ports;
// UNUSEDSIGNAL: `busy` is part of the units' interfaces but the testbench waits for `done`.
/* verilator lint_off DECLFILENAME */
/* verilator lint_off BLKSEQ */
/* verilator lint_off INITIALDLY */
/* verilator lint_off WIDTH */
/* verilator lint_off UNUSEDSIGNAL */
module moehls_moe_tb;
    localparam T_IN = 32;
    localparam N_L = 2;
    localparam K = 6;
    localparam D = 192;
    localparam E = 16;
    localparam MAX_TOK = 129;
    localparam MAX_PAIRS = 258;
    localparam TOKB = 8;
    localparam KB = 3;
    localparam XW = 32;
    localparam SW = 32;
    localparam YW = 32;
    localparam OW = 32;
    localparam TIMEOUT = 2548;

    reg clk = 1'b0;
    reg rst = 1'b1;
    always #5 clk = ~clk;

    // ---- gather ---------------------------------------------------------------------------------
    reg g_start = 1'b0;
    reg [TOKB-1:0] g_n = {TOKB{1'b0}};
    wire g_done, g_busy;
    wire g_q_rd_en;
    wire [TOKB-1:0] g_q_rd_pos;
    reg [TOKB-1:0] g_q_rd_token;
    wire g_x_rd_en;
    wire [TOKB-1:0] g_x_rd_token;
    wire [KB-1:0] g_x_rd_block;
    reg [T_IN*XW-1:0] g_x_rd_data;
    wire g_s_we;
    wire [TOKB-1:0] g_s_pos;
    wire [KB-1:0] g_s_block;
    wire [T_IN*XW-1:0] g_s_data;

    moehls_gather #(.XW(32), .T_IN(32), .K(6), .MAX_TOK(129)) gather (
        .clk(clk), .rst(rst), .start(g_start), .n_queue(g_n), .done(g_done), .busy(g_busy),
        .q_rd_en(g_q_rd_en), .q_rd_pos(g_q_rd_pos), .q_rd_token(g_q_rd_token),
        .x_rd_en(g_x_rd_en), .x_rd_token(g_x_rd_token), .x_rd_block(g_x_rd_block), .x_rd_data(g_x_rd_data),
        .s_we(g_s_we), .s_pos(g_s_pos), .s_block(g_s_block), .s_data(g_s_data));

    // ---- combine --------------------------------------------------------------------------------
    reg sc_start = 1'b0;
    reg fin_start = 1'b0;
    reg [TOKB-1:0] c_n = {TOKB{1'b0}};
    wire c_done, c_busy;
    wire c_q_rd_en;
    wire [TOKB-1:0] c_q_rd_pos;
    reg [TOKB-1:0] c_q_rd_token;
    reg [SW-1:0] c_q_rd_score;
    wire c_y_rd_en;
    wire [TOKB-1:0] c_y_rd_pos;
    wire [KB-1:0] c_y_rd_block;
    reg [T_IN*YW-1:0] c_y_rd_data;
    wire c_x_rd_en;
    wire [TOKB-1:0] c_x_rd_token;
    wire [KB-1:0] c_x_rd_block;
    reg [N_L*T_IN*XW-1:0] c_x_rd_data;
    wire o_we;
    wire [TOKB-1:0] o_token;
    wire [N_L-1:0] o_lanes;
    wire [KB-1:0] o_block;
    wire [N_L*T_IN*OW-1:0] o_data;

    moehls_combine #(.SW(32), .SF(22), .YW(32), .YF(22), .CW(32), .CF(22), .XW(32), .XF(22), .OW(32), .OF(22), .O_SAT(0), .T_IN(32), .N_L(2), .K(6), .MAX_TOK(129)) combine (
        .clk(clk), .rst(rst), .scatter_start(sc_start), .finish_start(fin_start), .n_tokens(c_n),
        .done(c_done), .busy(c_busy),
        .q_rd_en(c_q_rd_en), .q_rd_pos(c_q_rd_pos), .q_rd_token(c_q_rd_token), .q_rd_score(c_q_rd_score),
        .y_rd_en(c_y_rd_en), .y_rd_pos(c_y_rd_pos), .y_rd_block(c_y_rd_block), .y_rd_data(c_y_rd_data),
        .x_rd_en(c_x_rd_en), .x_rd_token(c_x_rd_token), .x_rd_block(c_x_rd_block), .x_rd_data(c_x_rd_data),
        .o_we(o_we), .o_token(o_token), .o_lanes(o_lanes), .o_block(o_block), .o_data(o_data));

    // ---- memory models (one registered read each: buffer_read_depth with the units' address
    // registers) ----------------------------------------------------------------------------------
    reg [T_IN*XW-1:0] lnmem [0:MAX_TOK*K-1];
    reg [T_IN*XW-1:0] resmem [0:MAX_TOK*K-1];
    reg [TOKB-1:0] lengths [0:E-1];
    reg [SW+TOKB-1:0] qmem [0:MAX_PAIRS-1];
    reg [T_IN*YW-1:0] ymem [0:MAX_PAIRS*K-1];
    reg [XW-1:0] gmem [0:MAX_PAIRS*D-1];
    reg [OW-1:0] omem [0:MAX_TOK*D-1];
    reg [OW-1:0] cmem [0:MAX_TOK*D-1];
    reg [8*512-1:0] ln_file, residual_file, lengths_file, queues_file, experts_file;
    reg [8*512-1:0] gathered_file, out_file, cleared_file;
    integer tokens, cycles, base, total, e, l, c, t, col, phase, failed;
    integer bases [0:E-1];

    always @(posedge clk) begin
        if (g_q_rd_en) g_q_rd_token <= qmem[base + g_q_rd_pos][TOKB-1:0];
        if (g_x_rd_en) g_x_rd_data <= lnmem[g_x_rd_token * K + g_x_rd_block];
        if (c_q_rd_en) begin
            c_q_rd_token <= qmem[base + c_q_rd_pos][TOKB-1:0];
            c_q_rd_score <= qmem[base + c_q_rd_pos][TOKB +: SW];
        end
        if (c_y_rd_en) c_y_rd_data <= ymem[(base + c_y_rd_pos) * K + c_y_rd_block];
        if (c_x_rd_en) begin
            for (l = 0; l < N_L; l = l + 1) begin
                t = c_x_rd_token + l;
                c_x_rd_data[l*T_IN*XW +: T_IN*XW] <= (t < tokens) ? resmem[t*K + c_x_rd_block] : {(T_IN*XW){1'b0}};
            end
        end
    end

    // staging buffer (all experts' rows side by side) and the two output buffers
    always @(posedge clk) begin
        if (g_s_we) begin
            for (c = 0; c < T_IN; c = c + 1) begin
                col = g_s_block * T_IN + c;
                if (col < D) gmem[(base + g_s_pos) * D + col] <= g_s_data[c*XW +: XW];
            end
        end
        if (o_we) begin
            for (l = 0; l < N_L; l = l + 1) begin
                for (c = 0; c < T_IN; c = c + 1) begin
                    col = o_block * T_IN + c;
                    if (o_lanes[l] && col < D) begin
                        if (phase == 0) omem[(o_token + l) * D + col] <= o_data[(l*T_IN + c)*OW +: OW];
                        else cmem[(o_token + l) * D + col] <= o_data[(l*T_IN + c)*OW +: OW];
                    end
                end
            end
        end
    end

    always @(posedge clk) begin
        if (g_start || sc_start || fin_start) cycles <= 0;
        else cycles <= cycles + 1;
    end

    task wait_done;
        input integer which;    // 0: gather, 1: combine
        begin
            while (!(which == 0 ? g_done : c_done) && cycles < TIMEOUT) @(posedge clk);
            if (!(which == 0 ? g_done : c_done)) begin
                $display("ERROR: TIMEOUT after %0d cycles", cycles);
                $finish;
            end
        end
    endtask

    initial begin
        failed = 0;
        if (!$value$plusargs("ln=%s", ln_file)) failed = 1;
        if (!$value$plusargs("residual=%s", residual_file)) failed = 1;
        if (!$value$plusargs("lengths=%s", lengths_file)) failed = 1;
        if (!$value$plusargs("queues=%s", queues_file)) failed = 1;
        if (!$value$plusargs("experts=%s", experts_file)) failed = 1;
        if (!$value$plusargs("gathered=%s", gathered_file)) failed = 1;
        if (!$value$plusargs("out=%s", out_file)) failed = 1;
        if (!$value$plusargs("cleared=%s", cleared_file)) failed = 1;
        if (!$value$plusargs("tokens=%d", tokens)) failed = 1;
        if (failed != 0) begin
            $display("ERROR: %s", "usage: +ln= +residual= +lengths= +queues= +experts= +gathered= +out= +cleared= +tokens=");
            $finish;
        end
        $readmemh(ln_file, lnmem, 0, tokens * K - 1);
        $readmemh(residual_file, resmem, 0, tokens * K - 1);
        $readmemh(lengths_file, lengths, 0, E - 1);
        total = 0;
        for (e = 0; e < E; e = e + 1) begin
            bases[e] = total;
            total = total + lengths[e];
        end
        if (total > 0) begin
            $readmemh(queues_file, qmem, 0, total - 1);
            $readmemh(experts_file, ymem, 0, total * K - 1);
        end
        cycles = 0;
        base = 0;
        phase = 0;
        repeat (3) @(posedge clk);
        rst <= 1'b0;
        @(posedge clk);
        for (e = 0; e < E; e = e + 1) begin
            if (lengths[e] != 0) begin
                base = bases[e];
                g_n <= lengths[e];
                c_n <= lengths[e];
                g_start <= 1'b1;
                @(posedge clk);
                g_start <= 1'b0;
                wait_done(0);
                $display("GATHER %0d %0d %0d", e, lengths[e], cycles);
                sc_start <= 1'b1;
                @(posedge clk);
                sc_start <= 1'b0;
                wait_done(1);
                $display("SCATTER %0d %0d %0d", e, lengths[e], cycles);
            end
        end
        c_n <= tokens;
        fin_start <= 1'b1;
        @(posedge clk);
        fin_start <= 1'b0;
        wait_done(1);
        $display("FINISH %0d %0d", tokens, cycles);
        @(posedge clk);
        phase = 1;
        fin_start <= 1'b1;
        @(posedge clk);
        fin_start <= 1'b0;
        wait_done(1);
        $display("CLEAR %0d %0d", tokens, cycles);
        if (total > 0) $writememh(gathered_file, gmem, 0, total * D - 1);
        $writememh(out_file, omem, 0, tokens * D - 1);
        $writememh(cleared_file, cmem, 0, tokens * D - 1);
        $finish;
    end
endmodule
