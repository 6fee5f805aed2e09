import ArgumentParser
import Foundation
import MoehlsKit

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a generated project against the golden model: C simulation and the host program.",
        discussion: """
        Prints one line per stage: pass/fail, the first mismatch, time. Exit status 1 if any fails.

        Examples:
          moehls verify out/m3vit-zcu102
          moehls verify out/m3vit-u280 --dry-run      # print the jobs, run nothing
        """
    )

    @Argument(help: "Project folder written by `moehls generate`.")
    var project: String

    @Flag(name: .customLong("dry-run"), help: "Print the planned jobs without running them.")
    var dryRun = false

    @Flag(help: "Print the outcomes as JSON.")
    var json = false

    func run() throws {
        let root = URL(fileURLWithPath: project)
        let jobs = try withDiagnostics { () throws(DiagnosticError) in try ProjectVerifier.plan(project: root) }
        if dryRun {
            for job in jobs { print("\(job.kind.rawValue): \(job.command)") }
            return
        }
        var outcomes: [ProjectVerifier.Outcome] = []
        for job in jobs {
            Output.error("verify: \(job.kind.rawValue)")
            outcomes.append(ProjectVerifier.run(job, project: root))
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
            for o in outcomes where !o.passed && o.detail.contains("\n") { Output.error("\(o.stage):\n\(o.detail)") }
        }
        if outcomes.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }
}
