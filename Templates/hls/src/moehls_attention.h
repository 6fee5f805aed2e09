@@header_comment@@
// moehls HLS kernels: streaming multi-head attention (docs/numerics.md, "Attention").
//
// Per head, ATT_ROWS query rows are held on chip while the keys and then the values stream
// past, ATT_TA elements of a row per cycle (T_a and N_a of the design point). All sums follow the
// accumulation rule, so streaming order and tiling do not change a bit.
#ifndef MOEHLS_ATTENTION_H
#define MOEHLS_ATTENTION_H

#include "moehls_units.h"

/// OP_ATTENTION: buffer src holds Q | K | V (TOKENS x 3 EMBED_DIM, heads contiguous within each);
/// the concatenated head outputs (TOKENS x EMBED_DIM) go to buffer dst. For each query row i:
/// s_ij = Q_A(Q_C-sum(q_i . k_j) * SCALE); m_i = max_j s_ij; e_ij = exp(s_ij - m_i);
/// l_i = sum_j e_ij (exact); o_ic = sum_j Q_W(e_ij * v_jc) in the accumulator widened by
/// ATT_GUARD bits; out_ic = Q_A(o_ic * reciprocal(l_i)).
void attention_kernel(const op_t &op, act_t mem[ACT_BUFFERS][MAX_TOKENS][MAX_WIDTH]) {
#pragma HLS INLINE off
    act_t q[ATT_ROWS][HEAD_DIM];
#pragma HLS ARRAY_PARTITION variable=q type=complete dim=1
#pragma HLS ARRAY_PARTITION variable=q type=cyclic factor=ATT_TA dim=2
    act_t scores[ATT_ROWS][TOKENS];
#pragma HLS ARRAY_PARTITION variable=scores type=complete dim=1
    exp_value_t weights[ATT_ROWS][TOKENS];
#pragma HLS ARRAY_PARTITION variable=weights type=complete dim=1
    act_t row_max[ATT_ROWS];
#pragma HLS ARRAY_PARTITION variable=row_max type=complete dim=1
    exp_sum_t row_sum[ATT_ROWS];
#pragma HLS ARRAY_PARTITION variable=row_sum type=complete dim=1
    wide_t out[ATT_ROWS][HEAD_DIM];
#pragma HLS ARRAY_PARTITION variable=out type=complete dim=1
#pragma HLS ARRAY_PARTITION variable=out type=cyclic factor=ATT_TA dim=2
    acc_t dot[ATT_ROWS];
#pragma HLS ARRAY_PARTITION variable=dot type=complete dim=1

    scale_t scale = 0;
    scale.range(SCALE_BITS - 1, 0) = SCALE_RAW;

    HEADS_LOOP: for (int h = 0; h < HEADS; h++) {
        const int q_column = h * HEAD_DIM;
        const int k_column = EMBED_DIM + h * HEAD_DIM;
        const int v_column = 2 * EMBED_DIM + h * HEAD_DIM;

        ROW_BLOCKS: for (int rb = 0; rb < ATT_ROW_BLOCKS; rb++) {
            const int i0 = rb * ATT_ROWS;

            // The block's query rows (rows past TOKENS are zero and never written back).
            LOAD_Q: for (int r = 0; r < ATT_ROWS; r++) {
                LOAD_Q_COLUMNS: for (int c = 0; c < HEAD_DIM; c++) {
#pragma HLS PIPELINE II=1
                    q[r][c] = i0 + r < TOKENS ? mem[op.src][i0 + r][q_column + c] : act_t(0);
                }
            }

            // Scores and the running row maximum, keys streamed ATT_TA elements per cycle.
            SCORE_KEYS: for (int j = 0; j < TOKENS; j++) {
                SCORE_INIT: for (int r = 0; r < ATT_ROWS; r++) {
#pragma HLS UNROLL
                    dot[r] = 0;
                }
                SCORE_CHUNKS: for (int cb = 0; cb < HEAD_CHUNKS; cb++) {
#pragma HLS PIPELINE II=1
                    SCORE_ROWS: for (int r = 0; r < ATT_ROWS; r++) {
#pragma HLS UNROLL
                        SCORE_LANES: for (int k = 0; k < ATT_TA; k++) {
#pragma HLS UNROLL
                            const int c = cb * ATT_TA + k;
                            const acc_t product = q[r][c] * mem[op.src][j][k_column + c];
                            dot[r] += product;
                        }
                    }
                }
                SCORE_SCALE: for (int r = 0; r < ATT_ROWS; r++) {
#pragma HLS UNROLL
                    const act_t s = dot[r] * scale;
                    scores[r][j] = s;
                    if (j == 0 || s > row_max[r]) row_max[r] = s;
                }
            }

            // e = exp(s - max) and the exact row sums.
            EXP_INIT: for (int r = 0; r < ATT_ROWS; r++) {
#pragma HLS UNROLL
                row_sum[r] = 0;
            }
            EXP_KEYS: for (int j = 0; j < TOKENS; j++) {
#pragma HLS PIPELINE II=1
                EXP_ROWS: for (int r = 0; r < ATT_ROWS; r++) {
#pragma HLS UNROLL
                    const ap_int<ACT_W + 1> z = ap_int<ACT_W + 1>(raw_of(scores[r][j])) - ap_int<ACT_W + 1>(raw_of(row_max[r]));
                    const exp_value_t e = exp_unit<ACT_W + 1, ACT_FB>(z);
                    weights[r][j] = e;
                    row_sum[r] += e;
                }
            }

            // Unnormalised value sums in the widened accumulator, values streamed ATT_TA per cycle.
            VALUE_INIT: for (int r = 0; r < ATT_ROWS; r++) {
                VALUE_INIT_COLUMNS: for (int c = 0; c < HEAD_DIM; c++) {
#pragma HLS PIPELINE II=1
                    out[r][c] = 0;
                }
            }
            VALUE_KEYS: for (int j = 0; j < TOKENS; j++) {
                VALUE_CHUNKS: for (int cb = 0; cb < HEAD_CHUNKS; cb++) {
#pragma HLS PIPELINE II=1
                    VALUE_ROWS: for (int r = 0; r < ATT_ROWS; r++) {
#pragma HLS UNROLL
                        VALUE_LANES: for (int k = 0; k < ATT_TA; k++) {
#pragma HLS UNROLL
                            const int c = cb * ATT_TA + k;
                            const exp_fixed_t e = from_bits<exp_fixed_t, EXP_VALUE_BITS>(weights[r][j]);
                            const wide_t product = e * mem[op.src][j][v_column + c];
                            out[r][c] += product;
                        }
                    }
                }
            }

            // One reciprocal per row, then the outputs in the activation format.
            NORMALISE_ROWS: for (int r = 0; r < ATT_ROWS; r++) {
                mantissa_t m = 0;
                int s = 0;
                reciprocal_unit<EXP_SUM_BITS, EXP_FB>(row_sum[r], m, s);
                NORMALISE_COLUMNS: for (int c = 0; c < HEAD_DIM; c++) {
#pragma HLS PIPELINE II=1
                    if (i0 + r < TOKENS) {
                        mem[op.dst][i0 + r][q_column + c] =
                            scale_by_mantissa<act_t, WIDE_W, WIDE_FB, 0, ATT_GUARD>(raw_of(out[r][c]), m, s);
                    }
                }
            }
        }
    }
}

#endif
