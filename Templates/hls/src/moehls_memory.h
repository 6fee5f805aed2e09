@@header_comment@@
// moehls HLS kernels: reading the weight and input images and writing the output image.
//
// Images are arrays of bus words (bus_t, BUS_BITS wide). A tensor starts at a word boundary; its
// element k sits in bits [k % PER_WORD * BITS, +BITS) of word k / PER_WORD, where BITS is the
// format's width rounded up to 8, 16, 32 or 64 (two's complement, little-endian bytes).
// docs/hls-kernels.md, "Weight image", has the layout and the manifest.
#ifndef MOEHLS_MEMORY_H
#define MOEHLS_MEMORY_H

#include "moehls_types.h"

/// Element `index` (storage BITS bits) of the tensor starting at word `base` of an image.
template <int BITS, int WORDS>
ap_uint<BITS> read_field(const bus_t image[WORDS], int base, int index) {
#pragma HLS INLINE
    const int per_word = BUS_BITS / BITS;
    const bus_t word = image[base + index / per_word];
    const int lane = index % per_word;
    return word.range(lane * BITS + BITS - 1, lane * BITS);
}

/// Element `index` of a tensor in format T stored in BITS-bit fields.
template <typename T, int BITS, int WORDS>
T read_value(const bus_t image[WORDS], int base, int index) {
#pragma HLS INLINE
    return from_bits<T, BITS>(read_field<BITS, WORDS>(image, base, index));
}

/// Writes `rows` x `cols` activations (from X when src is BUF_X, else from buffer src) to the
/// output image at word `out`, ACT_PER_WORD values per word, row-major.
void store_rows(const op_t &op, const act_t x[MAX_TOKENS][EMBED_DIM],
                const act_t mem[ACT_BUFFERS][MAX_TOKENS][MAX_WIDTH], bus_t output[OUTPUT_WORDS]) {
#pragma HLS INLINE off
    const int count = op.rows * op.out_dim;
    const int words = (count + ACT_PER_WORD - 1) / ACT_PER_WORD;
    STORE_WORDS: for (int w = 0; w < words; w++) {
#pragma HLS LOOP_TRIPCOUNT min=1 max=STORE_MAX_WORDS
#pragma HLS PIPELINE II=1
        bus_t word = 0;
        STORE_LANES: for (int k = 0; k < ACT_PER_WORD; k++) {
#pragma HLS UNROLL
            const int index = w * ACT_PER_WORD + k;
            if (index < count) {
                const int t = index / op.out_dim;
                const int c = index % op.out_dim;
                const act_t value = op.src == BUF_X ? x[t][c] : mem[op.src][t][c];
                const ap_uint<ACT_BITS> field = act_field_t(raw_of(value));
                word.range(k * ACT_BITS + ACT_BITS - 1, k * ACT_BITS) = field;
            }
        }
        output[op.out + w] = word;
    }
}

#endif
