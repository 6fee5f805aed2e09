/// Packs fixed-width fields into wide words and prints them as `$readmemh` lines.
struct RTLWord {
    let bits: Int
    private(set) var limbs: [UInt64]

    init(bits: Int) {
        self.bits = bits
        limbs = [UInt64](repeating: 0, count: (bits + 63) / 64)
    }

    /// Stores the low `width` bits of `value` (two's complement) at bit `offset`.
    mutating func set(_ value: Int64, width: Int, at offset: Int) {
        precondition(offset + width <= bits, "field past the end of the word")
        for b in 0..<width {
            let bit = b < 64 ? (UInt64(bitPattern: value) >> UInt64(b)) & 1 : (value < 0 ? 1 : 0)
            if bit != 0 { limbs[(offset + b) / 64] |= 1 << UInt64((offset + b) % 64) }
        }
    }

    /// Hex digits, most significant first, `ceil(bits / 4)` of them.
    var hex: String {
        let digits = (bits + 3) / 4
        var out = ""
        for d in stride(from: digits - 1, through: 0, by: -1) {
            let nibble = (limbs[(d * 4) / 64] >> UInt64((d * 4) % 64)) & 0xF
            out.append(Character(String(nibble, radix: 16)))
        }
        return out
    }
}

/// One value as a `width`-bit two's complement hex field.
func hexField(_ value: Int64, width: Int) -> String {
    var word = RTLWord(bits: width)
    word.set(value, width: width, at: 0)
    return word.hex
}

/// Parses a `$writememh` file (comments `//` and blank lines skipped) into raw values of `width`
/// bits, sign-extended when `signed`; `nil` for an `x`/`z` digit or a malformed line.
func parseMemh(_ text: String, width: Int, signed: Bool) -> [Int64?] {
    var values: [Int64?] = []
    for line in text.split(whereSeparator: \.isNewline) {
        var body = Substring(line)
        if let comment = body.range(of: "//") { body = body[..<comment.lowerBound] }
        for token in body.split(separator: " ") where !token.isEmpty {
            if token.hasPrefix("@") { continue }
            guard let value = UInt64(token, radix: 16) else { values.append(nil); continue }
            if signed && width < 64 && (value >> UInt64(width - 1)) & 1 == 1 {
                values.append(Int64(bitPattern: value | ~((1 << UInt64(width)) - 1)))
            } else {
                values.append(Int64(bitPattern: value))
            }
        }
    }
    return values
}
