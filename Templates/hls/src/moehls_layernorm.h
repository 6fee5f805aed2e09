@@header_comment@@
// moehls HLS kernels: LayerNorm (docs/numerics.md, "LayerNorm"), LN_LANES features per cycle.
#ifndef MOEHLS_LAYERNORM_H
#define MOEHLS_LAYERNORM_H

#include "moehls_units.h"

/// OP_LAYERNORM: every token of X normalised into buffer dst. Per token, with x the raw
/// activations (F = ACT_FB fraction bits): S1 = sum x, S2 = sum x^2 (exact, one pass);
/// mean = floor(S1 / D), m2 = floor(S2 / D); var = max(m2 - mean^2, 0) + eps (2F fraction bits);
/// (m, h) = rsqrt(var); n = Q_A((x - mean) * m) with F + 24 + h fraction bits;
/// y = Q_A(n * gamma + beta). op.weight is gamma, op.bias is beta.
void layernorm_kernel(const op_t &op, const act_t x[MAX_TOKENS][EMBED_DIM], const bus_t weights[WEIGHT_WORDS],
                      act_t mem[ACT_BUFFERS][MAX_TOKENS][MAX_WIDTH]) {
#pragma HLS INLINE off
    ln_t gamma[EMBED_DIM];
    ln_t beta[EMBED_DIM];
#pragma HLS ARRAY_PARTITION variable=gamma type=cyclic factor=LN_LANES dim=1
#pragma HLS ARRAY_PARTITION variable=beta type=cyclic factor=LN_LANES dim=1
    LN_PARAMETERS: for (int c = 0; c < EMBED_DIM; c++) {
#pragma HLS PIPELINE II=1
        gamma[c] = read_value<ln_t, LN_BITS, WEIGHT_WORDS>(weights, op.weight, c);
        beta[c] = read_value<ln_t, LN_BITS, WEIGHT_WORDS>(weights, op.bias, c);
    }

    LN_TOKENS: for (int t = 0; t < TOKENS; t++) {
        ln_sum_t s1 = 0;
        ln_square_sum_t s2 = 0;
        LN_SUMS: for (int b = 0; b < LN_BLOCKS; b++) {
#pragma HLS PIPELINE II=1
            LN_SUM_LANES: for (int k = 0; k < LN_LANES; k++) {
#pragma HLS UNROLL
                const ap_int<ACT_W> v = raw_of(x[t][b * LN_LANES + k]);
                s1 += v;
                s2 += v * v;
            }
        }

        // Floor divisions by D (toward minus infinity; S2 is never negative).
        ln_sum_t mean = s1 / EMBED_DIM;
        if (s1 < 0 && mean * EMBED_DIM != s1) mean -= 1;
        const ln_square_sum_t mean_square = s2 / EMBED_DIM;
        ln_variance_t variance = ln_variance_t(mean_square) - ln_variance_t(mean * mean);
        if (variance < 0) variance = 0;
        variance += LN_EPS_RAW;

        mantissa_t m = 0;
        int h = 0;
        rsqrt_unit<LN_VARIANCE_W, 2 * ACT_FB>(ap_uint<LN_VARIANCE_W>(variance), m, h);

        LN_NORMALISE: for (int b = 0; b < LN_BLOCKS; b++) {
#pragma HLS PIPELINE II=1
            LN_NORMALISE_LANES: for (int k = 0; k < LN_LANES; k++) {
#pragma HLS UNROLL
                const int c = b * LN_LANES + k;
                const ap_int<ACT_W + 1> centred = ap_int<ACT_W + 1>(raw_of(x[t][c])) - ap_int<ACT_W + 1>(mean);
                const act_t n = scale_by_mantissa<act_t, ACT_W + 1, ACT_FB, LN_H_MIN, LN_H_MAX>(centred, m, h);
                mem[op.dst][t][c] = n * gamma[c] + beta[c];
            }
        }
    }
}

#endif
