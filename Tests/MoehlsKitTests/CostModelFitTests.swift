import Foundation
import Testing
@testable import MoehlsKit

/// The fitted rows of the LUT/FF table are the least-squares fit of docs/cost-model-fit.csv
/// (Yosys counts of the probe modules; docs/cost-model.md, "LUT and FF").
@Suite(.tags(.unit))
struct CostModelFitTests {
    struct Row {
        var probe: String
        var multipliers: Double
        var outputs: Double
        var lut: Double
        var ff: Double
    }

    static func rows() throws -> [Row] {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/cost-model-fit.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        func column(_ name: String) throws -> Int {
            guard let i = header.firstIndex(of: name) else { throw CocoaError(.fileReadCorruptFile) }
            return i
        }
        let (p, m, o, l, f) = (try column("probe"), try column("multipliers"), try column("outputs"), try column("lut"),
                               try column("ff"))
        return lines.map { line in
            let cells = line.split(separator: ",").map(String.init)
            return Row(probe: cells[p], multipliers: Double(cells[m])!, outputs: Double(cells[o])!, lut: Double(cells[l])!,
                       ff: Double(cells[f])!)
        }
    }

    /// Least squares `y = a x1 + b x2` by the normal equations.
    static func fit(_ x1: [Double], _ x2: [Double], _ y: [Double]) -> (Double, Double) {
        var s11 = 0.0, s12 = 0.0, s22 = 0.0, s1y = 0.0, s2y = 0.0
        for i in y.indices {
            s11 += x1[i] * x1[i]
            s12 += x1[i] * x2[i]
            s22 += x2[i] * x2[i]
            s1y += x1[i] * y[i]
            s2y += x2[i] * y[i]
        }
        let det = s11 * s22 - s12 * s12
        return ((s1y * s22 - s2y * s12) / det, (s11 * s2y - s12 * s1y) / det)
    }

    @Test(arguments: [("linear", "linear_multiplier", "linear_output"), ("attention", "attention_multiplier", "attention_row")])
    func tableMatchesTheFit(_ probe: String, _ multiplierRow: String, _ outputRow: String) throws {
        let data = try Self.rows().filter { $0.probe == probe }
        #expect(data.count >= 6)
        let lut = Self.fit(data.map(\.multipliers), data.map(\.outputs), data.map(\.lut))
        let ff = Self.fit(data.map(\.multipliers), data.map(\.outputs), data.map(\.ff))
        let table = FabricCoefficients.current
        #expect(abs(table.coefficients(multiplierRow).lut - lut.0) < 0.5)
        #expect(abs(table.coefficients(outputRow).lut - lut.1) < 0.5)
        #expect(abs(table.coefficients(multiplierRow).ff - ff.0) < 0.5)
        #expect(abs(table.coefficients(outputRow).ff - ff.1) < 0.5)
        // The fit reproduces every probe within 2%.
        for row in data {
            let predicted = lut.0 * row.multipliers + lut.1 * row.outputs
            #expect(abs(predicted - row.lut) <= 0.02 * row.lut)
        }
    }

    @Test func everyTableRowIsDocumented() {
        let names = Set(FabricCoefficients.current.rows.map(\.feature))
        #expect(names == Set(FabricFeatures.featureNames))
        #expect(FabricCoefficients.current.rows.allSatisfy { $0.source == "fit" || $0.source == "estimate" })
    }
}
