// moehls_attention: the streaming attention kernel (docs/kernels-attention.md).
//
// For each of n_heads heads in turn, exactly FixedKernels.attentionHead (docs/numerics.md,
// "Attention"), bit for bit:
//   acc_ij = sum_c trunc_C(q_ic * k_jc)                           (mod 2^CW)
//   s_ij   = Q_A(acc_ij * SCALE)                                  (a shift when SCALE = 2^k)
//   m_i    = max_j s_ij;  e_ij = exp(s_ij - m_i)                  (moehls_exp, units 2^-23)
//   l_i    = sum_j e_ij (exact);  o_ic = sum_j trunc(e_ij * v_jc)  (mod 2^(CW+G), G = $clog2(N))
//   (r, s) = reciprocal(l_i);     out_ic = Q_A(o_ic * r * 2^-(CF+24+s))
//
// Engine (docs/cost-model.md, "Attention engine"): N_A query rows of one head on chip, T_A
// head-dimension elements per cycle per row, C_A = ceil(HD / T_A) chunks per row. The row blocks
// of all heads (NB = ceil(N / N_A) per head, the last one masked) pass through four stages that
// work in lockstep, one block per stage per step; a step ends when every stage has finished:
//   loader (block b+2): the next block's queries, one T_A-wide chunk per cycle;
//   QK     (block b+1): the N keys, C_A chunks each, broadcast to the N_A rows; every row sums
//                       its T_A products in a tree, accumulates over the chunks, scales, converts,
//                       writes its score buffer and keeps the running maximum;
//   PV     (block b):   chunk c (outer), key j (inner): e = exp(s_j - m) in every row (the exp
//                       is recomputed in every pass; the row sum is taken in the first), times the
//                       broadcast value chunk, accumulated per row element; after the first pass
//                       the one reciprocal unit takes the N_A row sums, one per cycle;
//   write-back (b-1):   row by row, chunk by chunk: T_A sums times the row's reciprocal
//                       mantissa, shifted by its exponent, converted and written.
// Query, score, maximum, output and reciprocal storage is double-buffered by block parity.
//
// Verilog-2005 subset accepted by Icarus 11, Yosys 0.23 and Verilator 5.
module moehls_attention #(
    parameter AW = 32,             // activation width (Q, K, V, scores, outputs; signed)
    parameter AF = 22,             // activation fraction bits (AP_TRN)
    parameter O_SAT = 0,           // activation overflow: 0 AP_WRAP, 1 AP_SAT
    parameter CW = 32,             // accumulator width (signed, AP_WRAP; products AP_TRN)
    parameter CF = 22,             // accumulator fraction bits
    parameter SCALE_RAW = 131072,  // scale constant, 18-bit unsigned, leading one at bit 17
    parameter SCALE_BITS = 19,     // its fraction bits (FixedKernels.scaleConstant)
    parameter N = 17,              // tokens: keys and query rows per head
    parameter HD = 16,             // head dimension
    parameter T_A = 4,             // head-dimension elements per cycle per row
    parameter N_A = 4,             // query rows on chip
    parameter MAX_HEADS = 2,       // largest n_heads (sizes the counters)
    parameter EXP_ROM = "exp2.hex",
    parameter EXP_ENTRIES = 257,
    parameter EXP_EW = 25,         // exp ROM entry width (unsigned)
    parameter RECIP_ROM = "recip.hex",
    parameter RECIP_ENTRIES = 257,
    parameter RECIP_EW = 25        // reciprocal ROM entry width (unsigned)
) (
    input  wire                 clk,
    input  wire                 rst,
    input  wire                 start,       // pulse: begin an invocation over n_heads heads
    input  wire [HB-1:0]        n_heads,     // 1 ... MAX_HEADS, sampled with start
    output reg                  done,        // pulse: the step after the last write
    output wire                 busy,
    // query read: T_A elements of token q_rd_token of head q_rd_head, columns q_rd_chunk*T_A ...
    // (zero past HD), returned in q_rd_data the cycle after q_rd_en; element i at [i*AW +: AW]
    output reg                  q_rd_en,
    output reg  [HB-1:0]        q_rd_head,
    output reg  [TOKB-1:0]      q_rd_token,
    output reg  [CAB-1:0]       q_rd_chunk,
    input  wire [T_A*AW-1:0]    q_rd_data,
    // key read (same protocol)
    output reg                  k_rd_en,
    output reg  [HB-1:0]        k_rd_head,
    output reg  [TOKB-1:0]      k_rd_token,
    output reg  [CAB-1:0]       k_rd_chunk,
    input  wire [T_A*AW-1:0]    k_rd_data,
    // value read (same protocol)
    output reg                  v_rd_en,
    output reg  [HB-1:0]        v_rd_head,
    output reg  [TOKB-1:0]      v_rd_token,
    output reg  [CAB-1:0]       v_rd_chunk,
    input  wire [T_A*AW-1:0]    v_rd_data,
    // result write: T_A outputs of token y_token (< N) of head y_head, columns y_chunk*T_A ...;
    // columns at or past HD are padding
    output wire                 y_we,
    output wire [HB-1:0]        y_head,
    output wire [TOKB-1:0]      y_token,
    output wire [CAB-1:0]       y_chunk,
    output wire [T_A*AW-1:0]    y_data
);
    // ---- derived sizes -------------------------------------------------------------------------
    localparam C_A = (HD + T_A - 1) / T_A;            // chunks per row
    localparam NB = (N + N_A - 1) / N_A;              // row blocks per head
    localparam G = $clog2(N);                         // guard bits of the value sums
    localparam VW = CW + G;                           // value accumulator width
    localparam LW = 24 + G;                           // row sum width (sum <= N 2^23)
    localparam MW = $clog2(LW);                       // leading-one index width
    localparam EXB = $clog2(G + 1);                   // reciprocal exponent width (0 ... G)
    localparam HB = $clog2(MAX_HEADS + 2);            // head counters (one past the last head)
    localparam TOKB = $clog2(NB * N_A + 1);           // tokens, rows of masked blocks included
    localparam CAB = $clog2(C_A + 1);
    localparam RB = $clog2(N_A + 1);
    localparam BLKB = HB + $clog2(NB + 1) + 1;        // block and step counts (> HB bits)
    localparam QAB = $clog2(2 * C_A);                 // query / output buffer address
    localparam SAB = $clog2(2 * N);                   // score buffer address
    localparam RAB = $clog2(2 * N_A);                 // reciprocal register address
    localparam POW2 = (SCALE_RAW == 131072) ? 1 : 0;
    localparam TREE = $clog2(T_A);                    // registered adder-tree levels
    localparam TN = 1 << TREE;                        // tree leaves (padded)
    // QK pipeline, in clock edges after the issue edge 0: address 0, data 1, multiplier 2-5,
    // tree 6 ..., accumulator E_ACC, scale multiplier (4, none for a power of two), score E_W
    localparam E_ACC = 6 + TREE;
    localparam E_W = E_ACC + 1 + ((POW2 != 0) ? 0 : 4);
    // PV pipeline: address 0, data 1, exp 2-10 (value read request 9, data 10), multiplier
    // 11-14, accumulator and output buffer write 15
    localparam E_PV = 15;
    // write-back pipeline: multiplier 0-3 (operands read at 0), conversion 4-5
    localparam E_WB = 5;
    // score conversion Q_A(acc * SCALE): the exact value has SXW bits, SIF fraction bits
    localparam SXW = (POW2 != 0) ? CW : CW + 19;
    localparam SIF = (POW2 != 0) ? CF + SCALE_BITS - 17 : CF + SCALE_BITS;
    localparam S_UP = (AF > SIF) ? AF - SIF : 0;
    localparam S_DN = (SIF > AF) ? SIF - AF : 0;
    localparam SVW = ((SXW + S_UP > AW) ? SXW + S_UP : AW) + 1;
    // product quantisation (AP_TRN floor, or bits appended) and wrap
    localparam SHQ = 2 * AF - CF;                     // score products: 2AW bits -> CW
    localparam SHV = 23 + AF - CF;                    // value products: AW + 25 bits -> VW
    // sized constants
    localparam J_LAST_I = N - 1;
    localparam C_LAST_I = C_A - 1;
    localparam R_LAST_I = N_A - 1;
    localparam [TOKB-1:0] J_LAST = J_LAST_I[TOKB-1:0];
    localparam [CAB-1:0]  C_LAST = C_LAST_I[CAB-1:0];
    localparam [RB-1:0]   R_LAST = R_LAST_I[RB-1:0];
    localparam [TOKB:0]   N_TOK = N[TOKB:0];
    localparam [TOKB:0]   N_A_TOK = N_A[TOKB:0];
    localparam [BLKB-1:0] NB_B = NB[BLKB-1:0];
    localparam [MW-1:0]   MSB_OFFSET = 23;            // fraction bits of the row sums
    localparam [18:0]     SCALE19 = SCALE_RAW[18:0];

    // ---- invocation and step control ----------------------------------------------------------
    // The edge that samples start registers the block count T = n_heads * NB and starts the
    // prologue step, which runs the loader alone (block 0); then T + 2 steps. done rises at the
    // edge that would start the step after the last. Start to done:
    // N_A C_A + buffer_read_depth + (T + 2) S (docs/kernels-attention.md, "Cycle count").
    reg             running;
    reg [BLKB-1:0]  total;
    reg [BLKB-1:0]  step;
    reg             go;                // first cycle of a step
    reg             prologue;          // the current step is the prologue
    reg             fin_ld, fin_qk, fin_pv, fin_rc, fin_wb;
    wire            all_fin = fin_ld && fin_qk && fin_pv && fin_rc && fin_wb;
    wire            advance = running && all_fin && !go;
    wire            last_step = (step == total + 1'b1);
    assign busy = running;

    // block positions: a block moves loader -> QK -> PV -> write-back, one stage per step
    reg             ld_v, qk_v, pv_v, wb_v;        // the stage holds a real block
    reg [HB-1:0]    ld_h, qk_h, pv_h, wb_h;        // its head
    reg [TOKB-1:0]  ld_t, qk_t, pv_t, wb_t;        // its first row (token)
    reg             ld_p, qk_p, pv_p, wb_p;        // its buffer parity
    reg [BLKB-1:0]  ld_n;                          // blocks handed to the loader so far
    wire [TOKB:0]   ld_next_t = {1'b0, ld_t} + N_A_TOK;
    wire            ld_wrap = (ld_next_t >= N_TOK);

    always @(posedge clk) begin
        if (rst) begin
            running <= 1'b0;
            go <= 1'b0;
            prologue <= 1'b0;
            done <= 1'b0;
            step <= {BLKB{1'b0}};
            ld_v <= 1'b0;
            qk_v <= 1'b0;
            pv_v <= 1'b0;
            wb_v <= 1'b0;
        end else begin
            done <= 1'b0;
            go <= 1'b0;
            if (start && !running) begin
                running <= 1'b1;
                total <= {{(BLKB-HB){1'b0}}, n_heads} * NB_B;
                go <= 1'b1;
                prologue <= 1'b1;
                step <= {BLKB{1'b0}};
                ld_v <= (n_heads != {HB{1'b0}});
                ld_h <= {HB{1'b0}};
                ld_t <= {TOKB{1'b0}};
                ld_p <= 1'b0;
                ld_n <= {{(BLKB-1){1'b0}}, 1'b1};
                qk_v <= 1'b0;
                pv_v <= 1'b0;
                wb_v <= 1'b0;
            end else if (advance) begin
                if (!prologue && last_step) begin
                    done <= 1'b1;
                    running <= 1'b0;
                end else begin
                    go <= 1'b1;
                    if (!prologue) step <= step + 1'b1;
                    prologue <= 1'b0;
                    wb_v <= pv_v;
                    wb_h <= pv_h;
                    wb_t <= pv_t;
                    wb_p <= pv_p;
                    pv_v <= qk_v;
                    pv_h <= qk_h;
                    pv_t <= qk_t;
                    pv_p <= qk_p;
                    qk_v <= ld_v;
                    qk_h <= ld_h;
                    qk_t <= ld_t;
                    qk_p <= ld_p;
                    ld_v <= (ld_n < total);
                    ld_n <= ld_n + 1'b1;
                    ld_p <= ~ld_p;
                    if (ld_wrap) begin
                        ld_t <= {TOKB{1'b0}};
                        ld_h <= ld_h + 1'b1;
                    end else begin
                        ld_t <= ld_next_t[TOKB-1:0];
                    end
                end
            end
        end
    end

    // ---- loader: the block's N_A x C_A query chunks (row outer, chunk inner) ----------------------
    reg             ld_act;
    reg [RB-1:0]    ld_r;
    reg [CAB-1:0]   ld_c;
    wire            ld_issue = go || ld_act;
    wire            ld_lastc = (ld_c == C_LAST);
    wire            ld_lastr = (ld_r == R_LAST);
    wire [TOKB:0]   ld_tok = {1'b0, ld_t} + {{(TOKB+1-RB){1'b0}}, ld_r};
    wire            ld_real = ld_v && (ld_tok < N_TOK);
    reg             l1_we, l1_zero, l1_p, l1_last, l2_we, l2_zero, l2_p;
    reg [RB-1:0]    l1_r, l2_r;
    reg [CAB-1:0]   l1_c, l2_c;
    always @(posedge clk) begin
        if (rst) begin
            ld_act <= 1'b0;
            ld_r <= {RB{1'b0}};
            ld_c <= {CAB{1'b0}};
            q_rd_en <= 1'b0;
            l1_we <= 1'b0;
            l1_last <= 1'b0;
            l2_we <= 1'b0;
        end else begin
            if (ld_issue) begin
                if (ld_lastc) begin
                    ld_c <= {CAB{1'b0}};
                    if (ld_lastr) begin
                        ld_r <= {RB{1'b0}};
                        ld_act <= 1'b0;
                    end else begin
                        ld_r <= ld_r + 1'b1;
                        ld_act <= 1'b1;
                    end
                end else begin
                    ld_c <= ld_c + 1'b1;
                    ld_act <= 1'b1;
                end
            end
            q_rd_en <= ld_issue && ld_real;
            l1_we <= ld_issue && ld_v;
            l1_last <= ld_issue && ld_lastc && ld_lastr;
            l2_we <= l1_we;
        end
        q_rd_head <= ld_h;
        q_rd_token <= ld_tok[TOKB-1:0];
        q_rd_chunk <= ld_c;
        l1_zero <= !ld_real;
        l1_p <= ld_p;
        l1_r <= ld_r;
        l1_c <= ld_c;
        l2_zero <= l1_zero;
        l2_p <= l1_p;
        l2_r <= l1_r;
        l2_c <= l1_c;
    end
    // The loader has finished when its last word is in the read port's data register
    // (buffer_read_depth = 2 edges after the issue); the buffer write one edge later comes before
    // the next step's first read of that buffer.
    always @(posedge clk) begin
        if (rst || go) fin_ld <= 1'b0;
        else if (l1_last) fin_ld <= 1'b1;
    end
    // Waiver: buffer addresses are computed in 32-bit integer arithmetic; the results are below
    // the buffer depths, which the address widths hold.
    /* verilator lint_off WIDTH */
    wire [QAB-1:0] l2_addr = l2_p ? C_A + l2_c : l2_c;
    /* verilator lint_on WIDTH */

    // ---- QK: key j (outer), chunk c (inner) -------------------------------------------------------
    reg             qk_act;
    reg [TOKB-1:0]  qk_j;
    reg [CAB-1:0]   qk_c;
    wire            qk_issue = (go && !prologue) || qk_act;
    wire            qk_lastc = (qk_c == C_LAST);
    wire            qk_lastj = (qk_j == J_LAST);
    reg [QAB-1:0]   qaddr;                         // query buffer read address (all rows)
    reg             qt_valid [0:E_W];
    reg             qt_act   [0:E_W];
    reg             qt_firstc[0:E_W];
    reg             qt_lastc [0:E_W];
    reg             qt_firstj[0:E_W];
    reg             qt_last  [0:E_W];
    reg [TOKB-1:0]  qt_j     [0:E_W];
    integer dq;
    always @(posedge clk) begin
        if (rst) begin
            qk_act <= 1'b0;
            qk_j <= {TOKB{1'b0}};
            qk_c <= {CAB{1'b0}};
            k_rd_en <= 1'b0;
        end else begin
            if (qk_issue) begin
                if (qk_lastc) begin
                    qk_c <= {CAB{1'b0}};
                    if (qk_lastj) begin
                        qk_j <= {TOKB{1'b0}};
                        qk_act <= 1'b0;
                    end else begin
                        qk_j <= qk_j + 1'b1;
                        qk_act <= 1'b1;
                    end
                end else begin
                    qk_c <= qk_c + 1'b1;
                    qk_act <= 1'b1;
                end
            end
            k_rd_en <= qk_issue && qk_v;
        end
        k_rd_head <= qk_h;
        k_rd_token <= qk_j;
        k_rd_chunk <= qk_c;
        // Waiver: as l2_addr.
        /* verilator lint_off WIDTH */
        qaddr <= qk_p ? C_A + qk_c : qk_c;
        /* verilator lint_on WIDTH */
        qt_valid[0] <= qk_issue && qk_v && !rst;
        qt_act[0] <= qk_issue && !rst;
        qt_firstc[0] <= (qk_c == {CAB{1'b0}});
        qt_lastc[0] <= qk_lastc;
        qt_firstj[0] <= (qk_j == {TOKB{1'b0}});
        qt_last[0] <= qk_lastc && qk_lastj;
        qt_j[0] <= qk_j;
        for (dq = 1; dq <= E_W; dq = dq + 1) begin
            qt_valid[dq] <= rst ? 1'b0 : qt_valid[dq-1];
            qt_act[dq] <= rst ? 1'b0 : qt_act[dq-1];
            qt_firstc[dq] <= qt_firstc[dq-1];
            qt_lastc[dq] <= qt_lastc[dq-1];
            qt_firstj[dq] <= qt_firstj[dq-1];
            qt_last[dq] <= qt_last[dq-1];
            qt_j[dq] <= qt_j[dq-1];
        end
    end
    always @(posedge clk) begin
        if (rst || go) fin_qk <= go && prologue;
        else if (qt_act[E_W-1] && qt_last[E_W-1]) fin_qk <= 1'b1;
    end
    wire qk_write = qt_valid[E_W-1] && qt_lastc[E_W-1];
    /* verilator lint_off WIDTH */
    wire [SAB-1:0] qk_saddr = qk_p ? N + qt_j[E_W-1] : qt_j[E_W-1];
    /* verilator lint_on WIDTH */

    // ---- PV: chunk c (outer), key j (inner) -------------------------------------------------------
    reg             pv_act;
    reg [TOKB-1:0]  pv_j;
    reg [CAB-1:0]   pv_c;
    wire            pv_issue = (go && !prologue) || pv_act;
    wire            pv_lastc = (pv_c == C_LAST);
    wire            pv_lastj = (pv_j == J_LAST);
    reg [SAB-1:0]   saddr;                         // score buffer read address (all rows)
    reg             pt_valid [0:E_PV-1];
    reg             pt_act   [0:E_PV-1];
    reg             pt_firstj[0:E_PV-1];
    reg             pt_lastj [0:E_PV-1];
    reg             pt_pass0 [0:E_PV-1];
    reg             pt_last  [0:E_PV-1];
    reg [TOKB-1:0]  pt_j     [0:E_PV-1];
    reg [CAB-1:0]   pt_c     [0:E_PV-1];
    integer dp;
    always @(posedge clk) begin
        if (rst) begin
            pv_act <= 1'b0;
            pv_j <= {TOKB{1'b0}};
            pv_c <= {CAB{1'b0}};
            v_rd_en <= 1'b0;
        end else begin
            if (pv_issue) begin
                if (pv_lastj) begin
                    pv_j <= {TOKB{1'b0}};
                    if (pv_lastc) begin
                        pv_c <= {CAB{1'b0}};
                        pv_act <= 1'b0;
                    end else begin
                        pv_c <= pv_c + 1'b1;
                        pv_act <= 1'b1;
                    end
                end else begin
                    pv_j <= pv_j + 1'b1;
                    pv_act <= 1'b1;
                end
            end
            // the value read is issued 9 edges after the score read, so the value chunk meets
            // the exp unit's output (exp_depth = 9) at the multiplier
            v_rd_en <= pt_valid[8];
        end
        v_rd_head <= pv_h;
        v_rd_token <= pt_j[8];
        v_rd_chunk <= pt_c[8];
        /* verilator lint_off WIDTH */
        saddr <= pv_p ? N + pv_j : pv_j;
        /* verilator lint_on WIDTH */
        pt_valid[0] <= pv_issue && pv_v && !rst;
        pt_act[0] <= pv_issue && !rst;
        pt_firstj[0] <= (pv_j == {TOKB{1'b0}});
        pt_lastj[0] <= pv_lastj;
        pt_pass0[0] <= (pv_c == {CAB{1'b0}});
        pt_last[0] <= pv_lastj && pv_lastc;
        pt_j[0] <= pv_j;
        pt_c[0] <= pv_c;
        for (dp = 1; dp < E_PV; dp = dp + 1) begin
            pt_valid[dp] <= rst ? 1'b0 : pt_valid[dp-1];
            pt_act[dp] <= rst ? 1'b0 : pt_act[dp-1];
            pt_firstj[dp] <= pt_firstj[dp-1];
            pt_lastj[dp] <= pt_lastj[dp-1];
            pt_pass0[dp] <= pt_pass0[dp-1];
            pt_last[dp] <= pt_last[dp-1];
            pt_j[dp] <= pt_j[dp-1];
            pt_c[dp] <= pt_c[dp-1];
        end
    end
    always @(posedge clk) begin
        if (rst || go) fin_pv <= go && prologue;
        else if (pt_act[E_PV-1] && pt_last[E_PV-1]) fin_pv <= 1'b1;
    end
    wire pv_write = pt_valid[E_PV-1] && pt_lastj[E_PV-1];
    /* verilator lint_off WIDTH */
    wire [QAB-1:0] pv_oaddr = pv_p ? C_A + pt_c[E_PV-1] : pt_c[E_PV-1];
    /* verilator lint_on WIDTH */

    // ---- reciprocal: the N_A row sums, one per cycle, after the first pass -------------------------
    reg             rc_act;
    reg [RB-1:0]    rc_r;
    wire [N_A*LW-1:0] sums;
    wire [LW-1:0]   rc_x = sums[rc_r*LW +: LW];
    wire [RECIP_EW-1:0] rc_mant;
    wire [MW-1:0]   rc_msb;
    reg             rt_act  [0:5];
    reg             rt_last [0:5];
    reg [RB-1:0]    rt_r    [0:5];
    reg [RECIP_EW-1:0] rmant [0:2*N_A-1];
    reg [EXB-1:0]   rexp    [0:2*N_A-1];
    integer dr;
    moehls_recip #(.XW(LW), .ROM(RECIP_ROM), .ENTRIES(RECIP_ENTRIES), .EW(RECIP_EW), .MW(MW))
        reciprocal (.clk(clk), .x(rc_x), .mant(rc_mant), .msb(rc_msb));
    // Waiver: the exponent msb - 23 lies in 0 ... G (the row sum is at least 2^23, at most
    // N 2^23), so its low EXB bits are all of it.
    /* verilator lint_off UNUSEDSIGNAL */
    wire [MW-1:0]   rc_exp_full = rc_msb - MSB_OFFSET;
    /* verilator lint_on UNUSEDSIGNAL */
    wire [EXB-1:0]  rc_exp = rc_exp_full[EXB-1:0];
    // Waiver: as l2_addr.
    /* verilator lint_off WIDTH */
    wire [RAB-1:0]  rc_addr = pv_p ? N_A + rt_r[5] : rt_r[5];
    /* verilator lint_on WIDTH */
    always @(posedge clk) begin
        if (rst) begin
            rc_act <= 1'b0;
            rc_r <= {RB{1'b0}};
        end else if (pt_act[10] && pt_pass0[10] && pt_lastj[10]) begin
            // the sums take the first pass's last exp at this edge
            rc_act <= 1'b1;
            rc_r <= {RB{1'b0}};
        end else if (rc_act) begin
            if (rc_r == R_LAST) rc_act <= 1'b0;
            rc_r <= rc_r + 1'b1;
        end
        rt_act[0] <= rc_act && !rst;
        rt_last[0] <= rc_r == R_LAST;
        rt_r[0] <= rc_r;
        for (dr = 1; dr <= 5; dr = dr + 1) begin
            rt_act[dr] <= rst ? 1'b0 : rt_act[dr-1];
            rt_last[dr] <= rt_last[dr-1];
            rt_r[dr] <= rt_r[dr-1];
        end
        if (rt_act[5] && pv_v) begin
            rmant[rc_addr] <= rc_mant;
            rexp[rc_addr] <= rc_exp;
        end
    end
    always @(posedge clk) begin
        if (rst || go) fin_rc <= go && prologue;
        else if (rt_act[5] && rt_last[5]) fin_rc <= 1'b1;
    end

    // ---- write-back: row r (outer), chunk c (inner) -----------------------------------------------
    reg             wb_act;
    reg [RB-1:0]    wb_r;
    reg [CAB-1:0]   wb_c;
    wire            wb_issue = (go && !prologue) || wb_act;
    wire            wb_lastc = (wb_c == C_LAST);
    wire            wb_lastr = (wb_r == R_LAST);
    wire [TOKB:0]   wb_tok = {1'b0, wb_t} + {{(TOKB+1-RB){1'b0}}, wb_r};
    /* verilator lint_off WIDTH */
    wire [QAB-1:0]  wb_oaddr = wb_p ? C_A + wb_c : wb_c;
    wire [RAB-1:0]  wb_raddr = wb_p ? N_A + wb_r : wb_r;
    /* verilator lint_on WIDTH */
    wire [N_A*T_A*VW-1:0] outs;                    // every row's output words at wb_oaddr
    wire [T_A*VW-1:0] wb_o = outs[wb_r*T_A*VW +: T_A*VW];
    wire [RECIP_EW-1:0] wb_m = rmant[wb_raddr];
    reg             wt_valid [0:E_WB];
    reg             wt_act   [0:E_WB];
    reg             wt_last  [0:E_WB];
    reg [TOKB-1:0]  wt_tok   [0:E_WB];
    reg [CAB-1:0]   wt_c     [0:E_WB];
    reg [EXB-1:0]   wt_sh    [0:E_WB];
    integer dw;
    always @(posedge clk) begin
        if (rst) begin
            wb_act <= 1'b0;
            wb_r <= {RB{1'b0}};
            wb_c <= {CAB{1'b0}};
        end else if (wb_issue) begin
            if (wb_lastc) begin
                wb_c <= {CAB{1'b0}};
                if (wb_lastr) begin
                    wb_r <= {RB{1'b0}};
                    wb_act <= 1'b0;
                end else begin
                    wb_r <= wb_r + 1'b1;
                    wb_act <= 1'b1;
                end
            end else begin
                wb_c <= wb_c + 1'b1;
                wb_act <= 1'b1;
            end
        end
        wt_valid[0] <= wb_issue && wb_v && (wb_tok < N_TOK) && !rst;
        wt_act[0] <= wb_issue && !rst;
        wt_last[0] <= wb_lastc && wb_lastr;
        wt_tok[0] <= wb_tok[TOKB-1:0];
        wt_c[0] <= wb_c;
        wt_sh[0] <= rexp[wb_raddr];
        for (dw = 1; dw <= E_WB; dw = dw + 1) begin
            wt_valid[dw] <= rst ? 1'b0 : wt_valid[dw-1];
            wt_act[dw] <= rst ? 1'b0 : wt_act[dw-1];
            wt_last[dw] <= wt_last[dw-1];
            wt_tok[dw] <= wt_tok[dw-1];
            wt_c[dw] <= wt_c[dw-1];
            wt_sh[dw] <= wt_sh[dw-1];
        end
    end
    always @(posedge clk) begin
        if (rst || go) fin_wb <= go && prologue;
        else if (wt_act[E_WB-1] && wt_last[E_WB-1]) fin_wb <= 1'b1;
    end
    assign y_we = wt_valid[E_WB];
    assign y_head = wb_h;
    assign y_token = wt_tok[E_WB];
    assign y_chunk = wt_c[E_WB];

    wire [EXB-1:0]  wb_shift = wt_sh[3];           // the row's exponent, with the product
    genvar t;
    generate
        for (t = 0; t < T_A; t = t + 1) begin : g_norm
            wire [VW+RECIP_EW:0] product;
            moehls_mul #(.AW(VW), .BW(RECIP_EW + 1)) mul (.clk(clk), .a(wb_o[t*VW +: VW]),
                .b({1'b0, wb_m}), .p(product));
            wire signed [VW+RECIP_EW:0] shifted = $signed(product) >>> wb_shift;
            moehls_convert #(.IW(VW + RECIP_EW + 1), .IF(CF + 24), .OW(AW), .OF(AF), .O_SAT(O_SAT), .STAGES(2))
                convert (.clk(clk), .x(shifted), .y(y_data[t*AW +: AW]));
        end
    endgenerate

    // ---- the rows ---------------------------------------------------------------------------------
    genvar r, i, lv;
    generate
        for (r = 0; r < N_A; r = r + 1) begin : g_row
            localparam [RB-1:0] ROW = r;
            // query buffer: two blocks of C_A chunks
            reg [T_A*AW-1:0] qbank [0:2*C_A-1];
            reg [T_A*AW-1:0] q_word;
            always @(posedge clk) begin
                if (l2_we && l2_r == ROW) qbank[l2_addr] <= l2_zero ? {(T_A*AW){1'b0}} : q_rd_data;
                q_word <= qbank[qaddr];
            end

            // QK: T_A products (multiplier 2-5), quantised to CW bits, a registered tree
            wire [TN*CW-1:0] leaves;
            wire [CW-1:0] tree_out;
            for (i = 0; i < TN; i = i + 1) begin : g_qk
                if (i < T_A) begin : g_real
                    wire [2*AW-1:0] p;
                    moehls_mul #(.AW(AW), .BW(AW)) mul (.clk(clk), .a(q_word[i*AW +: AW]),
                        .b(k_rd_data[i*AW +: AW]), .p(p));
                    localparam PW = 2 * AW;
                    localparam SHR = (SHQ > 0) ? SHQ : 0;
                    localparam SHL = (SHQ < 0) ? -SHQ : 0;
                    localparam EXW = ((PW > CW) ? PW : CW) + SHL + 1;
                    wire signed [PW-1:0] ps = p;
                    wire signed [EXW-1:0] p_ext = {{(EXW-PW){ps[PW-1]}}, ps};
                    // Waiver: only the low CW bits of the quantised product are used (the sum
                    // wraps modulo 2^CW, docs/numerics.md "Accumulation").
                    /* verilator lint_off UNUSEDSIGNAL */
                    wire signed [EXW-1:0] p_q = (SHQ >= 0) ? (p_ext >>> SHR) : (p_ext <<< SHL);
                    /* verilator lint_on UNUSEDSIGNAL */
                    assign leaves[i*CW +: CW] = p_q[CW-1:0];
                end else begin : g_pad
                    assign leaves[i*CW +: CW] = {CW{1'b0}};
                end
            end
            for (lv = 1; lv <= TREE; lv = lv + 1) begin : g_lvl
                localparam WIDTH = TN >> lv;
                reg  [WIDTH*CW-1:0]   v;
                wire [2*WIDTH*CW-1:0] prev;
                if (lv == 1) begin : g_from_leaves
                    assign prev = leaves;
                end else begin : g_from_level
                    assign prev = g_lvl[lv-1].v;
                end
                for (i = 0; i < WIDTH; i = i + 1) begin : g_add
                    always @(posedge clk)
                        v[i*CW +: CW] <= prev[(2*i)*CW +: CW] + prev[(2*i+1)*CW +: CW];
                end
            end
            if (TREE == 0) begin : g_no_tree
                assign tree_out = leaves;
            end else begin : g_tree_out
                assign tree_out = g_lvl[TREE].v;
            end
            // accumulate over the chunks (edge E_ACC)
            reg [CW-1:0] acc;
            always @(posedge clk) acc <= (qt_firstc[E_ACC-1] ? {CW{1'b0}} : acc) + tree_out;
            // scale (edges E_ACC+1 ... E_ACC+4), unless a power of two
            wire [SXW-1:0] scaled;
            if (POW2 != 0) begin : g_shift
                assign scaled = acc;
            end else begin : g_scale
                moehls_mul #(.AW(CW), .BW(19)) mul (.clk(clk), .a(acc), .b(SCALE19), .p(scaled));
            end
            // Q_A of the exact value (SIF fraction bits): floor, then wrap or saturate
            wire signed [SXW-1:0] sx = scaled;
            wire signed [SVW-1:0] sx_ext = {{(SVW-SXW){sx[SXW-1]}}, sx};
            wire signed [SVW-1:0] sv = (sx_ext <<< S_UP) >>> S_DN;
            wire signed [SVW-1:0] s_max = {{(SVW-AW+1){1'b0}}, {(AW-1){1'b1}}};
            wire signed [SVW-1:0] s_min = {{(SVW-AW+1){1'b1}}, {(AW-1){1'b0}}};
            wire signed [AW-1:0] score = (O_SAT == 0) ? sv[AW-1:0]
                : (sv > s_max) ? s_max[AW-1:0] : (sv < s_min) ? s_min[AW-1:0] : sv[AW-1:0];
            // score buffer and row maximum (edge E_W), both double-buffered
            reg [AW-1:0] sbank [0:2*N-1];
            reg signed [AW-1:0] max0, max1;
            always @(posedge clk) begin
                if (qk_write) begin
                    sbank[qk_saddr] <= score;
                    if (qk_p) begin
                        if (qt_firstj[E_W-1] || score > max1) max1 <= score;
                    end else begin
                        if (qt_firstj[E_W-1] || score > max0) max0 <= score;
                    end
                end
            end

            // PV: score read (edges 0-1), exp (2-10), value products (11-14), accumulate (15)
            reg [AW-1:0] s_word;
            always @(posedge clk) s_word <= sbank[saddr];
            wire [23:0] e;
            moehls_exp #(.SW(AW), .SF(AF), .ROM(EXP_ROM), .ENTRIES(EXP_ENTRIES), .EW(EXP_EW))
                exp (.clk(clk), .s(s_word), .m(pv_p ? max1 : max0), .e(e));
            reg [LW-1:0] sum;
            always @(posedge clk)
                if (pt_act[10] && pt_pass0[10]) sum <= (pt_firstj[10] ? {LW{1'b0}} : sum) + {{(LW-24){1'b0}}, e};
            assign sums[r*LW +: LW] = sum;
            wire [T_A*VW-1:0] totals;
            for (i = 0; i < T_A; i = i + 1) begin : g_pv
                wire [AW+24:0] p;
                moehls_mul #(.AW(AW), .BW(25)) mul (.clk(clk), .a(v_rd_data[i*AW +: AW]),
                    .b({1'b0, e}), .p(p));
                localparam PW = AW + 25;
                localparam SHR = (SHV > 0) ? SHV : 0;
                localparam SHL = (SHV < 0) ? -SHV : 0;
                localparam EXW = ((PW > VW) ? PW : VW) + SHL + 1;
                wire signed [PW-1:0] ps = p;
                wire signed [EXW-1:0] p_ext = {{(EXW-PW){ps[PW-1]}}, ps};
                // Waiver: only the low VW bits of the quantised product are used (the sum wraps
                // modulo 2^VW).
                /* verilator lint_off UNUSEDSIGNAL */
                wire signed [EXW-1:0] p_q = (SHV >= 0) ? (p_ext >>> SHR) : (p_ext <<< SHL);
                /* verilator lint_on UNUSEDSIGNAL */
                reg [VW-1:0] acc_v;
                wire [VW-1:0] total_v = (pt_firstj[E_PV-1] ? {VW{1'b0}} : acc_v) + p_q[VW-1:0];
                always @(posedge clk) acc_v <= total_v;
                assign totals[i*VW +: VW] = total_v;
            end
            // output buffer: written at the last key of each pass, read by the write-back
            reg [T_A*VW-1:0] obank [0:2*C_A-1];
            always @(posedge clk)
                if (pv_write) obank[pv_oaddr] <= totals;
            assign outs[r*T_A*VW +: T_A*VW] = obank[wb_oaddr];
        end
    endgenerate
endmodule
