@@header_comment@@
// moehls HLS kernels: the program step, the routing state and bit-level helpers.
//
// Static template shipped with moehls (Templates/hls/src). Every model- or design-specific
// number comes from the generated moehls_config.h; nothing here is edited per model.
// C++14 for Vitis HLS: no floating point, no dynamic memory, no pointers below the top function.
#ifndef MOEHLS_TYPES_H
#define MOEHLS_TYPES_H

#include "moehls_config.h"

// ---- Program steps (docs/hls-kernels.md, "The program") ------------------------------------

/// Flattened patches of the input image into an activation buffer (pixels converted exactly).
static const int OP_PATCHES = 1;
/// Input tokens of an attention block into the residual stream X.
static const int OP_TOKENS = 2;
/// Class token, patch embeddings and position embedding into X.
static const int OP_EMBED = 3;
/// LayerNorm of X into a buffer.
static const int OP_LAYERNORM = 4;
/// y = x W^T + b on the linear engine (optional GELU, optional scatter into the MoE combine).
static const int OP_LINEAR = 5;
/// Multi-head attention on a Q|K|V buffer.
static const int OP_ATTENTION = 6;
/// X = Q_A(X + buffer).
static const int OP_RESIDUAL = 7;
/// MoE gate: top-k, scores and per-expert token queues from a logits buffer.
static const int OP_ROUTE = 8;
/// Rows of a buffer gathered through one expert's token queue.
static const int OP_GATHER = 9;
/// MoE accumulators cleared.
static const int OP_COMBINE_START = 10;
/// MoE accumulators converted to the activation format into a buffer.
static const int OP_COMBINE_FINISH = 11;
/// Rows of X or a buffer written to the output image.
static const int OP_STORE = 12;

/// Buffer ids: the on-chip activation memory has ACT_BUFFERS regions; BUF_X is the residual
/// stream, a separate array (only OP_STORE reads it through an id).
static const int BUF_A = 0;
static const int BUF_B = 1;
static const int BUF_C = 2;
static const int BUF_X = 3;

/// Flags of a step.
static const int FLAG_GELU = 1;          // linear: GELU on the output
static const int FLAG_PATCH = 2;         // linear: weights are in the patch-weight format
static const int FLAG_QUEUE_ROWS = 4;    // linear: rows = length of the expert's queue
static const int FLAG_SCATTER = 8;       // linear: combine[token] += score * y instead of storing y
static const int FLAG_TRACE = 16;        // store: only when the trace register is set
static const int FLAG_BIAS = 32;         // linear: the layer has a bias
static const int FLAG_RELU = 64;         // linear: ReLU on the output

/// One step of the forward-pass program. Offsets are in bus words of the weight image (weight,
/// bias) or of the output image (out).
struct op_t {
    int kind;          // OP_*
    int src;           // source buffer (BUF_*)
    int dst;           // destination buffer (BUF_*)
    int rows;          // tokens processed (unless FLAG_QUEUE_ROWS)
    int in_dim;        // input features
    int out_dim;       // output features
    int dst_row;       // first destination row
    int weight;        // weight tensor (linear), gamma (LayerNorm), class token (embed)
    int bias;          // bias tensor (linear), beta (LayerNorm), position embedding (embed)
    int task_stride;   // words between the gates of consecutive tasks (0: not a gate)
    int expert;        // expert of a queue step
    int flags;         // FLAG_*
    int out;           // output image offset (store)
};

/// The MoE gate's decision for every token, and the per-expert token queues.
struct routing_t {
    /// expert[t][r]: the r-th choice of token t, best first.
    expert_id_t expert[MAX_TOKENS][TOP_K];
    /// score[t][r]: the score of expert[t][r].
    act_t score[MAX_TOKENS][TOP_K];
    /// queue[e][p]: the p-th token (ascending) that chose expert e.
    token_id_t queue[EXPERTS][MAX_TOKENS];
    /// count[e]: length of queue[e].
    token_count_t count[EXPERTS];
};

// ---- Bits of fixed-point values -------------------------------------------------------------

/// The two's complement bits of a signed fixed-point value as an integer (value * 2^F).
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
ap_int<W> raw_of(const ap_fixed<W, I, Q, O, N> &value) {
#pragma HLS INLINE
    ap_int<W> raw = 0;
    raw.range(W - 1, 0) = value.range(W - 1, 0);
    return raw;
}

/// The bits of an unsigned fixed-point value as an integer (value * 2^F).
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
ap_uint<W> raw_of(const ap_ufixed<W, I, Q, O, N> &value) {
#pragma HLS INLINE
    ap_uint<W> raw = 0;
    raw.range(W - 1, 0) = value.range(W - 1, 0);
    return raw;
}

/// A fixed-point value of type T from its raw bits (the low T::width bits of `bits`).
template <typename T, int B>
T from_bits(const ap_uint<B> &bits) {
#pragma HLS INLINE
    T value = 0;
    value.range(T::width - 1, 0) = bits.range(T::width - 1, 0);
    return value;
}

/// The exact value raw * 2^-F converted into T with T's quantisation and overflow modes: the
/// one conversion of docs/numerics.md (ap_fixed's assignment does exactly that).
template <typename T, int W, int F>
T convert_raw(const ap_int<W> &raw) {
#pragma HLS INLINE
    ap_fixed<W, W - F> exact = 0;
    exact.range(W - 1, 0) = raw.range(W - 1, 0);
    return T(exact);
}

/// Q_T(raw * 2^-F * m * 2^-(24 + e)): a value times a reciprocal or 1/sqrt mantissa m (units of
/// 2^-24) and exponent e, with e in [EMIN, EMAX]. The product is brought to the common fraction
/// F + 24 + EMAX by an exact left shift, so the only rounding is the final conversion.
template <typename T, int W, int F, int EMIN, int EMAX>
T scale_by_mantissa(const ap_int<W> &raw, const mantissa_t &m, int e) {
#pragma HLS INLINE
    const int WIDE = W + MANTISSA_BITS + 1 + (EMAX - EMIN);
    ap_int<WIDE> product = raw * m;
    product = product << (EMAX - e);
    return convert_raw<T, WIDE, F + MANTISSA_FB + EMAX>(product);
}

/// Index of the leading one of a positive value (0 for zero).
template <int W>
int leading_one(const ap_uint<W> &x) {
#pragma HLS INLINE
    int position = 0;
    LEADING_ONE: for (int b = 0; b < W; b++) {
#pragma HLS UNROLL
        if (x[b]) position = b;
    }
    return position;
}

/// p rounded down to an even number (toward minus infinity).
inline int floor_even(int p) {
#pragma HLS INLINE
    return p >= 0 ? p - (p % 2) : -((1 - p) - ((1 - p) % 2));
}

#endif
