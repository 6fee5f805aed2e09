import ArgumentParser
import Foundation
import MoehlsKit

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a generated project against the golden model: C simulation, RTL simulation, the host program.",
        discussion: """
        Prints one line per stage: pass/fail, the first mismatch, time; then one line per simulated kernel
        invocation (bit-exact or the first mismatch, cycles measured against the cost model). Exit status 1 if
        any fails.

        Examples:
          moehls verify out/m3vit-zcu102
          moehls verify out/m3vit-u280 --dry-run      # print the jobs, run nothing
          moehls verify out/m3vit-u280 --dry-run --scratch /tmp/v   # the exact command lines a run with --scratch /tmp/v executes
        """
    )

    @Argument(help: "Project folder written by `moehls generate`.")
    var project: String

    @Flag(name: .customLong("dry-run"), help: "Print every command the run would execute, and run nothing.")
    var dryRun = false

    @Option(help: "Folder for compiled simulations and outputs (default: a fresh temporary folder, removed afterwards).")
    var scratch: String?

    @Flag(help: "Print the outcomes as JSON.")
    var json = false

    @Option(help: "RTL simulator: auto (Icarus, or Verilator when Icarus would take minutes), icarus or verilator.")
    var simulator: RTLSimulatorChoice = .auto

    @Option(parsing: .upToNextOption, help: "Stages to run (default all): csim, rtl, host.")
    var only: [String] = []

    func validate() throws {
        for stage in only where !["csim", "rtl", "host"].contains(stage) {
            throw ValidationError("--only takes csim, rtl or host, found '\(stage)'")
        }
    }

    func run() throws {
        let root = URL(fileURLWithPath: project)
        var options = ProjectVerifier.Options()
        options.simulator = simulator
        options.progress = { Output.error("verify: \($0)") }
        let scratchFolder = scratch.map { URL(fileURLWithPath: $0) } ?? ProjectVerifier.temporaryScratch()
        var jobs = try withDiagnostics { () throws(DiagnosticError) in
            try ProjectVerifier.plan(project: root, scratch: scratchFolder, options: options)
        }
        if !only.isEmpty {
            jobs = jobs.filter { job in
                switch job.kind {
                case .cSimulation: return only.contains("csim")
                case .rtlSimulation: return only.contains("rtl")
                case .alveoHost, .pynqHost: return only.contains("host")
                }
            }
        }
        if dryRun {
            if json {
                print(try Output.json(jobs))
                return
            }
            if scratch == nil { print("# scratch folder: \(scratchFolder.path) (a fresh one per run; fix it with --scratch DIR)") }
            for job in jobs {
                print("# \(job.kind.rawValue): \(job.summary)")
                for tool in job.jobs { print(tool.description) }
            }
            return
        }
        defer { if scratch == nil { try? FileManager.default.removeItem(at: scratchFolder) } }
        var outcomes: [ProjectVerifier.Outcome] = []
        for job in jobs {
            Output.error("verify: \(job.kind.rawValue)")
            outcomes.append(ProjectVerifier.run(job, project: root, scratch: scratchFolder, options: options))
        }
        if json {
            print(try Output.json(outcomes))
        } else {
            var table = TextTable(["stage", "result", "time", "detail"], alignments: [.left, .left, .right, .left])
            for o in outcomes {
                table.add([o.stage, o.passed ? "pass" : "FAIL", Format.fixed(o.seconds, 1) + " s",
                           o.detail.split(separator: "\n").first.map(String.init) ?? ""])
            }
            print(table.text, terminator: "")
            for o in outcomes {
                guard let invocations = o.invocations, !invocations.isEmpty else { continue }
                var rtl = TextTable(["invocation", "result", "tokens", "cycles", "cost model", "ratio", "first mismatch"],
                                    alignments: [.left, .left, .right, .right, .right, .right, .left])
                for r in invocations {
                    rtl.add([r.name, r.passed ? "pass" : "FAIL", "\(r.tokens)", r.measuredCycles.map { Format.count($0) } ?? "-",
                             Format.count(r.predictedCycles), r.ratio.map { Format.fixed($0, 3) } ?? "-",
                             r.error ?? r.firstMismatch.map { "[\($0.index)] expected \($0.expected), got \($0.got.map(String.init) ?? "x")" } ?? ""])
                }
                print("\n\(o.stage), per invocation:\n" + rtl.text, terminator: "")
            }
            for o in outcomes where !o.passed && o.detail.contains("\n") { Output.error("\(o.stage):\n\(o.detail)") }
        }
        if outcomes.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }
}
extension RTLSimulatorChoice: ExpressibleByArgument {}
