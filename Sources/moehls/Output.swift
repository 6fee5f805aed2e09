import ArgumentParser
import Foundation
import MoehlsKit

/// Printing helpers shared by the subcommands: results on stdout, diagnostics on stderr.
enum Output {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Prints the diagnostics and returns the exit code for input errors.
    static func fail(_ error: DiagnosticError) -> ExitCode {
        for diagnostic in error.diagnostics { Output.error(diagnostic.description) }
        let count = error.diagnostics.filter { $0.severity == .error }.count
        if count > 1 { Output.error("\(count) errors") }
        return ExitCode(1)
    }

    /// Pretty-printed JSON with sorted keys (stable output for scripts and golden files).
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// Runs a body that may throw diagnostics, mapping them to exit code 1.
func withDiagnostics<T>(_ body: () throws(DiagnosticError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw Output.fail(error)
    }
}
