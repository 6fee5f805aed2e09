import Foundation
import MoehlsKit
import Testing

/// Shared setup of the HLS tests: example models, emitted projects in temporary folders, and the
/// C simulation with the repository's ap_types headers.
enum HLSTestSupport {

    static func example(_ name: String) throws -> ModelSpec {
        try ModelLoader.load(path: repositoryRoot.appendingPathComponent("Examples/\(name)").path)
    }

    /// A design that exercises every tail: T_out not dividing the gate's 4 outputs, 3 lanes over
    /// 17 and 16 rows, 4 attention rows over 17 tokens, 2 weight ports, LUTRAM slabs.
    static let oddDesign = DesignPoint(schedule: .sequential, linear: .init(tIn: 8, tOut: 16, lanes: 3),
                                       attention: .init(tA: 4, rows: 4), layerNormLanes: 4, weightBuffer: .lutram,
                                       weightPorts: .init(memory: "ddr", channels: 2))

    /// The HLS files of `spec` with seed-1 weights and input.
    static func emit(_ spec: ModelSpec, design: DesignPoint? = nil, busBits: Int = 512) throws -> [RenderedFile] {
        let golden = try GoldenModel(spec: spec, seed: 1)
        return try HLSEmitter.emit(spec: spec, design: design, golden: golden, inputSeed: 1,
                                   options: .init(busBits: busBits))
    }

    /// Writes `files` into a fresh temporary folder and returns it.
    static func materialise(_ files: [RenderedFile]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("moehls-hls-test-\(UUID().uuidString)")
        try RenderedFile.write(files, to: directory)
        return directory
    }

    /// Runs the C simulation of `files`; the folder is removed afterwards unless
    /// MOEHLS_KEEP_HLS is set (then its path is printed, to inspect the generated project).
    static func simulate(_ files: [RenderedFile], flags: [String]? = nil) throws -> CSimulation.Result {
        _ = try ExternalTool.gxx.require()
        let directory = try materialise(files)
        defer {
            if ProcessInfo.processInfo.environment["MOEHLS_KEEP_HLS"] != nil {
                print("kept the generated project in \(directory.path)")
            } else {
                try? FileManager.default.removeItem(at: directory)
            }
        }
        var options = CSimulation.Options()
        if let flags { options.flags = flags }
        let headers = repositoryRoot.appendingPathComponent("third_party/ap_types")
        if FileManager.default.fileExists(atPath: headers.appendingPathComponent("ap_fixed.h").path) { options.apTypes = headers }
        return try CSimulation.run(project: directory, options: options)
    }
}
