import Yams

/// Parse/validate stage for device descriptions (docs/device-format.md), and lookup of built-in
/// boards by name.
public enum DeviceLoader {
    static let topKeys = ["name", "description", "part", "family", "resources", "budget", "memory", "slrs",
                          "clock_mhz", "flow", "source"]
    static let resourceKeys = ["lut", "ff", "bram_18k", "dsp", "uram"]
    static let memoryKeys = ["name", "kind", "channels", "port_bits", "bandwidth_gbps", "capacity_gib"]

    /// The built-in board `name`, or a diagnostic listing the available ones.
    public static func builtin(_ name: String) throws(DiagnosticError) -> Device {
        if let device = BuiltinDevices.named(name) { return device }
        let names = BuiltinDevices.all.map(\.name)
        let hint = Suggestions.closest(to: name, among: names).map { " Did you mean '\($0)'?" } ?? ""
        throw DiagnosticError([.error("unknown device '\(name)'. Available devices: \(names.joined(separator: ", ")).\(hint) "
                                      + "Describe another board with --device-file (docs/device-format.md).")])
    }

    /// Resolves `--device NAME` or `--device-file FILE` (exactly one must be given).
    public static func resolve(name: String?, file: String?) throws(DiagnosticError) -> Device {
        switch (name, file) {
        case let (name?, nil):
            return try builtin(name)
        case let (nil, file?):
            return try load(path: file)
        case (.some, .some): throw DiagnosticError([.error("give either --device or --device-file, not both")])
        case (nil, nil):
            let names = BuiltinDevices.all.map(\.name).joined(separator: ", ")
            throw DiagnosticError([.error("no device given: use --device NAME (\(names)) or --device-file FILE")])
        }
    }

    public static func load(path: String) throws(DiagnosticError) -> Device {
        try build(YAMLDocument.load(path: path))
    }

    public static func parse(text: String, file: String) throws(DiagnosticError) -> Device {
        try build(YAMLDocument.parse(text: text, file: file))
    }

    static func build(_ document: YAMLDocument) throws(DiagnosticError) -> Device {
        let reader = SpecReader(file: document.file)
        let device = read(document.root, reader: reader)
        try reader.diagnostics.throwIfErrors()
        return device!
    }

    static func read(_ root: Node, reader: SpecReader) -> Device? {
        guard let top = reader.object(root, path: "", keys: topKeys) else { return nil }
        let name = top.string("name", required: true)
        if let name, name.isEmpty || name.contains(where: { $0.isWhitespace }) {
            reader.error("'name' must be a non-empty word (it is typed on the command line)", at: top.node("name"), path: "name")
        }
        let description = top.string("description") ?? name ?? ""
        let part = top.string("part", required: true)
        let family = top.choice("family", as: Device.Family.self) ?? (top.has("family") ? nil : .ultrascalePlus)
        let resources = readResources(top, key: "resources", required: true)
        var budget = top.has("budget") ? readResources(top, key: "budget", required: false) : resources
        if let resources, let b = budget {
            for ((label, used), (_, total)) in zip(b.named, resources.named) where used > total {
                reader.error("'budget' \(label) (\(used)) exceeds the part's \(label) (\(total))",
                             at: top.node("budget"), path: "budget")
                budget = nil
            }
        }
        let memory = readMemory(top)
        let slrs = top.int("slrs", range: 1...16) ?? (top.has("slrs") ? nil : 1)
        let clock = top.double("clock_mhz", range: 1...2_000, required: true)
        let flow = top.choice("flow", as: Device.Flow.self) ?? (top.has("flow") ? nil : .vivado)
        let source = top.string("source") ?? "user device file"
        guard let name, let part, let family, let resources, let budget, let memory, let slrs, let clock,
              let flow else { return nil }
        return Device(name: name, description: description, part: part, family: family, resources: resources,
                      budget: budget, memory: memory, slrs: slrs, clockMHz: clock, flow: flow, source: source)
    }

    static func readResources(_ top: ObjectReader, key: String, required: Bool) -> Device.Resources? {
        guard let section = top.object(key, keys: resourceKeys, required: required) else { return nil }
        let range = 0...100_000_000
        let lut = section.int("lut", range: range, required: true)
        let ff = section.int("ff", range: range, required: true)
        let bram = section.int("bram_18k", range: range, required: true)
        let dsp = section.int("dsp", range: range, required: true)
        let uram = section.int("uram", range: range) ?? (section.has("uram") ? nil : 0)
        guard let lut, let ff, let bram, let dsp, let uram else { return nil }
        return Device.Resources(lut: lut, ff: ff, bram18k: bram, dsp: dsp, uram: uram)
    }

    static func readMemory(_ top: ObjectReader) -> [Device.Memory]? {
        guard let node = top.node("memory") else {
            top.missing("memory", hint: " (a list of off-chip memories)")
            return nil
        }
        guard let items = top.reader.list(node, path: "memory") else { return nil }
        if items.isEmpty {
            top.reader.error("'memory' is empty: list at least one off-chip memory", at: node, path: "memory")
            return nil
        }
        var result: [Device.Memory] = []
        for (index, item) in items.enumerated() {
            guard let entry = top.reader.object(item, path: "memory[\(index)]", keys: memoryKeys) else { continue }
            let name = entry.string("name", required: true)
            let kind = entry.string("kind") ?? name
            let channels = entry.int("channels", range: 1...1_024, required: true)
            let portBits = entry.int("port_bits", range: 8...4_096, required: true)
            if let bits = portBits, bits % 8 != 0 || bits & (bits - 1) != 0 {
                top.reader.error("'port_bits' must be a power of two number of bytes (64, 128, 256, 512), found \(bits)",
                                 at: entry.node("port_bits"), path: "memory[\(index)].port_bits")
            }
            let bandwidth = entry.double("bandwidth_gbps", range: 0.001...100_000, required: true)
            let capacity = entry.double("capacity_gib", range: 0...1_000_000) ?? 0
            if let name, let kind, let channels, let portBits, let bandwidth {
                result.append(Device.Memory(name: name, kind: kind, channels: channels, portBits: portBits,
                                            bandwidthGBps: bandwidth, capacityGiB: capacity))
            }
        }
        return result.count == items.count ? result : nil
    }
}
