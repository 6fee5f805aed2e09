/// ROM contents of the nonlinear units, written from the golden model's tables
/// (`InterpolatedTable.entries`), so the Verilog and the golden model cannot drift.
public enum RTLRom {
    /// File name of the GELU delta table.
    public static let geluFile = "gelu_delta.hex"

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
}
