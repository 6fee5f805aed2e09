// Shared helpers of the ap_fixed oracle: SplitMix64, format traits, bit access, record output.
// The oracle writes what the real Xilinx headers compute; the Swift test recomputes every record
// with MoehlsKit's Fixed and reports any difference (FixedPointOracleTests.swift).
#ifndef MOEHLS_ORACLE_COMMON_H
#define MOEHLS_ORACLE_COMMON_H

#include <ap_fixed.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

typedef __int128 i128;
typedef unsigned __int128 u128;

// SplitMix64, bit for bit as Sources/MoehlsKit/Numerics/SplitMix64.swift.
struct SplitMix64 {
  uint64_t state;
  explicit SplitMix64(uint64_t seed) : state(seed) {}
  uint64_t next() {
    state += 0x9E3779B97F4A7C15ull;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double nextDouble() { return (double)(next() >> 11) * (1.0 / 9007199254740992.0); /* 2^-53 */ }
  // Uniform in [0, bound), Lemire's multiply-and-reject.
  uint64_t below(uint64_t bound) {
    u128 product = (u128)next() * bound;
    if ((uint64_t)product < bound) {
      uint64_t threshold = (0 - bound) % bound;
      while ((uint64_t)product < threshold) product = (u128)next() * bound;
    }
    return (uint64_t)(product >> 64);
  }
  bool coin() { return next() >> 63; }
};

// Format descriptor as written into section headers; mode codes follow the Swift enums'
// declaration order (QuantizationMode / OverflowMode).
struct FormatCode {
  int32_t width, integerBits, isSigned, quantization, overflow;
};

inline int32_t quantizationCode(ap_q_mode q) {
  switch (q) {
    case AP_TRN: return 0;
    case AP_TRN_ZERO: return 1;
    case AP_RND: return 2;
    case AP_RND_ZERO: return 3;
    case AP_RND_INF: return 4;
    case AP_RND_MIN_INF: return 5;
    case AP_RND_CONV: return 6;
  }
  return -1;
}

inline int32_t overflowCode(ap_o_mode o) {
  switch (o) {
    case AP_WRAP: return 0;
    case AP_SAT: return 1;
    case AP_SAT_ZERO: return 2;
    case AP_SAT_SYM: return 3;
    default: return -1;
  }
}

template <class T> struct Traits;
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct Traits<ap_fixed<W, I, Q, O, N> > {
  enum { w = W, i = I, f = W - I, s = 1 };
  static FormatCode code() { return FormatCode{W, I, 1, quantizationCode(Q), overflowCode(O)}; }
};
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct Traits<ap_ufixed<W, I, Q, O, N> > {
  enum { w = W, i = I, f = W - I, s = 0 };
  static FormatCode code() { return FormatCode{W, I, 0, quantizationCode(Q), overflowCode(O)}; }
};

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
struct Traits<ap_fixed_base<W, I, S, Q, O, N> > {
  enum { w = W, i = I, f = W - I, s = S };
  static FormatCode code() { return FormatCode{W, I, S, quantizationCode(Q), overflowCode(O)}; }
};

inline uint64_t lowMask(int w) { return w >= 64 ? ~0ull : ((1ull << w) - 1); }

// The w low bits of v.
inline uint64_t patternOf(i128 v, int w) { return (uint64_t)v & lowMask(w); }

// The value of a w-bit pattern (w <= 64), sign-extended when signed.
inline i128 valueOf(uint64_t bits, int w, bool isSigned) {
  bits &= lowMask(w);
  if (isSigned && w < 64 && (bits >> (w - 1)) & 1) return (i128)bits - ((i128)1 << w);
  if (isSigned && w == 64) return (i128)(int64_t)bits;
  return (i128)bits;
}

// A value of T from its raw bit pattern (T at most 64 bits wide).
template <class T> T fromBits(uint64_t bits) {
  T x;
  ap_uint<Traits<T>::w> u = bits;
  x.range(Traits<T>::w - 1, 0) = u;
  return x;
}

// The raw bit pattern of x (any width up to 192), as two 64-bit words.
template <class T> void toBits(const T& x, uint64_t& lo, uint64_t& hi) {
  enum { W = Traits<T>::w };
  ap_uint<W> raw = x.range(W - 1, 0);
  ap_uint<W + 128> wide = raw;
  lo = ap_uint<64>(wide).to_uint64();
  hi = ap_uint<64>(wide >> 64).to_uint64();
}

// Smallest and largest raw values of a format of width w <= 64.
inline i128 minRaw(int w, bool isSigned) { return isSigned ? -((i128)1 << (w - 1)) : 0; }
inline i128 maxRaw(int w, bool isSigned) {
  return isSigned ? ((i128)1 << (w - 1)) - 1 : ((i128)1 << w) - 1;
}

// The output: a magic, then sections of fixed-size records, all little-endian.
//   section: u32 kind, u32 words per record, u64 count, 3 FormatCode (A, B, result),
//            then count records of `words` u64.
enum Kind : uint32_t {
  kConvert = 1,     // [a bits, result bits]: A converted to the result format
  kFromDouble = 2,  // [double bits, result bits]: result format constructed from a double
  kToDouble = 3,    // [a bits, double bits]: A.to_double()
  kMultiply = 4,    // [a, b, result lo, result hi]: A * B
  kAdd = 5,         // [a, b, result lo, result hi]: A + B
  kSubtract = 6,    // [a, b, result lo, result hi]: A - B
  kNegate = 7,      // [a, 0, result lo, result hi]: -A
  kCompare = 8,     // [a, b, flags, 0]: bits 0-5 ap_fixed ==,!=,<,<=,>,>=; bits 8-13 exact ones
};

struct Output {
  FILE* file;
  uint64_t records;
  void words(const uint64_t* w, int n) {
    if (fwrite(w, sizeof(uint64_t), n, file) != (size_t)n) {
      perror("apfixed_oracle: write");
      exit(1);
    }
  }
  void section(Kind kind, uint32_t wordsPerRecord, uint64_t count, FormatCode a, FormatCode b,
               FormatCode result) {
    uint32_t head[2] = {kind, wordsPerRecord};
    FormatCode codes[3] = {a, b, result};
    if (fwrite(head, sizeof head, 1, file) != 1 || fwrite(&count, sizeof count, 1, file) != 1 ||
        fwrite(codes, sizeof codes, 1, file) != 1) {
      perror("apfixed_oracle: write");
      exit(1);
    }
    records += count;
  }
  void record2(uint64_t a, uint64_t b) {
    uint64_t w[2] = {a, b};
    words(w, 2);
  }
  void record4(uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
    uint64_t w[4] = {a, b, c, d};
    words(w, 4);
  }
};

const FormatCode kNoFormat = {0, 0, 0, 0, 0};

#endif
