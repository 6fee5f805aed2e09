import Foundation

/// Dense sweeps of every hardware approximation against Double, for the error figures in
/// docs/numerics.md (`moehls bench golden` prints them; tests bound them).
public enum ApproximationSweep {
    public struct Result: Hashable, Codable, Sendable {
        public var unit: String
        public var range: String
        public var points: Int
        /// Largest absolute error (for exp and GELU) or relative error (reciprocal, 1/sqrt).
        public var maxError: Double
        public var kind: String
        /// Where the largest error occurs.
        public var worstInput: Double
    }

    /// The largest error seen so far, where, and how many points were tried.
    struct Worst {
        var error = 0.0, input = 0.0, points = 0

        mutating func note(_ e: Double, at x: Double) {
            if e > error { (error, input) = (e, x) }
            points += 1
        }

        func result(unit: String, range: String, kind: String) -> Result {
            Result(unit: unit, range: range, points: points, maxError: error, kind: kind, worstInput: input)
        }
    }

    /// exp(z) on `[-32, 0]` in steps of `2^-12`, inputs with 22 fraction bits; absolute error.
    public static func exp() -> Result {
        let unit = Exp2Unit()
        var worst = Worst()
        var raw: Int64 = 0
        let step: Int64 = 1 << 10, end: Int64 = -32 << 22
        while raw >= end {
            let z = Double(raw) * 0x1p-22
            let e = Double(unit.evaluate(raw, fractionBits: 22)) * 0x1p-23
            worst.note(abs(e - Foundation.exp(z)), at: z)
            raw -= step
        }
        return worst.result(unit: "exp", range: "z in [-32, 0], step 2^-12", kind: "absolute")
    }

    /// 1/x on `[1, 65536]`, 4096 points per octave, inputs with 23 fraction bits; relative error.
    public static func reciprocal() -> Result {
        let unit = ReciprocalUnit()
        var worst = Worst()
        for octave in 0..<16 {
            for k in 0..<4096 {
                let raw = Int128(1 << (23 + octave)) + Int128(k) << (23 + octave - 12) + Int128(k % 7)
                let x = Double(raw) * 0x1p-23
                let (m, s) = unit.evaluate(raw, fractionBits: 23)
                let approx = Double(m) * Foundation.pow(2, -Double(24 + s))
                worst.note(abs(approx * x - 1), at: x)
            }
        }
        return worst.result(unit: "reciprocal", range: "x in [1, 65536], 4096 points per octave", kind: "relative")
    }

    /// 1/sqrt(x) on `[2^-30, 2^30]`, 2048 points per octave, inputs with 44 fraction bits; relative error.
    public static func rsqrt() -> Result {
        let unit = RsqrtUnit()
        var worst = Worst()
        for octave in -30..<30 {
            for k in 0..<2048 {
                let base = Int128(1) << (44 + octave)
                let raw = base + (base >> 11) * Int128(k) + Int128(k % 5)
                let x = Double(raw) * 0x1p-44
                let (m, h) = unit.evaluate(raw, fractionBits: 44)
                let approx = Double(m) * Foundation.pow(2, -Double(24 + h))
                worst.note(abs(approx * x.squareRoot() - 1), at: x)
            }
        }
        return worst.result(unit: "1/sqrt", range: "x in [2^-30, 2^30], 2048 points per octave", kind: "relative")
    }

    /// GELU on `[-10, 10]` in steps of `2^-14`, inputs and outputs in fixed<32,10>; absolute error.
    public static func gelu() -> Result {
        let unit = GELUUnit()
        let format = FixedFormat(width: 32, integerBits: 10)
        var worst = Worst()
        var raw: Int64 = -10 << 22
        while raw <= 10 << 22 {
            let x = Double(raw) * 0x1p-22
            let y = Double(unit.evaluate(raw, input: format, output: format)) * 0x1p-22
            worst.note(abs(y - FloatKernels.gelu(x)), at: x)
            raw += 1 << 8
        }
        return worst.result(unit: "GELU", range: "x in [-10, 10], step 2^-14, fixed<32,10>", kind: "absolute")
    }

    public static func all() -> [Result] { [exp(), reciprocal(), rsqrt(), gelu()] }
}
