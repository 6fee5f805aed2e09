/// The host programs of a generated project. Each loads the weight image, the golden model's
/// input and expected output (`hls/tb/data/`), runs the accelerator N times and checks every
/// output byte against the golden model's.
///
/// - `board/<alveo>/host/`: C++ over a thin accelerator layer (`accel.h`) with two backends:
///   `accel_xrt.cpp` (XRT native API, for the card) and `accel_csim.cpp` (calls the HLS top
///   function directly, so the host builds and runs here without XRT);
/// - `board/<zynq>/host.py`: PYNQ (Overlay, allocate, the IP's register map).
///
/// The program texts are the templates `Templates/host/alveo/*` and `Templates/host/pynq/host.py`,
/// each rendered to the file of the same name; this type only builds their contexts.
public enum HostPrograms {
    /// The Alveo host files: `Templates/host/alveo/<name>` renders to `<board>/host/<name>`, all
    /// four from one context.
    static let alveoFiles = ["accel.h", "host.cpp", "accel_xrt.cpp", "accel_csim.cpp"]

    /// C++ sources for Alveo boards, relative to the project folder.
    public static func alveo(interface: KernelInterface, boardFolder: String) -> [RenderedFile] {
        let texts = render(alveoFiles.map { "host/alveo/\($0)" }, alveoValues(interface))
        return zip(alveoFiles, texts).map { RenderedFile(path: "\(boardFolder)/host/\($0)", text: $1) }
    }

    /// The context of the Alveo templates:
    /// - `kernel`: the top function / XRT kernel name;
    /// - `pointer_count`: how many pointer arguments it takes;
    /// - `pointer_names`, `pointer_roles`: brace initialisers of C strings, one per pointer argument
    ///   in order (`{"weights0", ..., "output"}`, `{"weights", ..., "output"}`);
    /// - `storage_arguments`: the C-simulation backend's pointer arguments of the top function
    ///   (`storage[0].data(), storage[1].data(), ...`).
    static func alveoValues(_ interface: KernelInterface) -> [String: String] {
        let pointers = interface.pointers
        return [
            "kernel": interface.kernel,
            "pointer_count": "\(pointers.count)",
            "pointer_names": "{" + pointers.map { "\"\($0.name)\"" }.joined(separator: ", ") + "}",
            "pointer_roles": "{" + pointers.map { "\"\($0.role)\"" }.joined(separator: ", ") + "}",
            "storage_arguments": pointers.indices.map { "storage[\($0)].data()" }.joined(separator: ", "),
        ]
    }

    /// The PYNQ host for Zynq boards.
    public static func pynq(interface: KernelInterface, boardFolder: String) -> RenderedFile {
        RenderedFile(path: "\(boardFolder)/host.py", text: render(["host/pynq/host.py"], pynqValues(interface))[0])
    }

    /// The context of `host/pynq/host.py`: `kernel` (the IP is `<kernel>_0` in the overlay) and
    /// `pointers`, the Python tuples `("name", "role")` of the pointer arguments in order.
    static func pynqValues(_ interface: KernelInterface) -> [String: String] {
        [
            "kernel": interface.kernel,
            "pointers": interface.pointers.map { "(\"\($0.name)\", \"\($0.role)\")" }.joined(separator: ", "),
        ]
    }

    /// The templates are shipped with moehls and their contexts built here, so a rendering failure
    /// is a moehls bug, not a user error.
    static func render(_ templates: [String], _ values: [String: String]) -> [String] {
        do {
            return try TemplateRenderer(values).renderTemplates(templates)
        } catch {
            preconditionFailure("host program templates: \(error)")
        }
    }
}
