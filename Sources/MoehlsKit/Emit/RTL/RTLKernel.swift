import Foundation

/// The testbench families a simulation plan can hold.
public enum RTLKernelKind: String, Codable, CaseIterable, Sendable {
    case linear, attention, residual
    case layerNorm = "layer-norm"
    /// The MoE gate's softmax and top-k, building the expert queues.
    case router
    /// Gather and combine of one MoE layer, with the experts' outputs as stimulus.
    case moeUnits = "moe-units"
    /// Gather, both expert linears and combine chained in one testbench.
    case moeChain = "moe-chain"
}

/// One synthesisable module of a kernel with the shape's parameter overrides: what Verilator
/// lints and Yosys synthesises on its own.
public struct RTLUnit: Sendable {
    public var top: String
    /// Its sources, in dependency order.
    public var sources: [String]
    public var parameters: [(String, String)]
}

/// A Verilog kernel shape: hand-written sources copied from Templates/rtl, the ROMs of its
/// nonlinear units, a testbench rendered for the shape, and what a simulation plan needs to know
/// about it. A new unit is one conformance; emission (`files()`), plan building
/// (`RTLSimulationPlan.build`), simulation (`RTLPlanRunner`) and the lint and Yosys jobs
/// (`RTLCheckJobs`) come with it.
public protocol RTLKernel: Sendable, CustomStringConvertible {
    static var kind: RTLKernelKind { get }
    /// The testbench module.
    static var testbenchTop: String { get }
    /// The kernel's synthesisable sources, in dependency order.
    static var sources: [String] { get }
    /// The testbench-only models it also compiles (default: the memory models of
    /// moehls_tb_models.v; simulated, never linted as a unit or synthesised).
    static var testbenchModels: [String] { get }
    /// The ROM files the sources read (`$readmemh` in the simulator's working directory).
    static var roms: [RenderedFile] { get }
    /// A short file-name-safe identifier of the shape.
    var identifier: String { get }
    /// Multipliers in the kernel (sets how fast an event-driven simulator runs it).
    var multipliers: Int { get }
    /// The synthesisable modules.
    var units: [RTLUnit] { get }
    /// Throws when the RTL does not implement the shape (the message names what is missing).
    func validate() throws(RTLUnsupported)
    /// The testbench text for the shape.
    func testbench() throws -> String
}

extension RTLKernel {
    public var testbenchName: String { "\(Self.testbenchTop)_\(identifier).v" }

    public static var testbenchModels: [String] { ["moehls_tb_models.v"] }

    /// Every source the testbench compiles: the kernel's, then its testbench models.
    public static var testbenchSources: [String] { sources + testbenchModels }

    /// Validated sources, ROMs and the testbench (last), paths relative to one folder.
    public func files() throws -> [RenderedFile] {
        try validate()
        var files = try Self.testbenchSources.map { name throws -> RenderedFile in
            RenderedFile(path: name, text: try TemplateRenderer([:]).renderTemplate("rtl/\(name)"))
        }
        files += Self.roms
        files.append(RenderedFile(path: testbenchName, text: try testbench()))
        return files
    }

    /// The plan's entry for the shape's testbench.
    public var bench: RTLSimulationPlan.Bench {
        .init(shape: identifier, kind: Self.kind, top: Self.testbenchTop, testbench: testbenchName, sources: Self.testbenchSources,
              summary: description, multipliers: multipliers)
    }
}

/// `#(.A(1), .B(2))` text of parameter overrides.
func verilogOverrides(_ parameters: [(String, String)]) -> String {
    parameters.map { ".\($0.0)(\($0.1))" }.joined(separator: ", ")
}

/// `A=1 B=2`, for testbench headers.
func verilogAssignments(_ parameters: [(String, String)]) -> String {
    parameters.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
}

/// One testbench run's stimulus for a kernel: the files it reads and writes and its plan case.
public protocol RTLStimulus: Sendable {
    associatedtype Kernel: RTLKernel
    var name: String { get }
    /// The run's files (under `folder`, e.g. `data/blocks.0.attn.qkv/`) and its case.
    func simulation(on kernel: Kernel, folder: String) -> (files: [RenderedFile], case: RTLSimulationPlan.Case)
}

extension RTLSimulationPlan {
    /// The files and plan of `stimuli` on `kernel`: the kernel's files, then each stimulus's under
    /// `folder(index, stimulus)` (default `data/<index>/`).
    public static func build<S: RTLStimulus>(_ kernel: S.Kernel, _ stimuli: [S], scope: String,
                                             folder: (Int, S) -> String = { index, _ in "data/\(index)/" })
        throws -> (files: [RenderedFile], plan: RTLSimulationPlan) {
        var files = try kernel.files()
        var cases: [Case] = []
        for (index, stimulus) in stimuli.enumerated() {
            let (data, c) = stimulus.simulation(on: kernel, folder: folder(index, stimulus))
            files += data
            cases.append(c)
        }
        return (files, RTLSimulationPlan(scope: scope, benches: [kernel.bench], cases: cases))
    }

    /// The `$readmemh` text of expected raw values, `width` bits each.
    static func memh(_ values: [Int64], width: Int) -> String {
        values.map { hexField($0, width: width) }.joined(separator: "\n") + "\n"
    }

    /// A case with one output (`+outputs=`) and one step that produced all of it: the shape of
    /// the linear, attention and residual testbenches (`CYCLES n`).
    static func singleOutputCase(name: String, shape: String, plusargs: [String], expected: String, values: Int,
                                 width: Int, signed: Bool, tokens: Int, predicted: Int, kernel: Int) -> Case {
        Case(name: name, shape: shape, plusargs: plusargs,
             outputs: [Output(plusarg: "outputs", expected: expected, width: width, signed: signed)],
             steps: [Step(name: name, tag: "CYCLES", tokens: tokens, predictedCycles: predicted, kernelCycles: kernel,
                          checks: [Check(output: "outputs", offset: 0, count: values)])])
    }
}
