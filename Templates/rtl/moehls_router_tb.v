// Testbench for moehls_router, rendered by moehls (RTLRouterKernel.swift): @@header@@
//
// Plusargs: +logits=FILE (tokens x E values, token-major, $readmemh), +tokens=N, +queues=FILE
// (written with $writememh: E x MAX_TOK entries {score, token}, expert-major, zero past each
// queue's length), +lengths=FILE (E queue lengths). Prints "CYCLES <n>" from the start pulse to
// done, and an ERROR unless exactly tokens x k entries were written, each once. The two read
// ports are models of one logit buffer loaded twice (moehls_tb_models.v).
// Lint waivers for this testbench only (it is simulated, never synthesised):
// DECLFILENAME: the file is named after the shape it was rendered for, the module is not;
// INITIALDLY: the stimulus process drives registers with nonblocking assignments;
// WIDTH: the models' rows, columns and limits are 32-bit integers on narrower ports;
// PINCONNECTEMPTY: the write ports of the read-only logit buffers are tied off;
// UNUSEDSIGNAL: the tied-off ports of the models;
// BLKSEQ: the queue model counts its writes with blocking assignments.
/* verilator lint_off DECLFILENAME */
/* verilator lint_off BLKSEQ */
/* verilator lint_off INITIALDLY */
/* verilator lint_off WIDTH */
/* verilator lint_off PINCONNECTEMPTY */
/* verilator lint_off UNUSEDSIGNAL */
module moehls_router_tb;
    localparam E = @@experts@@;
    localparam KTOP = @@top_k@@;
    localparam MAX_TOK = @@max_tokens@@;
    localparam TOKB = @@token_bits@@;
    localparam XB = @@expert_bits@@;
    localparam AW = @@a_width@@;
    localparam TIMEOUT = @@timeout_cycles@@;

    reg clk = 1'b0;
    reg rst = 1'b1;
    reg start = 1'b0;
    reg [TOKB-1:0] n_tokens = {TOKB{1'b0}};
    wire done, busy;
    wire a_rd_en, b_rd_en;
    wire [TOKB-1:0] a_rd_token, b_rd_token;
    wire [XB-1:0] a_rd_expert, b_rd_expert;
    wire [AW-1:0] a_rd_data, b_rd_data;
    wire q_we;
    wire [XB-1:0] q_expert;
    wire [TOKB-1:0] q_position, q_token;
    wire [AW-1:0] q_score;
    wire [E*TOKB-1:0] lengths;

    moehls_router #(@@unit_parameters@@) dut (
        .clk(clk), .rst(rst), .start(start), .n_tokens(n_tokens), .done(done), .busy(busy),
        .a_rd_en(a_rd_en), .a_rd_token(a_rd_token), .a_rd_expert(a_rd_expert), .a_rd_data(a_rd_data),
        .b_rd_en(b_rd_en), .b_rd_token(b_rd_token), .b_rd_expert(b_rd_expert), .b_rd_data(b_rd_data),
        .q_we(q_we), .q_expert(q_expert), .q_position(q_position), .q_token(q_token), .q_score(q_score),
        .lengths(lengths));

    moehls_tb_value_buffer #(.W(AW), .COLS(E), .DEPTH(MAX_TOK*E)) amem (
        .clk(clk), .rd_en(a_rd_en), .rd_row(a_rd_token), .rd_column(a_rd_expert), .limit(tokens), .rd_data(a_rd_data),
        .we(1'b0), .wr_row(0), .wr_lanes(1'b0), .wr_column(0), .wr_columns(1'b0), .wr_data({AW{1'b0}}));
    moehls_tb_value_buffer #(.W(AW), .COLS(E), .DEPTH(MAX_TOK*E)) bmem (
        .clk(clk), .rd_en(b_rd_en), .rd_row(b_rd_token), .rd_column(b_rd_expert), .limit(tokens), .rd_data(b_rd_data),
        .we(1'b0), .wr_row(0), .wr_lanes(1'b0), .wr_column(0), .wr_columns(1'b0), .wr_data({AW{1'b0}}));

    // the expert queues: entry (expert, position) = {score, token}
    reg [AW+TOKB-1:0] qmem [0:E*MAX_TOK-1];
    reg [TOKB-1:0] lmem [0:E-1];
    integer writes = 0;
    integer twice = 0;
    reg written [0:E*MAX_TOK-1];
    integer i;
    always @(posedge clk) begin
        if (q_we) begin
            qmem[q_expert*MAX_TOK + q_position] <= {q_score, q_token};
            if (written[q_expert*MAX_TOK + q_position]) twice = twice + 1;
            written[q_expert*MAX_TOK + q_position] = 1'b1;
            writes = writes + 1;
        end
    end

    reg [8*512-1:0] logits_file, queues_file, lengths_file;
    integer tokens = 0;
    integer cycles;

    always #5 clk = ~clk;

    moehls_tb_busy_monitor #(.UNIT("router")) busy_rule (
        .clk(clk), .start(start), .nonempty(n_tokens != {TOKB{1'b0}}), .done(done), .busy(busy), .cycles(cycles));

    always @(posedge clk) begin
        if (start) cycles <= 0;
        else cycles <= cycles + 1;
    end

    initial begin
        if (!$value$plusargs("logits=%s", logits_file)) begin $display("ERROR: %s", "missing +logits=FILE"); $finish; end
        if (!$value$plusargs("queues=%s", queues_file)) begin $display("ERROR: %s", "missing +queues=FILE"); $finish; end
        if (!$value$plusargs("lengths=%s", lengths_file)) begin $display("ERROR: %s", "missing +lengths=FILE"); $finish; end
        if (!$value$plusargs("tokens=%d", tokens)) begin $display("ERROR: %s", "missing +tokens=N"); $finish; end
        for (i = 0; i < E * MAX_TOK; i = i + 1) begin
            qmem[i] = {(AW+TOKB){1'b0}};
            written[i] = 1'b0;
        end
        amem.load(logits_file, tokens * E);
        bmem.load(logits_file, tokens * E);
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
        if (writes != tokens * KTOP || twice != 0)
            $display("ERROR: %0d queue entries written (%0d twice), expected %0d, each once", writes, twice, tokens * KTOP);
        for (i = 0; i < E; i = i + 1) lmem[i] = lengths[i*TOKB +: TOKB];
        $writememh(queues_file, qmem);
        $writememh(lengths_file, lmem);
        $finish;
    end
endmodule
