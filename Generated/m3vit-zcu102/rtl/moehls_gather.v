// moehls_gather: copies one expert's queued tokens into the staging buffer the linear kernel
// reads (docs/kernels-moe.md, "Gather"; docs/cost-model.md, "Experts").
//
// For queue positions q = 0 ... m-1 (outer) and input blocks k = 0 ... K-1 (inner), one T_IN-wide
// chunk per cycle: read the queue entry q (the token id t), read the chunk k of token t from the
// source buffer (the LayerNorm output), write it as chunk k of row q of the staging buffer. The
// queue read and the source read are both synchronous buffer reads (address register here, data
// register in the buffer, buffer_read_depth = 2 each), so the first write commits 4 edges after
// the start edge and the invocation takes  m K + 2 buffer_read_depth - 1  cycles (the start
// pulse is the first address cycle).
//
// Verilog-2005 subset accepted by Icarus 11, Yosys 0.23 and Verilator 5.
module moehls_gather #(
    parameter XW = 32,         // activation width (copied, not interpreted)
    parameter T_IN = 4,        // words per chunk
    parameter K = 8,           // chunks per token: ceil(D / T_IN)
    parameter MAX_TOK = 64     // largest queue length and token count (sizes the counters)
) (
    input  wire                 clk,
    input  wire                 rst,
    input  wire                 start,      // pulse: gather n_queue queued tokens
    input  wire [TOKB-1:0]      n_queue,    // m, 0 ... MAX_TOK, held while busy (0: done at once)
    output reg                  done,       // pulse: the last chunk was written
    output wire                 busy,
    // queue read: the token id at position q_rd_pos, one cycle after q_rd_en
    output reg                  q_rd_en,
    output reg  [TOKB-1:0]      q_rd_pos,
    input  wire [TOKB-1:0]      q_rd_token,
    // source read (token-major, banked by token lane in the buffer): one cycle after x_rd_en
    output reg                  x_rd_en,
    output reg  [TOKB-1:0]      x_rd_token,
    output reg  [KB-1:0]        x_rd_block,
    input  wire [T_IN*XW-1:0]   x_rd_data,
    // staging write: chunk s_block of row s_pos (queue position)
    output wire                 s_we,
    output wire [TOKB-1:0]      s_pos,
    output wire [KB-1:0]        s_block,
    output wire [T_IN*XW-1:0]   s_data
);
    localparam TOKB = $clog2(MAX_TOK + 1);
    localparam KB = $clog2(K + 1);

    // ---- issue: one (q, k) per cycle; the start edge issues (0, 0) -----------------------------
    reg              running;
    reg [TOKB-1:0]   iq;
    reg [KB-1:0]     ik;
    wire             go = start && (n_queue != {TOKB{1'b0}});
    wire             issue = go || running;
    wire [TOKB-1:0]  cur_q = start ? {TOKB{1'b0}} : iq;
    wire [KB-1:0]    cur_k = start ? {KB{1'b0}} : ik;
    wire             last_k = (cur_k == K[KB-1:0] - 1'b1);
    wire             last_q = ({1'b0, cur_q} + 1'b1 == {1'b0, n_queue});
    wire             last = last_k && last_q;

    // tags of an issued chunk: stage 1 (queue address), 2 (queue data), 3 (source address),
    // 4 (source data = write)
    reg              t_valid [1:4];
    reg              t_last  [1:4];
    reg [TOKB-1:0]   t_pos   [1:4];
    reg [KB-1:0]     t_k     [1:4];
    integer d;

    always @(posedge clk) begin
        if (rst) begin
            running <= 1'b0;
            iq <= {TOKB{1'b0}};
            ik <= {KB{1'b0}};
            q_rd_en <= 1'b0;
            x_rd_en <= 1'b0;
            done <= 1'b0;
        end else begin
            if (issue) begin
                running <= !last;
                ik <= last_k ? {KB{1'b0}} : cur_k + 1'b1;
                iq <= last_k ? cur_q + 1'b1 : cur_q;
            end
            q_rd_en <= issue;
            x_rd_en <= t_valid[2];
            // done: the last write commits at this edge (or at once for an empty queue)
            done <= (t_valid[4] && t_last[4]) || (start && (n_queue == {TOKB{1'b0}}));
        end
        q_rd_pos <= cur_q;
        x_rd_token <= q_rd_token;
        x_rd_block <= t_k[2];
    end

    always @(posedge clk) begin
        t_valid[1] <= issue && !rst;
        t_last[1] <= last;
        t_pos[1] <= cur_q;
        t_k[1] <= cur_k;
        for (d = 2; d <= 4; d = d + 1) begin
            t_valid[d] <= rst ? 1'b0 : t_valid[d-1];
            t_last[d] <= t_last[d-1];
            t_pos[d] <= t_pos[d-1];
            t_k[d] <= t_k[d-1];
        end
    end

    // busy from the start edge until done: issuing, or a chunk still in the pipeline
    assign busy = running || t_valid[1] || t_valid[2] || t_valid[3] || t_valid[4];
    assign s_we = t_valid[4];
    assign s_pos = t_pos[4];
    assign s_block = t_k[4];
    assign s_data = x_rd_data;
endmodule
