import Foundation
import MoehlsTemplates

/// Loads the hand-written Verilog of Templates/rtl. Every kernel renders its files through
/// `RTLKernel.files()`; this namespace only finds the templates.
public enum RTLEmitter {
    static func template(_ path: String) throws -> String {
        guard let url = TemplateBundle.url(path), let data = FileManager.default.contents(atPath: url.path) else {
            throw RTLUnsupported(message: "template \(path) is missing from the MoehlsTemplates bundle")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
