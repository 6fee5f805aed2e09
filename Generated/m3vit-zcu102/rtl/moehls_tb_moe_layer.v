// The MoE layer model shared by the MoE testbenches (simulated, never synthesised): one layer's
// moehls_gather and moehls_combine with the buffers around them (the memory models of
// moehls_tb_models.v), and tasks that run them. The testbench around it supplies the experts:
// moehls_moe_tb reads the golden experts' outputs, moehls_moe_chain_tb runs fc1 and fc2 on the
// linear kernel. Both see the staging rows the gather writes (s_we ... s_data) and answer the
// combine's reads of the experts' outputs (y_rd_en ... y_rd_data, one registered read).
//
// Tasks, called by hierarchical reference from the testbench's stimulus process:
//   load(ln, residual, lengths, queues, tokens): the LayerNorm output and the residual x (one word
//     of T_IN values per token and block, token-major), the E queue lengths and the queue entries
//     {score, token} of all experts in expert order;
//   gather(e) and scatter(e): expert e's queue (prints "GATHER e m cycles" / "SCATTER e m cycles");
//   finish(): one finish pass over all tokens ("FINISH n cycles"), clear(): a second one, which
//     must see cleared accumulators ("CLEAR n cycles");
//   dump(gathered, out, cleared): the staging rows of all experts (one value per line, D per row)
//     and the n x D outputs of the two finish passes.
// Cycles count from the start pulse to done. `base` is the first queue entry of the expert being
// run, `m` its queue length. A monitor checks the busy rule of both units (busy high from the
// edge that samples start until done) and prints an ERROR line when it is broken.
// Lint waivers for this model only: WIDTH (the models' 32-bit rows and columns on narrower
// ports), PINCONNECTEMPTY (read ports of buffers only written), UNUSEDSIGNAL (address bits the
// models ignore), INITIALDLY (the tasks drive the start pulses nonblocking).
/* verilator lint_off WIDTH */
/* verilator lint_off PINCONNECTEMPTY */
/* verilator lint_off UNUSEDSIGNAL */
/* verilator lint_off INITIALDLY */
module moehls_tb_moe_layer #(
    // moehls_combine's parameters (moehls_gather takes XW, T_IN, K and MAX_TOK of them)
    parameter SW = 32,
    parameter SF = 22,
    parameter YW = 32,
    parameter YF = 22,
    parameter CW = 32,
    parameter CF = 22,
    parameter XW = 32,
    parameter XF = 22,
    parameter OW = 32,
    parameter OF = 22,
    parameter O_SAT = 0,
    parameter T_IN = 4,
    parameter N_L = 2,
    parameter K = 8,
    parameter MAX_TOK = 64,
    // the layer
    parameter D = 32,            // embedding dimension (K = ceil(D / T_IN))
    parameter E = 4,             // experts
    parameter MAX_PAIRS = 128,   // queue entries of all experts
    parameter TIMEOUT = 100000   // cycles one unit invocation may take
) (
    input wire                   clk,
    input wire                   rst,
    // the gather's staging writes: row s_pos of the expert's queue, block s_block
    output wire                  s_we,
    output wire [TOKB-1:0]       s_pos,
    output wire [KB-1:0]         s_block,
    output wire [T_IN*XW-1:0]    s_data,
    // the combine's reads of the expert's outputs: queue position y_rd_pos, block y_rd_block
    output wire                  y_rd_en,
    output wire [TOKB-1:0]       y_rd_pos,
    output wire [KB-1:0]         y_rd_block,
    input wire [T_IN*YW-1:0]     y_rd_data
);
    localparam TOKB = $clog2(MAX_TOK + 1);
    localparam KB = $clog2(K + 1);

    reg g_start = 1'b0;
    reg sc_start = 1'b0;
    reg fin_start = 1'b0;
    reg [TOKB-1:0] g_n = {TOKB{1'b0}};
    reg [TOKB-1:0] c_n = {TOKB{1'b0}};
    wire g_done, g_busy, c_done, c_busy;
    wire g_q_rd_en, c_q_rd_en;
    wire [TOKB-1:0] g_q_rd_pos, c_q_rd_pos;
    wire [SW+TOKB-1:0] g_q_entry, c_q_entry;
    wire g_x_rd_en, c_x_rd_en;
    wire [TOKB-1:0] g_x_rd_token, c_x_rd_token;
    wire [KB-1:0] g_x_rd_block, c_x_rd_block;
    wire [T_IN*XW-1:0] g_x_rd_data;
    wire [N_L*T_IN*XW-1:0] c_x_rd_data;
    wire o_we;
    wire [TOKB-1:0] o_token;
    wire [N_L-1:0] o_lanes;
    wire [KB-1:0] o_block;
    wire [N_L*T_IN*OW-1:0] o_data;

    moehls_gather #(.XW(XW), .T_IN(T_IN), .K(K), .MAX_TOK(MAX_TOK)) gather_unit (
        .clk(clk), .rst(rst), .start(g_start), .n_queue(g_n), .done(g_done), .busy(g_busy),
        .q_rd_en(g_q_rd_en), .q_rd_pos(g_q_rd_pos), .q_rd_token(g_q_entry[TOKB-1:0]),
        .x_rd_en(g_x_rd_en), .x_rd_token(g_x_rd_token), .x_rd_block(g_x_rd_block), .x_rd_data(g_x_rd_data),
        .s_we(s_we), .s_pos(s_pos), .s_block(s_block), .s_data(s_data));

    moehls_combine #(.SW(SW), .SF(SF), .YW(YW), .YF(YF), .CW(CW), .CF(CF), .XW(XW), .XF(XF), .OW(OW), .OF(OF),
                     .O_SAT(O_SAT), .T_IN(T_IN), .N_L(N_L), .K(K), .MAX_TOK(MAX_TOK)) combine_unit (
        .clk(clk), .rst(rst), .scatter_start(sc_start), .finish_start(fin_start), .n_tokens(c_n),
        .done(c_done), .busy(c_busy),
        .q_rd_en(c_q_rd_en), .q_rd_pos(c_q_rd_pos), .q_rd_token(c_q_entry[TOKB-1:0]),
        .q_rd_score(c_q_entry[TOKB +: SW]),
        .y_rd_en(y_rd_en), .y_rd_pos(y_rd_pos), .y_rd_block(y_rd_block), .y_rd_data(y_rd_data),
        .x_rd_en(c_x_rd_en), .x_rd_token(c_x_rd_token), .x_rd_block(c_x_rd_block), .x_rd_data(c_x_rd_data),
        .o_we(o_we), .o_token(o_token), .o_lanes(o_lanes), .o_block(o_block), .o_data(o_data));

    // the queue entries (one read port for each unit), the LayerNorm output the gather reads and
    // the residual x the finish reads (lane l: token c_x_rd_token + l)
    moehls_tb_word_buffer #(.WORD(SW+TOKB), .DEPTH(MAX_PAIRS)) g_qmem (
        .clk(clk), .rd_en(g_q_rd_en), .rd_row(base + g_q_rd_pos), .rd_block(0), .limit(total), .rd_data(g_q_entry));
    moehls_tb_word_buffer #(.WORD(SW+TOKB), .DEPTH(MAX_PAIRS)) c_qmem (
        .clk(clk), .rd_en(c_q_rd_en), .rd_row(base + c_q_rd_pos), .rd_block(0), .limit(total), .rd_data(c_q_entry));
    moehls_tb_word_buffer #(.WORD(T_IN*XW), .BLOCKS(K), .DEPTH(MAX_TOK*K)) lnmem (
        .clk(clk), .rd_en(g_x_rd_en), .rd_row(g_x_rd_token), .rd_block(g_x_rd_block), .limit(tokens),
        .rd_data(g_x_rd_data));
    moehls_tb_word_buffer #(.LANES(N_L), .WORD(T_IN*XW), .BLOCKS(K), .DEPTH(MAX_TOK*K)) resmem (
        .clk(clk), .rd_en(c_x_rd_en), .rd_row(c_x_rd_token), .rd_block(c_x_rd_block), .limit(tokens),
        .rd_data(c_x_rd_data));
    // the staging rows of all experts side by side, and the outputs of the two finish passes
    moehls_tb_value_buffer #(.T(T_IN), .W(XW), .COLS(D), .DEPTH(MAX_PAIRS*D)) gmem (
        .clk(clk), .rd_en(1'b0), .rd_row(0), .rd_column(0), .limit(0), .rd_data(),
        .we(s_we), .wr_row(base + s_pos), .wr_lanes(1'b1), .wr_column(s_block * T_IN), .wr_columns({T_IN{1'b1}}),
        .wr_data(s_data));
    moehls_tb_value_buffer #(.WL(N_L), .T(T_IN), .W(OW), .COLS(D), .DEPTH(MAX_TOK*D)) omem (
        .clk(clk), .rd_en(1'b0), .rd_row(0), .rd_column(0), .limit(0), .rd_data(),
        .we(o_we && !clearing), .wr_row(o_token), .wr_lanes(o_lanes), .wr_column(o_block * T_IN), .wr_columns({T_IN{1'b1}}),
        .wr_data(o_data));
    moehls_tb_value_buffer #(.WL(N_L), .T(T_IN), .W(OW), .COLS(D), .DEPTH(MAX_TOK*D)) cmem (
        .clk(clk), .rd_en(1'b0), .rd_row(0), .rd_column(0), .limit(0), .rd_data(),
        .we(o_we && clearing), .wr_row(o_token), .wr_lanes(o_lanes), .wr_column(o_block * T_IN), .wr_columns({T_IN{1'b1}}),
        .wr_data(o_data));

    reg [TOKB-1:0] lengths [0:E-1];
    integer bases [0:E-1];
    integer tokens = 0;
    integer total = 0;
    integer base = 0;
    integer m = 0;
    integer cycles = 0;
    integer e;
    reg clearing = 1'b0;

    always @(posedge clk) begin
        if (g_start || sc_start || fin_start) cycles <= 0;
        else cycles <= cycles + 1;
    end

    // the busy rule (docs/kernels-moe.md): from the edge that samples a start (of a non-empty
    // pass) until done, the unit's busy is high, so a controller may start the next pass on !busy
    moehls_tb_busy_monitor #(.UNIT("gather")) gather_busy (
        .clk(clk), .start(g_start), .nonempty(g_n != {TOKB{1'b0}}), .done(g_done), .busy(g_busy), .cycles(cycles));
    moehls_tb_busy_monitor #(.UNIT("combine")) combine_busy (
        .clk(clk), .start(sc_start || fin_start), .nonempty(c_n != {TOKB{1'b0}}), .done(c_done), .busy(c_busy),
        .cycles(cycles));

    task load;
        input [8*512-1:0] ln_file, residual_file, lengths_file, queues_file;
        input integer n;
        begin
            tokens = n;
            lnmem.load(ln_file, tokens * K);
            resmem.load(residual_file, tokens * K);
            $readmemh(lengths_file, lengths, 0, E - 1);
            total = 0;
            for (e = 0; e < E; e = e + 1) begin
                bases[e] = total;
                total = total + lengths[e];
            end
            g_qmem.load(queues_file, total);
            c_qmem.load(queues_file, total);
        end
    endtask

    // `unit` 0: gather, 1: combine
    task wait_done;
        input integer unit;
        begin
            while (!(unit == 0 ? g_done : c_done) && cycles < TIMEOUT) @(posedge clk);
            if (!(unit == 0 ? g_done : c_done)) begin
                $display("ERROR: TIMEOUT after %0d cycles", cycles);
                $finish;
            end
        end
    endtask

    // one gather (`unit` 0) or scatter (1) of expert e's queue
    task run_queue;
        input integer unit;
        input integer expert;
        begin
            base = bases[expert];
            m = lengths[expert];
            g_n <= lengths[expert];
            c_n <= lengths[expert];
            if (unit == 0) g_start <= 1'b1;
            else sc_start <= 1'b1;
            @(posedge clk);
            g_start <= 1'b0;
            sc_start <= 1'b0;
            wait_done(unit);
            $display("%s %0d %0d %0d", unit == 0 ? "GATHER" : "SCATTER", expert, m, cycles);
        end
    endtask

    task gather;
        input integer expert;
        run_queue(0, expert);
    endtask

    task scatter;
        input integer expert;
        run_queue(1, expert);
    endtask

    task finish_pass;
        begin
            c_n <= tokens;
            fin_start <= 1'b1;
            @(posedge clk);
            fin_start <= 1'b0;
            wait_done(1);
        end
    endtask

    task finish;
        begin
            finish_pass;
            $display("FINISH %0d %0d", tokens, cycles);
        end
    endtask

    task clear;
        begin
            @(posedge clk);
            clearing = 1'b1;
            finish_pass;
            $display("CLEAR %0d %0d", tokens, cycles);
        end
    endtask

    task dump;
        input [8*512-1:0] gathered_file, out_file, cleared_file;
        begin
            gmem.dump(gathered_file, total * D);
            omem.dump(out_file, tokens * D);
            cmem.dump(cleared_file, tokens * D);
        end
    endtask
endmodule
