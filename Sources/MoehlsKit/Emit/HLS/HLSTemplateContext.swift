/// The values of the `@@key@@` placeholders of the HLS templates (Templates/hls). One context
/// serves every template; each property says which files use it. Every choice is made here, so
/// the templates hold no logic.
///
/// The top function's arguments and bundles come from `KernelInterface.moehlsTop`, which the
/// board generators read too. The top template calls the kernels with the names `image`,
/// `output`, `task` and `trace`, so the interface must use them (checked).
struct HLSTemplateContext: TemplateContext {
    /// `@@header_comment@@`, every template: what the file was generated from.
    var headerComment: String
    /// `@@top_parameters@@`, moehls_top.h and moehls_top.cpp: `const bus_t *weights0, ...,
    /// const bus_t *image, bus_t *output, int task, int trace`.
    var topParameters: String
    /// `@@interface_pragmas@@`, moehls_top.cpp: an m_axi bundle per pointer, s_axilite control.
    var interfacePragmas: String
    /// `@@weight_port_parameters@@`, moehls_ports.h: the weight ports as kernel array parameters.
    var weightPortParameters: String
    /// `@@weight_port_arguments@@`, moehls_ports.h and moehls_top.cpp: the weight ports as arguments.
    var weightPortArguments: String
    /// `@@weight_port0@@`, moehls_ports.h and moehls_top.cpp: the port that also carries biases,
    /// LayerNorm parameters and embeddings.
    var weightPort0: String
    /// `@@weight_share_calls@@`, moehls_ports.h: one `load_weight_share` call per port.
    var weightShareCalls: String
    /// `@@weight_buffer_impl@@`, moehls_linear.h: `bram`, `uram` or `lutram` for the weight slab.
    var weightBufferImpl: String
    /// `@@tb_arguments@@`, moehls_tb.cpp: the top function's arguments in the testbench.
    var tbArguments: String

    init(_ config: HLSConfiguration, comment: String) {
        let interface = KernelInterface.moehlsTop(weightPorts: config.design.weightPorts.channels)
        let ports = interface.pointers.filter { $0.role == "weights" }.map(\.name)
        precondition(interface.pointers.contains { $0.name == "image" && $0.role == "input" }
                     && interface.pointers.contains { $0.name == "output" && $0.role == "output" }
                     && interface.scalars == ["task", "trace"] && !ports.isEmpty,
                     "HLSTemplateContext: KernelInterface.moehlsTop no longer matches Templates/hls/src/moehls_top.cpp")
        let depth = ["weights": "WEIGHT_WORDS", "input": "INPUT_WORDS", "output": "OUTPUT_WORDS"]
        let pragmas = interface.pointers.flatMap { pointer in [
            "#pragma HLS INTERFACE m_axi port=\(pointer.name) offset=slave bundle=\(pointer.bundle) depth=\(depth[pointer.role] ?? "1")",
            "#pragma HLS INTERFACE s_axilite port=\(pointer.name) bundle=control",
        ] } + (interface.scalars + ["return"]).map { "#pragma HLS INTERFACE s_axilite port=\($0) bundle=control" }

        headerComment = comment
        topParameters = (interface.pointers.map { "\($0.role == "output" ? "" : "const ")bus_t *\($0.name)" }
            + interface.scalars.map { "int \($0)" }).joined(separator: ", ")
        interfacePragmas = pragmas.joined(separator: "\n")
        weightPortParameters = ports.map { "const bus_t \($0)[WEIGHT_WORDS]" }.joined(separator: ", ")
        weightPortArguments = ports.joined(separator: ", ")
        weightPort0 = ports[0]
        weightShareCalls = ports.enumerated().map { "    load_weight_share(\($1), \($0), op, task, o0, slab);" }
            .joined(separator: "\n")
        weightBufferImpl = config.design.weightBuffer.rawValue
        tbArguments = (interface.pointers.map { ["weights": "weights.data()", "input": "image.data()"][$0.role] ?? "output.data()" }
            + interface.scalars.map { $0 == "task" ? "TB_TASK" : "1" }).joined(separator: ", ")
    }
}
