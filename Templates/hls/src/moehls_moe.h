@@header_comment@@
// moehls HLS kernels: the MoE gate (top-k, scores, per-expert token queues), the gather of an
// expert's tokens and the combine accumulators (docs/numerics.md, "MoE gate and experts").
// The experts themselves run on the linear engine (OP_LINEAR with FLAG_QUEUE_ROWS), fc2 with
// FLAG_SCATTER adding score * y into the combine accumulators by token id.
#ifndef MOEHLS_MOE_H
#define MOEHLS_MOE_H

#include "moehls_units.h"

/// OP_ROUTE: per token, the top-k experts by logit (buffer src, EXPERTS columns; ties to the
/// lowest index, best first), their scores and the queues. Scores: e_j = exp(g_j - max) over
/// all experts (GATE_SOFTMAX_ALL) or the k chosen only, l = sum e_j, score = Q_A(e_j / l) with
/// one reciprocal. Queue e lists the tokens that chose e in ascending token order.
void route_kernel(const op_t &op, const act_t mem[ACT_BUFFERS][MAX_TOKENS][MAX_WIDTH], routing_t &route) {
#pragma HLS INLINE off
    QUEUE_CLEAR: for (int e = 0; e < EXPERTS; e++) {
#pragma HLS PIPELINE II=1
        route.count[e] = 0;
    }
    ROUTE_TOKENS: for (int t = 0; t < TOKENS; t++) {
        act_t logits[EXPERTS];
#pragma HLS ARRAY_PARTITION variable=logits type=complete dim=1
        bool chosen[EXPERTS];
#pragma HLS ARRAY_PARTITION variable=chosen type=complete dim=1
        expert_id_t pick[TOP_K];
#pragma HLS ARRAY_PARTITION variable=pick type=complete dim=1
        GATE_LOAD: for (int j = 0; j < EXPERTS; j++) {
#pragma HLS PIPELINE II=1
            logits[j] = mem[op.src][t][j];
            chosen[j] = false;
        }

        // Top-k: k passes of a strict maximum scan, so equal logits go to the lower index.
        TOPK_RANKS: for (int r = 0; r < TOP_K; r++) {
            int best = -1;
            TOPK_SCAN: for (int j = 0; j < EXPERTS; j++) {
#pragma HLS PIPELINE II=1
                if (!chosen[j] && (best < 0 || logits[j] > logits[best])) best = j;
            }
            chosen[best] = true;
            pick[r] = best;
        }

        // Softmax pieces over the pool (all experts or the chosen ones).
        act_t maximum = 0;
        bool first = true;
        GATE_MAX: for (int j = 0; j < EXPERTS; j++) {
#pragma HLS PIPELINE II=1
            if ((GATE_SOFTMAX_ALL || chosen[j]) && (first || logits[j] > maximum)) {
                maximum = logits[j];
                first = false;
            }
        }
        exp_value_t e[EXPERTS];
#pragma HLS ARRAY_PARTITION variable=e type=complete dim=1
        gate_sum_t sum = 0;
        GATE_EXP: for (int j = 0; j < EXPERTS; j++) {
#pragma HLS PIPELINE II=1
            e[j] = 0;
            if (GATE_SOFTMAX_ALL || chosen[j]) {
                const ap_int<ACT_W + 1> z = ap_int<ACT_W + 1>(raw_of(logits[j])) - ap_int<ACT_W + 1>(raw_of(maximum));
                e[j] = exp_unit<ACT_W + 1, ACT_FB>(z);
                sum += e[j];
            }
        }
        mantissa_t m = 0;
        int s = 0;
        reciprocal_unit<GATE_SUM_BITS, EXP_FB>(sum, m, s);

        GATE_SCORES: for (int r = 0; r < TOP_K; r++) {
#pragma HLS PIPELINE II=1
            const int expert = pick[r];
            route.expert[t][r] = expert;
            route.score[t][r] = scale_by_mantissa<act_t, EXP_VALUE_BITS + 1, EXP_FB, 0, GATE_GUARD>(
                ap_int<EXP_VALUE_BITS + 1>(e[expert]), m, s);
            route.queue[expert][route.count[expert]] = t;
            route.count[expert] = route.count[expert] + 1;
        }
    }
}

/// OP_GATHER: the rows of buffer src listed in the queue of op.expert, in queue order, into
/// buffer dst (op.in_dim columns).
void gather_kernel(const op_t &op, const routing_t &route, act_t mem[ACT_BUFFERS][MAX_TOKENS][MAX_WIDTH]) {
#pragma HLS INLINE off
    const int rows = route.count[op.expert];
    GATHER_ROWS: for (int p = 0; p < rows; p++) {
#pragma HLS LOOP_TRIPCOUNT min=0 max=TOKENS
        const int token = route.queue[op.expert][p];
        GATHER_COLUMNS: for (int c = 0; c < op.in_dim; c++) {
#pragma HLS LOOP_TRIPCOUNT min=1 max=EMBED_DIM
#pragma HLS PIPELINE II=1
            mem[op.dst][p][c] = mem[op.src][token][c];
        }
    }
}

/// OP_COMBINE_START: the combine accumulators cleared.
void combine_start_kernel(acc_t combine[MAX_TOKENS][EMBED_DIM]) {
#pragma HLS INLINE off
    COMBINE_CLEAR: for (int t = 0; t < TOKENS; t++) {
        COMBINE_CLEAR_COLUMNS: for (int c = 0; c < EMBED_DIM; c++) {
#pragma HLS PIPELINE II=1
            combine[t][c] = 0;
        }
    }
}

/// OP_COMBINE_FINISH: the combine accumulators converted to the activation format into dst.
void combine_finish_kernel(const op_t &op, const acc_t combine[MAX_TOKENS][EMBED_DIM],
                           act_t mem[ACT_BUFFERS][MAX_TOKENS][MAX_WIDTH]) {
#pragma HLS INLINE off
    COMBINE_ROWS: for (int t = 0; t < TOKENS; t++) {
        COMBINE_COLUMNS: for (int c = 0; c < EMBED_DIM; c++) {
#pragma HLS PIPELINE II=1
            mem[op.dst][t][c] = combine[t][c];
        }
    }
}

#endif
