import Foundation

/// A plain-text table with aligned columns, for terminal reports.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public var headers: [String]
    public var alignments: [Alignment]
    public var rows: [[String]] = []

    public init(_ headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.indices.map { $0 == 0 ? .left : .right }
    }

    public mutating func add(_ row: [String]) { rows.append(row) }

    /// The table with a header underline; every line ends with a newline, no trailing spaces.
    public var text: String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            let padded = headers.indices.map { column -> String in
                let cell = cells.indices.contains(column) ? cells[column] : ""
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return alignments[column] == .left ? cell + pad : pad + cell
            }
            return String(padded.joined(separator: "  ").reversed().drop(while: { $0 == " " }).reversed()) + "\n"
        }
        let rule = headers.indices.map { String(repeating: "-", count: widths[$0]) }
        return ([line(headers), line(rule)] + rows.map(line)).joined()
    }
}

/// Locale-independent number formatting for reports (same bytes on every machine).
public enum Format {
    /// `1234567` -> `1,234,567`.
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, ch) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// A Double with a fixed number of decimals, rounded half away from zero.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e18 else { return String(value) }
        let whole = Int(scaled)
        let integerPart = whole / Int(scale)
        let fraction = whole % Int(scale)
        var text = count(integerPart)
        if decimals > 0 {
            let f = String(fraction)
            text += "." + String(repeating: "0", count: decimals - f.count) + f
        }
        return (value < 0 && scaled != 0 ? "-" : "") + text
    }

    /// `782_654_976` -> `782.65 M` (SI prefixes, 10^3 steps).
    public static func scaled(_ value: Double, decimals: Int = 2, unit: String = "") -> String {
        let prefixes = ["", " k", " M", " G", " T", " P", " E"]
        var v = value, index = 0
        while abs(v) >= 1000 && index < prefixes.count - 1 {
            v /= 1000
            index += 1
        }
        let suffix = prefixes[index] + unit
        return fixed(v, index == 0 ? 0 : decimals) + (suffix.hasPrefix(" ") || suffix.isEmpty ? suffix : " " + suffix)
    }

    /// Scientific notation with 2 decimals: `1.23e-04` (`0` for zero).
    public static func scientific(_ value: Double) -> String {
        guard value != 0 else { return "0" }
        guard value.isFinite else { return fixed(value, 0) }
        var exponent = Int(Foundation.floor(Foundation.log10(abs(value))))
        var mantissa = value / Foundation.pow(10, Double(exponent))
        if abs(mantissa) >= 9.995 {
            mantissa /= 10
            exponent += 1
        }
        let sign = exponent < 0 ? "-" : "+"
        let digits = String(abs(exponent))
        return fixed(mantissa, 2) + "e" + sign + (digits.count < 2 ? "0" + digits : digits)
    }

    /// Bytes in binary units: `5.6 MiB`.
    public static func bytes(_ value: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var v = Double(value), index = 0
        while v >= 1024 && index < units.count - 1 {
            v /= 1024
            index += 1
        }
        return index == 0 ? "\(value) B" : fixed(v, 2) + " " + units[index]
    }
}
