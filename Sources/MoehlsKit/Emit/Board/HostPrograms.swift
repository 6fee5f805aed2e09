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
        let texts = render(alveoFiles.map { "host/alveo/\($0)" }, AlveoContext(interface))
        return zip(alveoFiles, texts).map { RenderedFile(path: "\(boardFolder)/host/\($0)", text: $1) }
    }

    /// The placeholders of the Alveo templates.
    struct AlveoContext: TemplateContext {
        /// The top function / XRT kernel name.
        var kernel: String
        /// How many pointer arguments it takes.
        var pointerCount: Int
        /// C strings, one per pointer argument in order (`"weights0", ..., "output"`), and their
        /// roles (`"weights", ..., "output"`).
        var pointerNames: String
        var pointerRoles: String
        /// The C-simulation backend's pointer arguments of the top function
        /// (`storage[0].data(), storage[1].data(), ...`).
        var storageArguments: String

        init(_ interface: KernelInterface) {
            let pointers = interface.pointers
            kernel = interface.kernel
            pointerCount = pointers.count
            pointerNames = pointers.map { "\"\($0.name)\"" }.joined(separator: ", ")
            pointerRoles = pointers.map { "\"\($0.role)\"" }.joined(separator: ", ")
            storageArguments = pointers.indices.map { "storage[\($0)].data()" }.joined(separator: ", ")
        }
    }

    /// The PYNQ host for Zynq boards.
    public static func pynq(interface: KernelInterface, boardFolder: String) -> RenderedFile {
        RenderedFile(path: "\(boardFolder)/host.py", text: render(["host/pynq/host.py"], PynqContext(interface))[0])
    }

    /// The placeholders of `host/pynq/host.py`: `kernel` (the IP is `<kernel>_0` in the overlay)
    /// and `pointers`, the Python tuples `("name", "role")` of the pointer arguments in order.
    struct PynqContext: TemplateContext {
        var kernel: String
        var pointers: String

        init(_ interface: KernelInterface) {
            kernel = interface.kernel
            pointers = interface.pointers.map { "(\"\($0.name)\", \"\($0.role)\")" }.joined(separator: ", ")
        }
    }

    /// The templates are shipped with moehls and their contexts built here, so a rendering failure
    /// is a moehls bug, not a user error.
    static func render(_ templates: [String], _ context: some TemplateContext) -> [String] {
        do {
            return try TemplateRenderer(context).renderTemplates(templates)
        } catch {
            preconditionFailure("host program templates: \(error)")
        }
    }
}
