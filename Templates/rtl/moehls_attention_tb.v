// Testbench for moehls_attention, rendered by moehls (RTLAttentionKernel.swift): @@header@@
//
// Plusargs: +q=FILE +k=FILE +v=FILE (one word of T_A elements per head, token and chunk:
// word (head*N + token)*C_A + chunk, $readmemh), +heads=H, +outputs=FILE (written with
// $writememh: one output per token and column of the H concatenated heads, token-major).
// Prints "CYCLES <n>" from the start pulse to done. The Q, K and V buffers answer one cycle after
// a read enable (a registered read); the result buffer takes writes as they come.
// Lint waivers for this testbench only (it is simulated, never synthesised):
// DECLFILENAME: the file is named after the shape it was rendered for, the module is not;
// BLKSEQ, INITIALDLY: the result buffer uses blocking temporaries and the stimulus process drives
// registers with nonblocking assignments, as testbenches do;
// WIDTH: addresses of the memory models (moehls_tb_models.v) are integer arithmetic on narrower
// ports;
// UNUSEDSIGNAL: `busy` is part of the kernel's interface but the testbench waits for `done`.
/* verilator lint_off DECLFILENAME */
/* verilator lint_off BLKSEQ */
/* verilator lint_off INITIALDLY */
/* verilator lint_off WIDTH */
/* verilator lint_off UNUSEDSIGNAL */
module moehls_attention_tb;
    localparam T_A = @@t_a@@;
    localparam AW = @@a_width@@;
    localparam N = @@tokens@@;
    localparam HD = @@head_dim@@;
    localparam C_A = @@chunks@@;
    localparam MAX_HEADS = @@max_heads@@;
    localparam HB = @@head_bits@@;
    localparam TOKB = @@token_bits@@;
    localparam CAB = @@chunk_bits@@;
    localparam TIMEOUT = @@timeout_cycles@@;

    reg clk = 1'b0;
    reg rst = 1'b1;
    reg start = 1'b0;
    reg [HB-1:0] n_heads = {HB{1'b0}};
    wire done, busy;
    wire q_rd_en, k_rd_en, v_rd_en;
    wire [HB-1:0] q_rd_head, k_rd_head, v_rd_head;
    wire [TOKB-1:0] q_rd_token, k_rd_token, v_rd_token;
    wire [CAB-1:0] q_rd_chunk, k_rd_chunk, v_rd_chunk;
    wire [T_A*AW-1:0] q_rd_data, k_rd_data, v_rd_data;
    wire y_we;
    wire [HB-1:0] y_head;
    wire [TOKB-1:0] y_token;
    wire [CAB-1:0] y_chunk;
    wire [T_A*AW-1:0] y_data;

    moehls_attention #(@@kernel_parameters@@) dut (
        .clk(clk), .rst(rst), .start(start), .n_heads(n_heads), .done(done), .busy(busy),
        .q_rd_en(q_rd_en), .q_rd_head(q_rd_head), .q_rd_token(q_rd_token), .q_rd_chunk(q_rd_chunk), .q_rd_data(q_rd_data),
        .k_rd_en(k_rd_en), .k_rd_head(k_rd_head), .k_rd_token(k_rd_token), .k_rd_chunk(k_rd_chunk), .k_rd_data(k_rd_data),
        .v_rd_en(v_rd_en), .v_rd_head(v_rd_head), .v_rd_token(v_rd_token), .v_rd_chunk(v_rd_chunk), .v_rd_data(v_rd_data),
        .y_we(y_we), .y_head(y_head), .y_token(y_token), .y_chunk(y_chunk), .y_data(y_data));

    // Q, K, V buffers (moehls_tb_models.v): chunk c of head h, token t at word (h N + t) C_A + c
    moehls_tb_word_buffer #(.WORD(T_A*AW), .BLOCKS(C_A), .DEPTH(MAX_HEADS*N*C_A)) qmem (
        .clk(clk), .rd_en(q_rd_en), .rd_row(q_rd_head*N + q_rd_token), .rd_block(q_rd_chunk), .limit(heads*N),
        .rd_data(q_rd_data));
    moehls_tb_word_buffer #(.WORD(T_A*AW), .BLOCKS(C_A), .DEPTH(MAX_HEADS*N*C_A)) kmem (
        .clk(clk), .rd_en(k_rd_en), .rd_row(k_rd_head*N + k_rd_token), .rd_block(k_rd_chunk), .limit(heads*N),
        .rd_data(k_rd_data));
    moehls_tb_word_buffer #(.WORD(T_A*AW), .BLOCKS(C_A), .DEPTH(MAX_HEADS*N*C_A)) vmem (
        .clk(clk), .rd_en(v_rd_en), .rd_row(v_rd_head*N + v_rd_token), .rd_block(v_rd_chunk), .limit(heads*N),
        .rd_data(v_rd_data));
    reg [AW-1:0] ymem [0:N*MAX_HEADS*HD-1];
    reg [8*512-1:0] q_file, k_file, v_file, outputs_file;
    integer heads = 0;
    integer cycles, c, col, errors;

    always #5 clk = ~clk;

    // every read must stay inside the buffers
    always @(posedge clk) begin
        if ((q_rd_en && (q_rd_head >= heads || q_rd_token >= N)) || (k_rd_en && (k_rd_head >= heads || k_rd_token >= N))
            || (v_rd_en && (v_rd_head >= heads || v_rd_token >= N))) begin
            $display("ERROR: read outside the buffers at cycle %0d", cycles);
            errors = errors + 1;
        end
    end

    // result buffer
    always @(posedge clk) begin
        if (y_we) begin
            if (y_token >= N || y_head >= heads) begin
                $display("ERROR: write outside the result buffer at cycle %0d", cycles);
                errors = errors + 1;
            end
            for (c = 0; c < T_A; c = c + 1) begin
                col = y_chunk*T_A + c;
                if (col < HD) ymem[y_token*(heads*HD) + y_head*HD + col] <= y_data[c*AW +: AW];
            end
        end
    end

    always @(posedge clk) begin
        if (start) cycles <= 0;
        else cycles <= cycles + 1;
    end

    initial begin
        if (!$value$plusargs("q=%s", q_file)) begin $display("ERROR: %s", "missing +q=FILE"); $finish; end
        if (!$value$plusargs("k=%s", k_file)) begin $display("ERROR: %s", "missing +k=FILE"); $finish; end
        if (!$value$plusargs("v=%s", v_file)) begin $display("ERROR: %s", "missing +v=FILE"); $finish; end
        if (!$value$plusargs("outputs=%s", outputs_file)) begin $display("ERROR: %s", "missing +outputs=FILE"); $finish; end
        if (!$value$plusargs("heads=%d", heads)) begin $display("ERROR: %s", "missing +heads=H"); $finish; end
        qmem.load(q_file, heads * N * C_A);
        kmem.load(k_file, heads * N * C_A);
        vmem.load(v_file, heads * N * C_A);
        cycles = 0;
        errors = 0;
        n_heads = heads;
        repeat (3) @(posedge clk);
        rst <= 1'b0;
        @(posedge clk);
        start <= 1'b1;
        @(posedge clk);
        start <= 1'b0;
        while (!done && cycles < TIMEOUT) @(posedge clk);
        if (!done) begin $display("ERROR: TIMEOUT after %0d cycles", cycles); $finish; end
        if (errors != 0) begin $display("ERROR: %0d bad accesses", errors); $finish; end
        $display("CYCLES %0d", cycles);
        $writememh(outputs_file, ymem, 0, N * heads * HD - 1);
        $finish;
    end
endmodule
