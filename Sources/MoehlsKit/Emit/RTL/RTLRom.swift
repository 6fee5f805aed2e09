/// ROM contents of the nonlinear units, written from the golden model's tables
/// (`InterpolatedTable.entries`), so the Verilog and the golden model cannot drift.
public enum RTLRom {
    /// File name of the GELU delta table.
    public static let geluFile = "gelu_delta.hex"
    /// File name of the exp unit's 2^f table (`Exp2Unit`).
    public static let exp2File = "exp2.hex"
    /// File name of the reciprocal unit's table (`ReciprocalUnit`).
    public static let reciprocalFile = "recip.hex"
    /// File name of the 1/sqrt unit's table (`RsqrtUnit`).
    public static let rsqrtFile = "rsqrt.hex"

    /// The `$readmemh` text of `table`: a header, then one entry per line, `entryBits` wide.
    public static func render(_ table: InterpolatedTable) -> String {
        var text = "// \(table.name): \(table.entries.count) entries, units 2^-\(table.valueFractionBits), "
        text += "\(table.entryBits) bits (moehls, from the golden model's table)\n"
        for entry in table.entries { text += hexField(entry, width: table.entryBits) + "\n" }
        return text
    }

    /// The GELU ROM file.
    public static var gelu: RenderedFile {
        RenderedFile(path: geluFile, text: render(GELUUnit().table))
    }

    /// The exp ROM file: `Exp2Unit().table.entries`, 257 x 25 bits.
    public static var exp2: RenderedFile {
        RenderedFile(path: exp2File, text: render(Exp2Unit().table))
    }

    /// The reciprocal ROM file: `ReciprocalUnit().table.entries`, 257 x 25 bits.
    public static var reciprocal: RenderedFile {
        RenderedFile(path: reciprocalFile, text: render(ReciprocalUnit().table))
    }

    /// The 1/sqrt ROM file: `RsqrtUnit().table.entries`, 385 x 25 bits.
    public static var rsqrt: RenderedFile {
        RenderedFile(path: rsqrtFile, text: render(RsqrtUnit().table))
    }
}
