import Foundation
import MoehlsKit
import Testing

/// Known answers for Fixed at the edges of every mode. Each table was also checked against the
/// real ap_fixed headers; FixedPointOracleTests covers the same ground with random cases.
@Suite("FixedPoint known answers", .tags(.unit))
struct FixedPointTests {
    static func format(_ width: Int, _ integerBits: Int, signed: Bool = true,
                       _ q: QuantizationMode = .trn, _ o: OverflowMode = .wrap) -> FixedFormat {
        FixedFormat(width: width, integerBits: integerBits, isSigned: signed, quantization: q, overflow: o)
    }

    // MARK: Quantisation

    /// Values in quarters of the target's LSB (fixed<6,4>, LSB 0.25): ties (±1.5, ±2.5, ±0.5) and
    /// non-ties (±1.25, ±1.75, ±0.25).
    static let quarters: [Int128] = [6, 10, 5, 7, -6, -10, -5, -7, -2, -1, 2, 1]

    static let roundingAnswers: [(QuantizationMode, [Int128])] = [
        (.trn, [1, 2, 1, 1, -2, -3, -2, -2, -1, -1, 0, 0]),
        (.trnZero, [1, 2, 1, 1, -1, -2, -1, -1, 0, 0, 0, 0]),
        (.rnd, [2, 3, 1, 2, -1, -2, -1, -2, 0, 0, 1, 0]),
        (.rndZero, [1, 2, 1, 2, -1, -2, -1, -2, 0, 0, 0, 0]),
        (.rndInf, [2, 3, 1, 2, -2, -3, -1, -2, -1, 0, 1, 0]),
        (.rndMinInf, [1, 2, 1, 2, -2, -3, -1, -2, -1, 0, 0, 0]),
        (.rndConv, [2, 2, 1, 2, -2, -2, -1, -2, 0, 0, 0, 0]),
    ]

    @Test("each quantisation mode on ties and non-ties of both signs", arguments: roundingAnswers)
    func rounding(mode: QuantizationMode, expected: [Int128]) {
        let target = Self.format(6, 4, mode)
        let got = Self.quarters.map { Fixed.quantize(raw: $0, fractionBits: 4, into: target).raw }
        #expect(got == expected)
    }

    // MARK: Overflow

    /// Integers into fixed<4,4> (-8...7).
    static let signedInputs: [Int128] = [7, 8, 9, 100, -8, -9, -100, 15, 16, -16, -17]
    /// Integers into ufixed<4,4> (0...15).
    static let unsignedInputs: [Int128] = [-1, 0, 15, 16, -16, 17]

    static let overflowAnswers: [(OverflowMode, [Int128], [Int128])] = [
        (.wrap, [7, -8, -7, 4, -8, 7, -4, -1, 0, 0, -1], [15, 0, 15, 0, 0, 1]),
        (.sat, [7, 7, 7, 7, -8, -8, -8, 7, 7, -8, -8], [0, 0, 15, 15, 0, 15]),
        (.satZero, [7, 0, 0, 0, -8, 0, 0, 0, 0, 0, 0], [0, 0, 15, 0, 0, 0]),
        // Symmetric: the signed minimum -8 itself becomes -7; unsigned is the same as AP_SAT.
        (.satSym, [7, 7, 7, 7, -7, -7, -7, 7, 7, -7, -7], [0, 0, 15, 15, 0, 15]),
    ]

    @Test("each overflow mode, signed and unsigned", arguments: overflowAnswers)
    func overflow(mode: OverflowMode, signedExpected: [Int128], unsignedExpected: [Int128]) {
        let signed = Self.format(4, 4, .trn, mode), unsigned = Self.format(4, 4, signed: false, .trn, mode)
        #expect(Self.signedInputs.map { Fixed.quantize(raw: $0, fractionBits: 0, into: signed).raw } == signedExpected)
        #expect(Self.unsignedInputs.map { Fixed.quantize(raw: $0, fractionBits: 0, into: unsigned).raw } == unsignedExpected)
    }

