/// Where the design of `generate` and `bench sim` comes from: a design.json written by
/// `moehls search`, or a search run now.
public enum DesignSource: Hashable, Sendable {
    case file(String)
    case search(cap: Double)

    /// The design for `spec` on `device` at `clockMHz` (nil: the board's clock), and the
    /// search's Pareto front when it searched (a search needs the device; a file carries its own).
    public func resolve(spec: ModelSpec, device: Device?, clockMHz: Double?, progress: @escaping (String) -> Void = { _ in })
        throws(DiagnosticError) -> (design: DesignFile, front: [FrontPoint]) {
        switch self {
        case .file(let path):
            return (try DesignFile.decode(try UserFile.read(path: path), file: path), [])
        case .search(let cap):
            guard let device else { throw DiagnosticError([.error("a search needs a board: give --device or --device-file")]) }
            progress("searching \(device.name)")
            let context = try CostContext(spec: spec, device: device, clockMHz: clockMHz)
            let result = try Search.run(context, options: SearchOptions(cap: cap), progress: progress)
            return (DesignFile(result: result, context: context, seed: 1), result.front)
        }
    }
}
