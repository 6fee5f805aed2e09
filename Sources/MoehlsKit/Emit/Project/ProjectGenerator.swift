import Foundation

/// `moehls generate`: one self-contained project folder (docs/generated-project.md) from a model,
/// a board and a design (searched, or read from design.json), with test data from the golden model.
///
/// Pure: returns the files; `ProjectWriter` puts them on disk.
public enum ProjectGenerator {
    public struct Inputs: Sendable {
        public var spec: ModelSpec
        public var device: Device
        public var design: DesignFile
        public var golden: GoldenModel
        public var input: ModelInput
        /// Extra generators (the RTL kernels) add their files here.
        public var extraFiles: [RenderedFile]
        /// The search's Pareto front, when the design was searched in this run.
        public var front: [FrontPoint]

        public init(spec: ModelSpec, device: Device, design: DesignFile, golden: GoldenModel, input: ModelInput,
                    extraFiles: [RenderedFile] = [], front: [FrontPoint] = []) {
            self.spec = spec
            self.device = device
            self.design = design
            self.golden = golden
            self.input = input
            self.extraFiles = extraFiles
            self.front = front
        }
    }

    /// Whether a file is bulk data (the weight image, the test vectors) rather than source: left
    /// out of the committed reference output in Generated/, which records only their checksums in
    /// `weights/manifest.json` and the stage table.
    public static func isBulkData(_ path: String) -> Bool {
        (path.hasSuffix(".bin") && (path.hasPrefix("weights/") || path.hasPrefix("hls/tb/data/")))
            || RTLProjectFiles.isBulkData(path)
    }

    public static func render(_ inputs: Inputs, progress: (String) -> Void = { _ in }) throws(DiagnosticError) -> [RenderedFile] {
        let spec = inputs.spec, device = inputs.device, design = inputs.design
        guard design.model.name == spec.name, design.model.tokens == spec.tokens, design.model.embedDim == spec.embedDim,
              design.model.layers == spec.layers else {
            throw DiagnosticError([.error("the design file was searched for model '\(design.model.name)' "
                                          + "(\(design.model.tokens) tokens, D \(design.model.embedDim), \(design.model.layers) layers), "
                                          + "not for '\(spec.name)'; run `moehls search` for this model")])
        }
        let memory = device.memory.first { $0.name == design.design.weightPorts.memory } ?? device.memory[0]
        progress("forward pass: the golden model once, every kernel call recorded")
        let trace = GoldenTrace(inputs.golden, input: inputs.input)
        progress("HLS sources, weights and test data")
        var files = try HLSEmitter.emit(spec: spec, design: design.design, golden: inputs.golden, input: inputs.input,
                                        trace: trace, options: .init(busBits: min(max(memory.portBits, 64), 512)))
        let interface = KernelInterface.moehlsTop(weightPorts: design.design.weightPorts.channels)
        let hlsSources = files.map(\.path).filter { $0.hasPrefix("hls/src/") || $0.hasPrefix("hls/include/") }
            .filter { $0.hasSuffix(".cpp") }.map { String($0.dropFirst(4)) }
        let testbench = files.map(\.path).filter { $0.hasPrefix("hls/tb/") && $0.hasSuffix(".cpp") }.map { String($0.dropFirst(4)) }
        files.append(RenderedFile(path: "hls/run_hls.tcl",
                                  text: HLSScript(top: interface.kernel, part: device.part, clockMHz: design.device.clockMHz,
                                                  sources: hlsSources, testbench: testbench, flow: device.flow).render()))
        progress("RTL kernels and their stimulus")
        files += try RTLProjectFiles.render(.init(spec: spec, design: design), golden: inputs.golden, input: inputs.input,
                                            trace: trace, selection: RTLSelection.projectDefault(spec)).files
        progress("board files")
        let board = "board/\(device.name)"
        switch device.flow {
        case .vitis:
            files.append(RenderedFile(path: "\(board)/link.cfg", text: AlveoLinkConfig.render(interface: interface, device: device, memory: memory)))
            files += HostPrograms.alveo(interface: interface, boardFolder: board)
        case .vivado:
            let boardPart = device.name == "zcu102" ? "xilinx.com:zcu102:part0:3.4" : nil
            files.append(RenderedFile(path: "\(board)/build_bd.tcl",
                                      text: VivadoBlockDesign.render(interface: interface, device: device,
                                                                     clockMHz: design.device.clockMHz, boardPart: boardPart)))
            files.append(HostPrograms.pynq(interface: interface, boardFolder: board))
        }
        progress("report")
        let designJSON: Data
        do {
            designJSON = try design.encoded()
        } catch {
            throw DiagnosticError([.error("cannot encode design.json: \(error)")])
        }
        files.append(RenderedFile(path: "report/design.json", bytes: [UInt8](designJSON)))
        files.append(RenderedFile(path: "report/index.html", text: ProjectReport.page(spec: spec, device: device, design: design,
                                                                                             front: inputs.front).render()))
        files.append(RenderedFile(path: "README.md", text: ProjectReadme.render(spec: spec, device: device, design: design,
                                                                                interface: interface)))
        files += inputs.extraFiles
        return files.sorted { $0.path < $1.path }
    }
}