    @Test("rounding that carries into overflow is then saturated or wrapped")
    func roundingCarry() throws {
        let sevenAndAHalf = Fixed.quantize(raw: 15, fractionBits: 1, into: Self.format(8, 5))
        #expect(sevenAndAHalf.converted(to: Self.format(4, 4, .rnd, .sat)).raw == 7)
        #expect(sevenAndAHalf.converted(to: Self.format(4, 4, .rnd, .wrap)).raw == -8)
        #expect(sevenAndAHalf.converted(to: Self.format(4, 4, .rndConv, .sat)).raw == 7)
        let minusEightAndAHalf = Fixed.quantize(raw: -17, fractionBits: 1, into: Self.format(8, 5))
        #expect(minusEightAndAHalf.converted(to: Self.format(4, 4, .rnd, .sat)).raw == -8)
        #expect(minusEightAndAHalf.converted(to: Self.format(4, 4, .rndInf, .sat)).raw == -8)
        #expect(minusEightAndAHalf.converted(to: Self.format(4, 4, .rndInf, .wrap)).raw == 7)
        let minusHalf = try Fixed(-0.5, format: Self.format(8, 4))
        #expect(minusHalf.converted(to: Self.format(4, 4, signed: false, .rndZero, .sat)).raw == 0)
        #expect(minusHalf.converted(to: Self.format(4, 4, signed: false, .rndInf, .sat)).raw == 0)
        #expect(minusHalf.converted(to: Self.format(4, 4, signed: false, .trn, .wrap)).raw == 15)
    }

    @Test("one-bit signed AP_SAT_SYM keeps the minimum -1 (its -max would be 0)")
    func oneBitSymmetric() {
        let target = Self.format(1, 1, .trn, .satSym)
        #expect(Fixed.quantize(raw: -5, fractionBits: 0, into: target).raw == -1)
        #expect(Fixed.quantize(raw: -1, fractionBits: 0, into: target).raw == -1)
        #expect(Fixed.quantize(raw: 3, fractionBits: 0, into: target).raw == 0)
    }

    @Test("extreme shifts: far below the LSB, far above the range")
    func extremeShifts() {
        let target = Self.format(16, 8, .rnd, .sat)
        #expect(Fixed.quantize(raw: 1, fractionBits: 4000, into: target).raw == 0)
        #expect(Fixed.quantize(raw: -1, fractionBits: 4000, into: Self.format(16, 8)).raw == -1)
        #expect(Fixed.quantize(raw: .max, fractionBits: 300, into: Self.format(16, 8, .trnZero)).raw == 0)
        #expect(Fixed.quantize(raw: 3, fractionBits: -4000, into: target).raw == target.maxRaw)
        #expect(Fixed.quantize(raw: -3, fractionBits: -4000, into: target).raw == target.minRaw)
        #expect(Fixed.quantize(raw: 3, fractionBits: -4000, into: Self.format(16, 8)).raw == 0)
        #expect(Fixed.quantize(raw: 3, fractionBits: -1, into: Self.format(16, 8)).raw == 6 << 8)
    }

    // MARK: Double

    @Test("conversion from Double: rounding, wrapping, saturation, infinities, zero")
    func fromDouble() throws {
        #expect(try Fixed(1.3, format: Self.format(8, 4)).toDouble() == 1.25)
        #expect(try Fixed(1.3, format: Self.format(8, 4, .rnd)).toDouble() == 1.3125)
        #expect(try Fixed(-1.0, format: Self.format(8, 4, signed: false)).toDouble() == 15)
        #expect(try Fixed(-1.0, format: Self.format(8, 4, signed: false, .trn, .sat)).toDouble() == 0)
        let saturating = Self.format(16, 8, .rnd, .sat)
        #expect(try Fixed(1e300, format: saturating).toDouble() == 127.99609375)
        #expect(try Fixed(-.infinity, format: saturating).toDouble() == -128)
        // Wrapping keeps the low bits of the exact value, which are zero for these.
        #expect(try Fixed(.infinity, format: Self.format(16, 8)).raw == 0)
        #expect(try Fixed(1e300, format: Self.format(16, 8)).raw == 0)
        #expect(try Fixed(-3e10, format: Self.format(16, 8)).raw == 0)
        #expect(try Fixed(-0.0, format: saturating).raw == 0)
        #expect(throws: FixedPointError.notANumber(saturating)) { try Fixed(.nan, format: saturating) }
    }

