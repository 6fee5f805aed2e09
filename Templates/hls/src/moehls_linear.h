@@header_comment@@
// moehls HLS kernels: the linear engine, y = x W^T + b.
//
// A LIN_T_IN x LIN_T_OUT grid of multiply-accumulators replicated over LIN_LANES tokens
// (T_in, T_out, N_L of the design point). Loops: output blocks of LIN_T_OUT rows (weights of a
// block are loaded once into the slab), token groups of LIN_LANES rows, input blocks of LIN_T_IN
// columns (pipelined, II=1: T_in x T_out x N_L products per cycle).
//
// Accumulation rule (docs/numerics.md): every exact product is converted on its own into the
// accumulator type (its quantisation mode, AP_WRAP), and the converted products are added with
// wrap-around, starting from the bias converted into the accumulator. Modular addition makes
// the grid's order of additions irrelevant: any lane count or tiling gives the same bits.
#ifndef MOEHLS_LINEAR_H
#define MOEHLS_LINEAR_H

#include "moehls_units.h"
#include "moehls_ports.h"

/// The score of `expert` for `token`, looked up by token id (never by queue position).
inline act_t score_of(const routing_t &route, int token, int expert) {
#pragma HLS INLINE
    act_t score = 0;
    SCORE_RANKS: for (int r = 0; r < TOP_K; r++) {
#pragma HLS UNROLL
        if (route.expert[token][r] == expert) score = route.score[token][r];
    }
    return score;
}

/// OP_LINEAR: rows x in_dim activations of buffer src times the out_dim x in_dim weights.
/// Output, by flags: Q_A(acc) or GELU(acc) into buffer dst at row dst_row + t; or, with
/// FLAG_SCATTER (expert fc2), combine[token] += Q_C(score * Q_A(acc)) where token is the t-th
/// entry of the expert's queue and the score is that token's score for the expert.
void linear_kernel(const op_t &op, int task, act_t mem[ACT_BUFFERS][MAX_TOKENS][MAX_WIDTH],
                   acc_t combine[MAX_TOKENS][EMBED_DIM], const routing_t &route, MOEHLS_WEIGHT_PORT_PARAMS) {
#pragma HLS INLINE off
    static slab_t slab[LIN_T_OUT][LIN_MAX_IN];
#pragma HLS ARRAY_PARTITION variable=slab type=complete dim=1
#pragma HLS ARRAY_PARTITION variable=slab type=cyclic factor=LIN_T_IN dim=2
#pragma HLS BIND_STORAGE variable=slab type=ram_2p impl=@@weight_buffer_impl@@
    acc_t bias[LIN_T_OUT];
#pragma HLS ARRAY_PARTITION variable=bias type=complete dim=1
    acc_t acc[LIN_LANES][LIN_T_OUT];
#pragma HLS ARRAY_PARTITION variable=acc type=complete dim=0

    const int rows = (op.flags & FLAG_QUEUE_ROWS) ? int(route.count[op.expert]) : op.rows;
    const int in_blocks = (op.in_dim + LIN_T_IN - 1) / LIN_T_IN;
    const int out_blocks = (op.out_dim + LIN_T_OUT - 1) / LIN_T_OUT;
    const int groups = (rows + LIN_LANES - 1) / LIN_LANES;

    OUTPUT_BLOCKS: for (int ob = 0; ob < out_blocks; ob++) {
#pragma HLS LOOP_TRIPCOUNT min=1 max=LIN_MAX_OUT_BLOCKS
        const int o0 = ob * LIN_T_OUT;
        load_weight_slab(op, task, o0, slab, MOEHLS_WEIGHT_PORT_ARGS);
        load_bias(MOEHLS_WEIGHT_PORT0, op, o0, bias);

        TOKEN_GROUPS: for (int g = 0; g < groups; g++) {
#pragma HLS LOOP_TRIPCOUNT min=0 max=LIN_MAX_GROUPS
            const int t0 = g * LIN_LANES;
            ACC_INIT: for (int l = 0; l < LIN_LANES; l++) {
#pragma HLS UNROLL
                ACC_INIT_OUT: for (int o = 0; o < LIN_T_OUT; o++) {
#pragma HLS UNROLL
                    acc[l][o] = bias[o];
                }
            }

            INPUT_BLOCKS: for (int ib = 0; ib < in_blocks; ib++) {
#pragma HLS LOOP_TRIPCOUNT min=1 max=LIN_MAX_IN_BLOCKS
#pragma HLS PIPELINE II=1
                const int i0 = ib * LIN_T_IN;
                MAC_LANES: for (int l = 0; l < LIN_LANES; l++) {
#pragma HLS UNROLL
                    MAC_OUTPUTS: for (int o = 0; o < LIN_T_OUT; o++) {
#pragma HLS UNROLL
                        MAC_INPUTS: for (int i = 0; i < LIN_T_IN; i++) {
#pragma HLS UNROLL
                            const acc_t product = mem[op.src][t0 + l][i0 + i] * slab[o][i0 + i];
                            acc[l][o] += product;
                        }
                    }
                }
            }

            STORE_LANES: for (int l = 0; l < LIN_LANES; l++) {
                STORE_OUTPUTS: for (int o = 0; o < LIN_T_OUT; o++) {
#pragma HLS PIPELINE II=1
                    const int t = t0 + l;
                    const int column = o0 + o;
                    if (t < rows && column < op.out_dim) {
                        if (op.flags & FLAG_SCATTER) {
                            const int token = route.queue[op.expert][t];
                            const act_t y = acc[l][o];
                            const acc_t product = score_of(route, token, op.expert) * y;
                            combine[token][column] += product;
                        } else if (op.flags & FLAG_GELU) {
                            mem[op.dst][op.dst_row + t][column] = gelu_unit(acc[l][o]);
                        } else if (op.flags & FLAG_RELU) {
                            // max(acc, 0) in the accumulator, then Q_A (docs/numerics.md)
                            mem[op.dst][op.dst_row + t][column] = acc[l][o] > 0 ? acc[l][o] : acc_t(0);
                        } else {
                            mem[op.dst][op.dst_row + t][column] = acc[l][o];
                        }
                    }
                }
            }
        }
    }
}

#endif
