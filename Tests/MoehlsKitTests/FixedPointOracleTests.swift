import Foundation
import MoehlsKit
import Testing

/// Fixed against the real Xilinx ap_fixed headers: the oracle (Fixtures/apfixed) computes seeded
/// random cases with ap_fixed, and every record is recomputed here and must agree bit for bit.
///
/// Run: `swift test --filter FixedPointOracle`. Cases: MOEHLS_APFIXED_CASES per operation and
/// mode combination (default 100,000).
@Suite("FixedPointOracle", .tags(.simulation))
struct FixedPointOracleTests {
    @Test("conversions between formats, every quantisation x overflow mode")
    func conversions() async throws {
        let records = try await APFixedOracle.records()
        let results = records.sections.filter { $0.kind == .convert }.map { section in
            let (source, target) = (section.a!, section.result!)
            return records.check(section) { _, record in
                let input = Fixed(raw: source.raw(fromPattern: record.word(0)), format: source)
                let expected = target.raw(fromPattern: record.word(1))
                let got = input.converted(to: target)
                return got.raw == expected ? nil
                    : "\(input.oracleText) expected \(Fixed(raw: expected, format: target).oracleText), got \(got.oracleText)"
            }
        }
        expectAllAgree(results, modeCombinations: true)
    }

    @Test("conversion from Double, every quantisation x overflow mode")
    func fromDouble() async throws {
        let records = try await APFixedOracle.records()
        let results = records.sections.filter { $0.kind == .fromDouble }.map { section in
            let target = section.result!
            return records.check(section) { _, record in
                let value = Double(bitPattern: record.word(0))
                let expected = target.raw(fromPattern: record.word(1))
                guard let got = try? Fixed(value, format: target) else { return "\(value) was rejected" }
                return got.raw == expected ? nil
                    : "\(value) (0x\(String(record.word(0), radix: 16))) expected \(Fixed(raw: expected, format: target).oracleText), got \(got.oracleText)"
            }
        }
        expectAllAgree(results, modeCombinations: true)
    }

    @Test("conversion to Double")
    func toDouble() async throws {
        let records = try await APFixedOracle.records()
        let results = records.sections.filter { $0.kind == .toDouble }.map { section in
            let format = section.a!
            return records.check(section) { _, record in
                let input = Fixed(raw: format.raw(fromPattern: record.word(0)), format: format)
                let expected = record.word(1)
                let got = input.toDouble()
                return got.bitPattern == expected ? nil
                    : "\(input.oracleText) expected \(Double(bitPattern: expected)), got \(got)"
            }
        }
        expectAllAgree(results)
    }

    @Test("full-precision multiply, add, subtract, negate", arguments: [
        OracleRecords.Kind.multiply, .add, .subtract, .negate,
    ])
    func arithmetic(kind: OracleRecords.Kind) async throws {
        let records = try await APFixedOracle.records()
        let results = records.sections.filter { $0.kind == kind }.map { section in
            let a = section.a!, resultFormat = section.result!
            return records.check(section) { _, record in
                let x = Fixed(raw: a.raw(fromPattern: record.word(0)), format: a)
                let got: Fixed
                switch kind {
                case .negate:
                    got = -x
                default:
                    let y = Fixed(raw: section.b!.raw(fromPattern: record.word(1)), format: section.b!)
                    got = kind == .multiply ? x * y : kind == .add ? x + y : x - y
                }
                let expected = Fixed(raw: resultFormat.raw(fromPattern: record.word(2), record.word(3)),
                                     format: resultFormat)
                return got.isIdentical(to: expected) ? nil
                    : "operands 0x\(String(record.word(0), radix: 16)), 0x\(String(record.word(1), radix: 16)): expected \(expected.oracleText), got \(got.oracleText)"
            }
        }
        expectAllAgree(results)
    }

    @Test("comparison: ap_fixed's operators (apCompare) and exact values (==, <)")
    func comparisons() async throws {
        let records = try await APFixedOracle.records()
        let results = records.sections.filter { $0.kind == .compare }.map { section in
            let (fa, fb) = (section.a!, section.b!)
            return records.check(section) { _, record in
                let a = Fixed(raw: fa.raw(fromPattern: record.word(0)), format: fa)
                let b = Fixed(raw: fb.raw(fromPattern: record.word(1)), format: fb)
                let expected = record.word(2)
                var got: UInt64 = 0
                for (bit, op) in FixedComparison.allCases.enumerated() where a.apCompare(op, b) {
                    got |= 1 << UInt64(bit)
                }
                let exact = [a == b, a != b, a < b, a <= b, a > b, a >= b]
                for (bit, holds) in exact.enumerated() where holds { got |= 1 << UInt64(8 + bit) }
                return got == expected ? nil
                    : "\(a.oracleText) vs \(b.oracleText): expected flags 0x\(String(expected, radix: 16)), got 0x\(String(got, radix: 16))"
            }
        }
        expectAllAgree(results)
    }

    /// Expects no mismatch in any section, and at least `casesPerOperation` cases in total per
    /// mode combination (or per operation).
    private func expectAllAgree(_ results: [SectionResult], modeCombinations: Bool = false,
                                sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(!results.isEmpty, "the oracle wrote no section of this kind", sourceLocation: sourceLocation)
        let total = results.reduce(0) { $0 + $1.cases }
        let groups = modeCombinations ? QuantizationMode.allCases.count * OverflowMode.allCases.count : 1
        #expect(total >= groups * APFixedOracle.casesPerOperation,
                "only \(total) cases for \(groups) mode combination(s)", sourceLocation: sourceLocation)
        let failing = results.filter { $0.mismatches > 0 }
        let mismatches = failing.reduce(0) { $0 + $1.mismatches }
        #expect(failing.isEmpty, """
            \(mismatches) of \(total) cases differ from ap_fixed in \(failing.count) of \(results.count) sections:
            \(failing.prefix(12).map { "  \($0)" }.joined(separator: "\n"))
            """, sourceLocation: sourceLocation)
    }
}
