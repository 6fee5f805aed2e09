/// # The moehls pipeline
///
/// Each stage is a folder of this library; the values passing between stages are named types
/// (docs/architecture.md has the tree and the data-flow diagram).
///
/// | stage | folder | input -> output |
/// |---|---|---|
/// | parse / validate | `Spec/`, `Device/` | model file -> `ModelSpec`; device name or file -> `Device`; problems -> `Diagnostic`s |
/// | analyse | `Analysis/` | `ModelSpec` -> `Workload` (tokens, parameters, MACs, weight bytes), `ModelSummary` |
/// | numerics | `Numerics/` | `FixedFormat`, `Fixed` (ap_fixed arithmetic), `SplitMix64` (portable seeded randomness) |
/// | golden model | `Golden/` | `ModelSpec` + weights + input -> outputs and a `GoldenTrace` (every kernel call, recorded once) |
/// | cost model | `Cost/` | `CostContext` + `DesignPoint` -> `Estimate` (cycles, resources) |
/// | search | `Search/` | `CostContext` + `SearchOptions` -> `SearchResult` -> `DesignFile`; `DesignSource` |
/// | emit | `Emit/` | `DesignFile` + golden model -> `RenderedFile`s (HLS C++, Verilog `RTLKernel`s, `RTLSimulationPlan`, Tcl) |
/// | simulate / compare | `Simulate/` | project -> `ProjectVerifier.Stage`s of `ToolJob`s -> `ToolRunner` -> `RTLInvocationResult`, `CSimulation.Result` |
/// | benchmark | `Bench/` | models, designs -> timed runs (`moehls bench`) |
/// | report | `Report/`, `VendorReports/` | estimates, results, vendor reports -> text, JSON, HTML |
///
/// Every stage is a pure function of its inputs except the file and process boundaries
/// (`YAMLDocument.load`, `ProjectWriter`, `ToolRunner`), so the CLI and the tests call the same
/// entry points.
public enum Pipeline {}
