import ArgumentParser
import MoehlsKit

struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List the built-in boards, or show one (or a device file) in detail.",
        discussion: """
        Examples:
          moehls devices
          moehls devices u280
          moehls devices --device-file my-board.yaml
          moehls devices zcu102 --yaml > my-zcu102.yaml   # start a device file from a built-in board
        """
    )

    @Argument(help: "A built-in board to show in detail.")
    var name: String?

    @Option(name: .customLong("device-file"), help: "A device description to validate and show (docs/device-format.md).")
    var deviceFile: String?

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Print the board as a device file (YAML) to edit.")
    var yaml = false

    func validate() throws {
        if name != nil && deviceFile != nil {
            throw ValidationError("give either a board name or --device-file, not both")
        }
        if json && yaml { throw ValidationError("give either --json or --yaml, not both") }
        if yaml && name == nil && deviceFile == nil { throw ValidationError("--yaml needs a board name or --device-file") }
    }

    func run() throws {
        let devices: [Device]
        if name != nil || deviceFile != nil {
            devices = [try withDiagnostics { () throws(DiagnosticError) in
                try DeviceLoader.resolve(name: name, file: deviceFile)
            }]
        } else {
            devices = BuiltinDevices.all
        }
        if json {
            print(try Output.json(devices.count == 1 && (name != nil || deviceFile != nil) ? [devices[0]] : devices))
        } else if yaml {
            print(DeviceText.yaml(devices[0]), terminator: "")
        } else if devices.count == 1 && (name != nil || deviceFile != nil) {
            print(DeviceText.detail(devices[0]), terminator: "")
        } else {
            print(DeviceText.table(devices), terminator: "")
        }
    }
}
