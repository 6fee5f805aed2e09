// moehls_combine: the MoE combine with its accumulators, and the finish pass with the residual
// (docs/kernels-moe.md, "Combine"; docs/numerics.md, "MoE gate and experts", "Accumulation").
//
// Scatter (one per active expert, after its fc2): for queue positions q = 0 ... m-1 (outer) and
// blocks k = 0 ... K-1 (inner), one T_IN-wide chunk per cycle:
//     acc[t][k T_IN + c] += trunc_C(s_q * y[q][k T_IN + c])     (sum mod 2^CW)
// where (t, s_q) is queue entry q (token id and its score for this expert) and y the expert's
// output in the staging buffer, exactly FixedKernels.combine. T_IN multipliers (SW x YW signed).
// Cycles: m K + buffer_read_depth + multiplier_depth + accumulate_depth - 1.
//
// Finish (once per layer, after the last scatter): for token groups g (N_L tokens, lane l holds
// token g N_L + l) and blocks k, one chunk of every lane per cycle:
//     out[t][c] = Q_O(x[t][c] + Q_O(acc[t][c])),    acc[t][c] = 0
// (FixedKernels.combineFinish, then FixedKernels.add with the residual x), written through the
// output port, clearing the accumulators for the next layer.
// Cycles: ceil(n / N_L) K + buffer_read_depth + write_back_depth + 2 - 1.
//
// The accumulators are N_L banks (bank t mod N_L, row t / N_L) of ceil(MAX_TOK / N_L) K words of
// T_IN CW bits, synchronous read, read-first; they start at zero (initial values) and every finish
// pass leaves them at zero.
//
// Verilog-2005 subset accepted by Icarus 11, Yosys 0.23 and Verilator 5.
module moehls_combine #(
    parameter SW = 32,         // score width (signed; the activation format)
    parameter SF = 22,         // score fraction bits
    parameter YW = 32,         // expert output width (signed)
    parameter YF = 22,
    parameter CW = 32,         // accumulator width (signed, AP_WRAP; products AP_TRN)
    parameter CF = 22,
    parameter XW = 32,         // residual width (signed)
    parameter XF = 22,
    parameter OW = 32,         // output width (signed, AP_TRN; AP_WRAP or AP_SAT)
    parameter OF = 22,
    parameter O_SAT = 0,
    parameter T_IN = 4,
    parameter N_L = 2,
    parameter K = 8,           // chunks per token: ceil(D / T_IN)
    parameter MAX_TOK = 64     // largest token count of a layer
) (
    input  wire                   clk,
    input  wire                   rst,
    input  wire                   scatter_start,   // pulse: add an expert's n_tokens queued outputs
    input  wire                   finish_start,    // pulse: convert, add the residual, clear (n_tokens tokens)
    input  wire [TOKB-1:0]        n_tokens,        // m (scatter) or n (finish), held while busy
    output reg                    done,            // pulse: last write of either pass committed
    output wire                   busy,
    // queue read (scatter): token id and score at position q_rd_pos, one cycle after q_rd_en
    output reg                    q_rd_en,
    output reg  [TOKB-1:0]        q_rd_pos,
    input  wire [TOKB-1:0]        q_rd_token,
    input  wire [SW-1:0]          q_rd_score,
    // expert output read (scatter): chunk y_rd_block of row y_rd_pos, one cycle after y_rd_en
    output reg                    y_rd_en,
    output reg  [TOKB-1:0]        y_rd_pos,
    output reg  [KB-1:0]          y_rd_block,
    input  wire [T_IN*YW-1:0]     y_rd_data,        // column c at [c*YW +: YW]
    // residual read (finish): lane l reads token x_rd_token + l, one cycle after x_rd_en
    output reg                    x_rd_en,
    output reg  [TOKB-1:0]        x_rd_token,
    output reg  [KB-1:0]          x_rd_block,
    input  wire [N_L*T_IN*XW-1:0] x_rd_data,        // lane l, column c at [(l*T_IN+c)*XW +: XW]
    // output write (finish): chunk o_block of tokens o_token + l where o_lanes[l]
    output wire                   o_we,
    output wire [TOKB-1:0]        o_token,
    output wire [N_L-1:0]         o_lanes,
    output wire [KB-1:0]          o_block,
    output wire [N_L*T_IN*OW-1:0] o_data            // lane l, column c at [(l*T_IN+c)*OW +: OW]
);
    localparam TOKB = $clog2(MAX_TOK + 1);
    localparam KB = $clog2(K + 1);
    localparam NB = $clog2(MAX_TOK + N_L + 1);            // holds a position plus one step
    localparam ROWS = (MAX_TOK + N_L - 1) / N_L;        // accumulator rows per bank
    localparam DEPTH = ROWS * K;
    localparam AB = $clog2(DEPTH);                        // accumulator address bits
    localparam LB = $clog2(N_L);                          // bank index bits (at least 1)
    localparam LBW = (LB > 0) ? LB : 1;
    localparam PW = SW + YW;                              // exact product width
    localparam SH = SF + YF - CF;                         // product bits dropped (AP_TRN floor)
    localparam SHR = (SH > 0) ? SH : 0;
    localparam SHL = (SH < 0) ? -SH : 0;
    localparam EXW = ((PW > CW) ? PW : CW) + SHL + 1;     // product, sign-extended and aligned

    // ---- control: one pass at a time ------------------------------------------------------------
    reg              sc_run, fin_run;
    reg [TOKB-1:0]   iq;          // scatter: queue position; finish: first token of the group
    reg [KB-1:0]     ik;
    wire             sc_go = scatter_start && (n_tokens != {TOKB{1'b0}});
    wire             fin_go = finish_start && (n_tokens != {TOKB{1'b0}});
    wire             sc_issue = sc_go || sc_run;
    wire             fin_issue = fin_go || fin_run;
    wire             starting = scatter_start || finish_start;
    wire [TOKB-1:0]  cur_q = starting ? {TOKB{1'b0}} : iq;
    wire [KB-1:0]    cur_k = starting ? {KB{1'b0}} : ik;
    wire             last_k = (cur_k == K[KB-1:0] - 1'b1);
    wire [NB-1:0]    step = fin_issue ? N_L[NB-1:0] : {{(NB-1){1'b0}}, 1'b1};
    wire [NB-1:0]    next_q = {{(NB-TOKB){1'b0}}, cur_q} + step;
    wire             last_q = (next_q >= {{(NB-TOKB){1'b0}}, n_tokens});
    wire             last = last_k && last_q;

    always @(posedge clk) begin
        if (rst) begin
            sc_run <= 1'b0;
            fin_run <= 1'b0;
            iq <= {TOKB{1'b0}};
            ik <= {KB{1'b0}};
        end else if (sc_issue || fin_issue) begin
            sc_run <= sc_issue && !last;
            fin_run <= fin_issue && !last;
            ik <= last_k ? {KB{1'b0}} : cur_k + 1'b1;
            iq <= last_k ? next_q[TOKB-1:0] : cur_q;
        end
    end

    // ---- accumulator banks ------------------------------------------------------------------------
    reg  [AB-1:0]         acc_ra;            // read address (all banks)
    wire [AB-1:0]         acc_wa;            // write address
    wire [T_IN*CW-1:0]    acc_wd;            // write data
    wire [N_L-1:0]        acc_we;            // write enables
    wire [N_L*T_IN*CW-1:0] acc_rd;           // read data registers of all banks
    reg [N_L*T_IN*XW-1:0] x_d1, x_d2;        // finish: the residual, delayed to meet Q_O(acc)
    genvar l, c;
    generate
        for (l = 0; l < N_L; l = l + 1) begin : g_bank
            reg [T_IN*CW-1:0] mem [0:DEPTH-1];
            reg [T_IN*CW-1:0] rd;
            integer a;
            initial begin
                for (a = 0; a < DEPTH; a = a + 1) mem[a] = {(T_IN*CW){1'b0}};
            end
            always @(posedge clk) begin
                if (acc_we[l]) mem[acc_wa] <= acc_wd;
                rd <= mem[acc_ra];             // read-first: the finish pass clears what it reads
            end
            assign acc_rd[l*T_IN*CW +: T_IN*CW] = rd;
            // finish, per element: Q_O(acc) (moehls_convert), then Q_O(x + that)
            // (moehls_residual_add); each element has its own wires (a shared wide net would make
            // every simulator event fan out to all N_L T_IN elements)
            for (c = 0; c < T_IN; c = c + 1) begin : g_fin
                wire [XW-1:0] x_word = x_d2[(l*T_IN+c)*XW +: XW];
                wire [OW-1:0] moe;
                wire [OW-1:0] y;
                moehls_convert #(.IW(CW), .IF(CF), .OW(OW), .OF(OF), .O_SAT(O_SAT), .STAGES(2))
                    convert (.clk(clk), .x(rd[c*CW +: CW]), .y(moe));
                moehls_residual_add #(.AW(XW), .AF(XF), .BW(OW), .BF(OF), .OW(OW), .OF(OF), .O_SAT(O_SAT))
                    residual (.clk(clk), .a(x_word), .b(moe), .y(y));
                assign o_data[(l*T_IN+c)*OW +: OW] = y;
            end
        end
    endgenerate

    // ---- scatter pipeline -------------------------------------------------------------------------
    // edge i: queue and y addresses; i+1: buffer data; i+2: operand registers (A/B) and token;
    // i+3: row and bank of the token, product register M; i+4: accumulator address, P register;
    // i+5: accumulator data, partial-product stage; i+6: sum; i+7: the sum is written.
    // s_valid[d] / s_last[d] hold the chunk issued at edge i during cycle (i+d-1, i+d).
    reg              s_valid [1:7];
    reg              s_last  [1:7];
    reg [KB-1:0]     s_k     [1:4];
    reg [TOKB-1:0]   s_tok;                  // token id (edge i+2)
    reg [TOKB-1:0]   s_row;                  // t / N_L (edge i+3)
    reg [LBW-1:0]    s_bank  [3:6];          // t mod N_L
    reg [AB-1:0]     s_addr  [5:6];          // accumulator address of the chunk
    reg [SW-1:0]     score_q;                // operand registers
    reg [T_IN*YW-1:0] y_q;
    reg [T_IN*CW-1:0] sum;                   // acc + product (edge i+6)
    integer d;

    always @(posedge clk) begin
        if (rst) begin
            q_rd_en <= 1'b0;
            y_rd_en <= 1'b0;
        end else begin
            q_rd_en <= sc_issue;
            y_rd_en <= sc_issue;
        end
        q_rd_pos <= cur_q;
        y_rd_pos <= cur_q;
        y_rd_block <= cur_k;
        s_valid[1] <= sc_issue && !rst;
        s_last[1] <= last;
        s_k[1] <= cur_k;
        for (d = 2; d <= 7; d = d + 1) begin
            s_valid[d] <= rst ? 1'b0 : s_valid[d-1];
            s_last[d] <= s_last[d-1];
        end
        for (d = 2; d <= 4; d = d + 1) s_k[d] <= s_k[d-1];
        score_q <= q_rd_score;
        y_q <= y_rd_data;
        s_tok <= q_rd_token;
        // Waiver: t / N_L and t mod N_L are below MAX_TOK and N_L, which TOKB and LBW bits hold
        // (32-bit integer arithmetic on a constant divisor).
        /* verilator lint_off WIDTH */
        s_row <= s_tok / N_L;
        s_bank[3] <= s_tok % N_L;
        /* verilator lint_on WIDTH */
        s_bank[4] <= s_bank[3];
        s_bank[5] <= s_bank[4];
        s_bank[6] <= s_bank[5];
        s_addr[6] <= s_addr[5];
        s_addr[5] <= acc_ra;
    end

    // products: T_IN multipliers, then the floor to CF fraction bits (an arithmetic shift); only
    // the low CW bits of each quantised product matter (the accumulator wraps)
    wire [T_IN*CW-1:0] products;
    generate
        for (c = 0; c < T_IN; c = c + 1) begin : g_mul
            wire signed [SW-1:0] ss = score_q;
            wire signed [YW-1:0] ys = y_q[c*YW +: YW];
            wire signed [PW-1:0] p = ss * ys;
            wire signed [EXW-1:0] p_ext = {{(EXW-PW){p[PW-1]}}, p};
            // Waiver: only the low CW bits of the quantised product are used (the accumulator
            // wraps modulo 2^CW, docs/numerics.md "Accumulation").
            /* verilator lint_off UNUSEDSIGNAL */
            wire signed [EXW-1:0] p_q = (SH >= 0) ? (p_ext >>> SHR) : (p_ext <<< SHL);
            /* verilator lint_on UNUSEDSIGNAL */
            reg signed [CW-1:0] m1, m2, m3;
            always @(posedge clk) begin
                m1 <= p_q[CW-1:0];
                m2 <= m1;
                m3 <= m2;
            end
            assign products[c*CW +: CW] = m3;
        end
    endgenerate

    // the selected bank's chunk plus the products, wrapping at CW bits
    wire [T_IN*CW-1:0] bank_chunk = acc_rd[s_bank[5]*T_IN*CW +: T_IN*CW];
    generate
        for (c = 0; c < T_IN; c = c + 1) begin : g_sum
            always @(posedge clk) sum[c*CW +: CW] <= bank_chunk[c*CW +: CW] + products[c*CW +: CW];
        end
    endgenerate

    // ---- finish pipeline --------------------------------------------------------------------------
    // edge i: accumulator and residual addresses; i+1: data (and the chunk is cleared); i+2, i+3:
    // Q_O(acc) (moehls_convert); i+4, i+5: Q_O(x + that) (moehls_residual_add); i+6: written.
    // (The two units per element sit in g_bank, next to the bank's read register.)
    reg              f_valid [1:6];
    reg              f_last  [1:6];
    reg [TOKB-1:0]   f_tok   [1:6];
    reg [KB-1:0]     f_k     [1:6];
    reg [N_L-1:0]    f_lanes [1:6];
    wire [N_L-1:0]   lanes_now;
    generate
        for (l = 0; l < N_L; l = l + 1) begin : g_lanes
            assign lanes_now[l] = ({1'b0, cur_q} + l) < {1'b0, n_tokens};
        end
    endgenerate

    always @(posedge clk) begin
        if (rst) x_rd_en <= 1'b0;
        else x_rd_en <= fin_issue;
        x_rd_token <= cur_q;
        x_rd_block <= cur_k;
        f_valid[1] <= fin_issue && !rst;
        f_last[1] <= last;
        f_tok[1] <= cur_q;
        f_k[1] <= cur_k;
        f_lanes[1] <= lanes_now;
        for (d = 2; d <= 6; d = d + 1) begin
            f_valid[d] <= rst ? 1'b0 : f_valid[d-1];
            f_last[d] <= f_last[d-1];
            f_tok[d] <= f_tok[d-1];
            f_k[d] <= f_k[d-1];
            f_lanes[d] <= f_lanes[d-1];
        end
        x_d1 <= x_rd_data;
        x_d2 <= x_d1;
    end

    assign o_we = f_valid[6];
    assign o_token = f_tok[6];
    assign o_lanes = f_lanes[6];
    assign o_block = f_k[6];

    // ---- accumulator address and write port (shared by the two passes) ----------------------------
    // Waiver: the row address is computed in 32-bit integer arithmetic and is below DEPTH, which
    // AB bits hold.
    /* verilator lint_off WIDTH */
    wire [AB-1:0] sc_addr = s_row * K + s_k[4];
    wire [AB-1:0] fin_addr = (cur_q / N_L) * K + cur_k;
    /* verilator lint_on WIDTH */
    always @(posedge clk) begin
        if (fin_issue) acc_ra <= fin_addr;
        else acc_ra <= sc_addr;
    end
    wire clearing = f_valid[1];               // finish: clear the chunk read at this edge
    assign acc_wa = clearing ? acc_ra : s_addr[6];
    assign acc_wd = clearing ? {(T_IN*CW){1'b0}} : sum;
    generate
        for (l = 0; l < N_L; l = l + 1) begin : g_we
            assign acc_we[l] = clearing || (s_valid[7] && (s_bank[6] == l));
        end
    endgenerate

    always @(posedge clk) begin
        if (rst) done <= 1'b0;
        else done <= (s_valid[7] && s_last[7]) || (f_valid[6] && f_last[6])
                     || (starting && (n_tokens == {TOKB{1'b0}}));
    end
    // busy from the start edge until done: issuing, or a chunk still in the pipeline (a
    // controller may start the next pass once busy is low)
    assign busy = sc_run || fin_run || s_valid[1] || s_valid[2] || s_valid[3] || s_valid[4] || s_valid[5]
                  || s_valid[6] || s_valid[7] || f_valid[1] || f_valid[2] || f_valid[3] || f_valid[4]
                  || f_valid[5] || f_valid[6];
endmodule
