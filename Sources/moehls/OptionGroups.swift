import ArgumentParser
import MoehlsKit

/// The board and clock a command targets (`search`, `generate`, `bench sim`).
struct TargetOptions: ParsableArguments {
    @Option(help: "Built-in board (moehls devices).")
    var device: String?

    @Option(name: .customLong("device-file"), help: "Device description (docs/device-format.md).")
    var deviceFile: String?

    @Option(help: "Kernel clock in MHz (default: the board's).")
    var clock: Double?

    @Option(help: "Largest fraction of every budget resource a design may use, in (0, 1].")
    var cap: Double = 0.8

    func validate() throws {
        if device != nil && deviceFile != nil { throw ValidationError("give either --device or --device-file, not both") }
        guard cap > 0, cap <= 1 else { throw ValidationError("--cap must be in (0, 1], found \(cap)") }
        if let clock, !(clock > 0 && clock <= 2_000) { throw ValidationError("--clock must be in (0, 2000] MHz, found \(clock)") }
    }

    /// Fails unless a board is given.
    func requireBoard(_ alternative: String = "") throws {
        if device == nil && deviceFile == nil {
            throw ValidationError("give a board with --device NAME or --device-file FILE" + alternative)
        }
    }

    var hasBoard: Bool { device != nil || deviceFile != nil }

    func board() throws(DiagnosticError) -> Device { try DeviceLoader.resolve(name: device, file: deviceFile) }
}

/// The weights and synthetic input a forward pass uses (`generate`, `run`).
struct WeightOptions: ParsableArguments {
    @Option(help: "Seed of the synthetic weights and input (SplitMix64).")
    var seed: UInt64 = 1

    @Option(help: "Weights from a .safetensors file (names as in docs/golden-model.md) instead of seeded ones.")
    var weights: String?

    var source: WeightSource { WeightSource(seed: seed, file: weights) }
}
