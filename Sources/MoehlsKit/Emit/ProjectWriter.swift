import Foundation

/// Writes a generated project folder without ever losing a user's files.
///
/// Rules (docs/generated-project.md, "Safety"):
/// - every run records what it wrote in `moehls-manifest.json` (path, size, FNV-1a 64 hash);
/// - a folder that holds files moehls did not write is refused unless `force` (then those files
///   are left alone, and only a clash with a path moehls writes is overwritten);
/// - regeneration replaces only files listed in the previous manifest, and refuses (unless
///   `force`) when one of them was edited since (its hash changed);
/// - files of the previous manifest that the new run no longer writes are removed;
/// - the new tree is built completely in a sibling staging folder first; the folder is swapped in
///   only when everything was written, so a failed run leaves the previous output as it was;
/// - nothing outside the folder is ever touched: a manifest entry that is not a clean relative
///   path (`..`, absolute, empty parts) makes the manifest untrusted (refused unless `force`,
///   which then keeps every existing file), and no file is written, moved or removed through a
///   symbolic link inside the folder.
///
/// `moehls generate` (projects) and `moehls run --dump` (dumps) both write through it; the
/// manifest's `generator` says which, and one never replaces the other's folder.
public enum ProjectWriter {
    public static let manifestName = "moehls-manifest.json"

    public struct Manifest: Codable, Sendable, Equatable {
        public struct Entry: Codable, Sendable, Equatable {
            public var path: String
            public var bytes: Int
            public var fnv1a64: String
        }
        public var generator: String
        public var files: [Entry]
    }

    /// What a write did.
    public struct Outcome: Sendable, Equatable {
        public var written: Int
        public var unchanged: Int
        public var removed: [String]
        public var keptUserFiles: [String]
    }

