/// The simulator a user asks for (`--simulator`): `auto` picks Icarus unless the plan would take
/// Icarus minutes and Verilator is installed (`ProjectVerifier.Options.autoIcarusLimit`).
public enum RTLSimulatorChoice: String, CaseIterable, Codable, Hashable, Sendable {
    case auto, icarus, verilator
}
