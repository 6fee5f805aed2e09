// ap_fixed's six comparison operators across formats, next to exact comparisons.
#include "oracle_cases.h"
#include "oracle_sections.h"

// Both operands converted to this signed format compare by exact value.
typedef ap_fixed<200, 100> Exact;

template <class A, class B>
static void compareSection(Output& out, uint64_t count, SplitMix64& g) {
  typedef Traits<A> TA;
  typedef Traits<B> TB;
  out.section(kCompare, 4, count, TA::code(), TB::code(), kNoFormat);
  for (uint64_t n = 0; n < count; n++) {
    const uint64_t abits = operandCase(g, TA::w, TA::s != 0);
    const A a = fromBits<A>(abits);
    uint64_t bbits;
    switch (g.below(6)) {
      case 0: case 1:  // independent
        bbits = operandCase(g, TB::w, TB::s != 0);
        break;
      case 2: {  // the same value or a neighbour
        const B near = a;  // converted with B's modes
        uint64_t lo, hi;
        toBits(near, lo, hi);
        bbits = (lo + (uint64_t)((int)g.below(3) - 1)) & lowMask(TB::w);
        break;
      }
      case 3:  // the same bit pattern
        bbits = abits & lowMask(TB::w);
        break;
      case 4: {  // the pattern of -a (hits 2^M - x)
        bbits = (0 - abits) & lowMask(TB::w);
        break;
      }
      default:
        bbits = patternOf(cornerRaw(g, TB::w, TB::s != 0), TB::w);
    }
    const B b = fromBits<B>(bbits);
    const Exact ea = a, eb = b;
    const uint64_t flags = (uint64_t)(a == b) | (uint64_t)(a != b) << 1 | (uint64_t)(a < b) << 2 |
                           (uint64_t)(a <= b) << 3 | (uint64_t)(a > b) << 4 |
                           (uint64_t)(a >= b) << 5 | (uint64_t)(ea == eb) << 8 |
                           (uint64_t)(ea != eb) << 9 | (uint64_t)(ea < eb) << 10 |
                           (uint64_t)(ea <= eb) << 11 | (uint64_t)(ea > eb) << 12 |
                           (uint64_t)(ea >= eb) << 13;
    out.record4(abits, bbits, flags, 0);
  }
}

void comparisonCases(Output& out, uint64_t perOp, uint64_t seed) {
  SplitMix64 g(seed);
  const uint64_t n = (perOp + 15) / 16;
  compareSection<ap_fixed<16, 8>, ap_ufixed<12, 4> >(out, n, g);       // narrow: exact
  compareSection<ap_fixed<32, 16>, ap_ufixed<32, 16> >(out, n, g);     // 32-bit mixed signs
  compareSection<ap_ufixed<32, 16>, ap_fixed<32, 16> >(out, n, g);
  compareSection<ap_fixed<40, 8>, ap_ufixed<36, 4> >(out, n, g);
  compareSection<ap_ufixed<36, 4>, ap_fixed<40, 8> >(out, n, g);
  compareSection<ap_fixed<12, 4>, ap_fixed<8, 4, AP_TRN, AP_SAT_SYM> >(out, n, g);
  compareSection<ap_ufixed<40, 8>, ap_fixed<24, 8, AP_RND, AP_SAT_SYM> >(out, n, g);
  compareSection<ap_fixed<64, 2>, ap_ufixed<64, 60> >(out, n, g);
  compareSection<ap_ufixed<64, 60>, ap_fixed<64, 2> >(out, n, g);
  compareSection<ap_fixed<20, 20>, ap_ufixed<20, 4> >(out, n, g);
  compareSection<ap_fixed<31, 31>, ap_ufixed<32, 32> >(out, n, g);
  compareSection<ap_ufixed<32, 32>, ap_fixed<32, 32, AP_TRN, AP_SAT_SYM> >(out, n, g);
  compareSection<ap_fixed<64, 64>, ap_ufixed<64, 64> >(out, n, g);     // 64-bit words
  compareSection<ap_ufixed<64, 32>, ap_fixed<64, 32> >(out, n, g);
  compareSection<ap_fixed<70, 40>, ap_ufixed<64, 34> >(out, n, g);     // wider than 64 bits
  compareSection<ap_ufixed<66, 30>, ap_fixed<66, 30> >(out, n, g);
}
