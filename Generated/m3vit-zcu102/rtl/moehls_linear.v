// moehls_linear: the reusable linear kernel (docs/kernels.md, "Linear kernel").
//
// y[t][o] = out(Q_C(b[o]) + sum_i trunc_C(x[t][i] * W[o][i]))  (sum mod 2^CW), where out is the
// conversion to the output format (AP_TRN; AP_WRAP or AP_SAT) or GELU (moehls_gelu) followed by
// that conversion: docs/numerics.md, "Accumulation" and "Linear layers", bit for bit.
//
// A T_IN x T_OUT multiplier grid replicated over N_L token lanes. Loop order: output block j
// (outer), token group g, input block k (inner; one cycle each). Weights arrive through a
// valid/ready beat stream of BEAT bits, one slab (T_OUT biases, then K grid rows) per output block,
// into two slab buffers (ping-pong), so slab j+1 loads while slab j computes. Activations are read
// from an external lane-banked buffer with a fixed read latency of 2 cycles; results leave through
// a write port, T_IN columns of every lane per cycle.
//
// Verilog-2005 subset accepted by Icarus 11, Yosys 0.23 and Verilator 5.
module moehls_linear #(
    parameter XW = 8,          // input activation width
    parameter XF = 8,          // input fraction bits
    parameter X_SIGNED = 0,    // 1: input is signed, 0: unsigned
    parameter WW = 16,         // weight width (signed)
    parameter WF = 14,         // weight fraction bits
    parameter BW = 16,         // bias width (signed); the bias field is BW bits even when HAS_BIAS = 0
    parameter BF = 11,         // bias fraction bits (BF <= CF)
    parameter HAS_BIAS = 1,
    parameter CW = 32,         // accumulator width (signed, AP_WRAP)
    parameter CF = 22,         // accumulator fraction bits
    parameter OW = 32,         // output width (signed)
    parameter OF = 22,         // output fraction bits (AP_TRN)
    parameter O_SAT = 0,       // output overflow: 0 AP_WRAP, 1 AP_SAT
    parameter GELU = 0,        // 1: GELU before the output conversion
    parameter GELU_ROM = "gelu_delta.hex",
    parameter GELU_ENTRIES = 385,
    parameter GELU_EW = 18,    // GELU table entry width (unsigned)
    parameter GELU_UNITS = 1,  // GELU units shared by the N_L*T_IN results of a chunk (GELU = 1)
    parameter RELU = 0,        // 1: max(acc, 0) before the output conversion (one register)
    parameter T_IN = 4,
    parameter T_OUT = 4,
    parameter N_L = 2,
    parameter D_IN = 32,       // inputs per token (a multiple of T_IN after padding: K = D_IN / T_IN)
    parameter D_OUT = 32,      // outputs per token (J = D_OUT / T_OUT slabs)
    parameter D_VALID = D_OUT, // the layer's outputs (D_OUT less the last slab's padding)
    parameter MAX_TOK = 64,    // largest token count (sizes the counters)
    parameter BEAT = 128,      // weight port width in bits
    parameter ROW_BEATS = 2,   // beats per grid row: ceil(T_IN*T_OUT*WW / BEAT)
    parameter BIAS_BEATS = 1   // beats for the biases: ceil(T_OUT*BW / BEAT) (0 without a bias)
) (
    input  wire                     clk,
    input  wire                     rst,
    input  wire                     start,      // pulse: begin an invocation over n_tokens tokens
    input  wire [TOKB-1:0]          n_tokens,   // 1 ... MAX_TOK, held while busy
    output reg                      done,       // pulse: last result written
    output wire                     busy,
    // weight stream (beats in order: slab 0 biases, slab 0 rows 0..K-1, slab 1 biases, ...)
    input  wire                     w_valid,
    output wire                     w_ready,
    input  wire [BEAT-1:0]          w_data,
    // activation buffer read: a synchronous-read buffer returns x_rd_data the cycle after
    // x_rd_en (address register here + data register there = buffer_read_depth 2)
    output reg                      x_rd_en,
    output reg  [TOKB-1:0]          x_rd_token,  // token of lane 0 (lane l reads x_rd_token + l)
    output reg  [KB-1:0]            x_rd_block,  // input block k: features k*T_IN ... k*T_IN+T_IN-1
    input  wire [N_L*T_IN*XW-1:0]   x_rd_data,   // lane l, feature i at [(l*T_IN+i)*XW +: XW]
    // result write (T_IN columns of every lane)
    output wire                     y_we,
    output wire [TOKB-1:0]          y_token,     // token of lane 0
    output wire [N_L-1:0]           y_lanes,     // lanes holding a real token
    output wire [OB-1:0]            y_column,    // first column of the chunk
    output wire [T_IN-1:0]          y_columns,   // column c of the chunk is a result (write it)
    output wire [N_L*T_IN*OW-1:0]   y_data       // lane l, column c at [(l*T_IN+c)*OW +: OW]
);
    // ---- derived sizes -------------------------------------------------------------------------
    localparam K = D_IN / T_IN;
    localparam J = D_OUT / T_OUT;
    localparam OMEGA = (T_OUT + T_IN - 1) / T_IN;           // chunks of T_IN columns per group
    localparam NE = N_L * T_IN;                               // results per chunk
    localparam GU = (GELU != 0) ? GELU_UNITS : NE;            // output units (GELU or conversion)
    localparam SUB = (NE + GU - 1) / GU;                      // unit passes per chunk
    localparam ROWW = T_IN * T_OUT * WW;
    localparam ASMW = (ROW_BEATS > BIAS_BEATS ? ROW_BEATS : BIAS_BEATS) * BEAT;
    localparam TOKB = $clog2(MAX_TOK + 1);
    localparam KB = $clog2(K + 1);
    localparam AB = $clog2(2 * K);                            // slab-buffer row address
    localparam JB = $clog2(J + 1);
    localparam OB = $clog2(D_OUT + T_IN + 1);
    localparam CB = $clog2(OMEGA + 1);
    localparam SB = $clog2(SUB + 1);
    localparam BB = $clog2((ROW_BEATS > BIAS_BEATS ? ROW_BEATS : BIAS_BEATS) + 1);
    localparam XE = XW + ((X_SIGNED != 0) ? 0 : 1);                 // signed operand width of x
    localparam PW = XE + WW;                                  // exact product width
    localparam SH = XF + WF - CF;                             // product bits dropped (AP_TRN floor)
    localparam SHR = (SH > 0) ? SH : 0;
    localparam SHL = (SH < 0) ? -SH : 0;
    localparam EXW = ((PW > CW) ? PW : CW) + SHL + 1;         // product, sign-extended and aligned
    localparam MUL_DEPTH = 4;                                 // docs/cost-model.md multiplier_depth
    localparam TREE = $clog2(T_IN);                           // registered adder-tree levels
    localparam TN = 1 << TREE;                                // tree leaves (padded)
    localparam DEL = 1 + MUL_DEPTH + TREE;                    // tag index at the accumulator

    // ---- weight loader: two slab buffers ----------------------------------------------------------
    reg [ROWW-1:0]        wbuf [0:2*K-1];
    reg [T_OUT*BW-1:0]    bbuf [0:1];
    reg [ASMW-1:0]        assembly;
    reg [1:0]             full;            // slab buffer holds a complete slab
    reg                   lbuf;            // buffer being loaded
    reg                   lbias;           // loading the bias row
    reg [KB-1:0]          lrow;
    reg [BB-1:0]          lbeat;
    reg [JB-1:0]          lslabs;          // slabs loaded in this invocation
    reg                   running;

    wire loading = running && (lslabs != J[JB-1:0]) && !full[lbuf];
    assign w_ready = loading;
    wire take = w_valid && loading;
    wire [BB-1:0] row_beats = (lbias ? BIAS_BEATS[BB-1:0] : ROW_BEATS[BB-1:0]);
    wire row_end = take && (lbeat == row_beats - 1'b1);
    wire [ASMW-1:0] assembled = assembly | ({{(ASMW-BEAT){1'b0}}, w_data} << (lbeat * BEAT));
    wire release_buf;                      // engine read the last row of its slab
    reg  cbuf;                             // buffer the engine computes from
    reg  [KB-1:0] ik;                      // input block being issued
    // slab buffer b holds rows b*K ... b*K + K - 1
    // Waiver: the row index is computed in 32-bit integer arithmetic and is below 2K, so
    // truncating it to AB bits loses nothing.
    /* verilator lint_off WIDTH */
    wire [AB-1:0] load_addr = lbuf ? K + lrow : lrow;
    wire [AB-1:0] read_addr = cbuf ? K + ik : ik;
    /* verilator lint_on WIDTH */

    // Wide grids (U280: 32 x 32 x 16-bit rows) replicate the zero past Verilator's 8 kbit hint.
    /* verilator lint_off WIDTHCONCAT */
    always @(posedge clk) begin
        if (rst || start) assembly <= {ASMW{1'b0}};
        else if (take) assembly <= row_end ? {ASMW{1'b0}} : assembled;
        if (row_end && lbias) bbuf[lbuf] <= assembled[T_OUT*BW-1:0];
        if (row_end && !lbias) wbuf[load_addr] <= assembled[ROWW-1:0];
    end
    /* verilator lint_on WIDTHCONCAT */

    always @(posedge clk) begin
        if (rst || start) begin
            full <= 2'b00;
            lbuf <= 1'b0;
            lbias <= (BIAS_BEATS != 0);
            lrow <= {KB{1'b0}};
            lbeat <= {BB{1'b0}};
            lslabs <= {JB{1'b0}};
        end else begin
            if (release_buf) full[cbuf] <= 1'b0;
            if (take) begin
                lbeat <= row_end ? {BB{1'b0}} : lbeat + 1'b1;
                if (row_end) begin
                    if (lbias) begin
                        lbias <= 1'b0;
                    end else if (lrow == K[KB-1:0] - 1'b1) begin
                        lrow <= {KB{1'b0}};
                        lbias <= (BIAS_BEATS != 0);
                        full[lbuf] <= 1'b1;
                        lbuf <= ~lbuf;
                        lslabs <= lslabs + 1'b1;
                    end else begin
                        lrow <= lrow + 1'b1;
                    end
                end
            end
        end
    end

    // ---- issue: one (j, g, k) per cycle -----------------------------------------------------------
    reg [JB-1:0]   ij;
    reg [TOKB-1:0] itok;      // first token of the group
    wire slab_ready = running && (ij != J[JB-1:0]) && full[cbuf];
    wire last_k = (ik == K[KB-1:0] - 1'b1);
    wire [TOKB:0] next_tok = {1'b0, itok} + N_L[TOKB:0];
    wire last_g = (next_tok >= {1'b0, n_tokens});
    wire last_j = (ij == J[JB-1:0] - 1'b1);
    assign release_buf = slab_ready && last_k && last_g;
    assign busy = running;

    // tags travelling with an issued row: valid, first k, last k, last of invocation, token, slab
    reg                   s_valid [0:DEL];
    reg                   s_first [0:DEL];
    reg                   s_lastk [0:DEL];
    reg                   s_final [0:DEL];
    reg [TOKB-1:0]        s_tok   [0:DEL];
    reg [JB-1:0]          s_j     [0:DEL];
    reg [T_OUT*BW-1:0]    s_bias  [0:DEL];
    reg [ROWW-1:0]        wrow, wrow2;
    integer d;

    always @(posedge clk) begin
        if (rst) begin
            running <= 1'b0;
            ij <= {JB{1'b0}};
            itok <= {TOKB{1'b0}};
            ik <= {KB{1'b0}};
            cbuf <= 1'b0;
            x_rd_en <= 1'b0;
        end else begin
            if (start) begin
                running <= 1'b1;
                ij <= {JB{1'b0}};
                itok <= {TOKB{1'b0}};
                ik <= {KB{1'b0}};
                cbuf <= 1'b0;
            end else if (done) begin
                running <= 1'b0;
            end else if (slab_ready) begin
                if (!last_k) ik <= ik + 1'b1;
                else begin
                    ik <= {KB{1'b0}};
                    if (!last_g) itok <= itok + N_L[TOKB-1:0];
                    else begin
                        itok <= {TOKB{1'b0}};
                        ij <= ij + 1'b1;
                        cbuf <= ~cbuf;
                    end
                end
            end
            x_rd_en <= slab_ready && !start;
        end
        x_rd_token <= itok;
        x_rd_block <= ik;
        wrow <= wbuf[read_addr];
        wrow2 <= wrow;
    end

    always @(posedge clk) begin
        s_valid[0] <= slab_ready && !start && !rst;
        s_first[0] <= (ik == {KB{1'b0}});
        s_lastk[0] <= last_k;
        s_final[0] <= last_k && last_g && last_j;
        s_tok[0] <= itok;
        s_j[0] <= ij;
        s_bias[0] <= bbuf[cbuf];
        for (d = 1; d <= DEL; d = d + 1) begin
            s_valid[d] <= rst ? 1'b0 : s_valid[d-1];
            s_first[d] <= s_first[d-1];
            s_lastk[d] <= s_lastk[d-1];
            s_final[d] <= s_final[d-1];
            s_tok[d] <= s_tok[d-1];
            s_j[d] <= s_j[d-1];
            s_bias[d] <= s_bias[d-1];
        end
    end

    // ---- MAC grid: products (MUL_DEPTH registers), adder trees, accumulators -----------------------
    // The row issued at cycle i meets its activations at i + 2; the operand registers (A/B), the
    // product (M), the P register and the partial-product stage make MUL_DEPTH = 4; the TREE
    // registered adder levels follow; the accumulator register closes the pipeline.
    reg  [N_L*T_IN*XW-1:0]      x_q;            // operand registers (A)
    reg  [ROWW-1:0]             w_q;            // operand registers (B)
    wire [N_L*T_OUT*TN*CW-1:0]  leaves;         // quantised products, trees padded with zeros
    wire [N_L*T_OUT*CW-1:0]     tree_out;       // one sum per lane and column
    always @(posedge clk) begin
        x_q <= x_rd_data;
        w_q <= wrow2;
    end

    genvar l, o, i, lv;
    generate
        for (l = 0; l < N_L; l = l + 1) begin : g_lane
            for (o = 0; o < T_OUT; o = o + 1) begin : g_col
                for (i = 0; i < TN; i = i + 1) begin : g_mul
                    if (i < T_IN) begin : g_real
                        wire signed [XE-1:0] xs;
                        if (X_SIGNED != 0) begin : g_sx
                            assign xs = x_q[(l*T_IN+i)*XW +: XW];
                        end else begin : g_ux
                            assign xs = {1'b0, x_q[(l*T_IN+i)*XW +: XW]};
                        end
                        wire signed [WW-1:0] ws = w_q[(o*T_IN+i)*WW +: WW];
                        wire signed [PW-1:0] p = xs * ws;
                        // AP_TRN: the floor is an arithmetic shift; the sum wraps, so the low
                        // CW bits of the quantised product are all that matter
                        wire signed [EXW-1:0] p_ext = {{(EXW-PW){p[PW-1]}}, p};
                        // Waiver: only the low CW bits of the quantised product are used (the
                        // accumulator wraps modulo 2^CW, docs/numerics.md "Accumulation").
                        /* verilator lint_off UNUSEDSIGNAL */
                        wire signed [EXW-1:0] p_q = (SH >= 0) ? (p_ext >>> SHR) : (p_ext <<< SHL);
                        /* verilator lint_on UNUSEDSIGNAL */
                        wire signed [CW-1:0] pq = p_q[CW-1:0];
                        reg signed [CW-1:0] m1, m2, m3;
                        always @(posedge clk) begin
                            m1 <= pq;
                            m2 <= m1;
                            m3 <= m2;
                        end
                        assign leaves[((l*T_OUT+o)*TN+i)*CW +: CW] = m3;
                    end else begin : g_pad
                        assign leaves[((l*T_OUT+o)*TN+i)*CW +: CW] = {CW{1'b0}};
                    end
                end
            end
        end
        for (lv = 1; lv <= TREE; lv = lv + 1) begin : g_lvl
            localparam WIDTH = TN >> lv;
            reg  [N_L*T_OUT*WIDTH*CW-1:0]   v;
            wire [N_L*T_OUT*2*WIDTH*CW-1:0] prev;
            if (lv == 1) begin : g_from_leaves
                assign prev = leaves;
            end else begin : g_from_level
                assign prev = g_lvl[lv-1].v;
            end
            for (o = 0; o < N_L * T_OUT * WIDTH; o = o + 1) begin : g_add
                always @(posedge clk)
                    v[o*CW +: CW] <= prev[(2*o)*CW +: CW] + prev[(2*o+1)*CW +: CW];
            end
        end
        if (TREE == 0) begin : g_no_tree
            assign tree_out = leaves;
        end else begin : g_tree_out
            assign tree_out = g_lvl[TREE].v;
        end
    endgenerate

    // accumulate: at the first k the accumulator starts from the bias converted into C (exact:
    // BF <= CF), wrapping at CW bits
    wire [N_L*T_OUT*CW-1:0] sums;
    generate
        for (o = 0; o < N_L * T_OUT; o = o + 1) begin : g_acc
            wire signed [BW-1:0] bias_raw = s_bias[DEL][(o % T_OUT)*BW +: BW];
            // Waiver: Q_C of the bias keeps its low CW bits (AP_WRAP accumulator).
            /* verilator lint_off UNUSEDSIGNAL */
            wire signed [BW+CW-1:0] bias_wide = {{CW{bias_raw[BW-1]}}, bias_raw} <<< (CF - BF);
            /* verilator lint_on UNUSEDSIGNAL */
            wire signed [CW-1:0] start_value = (HAS_BIAS != 0) ? bias_wide[CW-1:0] : {CW{1'b0}};
            reg  signed [CW-1:0] acc;
            wire signed [CW-1:0] base = s_first[DEL] ? start_value : acc;
            assign sums[o*CW +: CW] = base + tree_out[o*CW +: CW];
            always @(posedge clk)
                if (s_valid[DEL]) acc <= sums[o*CW +: CW];
        end
    endgenerate

    // ---- write-back: OMEGA chunks of T_IN columns per group, SUB unit passes per chunk ----------
    // The finished group's sums wait in `result` while the next group accumulates (K cycles), so
    // the write-back may take up to K cycles: with GELU, GU units (GELU_UNITS) take the chunk's
    // NE = N_L*T_IN results in SUB = ceil(NE / GU) passes, and the chunk is written once its last
    // pass leaves the units. Without GELU there are NE converters and SUB = 1.
    reg [N_L*T_OUT*CW-1:0] result;   // sums of the finished group (write-back buffer)
    reg            wb_busy;
    reg [CB-1:0]   wb_chunk;
    reg [SB-1:0]   wb_sub;
    reg [TOKB-1:0] wb_tok;
    reg [JB-1:0]   wb_j;
    reg            wb_final;
    wire wb_last_sub = (wb_sub == SUB[SB-1:0] - 1'b1);
    wire wb_last_chunk = (wb_chunk == OMEGA[CB-1:0] - 1'b1);
    always @(posedge clk) begin
        if (rst || start) begin
            wb_busy <= 1'b0;
            wb_chunk <= {CB{1'b0}};
            wb_sub <= {SB{1'b0}};
            wb_final <= 1'b0;
        end else if (s_valid[DEL] && s_lastk[DEL]) begin
            result <= sums;
            wb_busy <= 1'b1;
            wb_chunk <= {CB{1'b0}};
            wb_sub <= {SB{1'b0}};
            wb_tok <= s_tok[DEL];
            wb_j <= s_j[DEL];
            wb_final <= s_final[DEL];
        end else if (wb_busy) begin
            if (wb_last_sub) begin
                wb_sub <= {SB{1'b0}};
                if (wb_last_chunk) wb_busy <= 1'b0;
                wb_chunk <= wb_chunk + 1'b1;
            end else begin
                wb_sub <= wb_sub + 1'b1;
            end
        end
    end

    // the chunk being written: T_IN columns of every lane (columns past T_OUT read as zero),
    // element e = l*T_IN + c; pass s feeds elements s*GU ... s*GU + GU - 1 to the units
    localparam PADC = OMEGA * T_IN - T_OUT;                  // padding columns of the last chunk
    localparam PADE = SUB * GU - NE;                         // padding elements of the last pass
    wire [SUB*GU*CW-1:0] chunk;
    wire [N_L-1:0] lanes_now;
    generate
        for (l = 0; l < N_L; l = l + 1) begin : g_chunk
            wire [OMEGA*T_IN*CW-1:0] columns;
            if (PADC > 0) begin : g_pad
                assign columns = {{(PADC*CW){1'b0}}, result[l*T_OUT*CW +: T_OUT*CW]};
            end else begin : g_full
                assign columns = result[l*T_OUT*CW +: T_OUT*CW];
            end
            assign chunk[l*T_IN*CW +: T_IN*CW] = columns[wb_chunk*T_IN*CW +: T_IN*CW];
            assign lanes_now[l] = ({1'b0, wb_tok} + l) < {1'b0, n_tokens};
        end
        if (PADE > 0) begin : g_pad_pass
            assign chunk[SUB*GU*CW-1:NE*CW] = {(PADE*CW){1'b0}};
        end
    endgenerate
    wire [GU*CW-1:0] pass_in = chunk[wb_sub*GU*CW +: GU*CW];
    // Waiver: the column is computed in 32-bit integer arithmetic and is below D_OUT + T_IN,
    // which OB bits hold.
    /* verilator lint_off WIDTH */
    wire [OB-1:0] column_now = wb_j * T_OUT + wb_chunk * T_IN;
    // the chunk's columns that are results: inside the slab (a chunk past T_OUT, when T_IN does
    // not divide T_OUT or exceeds it, would reach into the next slab's columns) and below D_VALID
    wire [T_IN-1:0] columns_now;
    genvar mc;
    for (mc = 0; mc < T_IN; mc = mc + 1) begin : g_column_mask
        assign columns_now[mc] = (wb_chunk * T_IN + mc < T_OUT) && (column_now + mc < D_VALID);
    end
    /* verilator lint_on WIDTH */

    // conversion (and GELU or ReLU) per unit; LAT_OUT cycles
    localparam LAT_OUT = (GELU != 0) ? 8 : (RELU != 0) ? 3 : 2;    // write_back_depth (+ gelu_depth or 1)
    wire [GU*OW-1:0] converted;
    generate
        for (o = 0; o < GU; o = o + 1) begin : g_out
            if (GELU != 0) begin : g_gelu
                moehls_gelu #(.CW(CW), .CF(CF), .OW(OW), .OF(OF), .O_SAT(O_SAT), .ROM(GELU_ROM),
                              .ENTRIES(GELU_ENTRIES), .EW(GELU_EW))
                    unit (.clk(clk), .x(pass_in[o*CW +: CW]), .y(converted[o*OW +: OW]));
            end else if (RELU != 0) begin : g_relu
                // ReLU on the accumulator (exact), then Q_out: docs/numerics.md "Linear layers"
                reg [CW-1:0] clamped;
                always @(posedge clk)
                    clamped <= pass_in[o*CW + CW - 1] ? {CW{1'b0}} : pass_in[o*CW +: CW];
                moehls_convert #(.IW(CW), .IF(CF), .OW(OW), .OF(OF), .O_SAT(O_SAT), .STAGES(2))
                    unit (.clk(clk), .x(clamped), .y(converted[o*OW +: OW]));
            end else begin : g_plain
                moehls_convert #(.IW(CW), .IF(CF), .OW(OW), .OF(OF), .O_SAT(O_SAT), .STAGES(2))
                    unit (.clk(clk), .x(pass_in[o*CW +: CW]), .y(converted[o*OW +: OW]));
            end
        end
    endgenerate

    reg             o_valid [0:LAT_OUT-1];
    reg             o_write [0:LAT_OUT-1];   // last pass of a chunk: the chunk is complete
    reg             o_last  [0:LAT_OUT-1];
    reg [SB-1:0]    o_sub   [0:LAT_OUT-1];
    reg [TOKB-1:0]  o_tok   [0:LAT_OUT-1];
    reg [N_L-1:0]   o_lanes [0:LAT_OUT-1];
    reg [OB-1:0]    o_col   [0:LAT_OUT-1];
    reg [T_IN-1:0]  o_cols  [0:LAT_OUT-1];
    always @(posedge clk) begin
        o_valid[0] <= wb_busy && !rst && !start;
        o_write[0] <= wb_last_sub;
        o_last[0] <= wb_busy && wb_final && wb_last_chunk && wb_last_sub;
        o_sub[0] <= wb_sub;
        o_tok[0] <= wb_tok;
        o_lanes[0] <= lanes_now;
        o_col[0] <= column_now;
        o_cols[0] <= columns_now;
        for (d = 1; d < LAT_OUT; d = d + 1) begin
            o_valid[d] <= rst ? 1'b0 : o_valid[d-1];
            o_write[d] <= o_write[d-1];
            o_last[d] <= o_last[d-1];
            o_sub[d] <= o_sub[d-1];
            o_tok[d] <= o_tok[d-1];
            o_lanes[d] <= o_lanes[d-1];
            o_col[d] <= o_col[d-1];
            o_cols[d] <= o_cols[d-1];
        end
        done <= !rst && o_valid[LAT_OUT-1] && o_last[LAT_OUT-1];
    end

    // results of the earlier passes of a chunk wait here; the last pass joins them on the write
    wire [SUB*GU*OW-1:0] assembled_out;
    generate
        if (SUB > 1) begin : g_collect
            reg [(SUB-1)*GU*OW-1:0] held;
            always @(posedge clk)
                if (o_valid[LAT_OUT-1] && !o_write[LAT_OUT-1])
                    held[o_sub[LAT_OUT-1]*GU*OW +: GU*OW] <= converted;
            assign assembled_out = {converted, held};
        end else begin : g_direct
            assign assembled_out = converted;
        end
    endgenerate
    assign y_we = o_valid[LAT_OUT-1] && o_write[LAT_OUT-1];
    assign y_token = o_tok[LAT_OUT-1];
    assign y_lanes = o_lanes[LAT_OUT-1];
    assign y_column = o_col[LAT_OUT-1];
    assign y_columns = o_cols[LAT_OUT-1];
    // Waiver: the padding results of the last pass (PADE of them) are never written.
    /* verilator lint_off UNUSEDSIGNAL */
    wire [SUB*GU*OW-1:0] out_all = assembled_out;
    /* verilator lint_on UNUSEDSIGNAL */
    assign y_data = out_all[NE*OW-1:0];
endmodule
