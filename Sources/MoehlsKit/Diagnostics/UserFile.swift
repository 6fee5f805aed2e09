import Foundation

/// Reading a file the user named, with failures as diagnostics that say why
/// (`no such file`, `is a directory, not a file`, `cannot read file`).
public enum UserFile {
    public static func read(path: String, mapped: Bool = false) throws(DiagnosticError) -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: mapped ? [.mappedIfSafe] : [])
        } catch {
            var reason = "cannot read file"
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                reason = "no such file"
            } else if isDirectory.boolValue {
                reason = "is a directory, not a file"
            }
            throw DiagnosticError([.error(reason, file: path)])
        }
    }
}
