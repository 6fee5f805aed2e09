/// `hls/include/moehls_program.h` (the step ROM the top function runs) and
/// `hls/tb/moehls_stages.h` (where the testbench finds each stage in the output image).
enum HLSProgramHeader {
    static func render(_ program: HLSProgram, comment: String) -> String {
        var h = CppWriter(comment: comment, guardName: "MOEHLS_PROGRAM_H", includes: ["\"moehls_types.h\""])
        h.section("The forward pass, one kernel call per step (docs/hls-kernels.md, \"The program\")")
        h.constant("PROGRAM_LENGTH", program.steps.count)
        h.line("// kind, src, dst, rows, in_dim, out_dim, dst_row, weight, bias, task_stride, expert, flags, out")
        h.line("static const op_t PROGRAM[PROGRAM_LENGTH] = {")
        for (index, step) in program.steps.enumerated() {
            let flags = step.flags.isEmpty ? "0" : HLSProgram.Flag.allCases.filter(step.flags.contains).map(\.rawValue).joined(separator: " | ")
            let fields = [step.kind.rawValue, step.src.rawValue, step.dst.rawValue, "\(step.rows)", "\(step.inDim)",
                          "\(step.outDim)", "\(step.dstRow)", "\(step.weight)", "\(step.bias)", "\(step.taskStride)",
                          "\(step.expert)", flags, "\(step.out)"]
            h.line("    {\(fields.joined(separator: ", "))},  // \(index): \(step.note)")
        }
        h.line("};")
        return h.text
    }

    /// The stage table of the testbench: name, word offset, rows and columns of every tensor of
    /// the output image, and the task the golden model routed with.
    static func renderStages(_ output: BinaryImage, busBits: Int, task: Int, comment: String) -> String {
        var h = CppWriter(comment: comment, guardName: "MOEHLS_STAGES_H", includes: [])
        h.section("Stage outputs in the output image (activations, ACT_BITS each)")
        h.line("struct stage_t {")
        h.line("    const char *name;")
        h.line("    int out;      // word offset")
        h.line("    int rows;")
        h.line("    int columns;")
        h.line("};")
        h.constant("STAGE_COUNT", output.tensors.count)
        h.line("static const stage_t STAGES[STAGE_COUNT] = {")
        for tensor in output.tensors {
            h.line("    {\"\(tensor.name)\", \(tensor.offset / (busBits / 8)), \(tensor.rows), \(tensor.columns)},")
        }
        h.line("};")
        h.constant("TB_TASK", task, "the task whose gate routed the golden model")
        return h.text
    }
}
