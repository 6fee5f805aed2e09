/// A row-major matrix of raw fixed-point values in one format: the golden model's tensor.
///
/// Activations are `tokens x features`; linear weights are `out x in` (PyTorch's layout).
/// `raw` holds the two's complement values (`Int64`, so formats up to 62 bits wide; the golden
/// model checks this up front).
public struct FixedMatrix: Hashable, Codable, Sendable {
    public var rows: Int
    public var columns: Int
    public var format: FixedFormat
    public var raw: [Int64]

    public init(rows: Int, columns: Int, format: FixedFormat, raw: [Int64]) {
        precondition(raw.count == rows * columns, "FixedMatrix: \(raw.count) values for \(rows) x \(columns)")
        self.rows = rows
        self.columns = columns
        self.format = format
        self.raw = raw
    }

    public init(zeros rows: Int, _ columns: Int, format: FixedFormat) {
        self.init(rows: rows, columns: columns, format: format, raw: [Int64](repeating: 0, count: rows * columns))
    }

    @inlinable
    public subscript(row: Int, column: Int) -> Int64 {
        get { raw[row * columns + column] }
        set { raw[row * columns + column] = newValue }
    }

    /// Row `r` as an array.
    public func row(_ r: Int) -> ArraySlice<Int64> { raw[(r * columns)..<((r + 1) * columns)] }

    /// The values as Doubles.
    public func toDoubles() -> [Double] {
        let scale = Double(sign: .plus, exponent: -format.fractionBits, significand: 1)
        return raw.map { Double($0) * scale }
    }

    /// Columns `start ..< start + count` of every row.
    public func columns(_ start: Int, count: Int) -> FixedMatrix {
        var out = [Int64]()
        out.reserveCapacity(rows * count)
        for r in 0..<rows { out += raw[(r * columns + start)..<(r * columns + start + count)] }
        return FixedMatrix(rows: rows, columns: count, format: format, raw: out)
    }

    /// The rows listed, in that order.
    public func gather(rows list: [Int]) -> FixedMatrix {
        var out = [Int64]()
        out.reserveCapacity(list.count * columns)
        for r in list { out += row(r) }
        return FixedMatrix(rows: list.count, columns: columns, format: format, raw: out)
    }

    /// Quantises Doubles into `format` with its modes (`FixedPointError` for NaN).
    public static func quantize(_ values: [Double], rows: Int, columns: Int, format: FixedFormat)
        throws(FixedPointError) -> FixedMatrix {
        var raw = [Int64]()
        raw.reserveCapacity(values.count)
        for v in values { raw.append(Int64(try Fixed(v, format: format).raw)) }
        return FixedMatrix(rows: rows, columns: columns, format: format, raw: raw)
    }
}

/// A row-major matrix of Doubles: the float reference model's tensor.
public struct FloatMatrix: Hashable, Codable, Sendable {
    public var rows: Int
    public var columns: Int
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "FloatMatrix: \(values.count) values for \(rows) x \(columns)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public init(zeros rows: Int, _ columns: Int) {
        self.init(rows: rows, columns: columns, values: [Double](repeating: 0, count: rows * columns))
    }

    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    public func row(_ r: Int) -> ArraySlice<Double> { values[(r * columns)..<((r + 1) * columns)] }

    public func columns(_ start: Int, count: Int) -> FloatMatrix {
        var out = [Double]()
        out.reserveCapacity(rows * count)
        for r in 0..<rows { out += values[(r * columns + start)..<(r * columns + start + count)] }
        return FloatMatrix(rows: rows, columns: count, values: out)
    }

    public func gather(rows list: [Int]) -> FloatMatrix {
        var out = [Double]()
        out.reserveCapacity(list.count * columns)
        for r in list { out += row(r) }
        return FloatMatrix(rows: list.count, columns: columns, values: out)
    }
}