    /// The manifest's hash of a file: FNV-1a 64 as 16 hex digits.
    public static func hash(_ bytes: [UInt8]) -> String {
        let hex = String(FNV1a64.hash(bytes), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    public static func manifest(for files: [RenderedFile], generator: String = "moehls generate") -> Manifest {
        Manifest(generator: generator,
                 files: files.sorted { $0.path < $1.path }.map { .init(path: $0.path, bytes: $0.bytes.count, fnv1a64: hash($0.bytes)) })
    }

    /// Writes `files` into `directory` following the rules above.
    @discardableResult
    ///
    /// `legacyOwnership` reads what an older version of the same generator wrote when the folder has
    /// no `moehls-manifest.json` (clean relative paths, no hashes: those files are replaced and
    /// removed like a manifest's, without the edit check).
    public static func write(_ files: [RenderedFile], to directory: String, force: Bool,
                             generator: String = "moehls generate",
                             legacyOwnership: ((URL) -> [String]?)? = nil) throws(DiagnosticError) -> Outcome {
        try validatePaths(files)
        let fm = FileManager.default
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        let newManifest = manifest(for: files, generator: generator)
        var previous: Manifest?
        var userFiles: [String] = []
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: target.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw DiagnosticError([.error("exists and is not a folder; choose another output folder", file: directory)])
            }
            previous = try readManifest(target, generator: generator, force: force, label: directory)
            let existing = listFiles(target)
            var ours = Set(previous?.files.map(\.path) ?? [])
            if previous == nil, !fm.fileExists(atPath: target.appendingPathComponent(manifestName).path),
               let legacy = legacyOwnership?(target), legacy.allSatisfy(isCleanRelativePath) {
                // Hash-less: nothing to check for edits, so these count as unedited output.
                let present = Set(existing)
                let owned = legacy.filter { present.contains($0) && symbolicLink(in: target, on: $0) == nil }
                ours = Set(owned)
                previous = Manifest(generator: generator, files: owned.sorted().map { path in
                    .init(path: path, bytes: 0, fnv1a64: hash([UInt8](fm.contents(atPath: target.appendingPathComponent(path).path) ?? Data())))
                })
            }
            userFiles = existing.filter { !ours.contains($0) && $0 != manifestName }
            if !userFiles.isEmpty && !force {
                throw DiagnosticError([.error("holds \(userFiles.count) file(s) moehls did not write (first: \(userFiles[0])); "
                                              + "refusing to write into it. Choose a new folder, or pass --force to write beside them "
                                              + "(they are kept; a clash with a generated path is overwritten)", file: directory)])
            }
            if let previous, !force {
                var edited: [String] = []
                for entry in previous.files {
                    // A link where moehls wrote a file is the user's doing: never read through it.
                    if symbolicLink(in: target, on: entry.path) != nil { edited.append(entry.path); continue }
                    let path = target.appendingPathComponent(entry.path).path
                    guard let data = fm.contents(atPath: path) else { continue }
                    if hash([UInt8](data)) != entry.fnv1a64 { edited.append(entry.path) }
                }
                if !edited.isEmpty {
                    throw DiagnosticError([.error("\(edited.count) generated file(s) were edited since moehls wrote them (first: \(edited[0])); "
                                                  + "refusing to overwrite them. Save your changes elsewhere, or pass --force", file: directory)])
                }
            }
        }
        // Stage the complete new tree beside the target.
        let staging = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).moehls-staging")
        try? fm.removeItem(at: staging)
        do {
            for file in files {
                let url = staging.appendingPathComponent(file.path)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.bytes).write(to: url)
            }
            try encode(newManifest).write(to: staging.appendingPathComponent(manifestName))
        } catch {
            try? fm.removeItem(at: staging)
            throw DiagnosticError([.error("cannot write the project: \(error.localizedDescription); the previous output is unchanged",
                                          file: directory)])
        }
        let unchanged = files.filter { file in
            previous?.files.first { $0.path == file.path }?.fnv1a64 == hash(file.bytes)
        }.count
        let newPaths = Set(files.map(\.path))
        let obsolete = (previous?.files.map(\.path) ?? []).filter { !newPaths.contains($0) }.sorted()
        // Files are moved in one by one beside the user's: none goes through a symbolic link (it
        // could lead out of the folder).
        if !userFiles.isEmpty {
            for path in files.map(\.path) + obsolete + [manifestName] {
                if let link = symbolicLink(in: target, on: path) {
                    try? fm.removeItem(at: staging)
                    throw DiagnosticError([.error("'\(link)' is a symbolic link; moehls writes and removes files only inside "
                                                  + "the folder, not through links. Remove the link or choose a new folder",
                                                  file: directory)])
                }
            }
        }
        do {
            if userFiles.isEmpty {
                // Only our files (or nothing) there: swap whole folders.
                let old = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).moehls-old")
                try? fm.removeItem(at: old)
                if fm.fileExists(atPath: target.path) { try fm.moveItem(at: target, to: old) }
                try fm.moveItem(at: staging, to: target)
                try? fm.removeItem(at: old)
            } else {
                // User files stay: move our files in one by one, remove obsolete ones, manifest last.
                for file in files {
                    let destination = target.appendingPathComponent(file.path)
                    try fm.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                    if fm.fileExists(atPath: destination.path) { try fm.removeItem(at: destination) }
                    try fm.moveItem(at: staging.appendingPathComponent(file.path), to: destination)
                }
                for path in obsolete { try? fm.removeItem(at: target.appendingPathComponent(path)) }
                let manifestURL = target.appendingPathComponent(manifestName)
                if fm.fileExists(atPath: manifestURL.path) { try fm.removeItem(at: manifestURL) }
                try fm.moveItem(at: staging.appendingPathComponent(manifestName), to: manifestURL)
                try? fm.removeItem(at: staging)
            }
        } catch {
            try? fm.removeItem(at: staging)
            throw DiagnosticError([.error("cannot move the project into place: \(error.localizedDescription)", file: directory)])
        }
        return Outcome(written: files.count - unchanged, unchanged: unchanged, removed: obsolete, keptUserFiles: userFiles)
    }

    static func validatePaths(_ files: [RenderedFile]) throws(DiagnosticError) {
        var seen = Set<String>()
        for file in files {
            if !isCleanRelativePath(file.path) || file.path == manifestName {
                throw DiagnosticError([.error("internal error: generated path '\(file.path)' is not a clean relative path")])
            }
            if !seen.insert(file.path).inserted {
                throw DiagnosticError([.error("internal error: two generated files share the path '\(file.path)'")])
            }
        }
    }

    /// The previous run's manifest, if `generator` wrote it. A manifest naming a path outside the
    /// folder is refused (with `force`: ignored, so every existing file counts as the user's).
    static func readManifest(_ target: URL, generator: String, force: Bool, label: String)
        throws(DiagnosticError) -> Manifest? {
        let url = target.appendingPathComponent(manifestName)
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else { return nil }
        guard manifest.generator == generator else {
            // Another moehls command owns this folder: never take it over, not even with force
            // (its files would all count as the user's and be overwritten where paths clash).
            throw DiagnosticError([.error("was written by `\(manifest.generator)`, not by `\(generator)`; refusing to write into "
                                          + "it (even with --force). Choose another folder", file: label)])
        }
        if let bad = manifest.files.first(where: { !isCleanRelativePath($0.path) || $0.path == manifestName }) {
            if force { return nil }
            throw DiagnosticError([.error("lists '\(bad.path)', which is not a path inside the folder; moehls will not read, "
                                          + "replace or remove anything by it. Delete \(manifestName), or pass --force (then every "
                                          + "existing file is kept)", file: label + "/" + manifestName)])
        }
        return manifest
    }

    /// `a/b.txt`: not empty, not absolute, no empty, `.` or `..` parts.
    static func isCleanRelativePath(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return !path.isEmpty && !path.hasPrefix("/") && !parts.contains { $0.isEmpty || $0 == "." || $0 == ".." }
    }

    /// The first component of `path` below `root` (relative, as written) that is a symbolic link.
    static func symbolicLink(in root: URL, on path: String) -> String? {
        var current = root
        var relative: [Substring] = []
        for part in path.split(separator: "/") {
            current = current.appendingPathComponent(String(part))
            relative.append(part)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: current.path) else { return nil }
            if attributes[.type] as? FileAttributeType == .typeSymbolicLink { return relative.joined(separator: "/") }
        }
        return nil
    }

    /// Regular files and symbolic links below `root` (links are never followed, and count as the
    /// user's: moehls writes none), as sorted relative paths.
    static func listFiles(_ root: URL) -> [String] {
        let keys: [URLResourceKey] = [.isRegularFileKey, .isSymbolicLinkKey]
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys) else {
            return []
        }
        var out: [String] = []
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in enumerator {
            let values = try? url.resourceValues(forKeys: Set(keys))
            let isFile = values?.isRegularFile == true || values?.isSymbolicLink == true
            if isFile, url.standardizedFileURL.path.hasPrefix(prefix) {
                out.append(String(url.standardizedFileURL.path.dropFirst(prefix.count)))
            }
        }
        return out.sorted()
    }

    static func encode(_ manifest: Manifest) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(manifest)
        data.append(0x0A)
        return data
    }
}
