// Testbench for one MoE layer's gather, scatter and finish (moehls_gather, moehls_combine),
// rendered by moehls (RTLMoEKernel.swift): @@header@@
//
// For every expert with a non-empty queue, in index order: gather its queued tokens from the
// LayerNorm output into the staging buffer, then scatter the expert's output (the golden fc2
// output, the stimulus) into the accumulators. Then one finish pass over all tokens (convert, add
// the residual, clear) and a second finish pass, which must see cleared accumulators (its output
// is Q_O(x + 0)). The layer and its buffers are the shared model moehls_tb_moe_layer (which
// prints the cycle lines); this testbench adds the experts' outputs.
//
// Plusargs (all $readmemh/$writememh files): +ln=FILE (LayerNorm output, one word of T_IN values
// per token and block, token-major), +residual=FILE (the residual x, same layout), +lengths=FILE
// (E queue lengths), +queues=FILE (the queue entries {score, token} of all experts in expert order),
// +experts=FILE (every expert's output rows in queue order, experts in index order, one word per
// block), +gathered=FILE (written: the staging rows of all experts, one value per line, D per row),
// +out=FILE and +cleared=FILE (written: n x D values of each finish pass), +tokens=N.
// Lint waivers for this testbench only (it is simulated, never synthesised):
// DECLFILENAME: the file is named after the shape it was rendered for, the module is not;
// INITIALDLY: the stimulus process drives registers with nonblocking assignments;
// WIDTH: the models' rows (moehls_tb_models.v) are 32-bit integers on narrower ports;
// UNUSEDSIGNAL: the staging writes are the layer model's business here.
/* verilator lint_off DECLFILENAME */
/* verilator lint_off INITIALDLY */
/* verilator lint_off WIDTH */
/* verilator lint_off UNUSEDSIGNAL */
module moehls_moe_tb;
    localparam T_IN = @@t_in@@;
    localparam K = @@blocks@@;
    localparam E = @@experts@@;
    localparam MAX_PAIRS = @@max_pairs@@;
    localparam TOKB = @@token_bits@@;
    localparam KB = @@block_bits@@;
    localparam XW = @@x_width@@;
    localparam YW = @@y_width@@;

    reg clk = 1'b0;
    reg rst = 1'b1;
    always #5 clk = ~clk;

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

    // the experts' outputs, in queue order (expert e's rows from the layer's base)
    moehls_tb_word_buffer #(.WORD(T_IN*YW), .BLOCKS(K), .DEPTH(MAX_PAIRS*K)) ymem (
        .clk(clk), .rd_en(y_rd_en), .rd_row(layer.base + y_rd_pos), .rd_block(y_rd_block), .limit(layer.total),
        .rd_data(y_rd_data));

    reg [8*512-1:0] ln_file, residual_file, lengths_file, queues_file, experts_file;
    reg [8*512-1:0] gathered_file, out_file, cleared_file;
    integer tokens, e, failed;

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
        layer.load(ln_file, residual_file, lengths_file, queues_file, tokens);
        ymem.load(experts_file, layer.total * K);
        repeat (3) @(posedge clk);
        rst <= 1'b0;
        @(posedge clk);
        for (e = 0; e < E; e = e + 1) begin
            if (layer.lengths[e] != 0) begin
                layer.gather(e);
                layer.scatter(e);
            end
        end
        layer.finish;
        layer.clear;
        layer.dump(gathered_file, out_file, cleared_file);
        $finish;
    end
endmodule
