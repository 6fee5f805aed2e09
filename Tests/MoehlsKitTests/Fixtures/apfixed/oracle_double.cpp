// Conversions from double (ap_fixed's constructor) for every mode combination, and to_double().
#include "oracle_cases.h"
#include "oracle_sections.h"

static uint64_t bitsOfDouble(double d) {
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  return bits;
}

template <class Dst>
static void fromDoubleSection(Output& out, uint64_t count, SplitMix64& g) {
  typedef Traits<Dst> D;
  out.section(kFromDouble, 2, count, kNoFormat, kNoFormat, D::code());
  for (uint64_t n = 0; n < count; n++) {
    const double d = doubleCase(g, D::w, D::f, D::s != 0);
    const Dst converted = d;
    uint64_t lo, hi;
    toBits(converted, lo, hi);
    out.record2(bitsOfDouble(d), lo);
  }
}

template <template <int, int, ap_q_mode, ap_o_mode, int> class Dst, int W, int I, ap_q_mode Q>
static void overflowModes(Output& out, uint64_t count, SplitMix64& g) {
  fromDoubleSection<Dst<W, I, Q, AP_WRAP, 0> >(out, count, g);
  fromDoubleSection<Dst<W, I, Q, AP_SAT, 0> >(out, count, g);
  fromDoubleSection<Dst<W, I, Q, AP_SAT_ZERO, 0> >(out, count, g);
  fromDoubleSection<Dst<W, I, Q, AP_SAT_SYM, 0> >(out, count, g);
}

template <template <int, int, ap_q_mode, ap_o_mode, int> class Dst, int W, int I>
static void allModes(Output& out, uint64_t count, SplitMix64& g) {
  overflowModes<Dst, W, I, AP_TRN>(out, count, g);
  overflowModes<Dst, W, I, AP_TRN_ZERO>(out, count, g);
  overflowModes<Dst, W, I, AP_RND>(out, count, g);
  overflowModes<Dst, W, I, AP_RND_ZERO>(out, count, g);
  overflowModes<Dst, W, I, AP_RND_INF>(out, count, g);
  overflowModes<Dst, W, I, AP_RND_MIN_INF>(out, count, g);
  overflowModes<Dst, W, I, AP_RND_CONV>(out, count, g);
}

template <class T>
static void toDoubleSection(Output& out, uint64_t count, SplitMix64& g) {
  typedef Traits<T> A;
  out.section(kToDouble, 2, count, A::code(), kNoFormat, kNoFormat);
  for (uint64_t n = 0; n < count; n++) {
    uint64_t bits = operandCase(g, A::w, A::s != 0);
    if (A::w > 53 && g.coin()) {
      // Force a rounding tie or near-tie below the 53 significant bits.
      const int drop = 1 + (int)g.below(A::w - 53);
      bits = (bits & ~lowMask(drop)) | (1ull << (drop - 1)) | (g.coin() ? 0 : g.below(2));
      bits &= lowMask(A::w);
    }
    const T x = fromBits<T>(bits);
    out.record2(bits, bitsOfDouble(x.to_double()));
  }
}

void doubleCases(Output& out, uint64_t perMode, uint64_t seed) {
  SplitMix64 g(seed);
  const uint64_t targets = 7, n = (perMode + targets - 1) / targets;
  allModes<ap_fixed, 16, 5>(out, n, g);
  allModes<ap_ufixed, 8, 0>(out, n, g);
  allModes<ap_fixed, 64, 20>(out, n, g);
  allModes<ap_ufixed, 60, 58>(out, n, g);
  allModes<ap_fixed, 1, 1>(out, n, g);
  allModes<ap_fixed, 10, -3>(out, n, g);
  allModes<ap_fixed, 8, -1070>(out, n, g);  // ulp 2^-1078: shows how subnormals are read

  const uint64_t formats = 6, m = (perMode + formats - 1) / formats;
  toDoubleSection<ap_fixed<16, 5> >(out, m, g);
  toDoubleSection<ap_ufixed<8, 0> >(out, m, g);
  toDoubleSection<ap_fixed<64, 20> >(out, m, g);
  toDoubleSection<ap_ufixed<64, 10> >(out, m, g);
  toDoubleSection<ap_fixed<60, 70> >(out, m, g);
  toDoubleSection<ap_ufixed<57, -6> >(out, m, g);
}