    @Test("subnormals are read as 1.m * 2^-1023, like the header does")
    func subnormals() throws {
        // The smallest subnormal, 2^-1074, is 16 LSBs of fixed<8,-1070> (LSB 2^-1078), but ap_fixed
        // reads it as (1 + 2^-52) * 2^-1023: far above the range.
        let tiny = Double.leastNonzeroMagnitude  // 2^-1074
        #expect(try Fixed(tiny, format: Self.format(8, -1070, .trn, .sat)).raw == 127)
        #expect(try Fixed(tiny, format: Self.format(8, -1070)).raw == 8)
        #expect(try Fixed(-tiny, format: Self.format(8, 4)).raw == -1)
    }

    @Test("conversion to Double rounds to nearest even")
    func toDouble() {
        #expect(Fixed(raw: -20, format: Self.format(8, 4)).toDouble() == -1.25)
        #expect(Fixed(raw: 0, format: Self.format(8, 4)).toDouble().sign == .plus)
        let u64 = Self.format(64, 0, signed: false)
        #expect(Fixed(raw: u64.maxRaw, format: u64).toDouble() == 1.0)
        // 2^60 + 2^7 is a tie between 2^60 and 2^60 + 2^8: even wins.
        #expect(Fixed(raw: (1 << 60) + (1 << 7), format: Self.format(64, 64)).toDouble() == 0x1p60)
    }

    // MARK: Arithmetic

    @Test("result formats follow ap_fixed's RType")
    func resultFormats() {
        let a = Self.format(32, 10), b = Self.format(16, 2)
        #expect(a.productFormat(with: b) == Self.format(48, 12))
        #expect(a.sumFormat(with: b) == Self.format(33, 11))
        let u = Self.format(8, 4, signed: false), s = Self.format(8, 4, .rnd, .sat)
        #expect(u.productFormat(with: s) == Self.format(16, 8))
        #expect(u.sumFormat(with: s) == Self.format(10, 6))  // the unsigned side needs a sign bit
        #expect(u.sumFormat(with: u) == Self.format(9, 5, signed: false))
        #expect(u.differenceFormat(with: u) == Self.format(9, 5))  // always signed
        #expect(Self.format(8, 0, signed: false).negationFormat == Self.format(9, 1))
        #expect(!Self.format(64, 0, signed: false).productFormat(with: Self.format(64, 64, signed: false)).isRepresentable)
        #expect(Self.format(64, 0).productFormat(with: Self.format(64, 64, signed: false)).isRepresentable)
    }

    @Test("full-precision operators are exact")
    func arithmetic() throws {
        let a = try Fixed(-1.75, format: Self.format(8, 4)), b = try Fixed(2.5, format: Self.format(6, 3, signed: false))
        #expect((a * b).toDouble() == -4.375)
        #expect((a * b).format == Self.format(14, 7))
        #expect((a + b).toDouble() == 0.75)
        #expect((a - b).toDouble() == -4.25)
        #expect((-a).toDouble() == 1.75)
        #expect((-Fixed.min(Self.format(8, 8))).toDouble() == 128)  // fits ap_fixed<9,9>
        #expect((b - b).format.isSigned)
        let big = Fixed.max(Self.format(64, 64)), bigUnsigned = Fixed.max(Self.format(63, 63, signed: false))
        #expect((big * bigUnsigned).raw == Int128(Int64.max) * Int128(UInt64.max >> 1))
    }

    // MARK: Comparison

    @Test("== and < compare exact values across formats; hashing agrees")
    func exactComparison() throws {
        let one = try Fixed(1.0, format: Self.format(8, 4)), alsoOne = try Fixed(1.0, format: Self.format(16, 2, signed: false))
        #expect(one == alsoOne)
        #expect(!one.isIdentical(to: alsoOne))
        #expect(Set([one, alsoOne]).count == 1)
        #expect(try Fixed(-0.0625, format: Self.format(8, 4)) < Fixed.zero(Self.format(4, 4, signed: false)))
        let huge = Fixed(raw: 1, format: Self.format(2, 200)), tiny = Fixed(raw: -1, format: Self.format(8, -100))
        #expect(tiny < huge)
        #expect(Fixed.zero(Self.format(4, 4)) == Fixed.zero(Self.format(8, 0, signed: false)))
    }

