// Seeded case generators: random raw values biased towards the places where fixed-point
// conversions go wrong (range boundaries, rounding ties, zero, sign changes).
#ifndef MOEHLS_ORACLE_CASES_H
#define MOEHLS_ORACLE_CASES_H

#include "oracle_common.h"

#include <cmath>

// A source format (width w <= 64, fraction bits f) and the target grid it is converted onto.
struct Shape {
  int w, f;
  bool isSigned;
  int targetW, targetF;
  bool targetSigned;
};

// One of the corner values of a format, in its raw units.
inline i128 cornerRaw(SplitMix64& g, int w, bool isSigned) {
  switch (g.below(7)) {
    case 0: return 0;
    case 1: return 1;
    case 2: return -1;
    case 3: return minRaw(w, isSigned);
    case 4: return maxRaw(w, isSigned);
    case 5: return minRaw(w, isSigned) + 1;
    default: return maxRaw(w, isSigned) - 1;
  }
}

// Scales a raw value from fraction bits `from` to `to` (floor when bits are dropped).
inline i128 rescale(i128 v, int from, int to) {
  int sh = to - from;
  if (sh >= 0) return sh >= 100 ? 0 : v << sh;
  return -sh >= 127 ? (v < 0 ? -1 : 0) : v >> -sh;
}

// A raw source value (as its bit pattern) for a conversion onto the target grid.
inline uint64_t sourceCase(SplitMix64& g, const Shape& s) {
  const int sh = s.f - s.targetF;  // source bits below the target's LSB
  i128 v;
  switch (g.below(16)) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 15:
      return g.next() & lowMask(s.w);  // uniform over all patterns
    case 6: case 7: {  // small magnitudes, log-uniform
      int bits = 1 + (int)g.below(s.w);
      v = (i128)(g.next() >> (64 - bits));
      if (s.isSigned && g.coin()) v = -v;
      return patternOf(v, s.w);
    }
    case 8: case 9: case 10: {  // around a corner of the target, +- half target ulps and jitter
      i128 corner = cornerRaw(g, s.targetW, s.targetSigned);
      v = rescale(corner, s.targetF, s.f);
      if (sh > 0 && sh < 100) v += ((i128)g.below(5) - 2) * ((i128)1 << (sh - 1));
      v += (i128)g.below(5) - 2;
      return patternOf(v, s.w);
    }
    case 11: case 12: case 13: {  // exact ties between two target values, sometimes off by one
      v = valueOf(g.next(), s.w, s.isSigned);
      if (sh > 0 && sh < s.w) {
        v = ((v >> sh) << sh) + ((i128)1 << (sh - 1));
        if (g.below(4) == 0) v += g.coin() ? 1 : -1;
      }
      return patternOf(v, s.w);
    }
    default:  // corners of the source format
      return patternOf(cornerRaw(g, s.w, s.isSigned), s.w);
  }
}

// A raw value of a format (w <= 64) for arithmetic and comparison: uniform, small or corner.
inline uint64_t operandCase(SplitMix64& g, int w, bool isSigned) {
  switch (g.below(8)) {
    case 0: case 1: case 2: case 3:
      return g.next() & lowMask(w);
    case 4: case 5: {
      int bits = 1 + (int)g.below(w);
      i128 v = (i128)(g.next() >> (64 - bits));
      if (isSigned && g.coin()) v = -v;
      return patternOf(v, w);
    }
    default:
      return patternOf(cornerRaw(g, w, isSigned), w);
  }
}

// A double for a conversion into a format with `w` bits, `f` fraction bits: special values,
// values around the range and its corners, ties, and arbitrary bit patterns (maybe NaN).
inline double anyDoubleCase(SplitMix64& g, int w, int f, bool isSigned) {
  const int i = w - f;
  const double ulp = std::ldexp(1.0, -f);
  double d;
  switch (g.below(16)) {
    case 0: case 1: {  // any bit pattern but NaN
      uint64_t bits = g.next();
      memcpy(&d, &bits, sizeof d);
      if (std::isnan(d)) d = g.coin() ? INFINITY : -INFINITY;
      return d;
    }
    case 2: {  // special values
      static const double specials[] = {0.0, -0.0, INFINITY, -INFINITY, 1.0, -1.0,
                                        1.7976931348623157e308, -1.7976931348623157e308,
                                        2.2250738585072014e-308, -2.2250738585072014e-308,
                                        4.9406564584124654e-324, -4.9406564584124654e-324,
                                        1e300, -1e300, 1e-300, -1e-300};
      return specials[g.below(sizeof specials / sizeof specials[0])];
    }
    case 3: {  // a subnormal
      uint64_t bits = (g.next() & 0x000FFFFFFFFFFFFFull) | (g.next() & 0x8000000000000000ull);
      memcpy(&d, &bits, sizeof d);
      return d;
    }
    case 4: case 5: case 6:  // uniform over twice the range, both signs
      return (g.nextDouble() * 2 - 1) * std::ldexp(1.0, i + 1);
    case 7: case 8: {  // a tie between two target values (exact while w < 53)
      double k = std::floor((g.nextDouble() * 2 - (isSigned ? 1 : 0.25)) * std::ldexp(1.0, i) / ulp);
      return (k + 0.5) * ulp;
    }
    case 9: case 10: {  // a corner of the range, nudged by half an ulp or one double ulp
      double corner = std::ldexp((double)cornerRaw(g, w < 53 ? w : 53, isSigned), -f);
      if (w >= 53) corner = std::ldexp((double)cornerRaw(g, 53, isSigned), i - 53);
      switch (g.below(5)) {
        case 0: return corner;
        case 1: return corner + ulp / 2;
        case 2: return corner - ulp / 2;
        case 3: return std::nextafter(corner, INFINITY);
        default: return std::nextafter(corner, -INFINITY);
      }
    }
    default: {  // log-uniform magnitudes from far below the LSB to far above the range
      int e = -f - 8 + (int)g.below((uint64_t)(w + 16));
      d = std::ldexp(1.0 + g.nextDouble(), e);
      return g.coin() ? -d : d;
    }
  }
}

// doubleCase without NaN (ap_fixed does not support NaN; Fixed rejects it).
inline double doubleCase(SplitMix64& g, int w, int f, bool isSigned) {
  const double d = anyDoubleCase(g, w, f, isSigned);
  return std::isnan(d) ? 0.0 : d;
}

#endif
