// The groups of sections the oracle writes; each lives in its own translation unit so that the
// heavy template instantiations compile in parallel.
#ifndef MOEHLS_ORACLE_SECTIONS_H
#define MOEHLS_ORACLE_SECTIONS_H

#include "oracle_common.h"

void conversionCases(Output& out, uint64_t perMode, uint64_t seed);
void doubleCases(Output& out, uint64_t perMode, uint64_t seed);
void arithmeticCases(Output& out, uint64_t perPair, uint64_t seed);
void comparisonCases(Output& out, uint64_t perPair, uint64_t seed);

#endif
