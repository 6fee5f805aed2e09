import Foundation
import Testing

/// The repository root, found from this file's path (Tests/MoehlsKitTests/Support/).
let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// The test tiers. `make test-fast` runs the unit and reference tiers alone (no external tool);
/// `make test` runs everything.
extension Tag {
    /// Pure Swift: parsing, numerics, the golden model, cost model and search, emission.
    @Tag static var unit: Self
    /// Generated text against committed references (Generated/, fixtures, real csynth reports).
    @Tag static var reference: Self
    /// Runs an external tool: iverilog, verilator, yosys, g++, python3.
    @Tag static var simulation: Self
}
