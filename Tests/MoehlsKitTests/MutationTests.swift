import Foundation
import Testing
@testable import MoehlsKit

/// Seeded corruption of the example files: every variant must end in a validated value or in
/// diagnostics, never in a crash (Swift traps on overflow and bad indexes, so a crash here would
/// take the test process down).
@Suite(.tags(.unit))
struct MutationTests {
    static let replacementNumbers = ["0", "-1", "-4096", "1", "3", "7.5", "99999999999999999999", "9223372036854775807",
                                     "-9223372036854775808", "65536", "1e308", "-0.0", ".nan", "0x10", "1_000"]
    static let replacementValues = ["[1, 2]", "{a: 1}", "\"text\"", "true", "null", "~", "&anchor 4", "*anchor", "''",
                                    "[]", "{}", "fixed<8,9>", "\"ufixed<64,0,AP_RND_CONV,AP_SAT_SYM>\"", "|", ">", "- x"]
    static let insertions: [String] = ["{", "}", "[", "]", ":", "\"", "'", "&", "*", "#", "\t", "é", "\u{FEFF}", "%", "@", "!!int ", "? ", "- "]

    /// Applies one random corruption to `text`.
    static func mutate(_ text: String, _ rng: inout SplitMix64) -> String {
        var lines = text.components(separatedBy: "\n")
        func pick(_ count: Int) -> Int { Int(rng.next(below: UInt64(max(count, 1)))) }
        switch rng.next(below: 8) {
        case 0 where lines.count > 1:  // delete a line
            lines.remove(at: pick(lines.count))
        case 1:  // duplicate a line
            let i = pick(lines.count)
            lines.insert(lines[i], at: i)
        case 2:  // change a number
            let i = pick(lines.count)
            let numbers = lines[i].ranges(of: /-?[0-9]+(\.[0-9]+)?(e-?[0-9]+)?/)
            if !numbers.isEmpty {
                let range = numbers[pick(numbers.count)]
                lines[i].replaceSubrange(range, with: replacementNumbers[pick(replacementNumbers.count)])
            }
        case 3:  // swap the type of a value
            let i = pick(lines.count)
            if let colon = lines[i].firstIndex(of: ":") {
                let rest = lines[i][lines[i].index(after: colon)...]
                let end = rest.firstIndex(where: { $0 == "," || $0 == "}" }) ?? lines[i].endIndex
                lines[i].replaceSubrange(lines[i].index(after: colon)..<end,
                                         with: " " + replacementValues[pick(replacementValues.count)])
            }
        case 4:  // truncate
            let joined = lines.joined(separator: "\n")
            return String(joined.prefix(pick(joined.count)))
        case 5:  // insert a character
            let i = pick(lines.count)
            let at = lines[i].index(lines[i].startIndex, offsetBy: pick(lines[i].count + 1))
            lines[i].insert(contentsOf: insertions[pick(insertions.count)], at: at)
        case 6 where lines.count > 1:  // swap two lines
            lines.swapAt(pick(lines.count), pick(lines.count))
        default:  // re-indent a line
            let i = pick(lines.count)
            lines[i] = String(repeating: " ", count: pick(6)) + lines[i].drop(while: { $0 == " " })
        }
        return lines.joined(separator: "\n")
    }

    struct Outcome {
        var accepted = 0, rejected = 0
    }

    static func check(_ outcome: inout Outcome, file: String, _ body: () throws(DiagnosticError) -> Void) {
        do {
            try body()
            outcome.accepted += 1
        } catch {
            outcome.rejected += 1
            #expect(!error.diagnostics.isEmpty)
            for diagnostic in error.diagnostics {
                #expect(diagnostic.severity == .error && !diagnostic.message.isEmpty)
                #expect(diagnostic.file == file, "\(diagnostic)")
                if let location = diagnostic.location { #expect(location.line >= 1 && location.column >= 1) }
            }
        }
    }

    @Test func corruptedModelFilesNeverCrash() throws {
        let directory = repositoryRoot.appendingPathComponent("Examples")
        let sources = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }
            .map { try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8) }
        #expect(sources.count >= 6)
        var rng = SplitMix64(seed: 2026)
        var outcome = Outcome()
        for variant in 0..<1_200 {
            var text = sources[variant % sources.count]
            for _ in 0...rng.next(below: 3) { text = Self.mutate(text, &rng) }
            Self.check(&outcome, file: "variant.yaml") { () throws(DiagnosticError) in
                let spec = try ModelLoader.parse(text: text, file: "variant.yaml")
                _ = try ModelSummary(spec).text
            }
        }
        // Both outcomes occur, so the corruptions reach the validator and not just the parser.
        #expect(outcome.accepted > 50 && outcome.rejected > 500, "accepted \(outcome.accepted), rejected \(outcome.rejected)")
    }

    @Test func corruptedDeviceFilesNeverCrash() {
        let sources = BuiltinDevices.all.map(DeviceText.yaml)
        var rng = SplitMix64(seed: 7)
        var outcome = Outcome()
        for variant in 0..<400 {
            var text = sources[variant % sources.count]
            for _ in 0...rng.next(below: 3) { text = Self.mutate(text, &rng) }
            Self.check(&outcome, file: "device.yaml") { () throws(DiagnosticError) in
                let device = try DeviceLoader.parse(text: text, file: "device.yaml")
                _ = DeviceText.detail(device)
            }
        }
        #expect(outcome.accepted > 20 && outcome.rejected > 100, "accepted \(outcome.accepted), rejected \(outcome.rejected)")
    }
}
