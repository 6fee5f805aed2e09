import Foundation
import Testing
@testable import MoehlsKit

/// Known answers at the tables' edges, and error bounds over dense sweeps.
@Suite(.tags(.unit))
struct ApproximationTests {
    @Test func expKnownAnswers() {
        let unit = Exp2Unit()
        #expect(unit.table.entries.count == 257)
        #expect(unit.table.entries.first == 1 << 23)          // 2^0
        #expect(unit.table.entries.last == 1 << 24)           // 2^1
        #expect(unit.evaluate(0, fractionBits: 22) == 1 << 23) // exp(0) = 1 exactly
        // exp(-ln 2 * 64) is below 2^-63: shifted out entirely.
        #expect(unit.evaluate(-45 << 22, fractionBits: 22) == 0)
        // z = -ln2 -> t = -1 (within the LOG2E rounding) -> 0.5.
        let minusLn2 = Int64((-Foundation.log(2.0) * 0x1p22).rounded())
        #expect(abs(unit.evaluate(minusLn2, fractionBits: 22) - (1 << 22)) <= 2)
        // The smallest negative input: just below 1.
        #expect(unit.evaluate(-1, fractionBits: 22) == (1 << 23) - 3 || unit.evaluate(-1, fractionBits: 22) == (1 << 23) - 2)
    }

    @Test func reciprocalKnownAnswers() {
        let unit = ReciprocalUnit()
        #expect(unit.table.entries.first == 1 << 24 && unit.table.entries.last == 1 << 23)
        // 1/1 = 1: mantissa 2^24, exponent 0.
        let one = unit.evaluate(Int128(1) << 23, fractionBits: 23)
        #expect(one.mantissa == 1 << 24 && one.exponent == 0)
        // 1/2: same mantissa, exponent 1.
        let two = unit.evaluate(Int128(1) << 24, fractionBits: 23)
        #expect(two.mantissa == 1 << 24 && two.exponent == 1)
        // Just below 2: the last interval, mantissa close to 2^23.
        let almostTwo = unit.evaluate((Int128(1) << 24) - 1, fractionBits: 23)
        #expect(almostTwo.exponent == 0 && abs(almostTwo.mantissa - (1 << 23)) <= 2)
        // 1/3 = 0.333: x = 3 -> msb exponent 1, mantissa ~ 2^24 / 1.5.
        let three = unit.evaluate(Int128(3) << 23, fractionBits: 23)
        #expect(three.exponent == 1 && abs(Double(three.mantissa) - 0x1p24 / 1.5) <= 2)
    }

    @Test func rsqrtKnownAnswers() {
        let unit = RsqrtUnit()
        #expect(unit.table.entries.count == 385)
        #expect(unit.table.entries.first == 1 << 24 && unit.table.entries.last == 1 << 23)
        // 1/sqrt(1) = 1, 1/sqrt(4) = 0.5 (exponent 1), 1/sqrt(1/4) = 2 (exponent -1).
        #expect(unit.evaluate(Int128(1) << 44, fractionBits: 44) == (1 << 24, 0))
        #expect(unit.evaluate(Int128(1) << 46, fractionBits: 44) == (1 << 24, 1))
        #expect(unit.evaluate(Int128(1) << 42, fractionBits: 44) == (1 << 24, -1))
        // 1/sqrt(2): odd power, table middle (k = 128): round(2^24 / sqrt 2).
        let two = unit.evaluate(Int128(1) << 45, fractionBits: 44)
        #expect(two.exponent == 0 && two.mantissa == Int64((0x1p24 / 2.0.squareRoot()).rounded()))
        // Just below 4: last interval.
        let almostFour = unit.evaluate((Int128(1) << 46) - 1, fractionBits: 44)
        #expect(almostFour.exponent == 0 && abs(almostFour.mantissa - (1 << 23)) <= 2)
        // The smallest positive input.
        let tiny = unit.evaluate(1, fractionBits: 44)
        #expect(tiny.exponent == -22 && tiny.mantissa == 1 << 24)
    }

    @Test func geluKnownAnswers() {
        let unit = GELUUnit()
        let f = FixedFormat(width: 32, integerBits: 10)
        #expect(unit.table.entries.count == 385)
        #expect(unit.table.entries.first == 0)                   // delta(0) = 0
        #expect(unit.evaluate(0, input: f, output: f) == 0)
        // At and beyond 6 the correction is dropped: gelu(x) = relu(x).
        #expect(unit.evaluate(6 << 22, input: f, output: f) == 6 << 22)
        #expect(unit.evaluate(-(6 << 22), input: f, output: f) == 0)
        #expect(unit.evaluate(Int64.init(500) << 22, input: f, output: f) == 500 << 22)
        // Just below 6: the last interval, within 2^-20 of exact.
        let x = (6 << 22) - 1
        let exact = FloatKernels.gelu(Double(x) * 0x1p-22)
        #expect(abs(Double(unit.evaluate(Int64(x), input: f, output: f)) * 0x1p-22 - exact) < 1e-6)
        // gelu(1) = 0.841345: table point k = 64, no interpolation.
        #expect(abs(Double(unit.evaluate(1 << 22, input: f, output: f)) * 0x1p-22 - 0.8413447460685429) < 1e-6)
        // The most negative value of the format does not overflow |x|.
        #expect(unit.evaluate(Int64(-1) << 31, input: f, output: f) == 0)
    }

    @Test func sweepsStayWithinDocumentedBounds() {
        let results = Dictionary(uniqueKeysWithValues: ApproximationSweep.all().map { ($0.unit, $0) })
        for r in results.values { print("\(r.unit): max \(r.kind) error \(r.maxError) at \(r.worstInput) over \(r.points) points") }
        // Bounds quoted in docs/numerics.md (measured: exp 8.98e-07, reciprocal 3.80e-06,
        // 1/sqrt 5.72e-06, GELU 2.52e-05). Interpolation error h^2/8 * max|f''| predicts
        // 1.8e-6 * exp, 3.8e-6 for 1/x (h = 1/256) and 5.7e-6 for 1/sqrt (h = 1/128).
        #expect(results["exp"]!.maxError < 1.0e-6)
        #expect(results["reciprocal"]!.maxError < 4.0e-6)
        #expect(results["1/sqrt"]!.maxError < 6.0e-6)
        #expect(results["GELU"]!.maxError < 2.6e-5)
    }
}
