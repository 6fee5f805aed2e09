// moehls_router: the MoE gate's softmax and top-k, building the expert queues, exactly as
// FixedKernels.route and Routing.queues compute them (docs/numerics.md, "MoE gate and experts";
// docs/kernels-router.md).
//
// Per token t (tokens in order), over its E logits (activation format):
//   pass A (read port a, one logit per cycle): the running top-k by value, ties to the lower
//     expert index (a later equal logit never displaces an earlier one), best first; the maximum
//     is the top-1 value (the maximum over all experts, and over the k chosen);
//   pass B (read port b, the same logits again): e_j = exp(l_j - max) (moehls_exp) for every
//     expert (SOFTMAX_ALL = 1) or for the k chosen only (0), l = sum e_j (exact);
//   (r, s) = reciprocal(l) (moehls_recip); for each chosen expert, best first:
//     score = Q_A(e_j r) at 23 + 24 + (msb(l) - 23) fraction bits (floor, wrap or saturate),
//     written as the next entry (token, score) of expert j's queue (q_ port); lengths[j] counts.
// Pass A of token t+1 runs during pass B of token t; the reciprocal and the k score multiplies of
// a token overlap later tokens. Cycles from the start pulse to done (as the testbenches count):
// (n + 1) E + 25 + k, the cost model's gate_unit(n) less invocation_overhead (docs/cost-model.md).
//
// Verilog-2005 subset accepted by Icarus 11, Yosys 0.23 and Verilator 5.
module moehls_router #(
    parameter AW = 32,          // logit and score width (signed, the activation format)
    parameter AF = 22,
    parameter O_SAT = 0,        // score overflow: 0 AP_WRAP, 1 AP_SAT (quantisation AP_TRN)
    parameter E = 16,           // experts
    parameter KTOP = 2,         // experts per token (1 ... E)
    parameter SOFTMAX_ALL = 1,  // 1: softmax over all experts; 0: over the k chosen
    parameter MAX_TOK = 64,
    parameter EXP_ROM = "exp2.hex",
    parameter EXP_ENTRIES = 257,
    parameter EXP_EW = 25,
    parameter RECIP_ROM = "recip.hex",
    parameter RECIP_ENTRIES = 257,
    parameter RECIP_EW = 25
) (
    input  wire                 clk,
    input  wire                 rst,
    input  wire                 start,      // pulse: route tokens 0 ... n_tokens - 1
    input  wire [TOKB-1:0]      n_tokens,   // held while busy (0: done at once)
    output reg                  done,       // pulse: the last queue entry was written
    output reg                  busy,       // from the edge that samples start until done
    // pass A read: logit a_rd_expert of token a_rd_token, one cycle after a_rd_en
    output reg                  a_rd_en,
    output reg  [TOKB-1:0]      a_rd_token,
    output reg  [XB-1:0]        a_rd_expert,
    input  wire [AW-1:0]        a_rd_data,
    // pass B read: the same, a second port
    output reg                  b_rd_en,
    output reg  [TOKB-1:0]      b_rd_token,
    output reg  [XB-1:0]        b_rd_expert,
    input  wire [AW-1:0]        b_rd_data,
    // queue write: entry q_position of expert q_expert's queue is (q_token, q_score)
    output wire                 q_we,
    output wire [XB-1:0]        q_expert,
    output wire [TOKB-1:0]      q_position,
    output wire [TOKB-1:0]      q_token,
    output wire [AW-1:0]        q_score,
    // queue lengths (expert j at [j*TOKB +: TOKB]), cleared by start, final at done
    output wire [E*TOKB-1:0]    lengths
);
    localparam TOKB = $clog2(MAX_TOK + 1);
    localparam XB = (E > 1) ? $clog2(E) : 1;
    localparam XC = $clog2(E + 1);
    localparam LW = 24 + $clog2(E + 1);          // the sum of e (each at most 2^23)
    localparam MW = $clog2(LW);
    // the score shift 24 + msb(l) - AF: l >= 2^23 (the maximum's e is 1.0), so msb >= 23 and the
    // shift is at least 47 - AF; LPAD pre-shifts left only for AF > 47
    localparam LPAD = (AF > 47) ? AF - 47 : 0;
    localparam RSW = $clog2(24 + LW + LPAD + 1);
    localparam PW = 26 + 25;                     // e (25 bits signed) x mant (26 bits signed)
    localparam NXW = PW + LPAD + 1;
    localparam RC = 7;                           // reciprocal and the caller's register
    localparam EXTRA = 1;                        // one more register: the model's depths (see docs)
    genvar r;
    integer d, i;

    // ---- pass A issue: (token, expert) per cycle from the start edge --------------------------
    reg              run1;
    reg [TOKB-1:0]   t1;
    reg [XC-1:0]     j1;
    wire             go1 = start && (n_tokens != {TOKB{1'b0}});
    wire             issue1 = go1 || run1;
    wire [TOKB-1:0]  cur_t1 = start ? {TOKB{1'b0}} : t1;
    wire [XC-1:0]    cur_j1 = start ? {XC{1'b0}} : j1;
    wire             last_j1 = (cur_j1 == E[XC-1:0] - 1'b1);
    wire             last_t1 = ({1'b0, cur_t1} + 1'b1 == {1'b0, n_tokens});
    always @(posedge clk) begin
        if (rst) begin
            run1 <= 1'b0;
            t1 <= {TOKB{1'b0}};
            j1 <= {XC{1'b0}};
        end else if (issue1) begin
            run1 <= !(last_j1 && last_t1);
            j1 <= last_j1 ? {XC{1'b0}} : cur_j1 + 1'b1;
            t1 <= last_j1 ? cur_t1 + 1'b1 : cur_t1;
        end
        a_rd_en <= issue1 && !rst;
        a_rd_token <= cur_t1;
        a_rd_expert <= cur_j1[XB-1:0];
    end

    // stage 1: the logit in the buffer's register; stage 2: the top-k list after it
    reg              a1_valid, a1_first, a1_last;
    reg [XB-1:0]     a1_j;
    always @(posedge clk) begin
        a1_valid <= a_rd_en && !rst;
        a1_first <= (a_rd_expert == {XB{1'b0}});
        a1_last <= ({1'b0, a_rd_expert} == E[XB:0] - 1'b1);
        a1_j <= a_rd_expert;
    end
    reg signed [AW-1:0] top_v [0:KTOP-1];
    reg [XB-1:0]        top_i [0:KTOP-1];
    reg                 top_f [0:KTOP-1];   // entry filled
    reg                 a2_done;            // the list holds a whole token
    wire signed [AW-1:0] la = a_rd_data;
    // insertion: entry r keeps its value when it is at least the new logit (ties stay ahead)
    reg keep [0:KTOP-1];
    always @(*) begin
        for (i = 0; i < KTOP; i = i + 1) keep[i] = !a1_first && top_f[i] && (top_v[i] >= la);
    end
    always @(posedge clk) begin
        if (a1_valid) begin
            for (i = 0; i < KTOP; i = i + 1) begin
                if (keep[i]) begin
                    top_v[i] <= top_v[i];
                end else if (i == 0 || keep[(i > 0) ? i - 1 : 0]) begin
                    top_v[i] <= la;
                    top_i[i] <= a1_j;
                    top_f[i] <= 1'b1;
                end else begin
                    top_v[i] <= top_v[(i > 0) ? i - 1 : 0];
                    top_i[i] <= top_i[(i > 0) ? i - 1 : 0];
                    top_f[i] <= a1_first ? 1'b0 : top_f[(i > 0) ? i - 1 : 0];
                end
            end
        end
        a2_done <= a1_valid && a1_last && !rst;
    end
    // the hold (stage 3): a token's maximum and chosen experts, read by pass B
    reg signed [AW-1:0] max_h;
    reg [XB-1:0]        idx_h [0:KTOP-1];
    always @(posedge clk) begin
        if (a2_done) begin
            max_h <= top_v[0];
            for (i = 0; i < KTOP; i = i + 1) idx_h[i] <= top_i[i];
        end
    end

    // ---- pass B issue: a token's E logits start as its list is final -----------------------------
    wire             go2 = a1_valid && a1_last;   // the hold loads one edge after this issue
    reg              run2;
    reg [XC-1:0]     j2;
    reg [TOKB-1:0]   t2;
    wire [XC-1:0]    cur_j2 = go2 ? {XC{1'b0}} : j2;
    wire             issue2 = go2 || run2;
    wire             last_j2 = (cur_j2 == E[XC-1:0] - 1'b1);
    always @(posedge clk) begin
        if (rst || start) begin
            run2 <= 1'b0;
            j2 <= {XC{1'b0}};
            t2 <= {TOKB{1'b0}};
        end else if (issue2) begin
            run2 <= !last_j2;
            j2 <= last_j2 ? {XC{1'b0}} : cur_j2 + 1'b1;
            if (last_j2) t2 <= t2 + 1'b1;
        end
        b_rd_en <= issue2 && !rst;
        b_rd_token <= t2;
        b_rd_expert <= cur_j2[XB-1:0];
    end

    // pass B tags: stage 1 data, 2 exp operands (the hold read here), 10 e, 11 the sum
    reg              b_valid [1:11];
    reg              b_first [1:11];
    reg              b_last  [1:11];
    reg              b_in    [2:11];       // counted in the sum
    reg [KTOP-1:0]   b_sel   [2:11];       // the chosen experts it is (rank r)
    reg [TOKB-1:0]   b_tok   [1:11];
    reg [XB-1:0]     b_j1;
    reg [KTOP*XB-1:0] b_ix   [2:10];       // the token's chosen experts, carried along
    wire [KTOP-1:0]  sel_now;
    wire [KTOP*XB-1:0] idx_flat;
    generate
        for (r = 0; r < KTOP; r = r + 1) begin : g_sel
            assign sel_now[r] = (b_j1 == idx_h[r]);
            assign idx_flat[r*XB +: XB] = idx_h[r];
        end
    endgenerate
    always @(posedge clk) begin
        b_valid[1] <= b_rd_en && !rst;
        b_first[1] <= (b_rd_expert == {XB{1'b0}});
        b_last[1] <= ({1'b0, b_rd_expert} == E[XB:0] - 1'b1);
        b_tok[1] <= b_rd_token;
        b_j1 <= b_rd_expert;
        b_in[2] <= (SOFTMAX_ALL != 0) || (sel_now != {KTOP{1'b0}});
        b_sel[2] <= sel_now;
        b_ix[2] <= idx_flat;
        for (d = 3; d <= 10; d = d + 1) b_ix[d] <= b_ix[d-1];
        for (d = 2; d <= 11; d = d + 1) begin
            b_valid[d] <= rst ? 1'b0 : b_valid[d-1];
            b_first[d] <= b_first[d-1];
            b_last[d] <= b_last[d-1];
            b_tok[d] <= b_tok[d-1];
        end
        for (d = 3; d <= 11; d = d + 1) begin
            b_in[d] <= b_in[d-1];
            b_sel[d] <= b_sel[d-1];
        end
    end
    wire [23:0] e10;
    moehls_exp #(.SW(AW), .SF(AF), .ROM(EXP_ROM), .ENTRIES(EXP_ENTRIES), .EW(EXP_EW))
        exp_unit (.clk(clk), .s(b_rd_data), .m(max_h), .e(e10));
    // the sum (stage 11) and the chosen experts' e
    reg [LW-1:0]  sum11;
    reg [23:0]    esel [0:KTOP-1];
    reg [KTOP*XB-1:0] i_flat;
    reg           s_done;              // sum11 holds a whole token
    reg [TOKB-1:0] s_tok;
    wire [LW-1:0] e_ext = {{(LW-24){1'b0}}, e10};
    always @(posedge clk) begin
        if (b_valid[10]) begin
            sum11 <= (b_first[10] ? {LW{1'b0}} : sum11) + (b_in[10] ? e_ext : {LW{1'b0}});
            for (i = 0; i < KTOP; i = i + 1) if (b_sel[10][i]) esel[i] <= e10;
            if (b_last[10]) i_flat <= b_ix[10];
        end
        s_done <= b_valid[10] && b_last[10] && !rst;
        s_tok <= b_tok[10];
    end

    // ---- reciprocal (6 + the caller's register) with the token carried alongside ---------------
    wire [RECIP_EW-1:0] mant;
    wire [MW-1:0]       msb;
    moehls_recip #(.XW(LW), .ROM(RECIP_ROM), .ENTRIES(RECIP_ENTRIES), .EW(RECIP_EW), .MW(MW))
        reciprocal (.clk(clk), .x(sum11), .mant(mant), .msb(msb));
    localparam CD = RC + EXTRA;          // stages from the sum to the score job
    reg                c_valid [1:CD];
    reg [TOKB-1:0]     c_tok   [1:CD];
    reg [KTOP*24-1:0]  c_e     [1:CD];
    reg [KTOP*XB-1:0]  c_i     [1:CD];
    reg [RECIP_EW-1:0] c_mant  [7:CD];   // the caller's register (7), then EXTRA
    reg [MW-1:0]       c_msb   [7:CD];
    wire [KTOP*24-1:0] e_flat;
    generate
        for (r = 0; r < KTOP; r = r + 1) begin : g_flat
            assign e_flat[r*24 +: 24] = esel[r];
        end
    endgenerate
    always @(posedge clk) begin
        c_valid[1] <= s_done && !rst;
        c_tok[1] <= s_tok;
        c_e[1] <= e_flat;
        c_i[1] <= i_flat;
        for (d = 2; d <= CD; d = d + 1) begin
            c_valid[d] <= rst ? 1'b0 : c_valid[d-1];
            c_tok[d] <= c_tok[d-1];
            c_e[d] <= c_e[d-1];
            c_i[d] <= c_i[d-1];
        end
        c_mant[7] <= mant;
        c_msb[7] <= msb;
        for (d = 8; d <= CD; d = d + 1) begin
            c_mant[d] <= c_mant[d-1];
            c_msb[d] <= c_msb[d-1];
        end
    end

    // ---- score job: k products, one per cycle, best first ----------------------------------------
    reg              job_run;
    reg [XC-1:0]     job_r;
    reg [TOKB-1:0]   job_tok;
    reg [KTOP*24-1:0] job_e;
    reg [KTOP*XB-1:0] job_i;
    reg [RECIP_EW-1:0] job_mant;
    reg [RSW-1:0]    job_rs;
    wire             job_go = c_valid[CD];
    wire [XC-1:0]    cur_r = job_go ? {XC{1'b0}} : job_r;
    wire             job_issue = job_go || job_run;
    wire             last_r = (cur_r == KTOP[XC-1:0] - 1'b1);
    wire [TOKB-1:0]  cur_tok = job_go ? c_tok[CD] : job_tok;
    wire [KTOP*24-1:0] cur_e = job_go ? c_e[CD] : job_e;
    wire [KTOP*XB-1:0] cur_i = job_go ? c_i[CD] : job_i;
    wire [RECIP_EW-1:0] cur_mant = job_go ? c_mant[CD] : job_mant;
    // Waiver: the shift 24 + msb - AF + LPAD is computed in 32-bit integer arithmetic; it fits RSW.
    /* verilator lint_off WIDTH */
    wire [RSW-1:0]   rs_go = 24 + c_msb[CD] + LPAD - AF;
    /* verilator lint_on WIDTH */
    wire [RSW-1:0]   cur_rs = job_go ? rs_go : job_rs;
    always @(posedge clk) begin
        if (rst || start) begin
            job_run <= 1'b0;
            job_r <= {XC{1'b0}};
        end else if (job_issue) begin
            job_run <= !last_r;
            job_r <= last_r ? {XC{1'b0}} : cur_r + 1'b1;
        end
        job_tok <= cur_tok;
        job_e <= cur_e;
        job_i <= cur_i;
        job_mant <= cur_mant;
        job_rs <= cur_rs;
    end
    // product: operands (M0), M, P, sum (moehls_mul, 4), then the shift and the overflow (2)
    reg              m_valid [0:5];
    reg              m_last  [0:5];
    reg [TOKB-1:0]   m_tok   [0:5];
    reg [XB-1:0]     m_exp   [0:5];
    reg [RSW-1:0]    m_rs    [0:4];
    wire [23:0]      e_now = cur_e[cur_r*24 +: 24];
    wire [PW-1:0]    prod;
    moehls_mul #(.AW(25), .BW(26)) score (.clk(clk), .a({1'b0, e_now}), .b({1'b0, cur_mant}), .p(prod));
    always @(posedge clk) begin
        m_valid[0] <= job_issue && !rst;
        m_last[0] <= last_r && ({1'b0, cur_tok} + 1'b1 == {1'b0, n_tokens});
        m_tok[0] <= cur_tok;
        m_exp[0] <= cur_i[cur_r*XB +: XB];
        m_rs[0] <= cur_rs;
        for (d = 1; d <= 5; d = d + 1) begin
            m_valid[d] <= rst ? 1'b0 : m_valid[d-1];
            m_last[d] <= m_last[d-1];
            m_tok[d] <= m_tok[d-1];
            m_exp[d] <= m_exp[d-1];
        end
        for (d = 1; d <= 4; d = d + 1) m_rs[d] <= m_rs[d-1];
    end
    // prod is valid with tag stage 3; the shift registers at 4, the overflow at 5
    wire signed [NXW-1:0] p_ext = $signed({{(NXW-PW){1'b0}}, prod});
    reg signed [NXW-1:0]  shifted4;
    wire signed [NXW-1:0] max_s = {{(NXW-AW+1){1'b0}}, {(AW-1){1'b1}}};
    wire signed [NXW-1:0] min_s = {{(NXW-AW+1){1'b1}}, {(AW-1){1'b0}}};
    reg [AW-1:0]          score5;
    always @(posedge clk) begin
        shifted4 <= (p_ext <<< LPAD) >>> m_rs[3];
        score5 <= (O_SAT != 0) ? ((shifted4 > max_s) ? max_s[AW-1:0] : (shifted4 < min_s) ? min_s[AW-1:0] : shifted4[AW-1:0])
                               : shifted4[AW-1:0];
    end

    // ---- queue write (commits at the edge after stage 5) and the lengths -------------------------
    reg [TOKB-1:0] len [0:E-1];
    assign q_we = m_valid[5];
    assign q_expert = m_exp[5];
    assign q_token = m_tok[5];
    assign q_score = score5;
    assign q_position = len[m_exp[5]];
    always @(posedge clk) begin
        if (rst || start) begin
            for (i = 0; i < E; i = i + 1) len[i] <= {TOKB{1'b0}};
        end else if (q_we) begin
            len[m_exp[5]] <= len[m_exp[5]] + 1'b1;
        end
        done <= !rst && ((m_valid[5] && m_last[5]) || (start && n_tokens == {TOKB{1'b0}}));
        busy <= !rst && (go1 || (busy && !(m_valid[5] && m_last[5])));
    end
    generate
        for (r = 0; r < E; r = r + 1) begin : g_len
            assign lengths[r*TOKB +: TOKB] = len[r];
        end
    endgenerate
endmodule
