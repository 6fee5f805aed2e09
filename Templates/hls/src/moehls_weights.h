@@header_comment@@
// moehls HLS kernels: weight slabs for the linear engine.
//
// The engine works on one block of LIN_T_OUT output rows at a time; their weights (all input
// columns) are copied from the weight image into an on-chip slab first. With several weight
// ports, port p loads the rows r = p, p + WEIGHT_PORTS, ... of the block (moehls_ports.h calls
// load_weight_share once per port), so the ports fetch in parallel.
#ifndef MOEHLS_WEIGHTS_H
#define MOEHLS_WEIGHTS_H

#include "moehls_memory.h"

/// One weight tensor's rows into the slab: row o0 + r of the tensor (row-major, in_dim columns,
/// format T in BITS-bit fields, starting at word `base`) becomes slab row r. Columns from in_dim
/// up to the next multiple of LIN_T_IN, and rows past out_dim, are zero.
template <typename T, int BITS>
void load_rows(const bus_t port[WEIGHT_WORDS], int port_index, int base, int o0, int in_dim, int out_dim,
               slab_t slab[LIN_T_OUT][LIN_MAX_IN]) {
#pragma HLS INLINE
    const int per_word = BUS_BITS / BITS;
    const int columns = (in_dim + LIN_T_IN - 1) / LIN_T_IN * LIN_T_IN;
    SLAB_ROWS: for (int r = port_index; r < LIN_T_OUT; r += WEIGHT_PORTS) {
#pragma HLS LOOP_TRIPCOUNT min=1 max=LIN_ROWS_PER_PORT
        const int o = o0 + r;
        const bool valid_row = o < out_dim;
        const int first = o * in_dim;
        bus_t word = 0;
        SLAB_COLUMNS: for (int i = 0; i < columns; i++) {
#pragma HLS LOOP_TRIPCOUNT min=1 max=LIN_MAX_IN
#pragma HLS PIPELINE II=1
            const int index = first + i;
            const int lane = index % per_word;
            if (valid_row && i < in_dim && (i == 0 || lane == 0)) word = port[base + index / per_word];
            slab_t value = 0;
            if (valid_row && i < in_dim) {
                const ap_uint<BITS> field = word.range(lane * BITS + BITS - 1, lane * BITS);
                value = from_bits<T, BITS>(field);
            }
            slab[r][i] = value;
        }
    }
}

/// Port `port_index`'s share of the slab for output block o0 of a linear step: the step's
/// weights (the active task's gate for a gate step) in the weight or the patch-weight format.
void load_weight_share(const bus_t port[WEIGHT_WORDS], int port_index, const op_t &op, int task, int o0,
                       slab_t slab[LIN_T_OUT][LIN_MAX_IN]) {
#pragma HLS INLINE off
    const int base = op.weight + task * op.task_stride;
    if (op.flags & FLAG_PATCH) {
        load_rows<pweight_t, PWEIGHT_BITS>(port, port_index, base, o0, op.in_dim, op.out_dim, slab);
    } else {
        load_rows<weight_t, WEIGHT_BITS>(port, port_index, base, o0, op.in_dim, op.out_dim, slab);
    }
}

/// The biases of output block o0, converted into the accumulator with its modes (zero without
/// a bias): the accumulators' starting values.
void load_bias(const bus_t weights[WEIGHT_WORDS], const op_t &op, int o0, acc_t bias[LIN_T_OUT]) {
#pragma HLS INLINE off
    BIAS_ROWS: for (int o = 0; o < LIN_T_OUT; o++) {
#pragma HLS PIPELINE II=1
        acc_t start = 0;
        if ((op.flags & FLAG_BIAS) && o0 + o < op.out_dim) {
            start = read_value<bias_t, BIAS_BITS, WEIGHT_WORDS>(weights, op.bias, o0 + o);
        }
        bias[o] = start;
    }
}

#endif
