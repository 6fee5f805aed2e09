@@header_comment@@
// moehls HLS kernels: the nonlinear units (exp, reciprocal, 1/sqrt, GELU).
//
// Each unit is a table with linear interpolation over a ROM written from the golden model's
// `entries` arrays (generated moehls_tables.h) and reproduces the golden model's integer
// arithmetic bit for bit (docs/numerics.md, "Hardware approximations"). Integer arithmetic only.
#ifndef MOEHLS_UNITS_H
#define MOEHLS_UNITS_H

#include "moehls_types.h"
#include "moehls_tables.h"

/// T[index] + floor((T[index+1] - T[index]) * fraction / 2^16): the interpolation of every table
/// (the difference may be negative; the floor is an arithmetic shift).
template <int B, int N>
ap_int<B + 2> interpolate(const ap_uint<B> table[N], int index, const ap_uint<16> &fraction) {
#pragma HLS INLINE
    const ap_int<B + 2> low = table[index];
    const ap_int<B + 2> step = ap_int<B + 2>(table[index + 1]) - low;
    const ap_int<B + 19> product = step * fraction;
    return low + ap_int<B + 2>(product >> 16);
}

/// exp(z) for z = raw * 2^-F <= 0, in units of 2^-23 (1.0 exactly at z = 0):
/// t = z * LOG2E with F + 24 fraction bits; n = floor(t); the top 8 bits of the fraction index
/// the 2^f table and the next 16 interpolate; the result is shifted right by -n.
template <int W, int F>
exp_value_t exp_unit(const ap_int<W> &z) {
#pragma HLS INLINE
    const ap_uint<LOG2E_BITS> log2e = LOG2E_RAW;
    const ap_int<W + LOG2E_BITS + 1> t = z * log2e;
    const ap_int<W + LOG2E_BITS + 1> n = t >> (F + 24);
    const ap_uint<F + 24> f = t.range(F + 23, 0);
    const ap_uint<24> aligned = f >> F;
    const int index = aligned.range(23, 16);
    const ap_uint<16> fraction = aligned.range(15, 0);
    const ap_int<EXP2_BITS + 2> power = interpolate<EXP2_BITS, EXP2_ENTRIES>(EXP2_TABLE, index, fraction);
    const ap_int<W + LOG2E_BITS + 1> shift = -n;
    if (shift > EXP2_BITS) return 0;
    return exp_value_t(power >> shift.to_int());
}

/// 1/x for x = raw * 2^-FB > 0: mantissa m (units of 2^-24) and exponent s = msb(x) - FB with
/// 1/x ~ m * 2^-(24 + s). x is normalised so its leading one sits at bit 24 (floor); bits 23..16
/// index the table and bits 15..0 interpolate.
template <int W, int FB>
void reciprocal_unit(const ap_uint<W> &x, mantissa_t &m, int &s) {
#pragma HLS INLINE
    const int msb = leading_one<W>(x);
    const ap_uint<W + 25> wide = x;
    const ap_uint<25> y = msb >= 24 ? ap_uint<25>(wide >> (msb - 24)) : ap_uint<25>(wide << (24 - msb));
    const int index = y.range(23, 16);
    const ap_uint<16> fraction = y.range(15, 0);
    m = interpolate<RECIP_BITS, RECIP_ENTRIES>(RECIP_TABLE, index, fraction);
    s = msb - FB;
}

/// 1/sqrt(x) for x = raw * 2^-FB > 0: mantissa m (units of 2^-24) and exponent h with
/// 1/sqrt(x) ~ m * 2^-(24 + h). p = msb - FB, q = p rounded down to even, y = x * 2^(24 - q - FB)
/// (floor) in [2^24, 2^26); index (y - 2^24) >> 17, fraction ((y - 2^24) >> 1) & 0xFFFF; h = q / 2.
template <int W, int FB>
void rsqrt_unit(const ap_uint<W> &x, mantissa_t &m, int &h) {
#pragma HLS INLINE
    const int q = floor_even(leading_one<W>(x) - FB);
    const int shift = 24 - q - FB;
    const ap_uint<W + 27> wide = x;
    const ap_uint<27> y = shift >= 0 ? ap_uint<27>(wide << shift) : ap_uint<27>(wide >> (-shift));
    const ap_uint<27> offset = y - (ap_uint<27>(1) << 24);
    const int index = offset.range(26, 17);
    const ap_uint<16> fraction = offset.range(16, 1);
    m = interpolate<RSQRT_BITS, RSQRT_ENTRIES>(RSQRT_TABLE, index, fraction);
    h = q / 2;
}

/// GELU of an accumulator value into the activation format: relu(x) - delta(|x|), with delta
/// from the table over [0, 6) (|x| brought to 22 fraction bits, floor; >> 16 indexes, the low 16
/// bits interpolate; 0 from 6 on). The difference is exact at GELU_FB fraction bits, then Q_A.
inline act_t gelu_unit(const acc_t &x) {
#pragma HLS INLINE
    const int W = acc_t::width;
    const int F = acc_t::width - acc_t::iwidth;
    const ap_int<W> raw = raw_of(x);
    const ap_uint<W> magnitude = raw < 0 ? ap_uint<W>(-raw) : ap_uint<W>(raw);
    const ap_uint<W + 23> wide = magnitude;
    const ap_uint<W + 23> a = GELU_ALIGN >= 0 ? ap_uint<W + 23>(wide << GELU_ALIGN) : ap_uint<W + 23>(wide >> (-GELU_ALIGN));
    const ap_uint<W + 23> index = a >> 16;
    ap_int<GELU_BITS + 2> delta = 0;
    if (index < GELU_INTERVALS) {
        delta = interpolate<GELU_BITS, GELU_ENTRIES>(GELU_TABLE, index.to_int(), ap_uint<16>(a.range(15, 0)));
    }
    const ap_int<GELU_EXACT_BITS> relu = raw > 0 ? ap_int<GELU_EXACT_BITS>(raw) : ap_int<GELU_EXACT_BITS>(0);
    const ap_int<GELU_EXACT_BITS> exact =
        (relu << (GELU_FB - F)) - (ap_int<GELU_EXACT_BITS>(delta) << (GELU_FB - GELU_TABLE_FB));
    return convert_raw<act_t, GELU_EXACT_BITS, GELU_FB>(exact);
}

#endif
