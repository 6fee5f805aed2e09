import ArgumentParser
import MoehlsKit

/// The `moehls` command: a thin front end over MoehlsKit. Exit codes: 0 success, 1 input errors
/// (diagnostics printed on stderr), 64 usage errors.
@main
struct Moehls: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moehls",
        abstract: "Compile MoE-ViT and attention models into FPGA accelerators (Vitis HLS C++ and Verilog).",
        discussion: """
        Examples:
          moehls check Examples/m3vit.yaml          # tokens, parameters, MACs, weight bytes
          moehls check Examples/m3vit.yaml --json   # the same, for scripts
          moehls devices                            # built-in boards and their budgets
          moehls devices u280 --yaml > my-u280.yaml # a device file to edit

        Exit codes: 0 success, 1 input errors (printed as file:line:col: error: ...), 64 usage errors.
        Docs: docs/model-format.md, docs/device-format.md.
        """,
        version: MoehlsVersion.string,
        subcommands: [CheckCommand.self, DevicesCommand.self, RunCommand.self, SearchCommand.self, GenerateCommand.self, VerifyCommand.self, ReportCommand.self, BenchCommand.self]
    )
}
