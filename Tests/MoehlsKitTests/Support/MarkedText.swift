/// Test input with the expected diagnostic position marked inline by `⏵` (swift-format's style of
/// position markers): the marker is removed and its line and column (1-based) recorded.
struct MarkedText {
    let text: String
    let line: Int
    let column: Int

    static let marker: Character = "⏵"

    init(_ marked: String) {
        var text = ""
        var line = 1, column = 1
        var found: (Int, Int)?
        for ch in marked {
            if ch == MarkedText.marker {
                found = (line, column)
                continue
            }
            text.append(ch)
            if ch == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        precondition(found != nil, "test input has no ⏵ marker")
        self.text = text
        (self.line, self.column) = found!
    }
}

/// A minimal valid model, for tests that change one field.
let validTinyModel = """
kind: moe-vit
image: {height: 32, width: 32, channels: 3}
patch: 8
embed_dim: 32
heads: 2
layers: 2
mlp: {hidden: 64}
moe: {experts: 4, top_k: 2, expert_hidden: 32, layers: [1]}

"""
