// Format conversions (ap_fixed assignment) for every quantisation x overflow mode combination.
#include "oracle_cases.h"
#include "oracle_sections.h"

template <class Src, class Dst>
static void convertSection(Output& out, uint64_t count, SplitMix64& g) {
  typedef Traits<Src> S;
  typedef Traits<Dst> D;
  const Shape shape = {S::w, S::f, S::s != 0, D::w, D::f, D::s != 0};
  out.section(kConvert, 2, count, S::code(), kNoFormat, D::code());
  for (uint64_t n = 0; n < count; n++) {
    const uint64_t bits = sourceCase(g, shape);
    const Dst converted = fromBits<Src>(bits);
    uint64_t lo, hi;
    toBits(converted, lo, hi);
    out.record2(bits, lo);
  }
}

template <class Src, template <int, int, ap_q_mode, ap_o_mode, int> class Dst, int W, int I,
          ap_q_mode Q>
static void overflowModes(Output& out, uint64_t count, SplitMix64& g) {
  convertSection<Src, Dst<W, I, Q, AP_WRAP, 0> >(out, count, g);
  convertSection<Src, Dst<W, I, Q, AP_SAT, 0> >(out, count, g);
  convertSection<Src, Dst<W, I, Q, AP_SAT_ZERO, 0> >(out, count, g);
  convertSection<Src, Dst<W, I, Q, AP_SAT_SYM, 0> >(out, count, g);
}

template <class Src, template <int, int, ap_q_mode, ap_o_mode, int> class Dst, int W, int I>
static void allModes(Output& out, uint64_t count, SplitMix64& g) {
  overflowModes<Src, Dst, W, I, AP_TRN>(out, count, g);
  overflowModes<Src, Dst, W, I, AP_TRN_ZERO>(out, count, g);
  overflowModes<Src, Dst, W, I, AP_RND>(out, count, g);
  overflowModes<Src, Dst, W, I, AP_RND_ZERO>(out, count, g);
  overflowModes<Src, Dst, W, I, AP_RND_INF>(out, count, g);
  overflowModes<Src, Dst, W, I, AP_RND_MIN_INF>(out, count, g);
  overflowModes<Src, Dst, W, I, AP_RND_CONV>(out, count, g);
}

// `perMode` cases for each of the 28 mode combinations, shared among the format pairs.
void conversionCases(Output& out, uint64_t perMode, uint64_t seed) {
  SplitMix64 g(seed);
  const uint64_t pairs = 11, n = (perMode + pairs - 1) / pairs;
  allModes<ap_fixed<40, 14>, ap_fixed, 16, 5>(out, n, g);      // narrower integer and fraction
  allModes<ap_fixed<32, 10>, ap_ufixed, 8, 0>(out, n, g);      // signed to unsigned, no integer bits
  allModes<ap_ufixed<24, 6>, ap_fixed, 12, 4>(out, n, g);      // unsigned to signed
  allModes<ap_ufixed<20, 12>, ap_ufixed, 10, 3>(out, n, g);    // unsigned to unsigned
  allModes<ap_fixed<64, 20>, ap_fixed, 24, 8>(out, n, g);      // 64-bit source
  allModes<ap_fixed<16, 12>, ap_fixed, 20, 4>(out, n, g);      // more fraction bits, fewer integer bits
  allModes<ap_ufixed<64, 40>, ap_fixed, 64, 16>(out, n, g);    // 64-bit to 64-bit
  allModes<ap_fixed<24, 10>, ap_fixed, 1, 1>(out, n, g);       // one-bit target
  allModes<ap_fixed<32, 8>, ap_fixed, 6, 9>(out, n, g);        // integer bits beyond the width
  allModes<ap_fixed<20, 2>, ap_ufixed, 6, -2>(out, n, g);      // negative integer bits
  allModes<ap_fixed<12, 4>, ap_fixed, 12, 4>(out, n, g);       // same shape (only modes act)
}
