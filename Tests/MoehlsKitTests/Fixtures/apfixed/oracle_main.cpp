// apfixed_oracle: writes what the Xilinx ap_fixed headers compute for seeded random cases.
//
//   apfixed_oracle OUTPUT CASES [SEED]
//
// CASES is the number of cases per operation and mode combination (conversions and conversions
// from double: per each of the 7 x 4 quantisation/overflow combinations, shared among the format
// pairs; multiply, add, subtract, negate, compare, to_double: per operation, shared among the
// pairs). The record format is described in oracle_common.h. On success prints the record count.
#include "oracle_sections.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s OUTPUT CASES [SEED]\n", argv[0]);
    return 2;
  }
  const uint64_t cases = strtoull(argv[2], 0, 10);
  const uint64_t seed = argc > 3 ? strtoull(argv[3], 0, 0) : 0x6D6F65686C73ull;  // "moehls"
  Output out = {fopen(argv[1], "wb"), 0};
  if (!out.file) {
    perror(argv[1]);
    return 1;
  }
  static char buffer[1 << 20];
  setvbuf(out.file, buffer, _IOFBF, sizeof buffer);
  fwrite("APFXORC1", 1, 8, out.file);
  SplitMix64 seeds(seed);
  conversionCases(out, cases, seeds.next());
  doubleCases(out, cases, seeds.next());
  arithmeticCases(out, cases, seeds.next());
  comparisonCases(out, cases, seeds.next());
  if (fclose(out.file) != 0) {
    perror(argv[1]);
    return 1;
  }
  printf("%llu\n", (unsigned long long)out.records);
  return 0;
}
