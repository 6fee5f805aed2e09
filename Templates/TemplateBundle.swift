import Foundation

/// Access to the template files shipped with moehls (`Templates/hls`, `Templates/rtl`, `Templates/host`).
public enum TemplateBundle {
    /// The bundle that holds the `hls/`, `rtl/` and `host/` template folders.
    public static var bundle: Bundle { Bundle.module }

    /// URL of a template file, e.g. `path("rtl/linear_kernel.v")`, or nil when it is not shipped.
    public static func url(_ relativePath: String) -> URL? {
        guard let root = Bundle.module.resourceURL else { return nil }
        let url = root.appendingPathComponent(relativePath)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}
