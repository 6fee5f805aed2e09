// Testbench for one whole MoE layer's experts, chained: moehls_gather -> moehls_linear (fc1, with
// its activation) -> moehls_linear (fc2) -> moehls_combine, rendered by moehls
// (RTLMoEChain.swift): {{header}}
//
// For every expert with a non-empty queue, in index order: gather its queued tokens from the
// LayerNorm output into the staging buffer, fc1 from the staging buffer into the hidden buffer,
// fc2 into the staging-out buffer (weights streamed from a memory model that answers LATENCY
// cycles after the start, as the linear kernel's testbench), scatter into the accumulators. Then
// one finish pass over all tokens and a second one that must see cleared accumulators. Prints
// "GATHER e m cycles", "FC1 e m cycles", "FC2 e m cycles", "SCATTER e m cycles",
// "FINISH n cycles", "CLEAR n cycles", each counted from the start pulse to done.
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
// BLKSEQ, INITIALDLY: the memory models use blocking temporaries and the stimulus process drives
// registers with nonblocking assignments, as testbenches do;
// WIDTH: addresses and counters of the memory models are integer arithmetic on narrower ports;
// UNUSEDSIGNAL: `busy` is part of the units' interfaces but the testbench waits for `done`
// (the linear kernels' busy also gates their weight memories).
/* verilator lint_off DECLFILENAME */
/* verilator lint_off BLKSEQ */
/* verilator lint_off INITIALDLY */
/* verilator lint_off WIDTH */
/* verilator lint_off UNUSEDSIGNAL */
module moehls_moe_chain_tb;
    localparam T_IN = {{t_in}};
    localparam N_L = {{lanes}};
    localparam K = {{blocks}};
    localparam D = {{d}};
    localparam E = {{experts}};
    localparam MAX_TOK = {{max_tokens}};
    localparam MAX_PAIRS = {{max_pairs}};
    localparam TOKB = {{token_bits}};
    localparam KB = {{block_bits}};
    localparam XW = {{x_width}};
    localparam SW = {{s_width}};
    localparam YW = {{y_width}};
    localparam OW = {{o_width}};
    localparam TIMEOUT = {{timeout_cycles}};
    localparam H = {{hidden}};
    localparam KHB = {{hidden_block_bits}};
    localparam OB1 = {{fc1_column_bits}};
    localparam OB2 = {{fc2_column_bits}};
    localparam BEAT = {{beat_bits}};
    localparam BEATS1 = {{fc1_beats}};
    localparam BEATS2 = {{fc2_beats}};
    localparam LATENCY = {{memory_latency}};

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

    moehls_gather #({{gather_parameters}}) gather (
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

    moehls_combine #({{combine_parameters}}) combine (
        .clk(clk), .rst(rst), .scatter_start(sc_start), .finish_start(fin_start), .n_tokens(c_n),
        .done(c_done), .busy(c_busy),
        .q_rd_en(c_q_rd_en), .q_rd_pos(c_q_rd_pos), .q_rd_token(c_q_rd_token), .q_rd_score(c_q_rd_score),
        .y_rd_en(c_y_rd_en), .y_rd_pos(c_y_rd_pos), .y_rd_block(c_y_rd_block), .y_rd_data(c_y_rd_data),
        .x_rd_en(c_x_rd_en), .x_rd_token(c_x_rd_token), .x_rd_block(c_x_rd_block), .x_rd_data(c_x_rd_data),
        .o_we(o_we), .o_token(o_token), .o_lanes(o_lanes), .o_block(o_block), .o_data(o_data));

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
    reg [N_L*T_IN*XW-1:0] f1_x_rd_data, f2_x_rd_data;
    wire f1_y_we, f2_y_we;
    wire [TOKB-1:0] f1_y_token, f2_y_token;
    wire [N_L-1:0] f1_y_lanes, f2_y_lanes;
    wire [OB1-1:0] f1_y_column;
    wire [OB2-1:0] f2_y_column;
    wire [N_L*T_IN*XW-1:0] f1_y_data, f2_y_data;

    moehls_linear #({{fc1_parameters}}) fc1 (
        .clk(clk), .rst(rst), .start(f1_start), .n_tokens(f_n), .done(f1_done), .busy(f1_busy),
        .w_valid(f1_w_valid), .w_ready(f1_w_ready), .w_data(f1_w_data),
        .x_rd_en(f1_x_rd_en), .x_rd_token(f1_x_rd_token), .x_rd_block(f1_x_rd_block), .x_rd_data(f1_x_rd_data),
        .y_we(f1_y_we), .y_token(f1_y_token), .y_lanes(f1_y_lanes), .y_column(f1_y_column), .y_data(f1_y_data));

    moehls_linear #({{fc2_parameters}}) fc2 (
        .clk(clk), .rst(rst), .start(f2_start), .n_tokens(f_n), .done(f2_done), .busy(f2_busy),
        .w_valid(f2_w_valid), .w_ready(f2_w_ready), .w_data(f2_w_data),
        .x_rd_en(f2_x_rd_en), .x_rd_token(f2_x_rd_token), .x_rd_block(f2_x_rd_block), .x_rd_data(f2_x_rd_data),
        .y_we(f2_y_we), .y_token(f2_y_token), .y_lanes(f2_y_lanes), .y_column(f2_y_column), .y_data(f2_y_data));

    // ---- memory models (one registered read each: buffer_read_depth with the units' address
    // registers) ----------------------------------------------------------------------------------
    reg [T_IN*XW-1:0] lnmem [0:MAX_TOK*K-1];
    reg [T_IN*XW-1:0] resmem [0:MAX_TOK*K-1];
    reg [TOKB-1:0] lengths [0:E-1];
    reg [SW+TOKB-1:0] qmem [0:MAX_PAIRS-1];
    reg [XW-1:0] stmem [0:MAX_TOK*D-1];         // staging (in): rows by queue position
    reg [XW-1:0] hmem [0:MAX_TOK*H-1];          // fc1 output
    reg [YW-1:0] somem [0:MAX_TOK*D-1];         // staging (out): fc2 output
    reg [BEAT-1:0] w1mem [0:E*BEATS1-1];
    reg [BEAT-1:0] w2mem [0:E*BEATS2-1];
    reg [XW-1:0] gmem [0:MAX_PAIRS*D-1];
    reg [OW-1:0] omem [0:MAX_TOK*D-1];
    reg [OW-1:0] cmem [0:MAX_TOK*D-1];
    reg [8*512-1:0] ln_file, residual_file, lengths_file, queues_file, w1_file, w2_file;
    reg [8*512-1:0] gathered_file, out_file, cleared_file;
    integer tokens, cycles, base, total, e, l, c, t, col, phase, failed, m, active, wbase1, wbase2, w1ptr, w2ptr;
    integer bases [0:E-1];

    always @(posedge clk) begin
        if (g_q_rd_en) g_q_rd_token <= qmem[base + g_q_rd_pos][TOKB-1:0];
        if (g_x_rd_en) g_x_rd_data <= lnmem[g_x_rd_token * K + g_x_rd_block];
        if (c_q_rd_en) begin
            c_q_rd_token <= qmem[base + c_q_rd_pos][TOKB-1:0];
            c_q_rd_score <= qmem[base + c_q_rd_pos][TOKB +: SW];
        end
        if (c_y_rd_en) begin
            for (c = 0; c < T_IN; c = c + 1) begin
                col = c_y_rd_block * T_IN + c;
                c_y_rd_data[c*YW +: YW] <= (col < D) ? somem[c_y_rd_pos * D + col] : {YW{1'b0}};
            end
        end
        if (f1_x_rd_en) begin
            for (l = 0; l < N_L; l = l + 1) begin
                for (c = 0; c < T_IN; c = c + 1) begin
                    t = f1_x_rd_token + l;
                    col = f1_x_rd_block * T_IN + c;
                    f1_x_rd_data[(l*T_IN + c)*XW +: XW] <= (t < m && col < D) ? stmem[t * D + col] : {XW{1'b0}};
                end
            end
        end
        if (f2_x_rd_en) begin
            for (l = 0; l < N_L; l = l + 1) begin
                for (c = 0; c < T_IN; c = c + 1) begin
                    t = f2_x_rd_token + l;
                    col = f2_x_rd_block * T_IN + c;
                    f2_x_rd_data[(l*T_IN + c)*XW +: XW] <= (t < m && col < H) ? hmem[t * H + col] : {XW{1'b0}};
                end
            end
        end
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
                if (col < D) begin
                    gmem[(base + g_s_pos) * D + col] <= g_s_data[c*XW +: XW];
                    stmem[g_s_pos * D + col] <= g_s_data[c*XW +: XW];
                end
            end
        end
        if (f1_y_we) begin
            for (l = 0; l < N_L; l = l + 1) begin
                for (c = 0; c < T_IN; c = c + 1) begin
                    col = f1_y_column + c;
                    if (f1_y_lanes[l] && col < H) hmem[(f1_y_token + l) * H + col] <= f1_y_data[(l*T_IN + c)*XW +: XW];
                end
            end
        end
        if (f2_y_we) begin
            for (l = 0; l < N_L; l = l + 1) begin
                for (c = 0; c < T_IN; c = c + 1) begin
                    col = f2_y_column + c;
                    if (f2_y_lanes[l] && col < D) somem[(f2_y_token + l) * D + col] <= f2_y_data[(l*T_IN + c)*XW +: XW];
                end
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
        if (g_start || sc_start || fin_start || f1_start || f2_start) cycles <= 0;
        else cycles <= cycles + 1;
    end

    // weight memories: first beat LATENCY cycles after the kernel's start, then one per accepted cycle
    assign f1_w_valid = (cycles >= LATENCY) && (w1ptr < BEATS1) && f1_busy;
    assign f1_w_data = w1mem[wbase1 + w1ptr];
    assign f2_w_valid = (cycles >= LATENCY) && (w2ptr < BEATS2) && f2_busy;
    assign f2_w_data = w2mem[wbase2 + w2ptr];
    always @(posedge clk) begin
        if (f1_start) w1ptr <= 0;
        else if (f1_w_valid && f1_w_ready) w1ptr <= w1ptr + 1;
        if (f2_start) w2ptr <= 0;
        else if (f2_w_valid && f2_w_ready) w2ptr <= w2ptr + 1;
    end

    task wait_done;
        input integer which;    // 0: gather, 1: combine, 2: fc1, 3: fc2
        begin
            while (!(which == 0 ? g_done : which == 1 ? c_done : which == 2 ? f1_done : f2_done) && cycles < TIMEOUT)
                @(posedge clk);
            if (!(which == 0 ? g_done : which == 1 ? c_done : which == 2 ? f1_done : f2_done)) begin
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
        $readmemh(ln_file, lnmem, 0, tokens * K - 1);
        $readmemh(residual_file, resmem, 0, tokens * K - 1);
        $readmemh(lengths_file, lengths, 0, E - 1);
        total = 0;
        active = 0;
        for (e = 0; e < E; e = e + 1) begin
            bases[e] = total;
            total = total + lengths[e];
            if (lengths[e] != 0) active = active + 1;
        end
        if (total > 0) begin
            $readmemh(queues_file, qmem, 0, total - 1);
            $readmemh(w1_file, w1mem, 0, active * BEATS1 - 1);
            $readmemh(w2_file, w2mem, 0, active * BEATS2 - 1);
        end
        m = 0;
        w1ptr = 0;
        w2ptr = 0;
        wbase1 = 0;
        wbase2 = 0;
        active = 0;
        cycles = 0;
        base = 0;
        phase = 0;
        repeat (3) @(posedge clk);
        rst <= 1'b0;
        @(posedge clk);
        for (e = 0; e < E; e = e + 1) begin
            if (lengths[e] != 0) begin
                base = bases[e];
                m = lengths[e];
                wbase1 = active * BEATS1;
                wbase2 = active * BEATS2;
                active = active + 1;
                g_n <= lengths[e];
                c_n <= lengths[e];
                f_n <= lengths[e];
                g_start <= 1'b1;
                @(posedge clk);
                g_start <= 1'b0;
                wait_done(0);
                $display("GATHER %0d %0d %0d", e, lengths[e], cycles);
                f1_start <= 1'b1;
                @(posedge clk);
                f1_start <= 1'b0;
                wait_done(2);
                $display("FC1 %0d %0d %0d", e, lengths[e], cycles);
                f2_start <= 1'b1;
                @(posedge clk);
                f2_start <= 1'b0;
                wait_done(3);
                $display("FC2 %0d %0d %0d", e, lengths[e], cycles);
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