    @Test("apCompare reproduces ap_fixed's mixed-signedness and AP_SAT_SYM quirks")
    func apComparison() throws {
        let minusOne32 = try Fixed(-1, format: Self.format(32, 32))
        let one32 = try Fixed(1, format: Self.format(32, 32, signed: false))
        #expect(minusOne32 < one32)
        #expect(!minusOne32.apCompare(.less, one32))  // C's int < unsigned
        #expect(minusOne32.apCompare(.greater, one32))
        let minusOne31 = try Fixed(-1, format: Self.format(31, 31))
        let allOnes32 = Fixed.max(Self.format(32, 32, signed: false))
        #expect(minusOne31.apCompare(.equal, allOnes32))
        #expect(minusOne31 != allOnes32)
        // Narrow operands compare exactly.
        let minusOne8 = try Fixed(-1, format: Self.format(8, 8)), one8 = try Fixed(1, format: Self.format(8, 8, signed: false))
        #expect(minusOne8.apCompare(.less, one8))
        // A right-hand AP_SAT_SYM minimum is aligned through its own modes and becomes min + LSB.
        let minusEight = try Fixed(-8, format: Self.format(12, 4))
        let symmetricMin = Fixed.min(Self.format(8, 4, .trn, .satSym))
        #expect(minusEight == symmetricMin)
        #expect(!minusEight.apCompare(.equal, symmetricMin))
        #expect(minusEight.apCompare(.less, symmetricMin))
        #expect(symmetricMin.apCompare(.equal, minusEight))
    }

    // MARK: Misc

    @Test("Codable round trip keeps raw value and format; out-of-range raw is rejected")
    func codable() throws {
        let value = Fixed(raw: -(1 << 100), format: Self.format(120, 20, .rndConv, .satSym))
        let decoded = try JSONDecoder().decode(Fixed.self, from: JSONEncoder().encode(value))
        #expect(decoded.isIdentical(to: value))
        let bad = Data(#"{"raw": 300, "format": {"width": 8, "integerBits": 4, "isSigned": true, "quantization": "AP_TRN", "overflow": "AP_WRAP"}}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Fixed.self, from: bad) }
    }

    @Test("limits: representable widths and ranges")
    func limits() {
        #expect(Self.format(128, 0).isRepresentable)
        #expect(!Self.format(128, 0, signed: false).isRepresentable)
        #expect(!Self.format(0, 0).isRepresentable)
        #expect(Self.format(128, 0).minRaw == .min)
        #expect(Self.format(127, 0, signed: false).maxRaw == .max)
        #expect(Self.format(1, 1).minRaw == -1 && Self.format(1, 1).maxRaw == 0)
        #expect(Fixed(raw: -3, format: Self.format(4, 4)).bitPattern == 0b1101)
    }

    @Test("an out-of-range raw value stops the program")
    func rangePrecondition() async {
        await #expect(processExitsWith: .failure) {
            _ = Fixed(raw: 300, format: FixedFormat(width: 8, integerBits: 4))
        }
    }
}

@Suite("FixedPoint SplitMix64", .tags(.unit))
struct FixedPointSplitMix64Tests {
    @Test("reference outputs for seed 0")
    func reference() {
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }

    @Test("nextDouble is the top 53 bits; bounded integers stay in range")
    func derived() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42)
        #expect(a.nextDouble() == Double(b.next() >> 11) / 9_007_199_254_740_992)
        for bound in [1, 2, 3, 7, 1000, UInt64.max] as [UInt64] {
            for _ in 0..<200 { #expect(a.next(below: bound) < bound) }
        }
        for _ in 0..<200 {
            let value = a.next(in: -5...5)
            #expect((-5...5).contains(value))
        }
        #expect(a.next(in: Int64.min...Int64.max) != a.next(in: Int64.min...Int64.max))
    }
}
