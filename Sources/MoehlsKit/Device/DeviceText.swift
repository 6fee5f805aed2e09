/// Text renderings of devices for `moehls devices`: a table, a detail view and a device file.
public enum DeviceText {
    public static func table(_ devices: [Device]) -> String {
        var table = TextTable(["name", "part", "LUT", "FF", "BRAM_18K", "DSP", "URAM", "memory", "SLRs", "clock"],
                              alignments: [.left, .left, .right, .right, .right, .right, .right, .left, .right, .right])
        for d in devices {
            let memory = d.memory.map { "\($0.kind) \(Format.fixed($0.bandwidthGBps, 1)) GB/s" }.joined(separator: " + ")
            table.add([d.name, d.part, Format.count(d.budget.lut), Format.count(d.budget.ff), Format.count(d.budget.bram18k),
                       Format.count(d.budget.dsp), Format.count(d.budget.uram), memory, String(d.slrs),
                       Format.fixed(d.clockMHz, 0) + " MHz"])
        }
        return table.text + "\nResources are the budget usable by the accelerator (after the platform shell). "
            + "`moehls devices NAME` shows one board in full.\n"
    }

    public static func detail(_ d: Device) -> String {
        var out = "\(d.name): \(d.description)\n  part \(d.part) (\(d.family.rawValue)), \(d.slrs) SLR\(d.slrs == 1 ? "" : "s"), "
            + "default clock \(Format.fixed(d.clockMHz, 0)) MHz, \(d.flow.rawValue) flow\n\n"
        var table = TextTable(["resource", "part", "budget"])
        for ((name, total), (_, budget)) in zip(d.resources.named, d.budget.named) {
            table.add([name, Format.count(total), Format.count(budget)])
        }
        out += table.text + "\n"
        var memory = TextTable(["memory", "kind", "channels", "port bits", "GB/s", "bytes/cycle/port", "GiB"],
                               alignments: [.left, .left, .right, .right, .right, .right, .right])
        for m in d.memory {
            memory.add([m.name, m.kind, String(m.channels), String(m.portBits), Format.fixed(m.bandwidthGBps, 1),
                        Format.fixed(m.bytesPerCycle(clockMHz: d.clockMHz), 1), Format.fixed(m.capacityGiB, 0)])
        }
        out += memory.text + "\nsource: \(d.source)\n"
        return out
    }

    /// The device as a YAML device file (docs/device-format.md).
    public static func yaml(_ d: Device) -> String {
        func quoted(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        func resources(_ r: Device.Resources) -> String {
            "{lut: \(r.lut), ff: \(r.ff), bram_18k: \(r.bram18k), dsp: \(r.dsp), uram: \(r.uram)}"
        }
        var out = "# moehls device file (docs/device-format.md)\n"
        out += "name: \(d.name)\ndescription: \(quoted(d.description))\npart: \(d.part)\nfamily: \(d.family.rawValue)\n"
        out += "resources: \(resources(d.resources))\nbudget: \(resources(d.budget))\nmemory:\n"
        for m in d.memory {
            out += "  - {name: \(m.name), kind: \(quoted(m.kind)), channels: \(m.channels), port_bits: \(m.portBits), "
                + "bandwidth_gbps: \(m.bandwidthGBps), capacity_gib: \(m.capacityGiB)}\n"
        }
        out += "slrs: \(d.slrs)\nclock_mhz: \(d.clockMHz)\nflow: \(d.flow.rawValue)\nsource: \(quoted(d.source))\n"
        return out
    }
}
