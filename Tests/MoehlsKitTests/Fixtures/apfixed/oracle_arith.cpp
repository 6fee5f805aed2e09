// Full-precision multiply, add, subtract and negate of mixed formats.
#include "oracle_cases.h"
#include "oracle_sections.h"

enum Op { opMul, opAdd, opSub };

template <Op op, class A, class B>
static void binarySection(Output& out, uint64_t count, SplitMix64& g) {
  typedef Traits<A> TA;
  typedef Traits<B> TB;
  const A a0 = 0;
  const B b0 = 0;
  if (op == opMul) {
    typedef Traits<__typeof__(a0 * b0)> R;
    out.section(kMultiply, 4, count, TA::code(), TB::code(), R::code());
  } else if (op == opAdd) {
    typedef Traits<__typeof__(a0 + b0)> R;
    out.section(kAdd, 4, count, TA::code(), TB::code(), R::code());
  } else {
    typedef Traits<__typeof__(a0 - b0)> R;
    out.section(kSubtract, 4, count, TA::code(), TB::code(), R::code());
  }
  for (uint64_t n = 0; n < count; n++) {
    const uint64_t abits = operandCase(g, TA::w, TA::s != 0);
    const uint64_t bbits = operandCase(g, TB::w, TB::s != 0);
    const A a = fromBits<A>(abits);
    const B b = fromBits<B>(bbits);
    uint64_t lo, hi;
    if (op == opMul) toBits(a * b, lo, hi);
    else if (op == opAdd) toBits(a + b, lo, hi);
    else toBits(a - b, lo, hi);
    out.record4(abits, bbits, lo, hi);
  }
}

template <class A>
static void negateSection(Output& out, uint64_t count, SplitMix64& g) {
  typedef Traits<A> TA;
  const A a0 = 0;
  typedef Traits<__typeof__(-a0)> R;
  out.section(kNegate, 4, count, TA::code(), kNoFormat, R::code());
  for (uint64_t n = 0; n < count; n++) {
    const uint64_t abits = operandCase(g, TA::w, TA::s != 0);
    uint64_t lo, hi;
    toBits(-fromBits<A>(abits), lo, hi);
    out.record4(abits, 0, lo, hi);
  }
}

void arithmeticCases(Output& out, uint64_t perOp, uint64_t seed) {
  SplitMix64 g(seed);
  const uint64_t n = (perOp + 5) / 6;
  binarySection<opMul, ap_fixed<32, 10>, ap_fixed<16, 2> >(out, n, g);
  binarySection<opMul, ap_ufixed<16, 4>, ap_fixed<24, 12> >(out, n, g);
  binarySection<opMul, ap_ufixed<32, 0>, ap_ufixed<20, 10> >(out, n, g);
  binarySection<opMul, ap_fixed<64, 20>, ap_fixed<64, 40> >(out, n, g);     // 128-bit signed result
  binarySection<opMul, ap_fixed<64, 30>, ap_ufixed<63, 3> >(out, n, g);     // 127-bit, mixed signs
  binarySection<opMul, ap_ufixed<63, 10>, ap_ufixed<64, 50> >(out, n, g);   // 127-bit unsigned

  const int sums = 6;
  const uint64_t m = (perOp + sums - 1) / sums;
  binarySection<opAdd, ap_fixed<32, 10>, ap_fixed<16, 2> >(out, m, g);
  binarySection<opAdd, ap_ufixed<24, 8>, ap_fixed<16, 12> >(out, m, g);
  binarySection<opAdd, ap_ufixed<20, 4>, ap_ufixed<12, 10> >(out, m, g);
  binarySection<opAdd, ap_fixed<64, 32>, ap_ufixed<64, 10> >(out, m, g);
  binarySection<opAdd, ap_fixed<8, 8>, ap_ufixed<40, -4> >(out, m, g);
  binarySection<opAdd, ap_ufixed<63, 0>, ap_ufixed<64, 63> >(out, m, g);    // 127-bit unsigned

  binarySection<opSub, ap_fixed<32, 10>, ap_fixed<16, 2> >(out, m, g);
  binarySection<opSub, ap_ufixed<24, 8>, ap_fixed<16, 12> >(out, m, g);
  binarySection<opSub, ap_ufixed<20, 4>, ap_ufixed<12, 10> >(out, m, g);    // unsigned - unsigned
  binarySection<opSub, ap_fixed<64, 32>, ap_ufixed<64, 10> >(out, m, g);
  binarySection<opSub, ap_ufixed<40, -4>, ap_fixed<8, 8> >(out, m, g);
  binarySection<opSub, ap_ufixed<63, 0>, ap_ufixed<64, 63> >(out, m, g);    // 128-bit signed

  const uint64_t k = (perOp + 3) / 4;
  negateSection<ap_fixed<16, 5> >(out, k, g);
  negateSection<ap_ufixed<8, 0> >(out, k, g);
  negateSection<ap_fixed<64, 20> >(out, k, g);
  negateSection<ap_ufixed<64, 64> >(out, k, g);
}
