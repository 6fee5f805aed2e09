/// # The moehls pipeline
///
/// Each stage is a folder of this library; the values passing between stages are named types.
///
/// | stage | folder | input -> output |
/// |---|---|---|
/// | parse / validate | `Spec/`, `Device/` | model file -> `ModelSpec`; device name or file -> `Device`; problems -> `Diagnostic`s |
/// | analyse | `Analysis/` | `ModelSpec` -> `Workload` (tokens, parameters, MACs, weight bytes), `ModelSummary` |
/// | numerics | `Numerics/` | `FixedFormat`, `Fixed` (ap_fixed arithmetic), `SplitMix64` (portable seeded randomness) |
/// | golden model | `Golden/` (issue 3) | `ModelSpec` + weights + input -> outputs and a kernel trace |
/// | cost model + search | `Search/` (issue 4) | `ModelSpec` + `Device` -> `DesignPoint` + `Estimate` |
/// | emit | `Emit/` (issues 5, 6) | `DesignPoint` -> `RenderedFile`s (HLS C++, Verilog, Tcl); templates from `MoehlsTemplates` |
/// | simulate / compare | `Simulate/` (issues 5, 6) | `SimulationJob` -> `SimulationResult` (iverilog, g++) |
/// | report | `Report/` | estimates, vendor reports -> text, JSON, HTML |
///
/// Every stage is a pure function of its inputs except the file and process boundaries
/// (`YAMLDocument.load`, simulation jobs), so the CLI and the tests call the same entry points.
public enum Pipeline {}
