/// Where the design of `generate` and `bench sim` comes from: a design.json written by
/// `moehls search`, or a search run now.
public enum DesignSource: Hashable, Sendable {
    case file(String)
    case search(cap: Double)

    /// The design for `spec` on `device` at `clockMHz` (nil: the board's clock, or the clock a
    /// design file records), and the search's Pareto front when it searched. A design file is
    /// checked against `spec` and the board (`device`, or the built-in board it names) and
    /// re-priced (`DesignFile.load`).
    public func resolve(spec: ModelSpec, device: Device?, clockMHz: Double?, progress: @escaping (String) -> Void = { _ in })
        throws(DiagnosticError) -> (design: DesignFile, front: [FrontPoint]) {
        switch self {
        case .file(let path):
            let data = try UserFile.read(path: path)
            try DesignFile.requireStrictJSON(data, file: path)
            let board: Device
            if let device { board = device } else { board = try DeviceLoader.builtin(try DesignFile.decode(data, file: path).device.name) }
            return (try DesignFile.load(data, file: path, spec: spec, device: board, clockMHz: clockMHz), [])
        case .search(let cap):
            guard let device else { throw DiagnosticError([.error("a search needs a board: give --device or --device-file")]) }
            progress("searching \(device.name)")
            let context = try CostContext(spec: spec, device: device, clockMHz: clockMHz)
            let result = try Search.run(context, options: SearchOptions(cap: cap), progress: progress)
            return (DesignFile(result: result, context: context, seed: 1), result.front)
        }
    }
}
