@@header_comment@@
// moehls HLS kernels: input and embedding steps (patches, tokens, class token, positions).
#ifndef MOEHLS_EMBED_H
#define MOEHLS_EMBED_H

#include "moehls_memory.h"

/// OP_PATCHES: the image (C x H x W pixels, row-major) flattened into patches, row
/// py * (W/P) + px, column c * P * P + ky * P + kx (a Conv2d weight's layout), into buffer dst.
/// Pixels are converted to the activation format, which holds every pixel value exactly
/// (checked by the generator), so the patch-embedding products are those of the golden model.
void patches_kernel(const op_t &op, const bus_t image[INPUT_WORDS],
                    act_t mem[ACT_BUFFERS][MAX_TOKENS][MAX_WIDTH]) {
#pragma HLS INLINE off
    PATCH_ROWS: for (int p = 0; p < PATCHES; p++) {
        const int py = p / PATCHES_ACROSS;
        const int px = p % PATCHES_ACROSS;
        PATCH_COLUMNS: for (int col = 0; col < PATCH_COLS; col++) {
#pragma HLS PIPELINE II=1
            const int channel = col / (PATCH_SIZE * PATCH_SIZE);
            const int ky = (col / PATCH_SIZE) % PATCH_SIZE;
            const int kx = col % PATCH_SIZE;
            const int pixel = (channel * IMAGE_HEIGHT + py * PATCH_SIZE + ky) * IMAGE_WIDTH + px * PATCH_SIZE + kx;
            const pixel_t value = read_value<pixel_t, PIXEL_BITS, INPUT_WORDS>(image, 0, pixel);
            mem[op.dst][p][col] = act_t(value);
        }
    }
}

/// OP_TOKENS: the input tokens (TOKENS x EMBED_DIM activations) of an attention block into X.
void tokens_kernel(const bus_t image[INPUT_WORDS], act_t x[MAX_TOKENS][EMBED_DIM]) {
#pragma HLS INLINE off
    TOKEN_ROWS: for (int t = 0; t < TOKENS; t++) {
        TOKEN_COLUMNS: for (int c = 0; c < EMBED_DIM; c++) {
#pragma HLS PIPELINE II=1
            x[t][c] = read_value<act_t, ACT_BITS, INPUT_WORDS>(image, 0, t * EMBED_DIM + c);
        }
    }
}

/// OP_EMBED: X = [class token; patch embeddings in buffer src] (+ position embedding), each sum
/// converted to the activation format. op.weight is the class token (< 0: none), op.bias the
/// position embedding (< 0: none), op.dst_row the first patch row (1 with a class token).
void embed_kernel(const op_t &op, const act_t mem[ACT_BUFFERS][MAX_TOKENS][MAX_WIDTH],
                  const bus_t weights[WEIGHT_WORDS], act_t x[MAX_TOKENS][EMBED_DIM]) {
#pragma HLS INLINE off
    EMBED_ROWS: for (int t = 0; t < TOKENS; t++) {
        EMBED_COLUMNS: for (int c = 0; c < EMBED_DIM; c++) {
#pragma HLS PIPELINE II=1
            act_t value = 0;
            if (t < op.dst_row) {
                value = read_value<act_t, ACT_BITS, WEIGHT_WORDS>(weights, op.weight, c);
            } else {
                value = mem[op.src][t - op.dst_row][c];
            }
            if (op.bias >= 0) {
                const act_t position = read_value<act_t, ACT_BITS, WEIGHT_WORDS>(weights, op.bias, t * EMBED_DIM + c);
                value = value + position;
            }
            x[t][c] = value;
        }
    }
}

/// OP_RESIDUAL: X = Q_A(X + buffer src).
void residual_kernel(const op_t &op, const act_t mem[ACT_BUFFERS][MAX_TOKENS][MAX_WIDTH],
                     act_t x[MAX_TOKENS][EMBED_DIM]) {
#pragma HLS INLINE off
    RESIDUAL_ROWS: for (int t = 0; t < TOKENS; t++) {
        RESIDUAL_COLUMNS: for (int c = 0; c < EMBED_DIM; c++) {
#pragma HLS PIPELINE II=1
            x[t][c] = x[t][c] + mem[op.src][t][c];
        }
    }
}

#endif
