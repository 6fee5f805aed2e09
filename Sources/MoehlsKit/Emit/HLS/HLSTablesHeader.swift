/// `hls/include/moehls_tables.h`: the ROMs of the nonlinear units, written from the golden
/// model's tables (`Exp2Unit().table.entries` etc.), so hardware and golden model share one
/// definition (docs/numerics.md, "Hardware approximations").
enum HLSTablesHeader {
    static func render(comment: String) -> String {
        var h = CppWriter(comment: comment, guardName: "MOEHLS_TABLES_H", includes: ["<ap_int.h>"])
        h.section("exp: t = z * LOG2E (LOG2E_RAW * 2^-24)")
        h.constant("LOG2E_RAW", Int(Exp2Unit.log2eRaw), "round(log2(e) * 2^24)")
        h.constant("LOG2E_BITS", 64 - Exp2Unit.log2eRaw.leadingZeroBitCount)
        table(&h, "EXP2", Exp2Unit().table, "2^(k/256) * 2^23")
        table(&h, "RECIP", ReciprocalUnit().table, "2^24 / (1 + k/256)")
        table(&h, "RSQRT", RsqrtUnit().table, "2^24 / sqrt(1 + k/128)")
        let gelu = GELUUnit().table
        table(&h, "GELU", gelu, "delta(k/64) * 2^20, delta(a) = a Phi(-a)")
        h.constant("GELU_INTERVALS", gelu.intervals, "delta = 0 from index GELU_INTERVALS (|x| >= 6) on")
        h.constant("GELU_TABLE_FB", gelu.valueFractionBits, "fraction bits of the GELU table")
        return h.text
    }

    /// `NAME_BITS`, `NAME_ENTRIES` and `static const ap_uint<NAME_BITS> NAME_TABLE[...] = {...};`,
    /// eight entries per line.
    private static func table(_ h: inout CppWriter, _ name: String, _ table: InterpolatedTable, _ meaning: String) {
        precondition(table.entries.allSatisfy { $0 >= 0 }, "HLSTablesHeader: table \(table.name) has negative entries")
        h.section("\(table.name): \(table.entries.count) entries round(\(meaning))")
        h.constant("\(name)_BITS", table.entryBits)
        h.constant("\(name)_ENTRIES", table.entries.count)
        h.line("static const ap_uint<\(name)_BITS> \(name)_TABLE[\(name)_ENTRIES] = {")
        for start in stride(from: 0, to: table.entries.count, by: 8) {
            let row = table.entries[start..<min(start + 8, table.entries.count)].map { "\($0)" }.joined(separator: ", ")
            h.line("    \(row),")
        }
        h.line("};")
    }
}
