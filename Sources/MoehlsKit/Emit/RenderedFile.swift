import Foundation

/// One generated file: a path relative to the project folder and its exact bytes. Emitters return
/// `[RenderedFile]` without touching the disk; `ProjectWriter` writes them (safely, atomically).
public struct RenderedFile: Hashable, Sendable {
    /// Relative path with `/` separators (`hls/src/linear.h`); never absolute, never `..`.
    public var path: String
    public var bytes: [UInt8]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    public init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

extension RenderedFile {
    /// Writes `files` under `directory` (creating folders), overwriting: for scratch folders of
    /// tests, benchmarks and simulations. `moehls generate` writes projects with `ProjectWriter`,
    /// which also protects existing files.
    public static func write(_ files: [RenderedFile], to directory: URL) throws {
        for file in files {
            let url = directory.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.bytes).write(to: url)
        }
    }
}
