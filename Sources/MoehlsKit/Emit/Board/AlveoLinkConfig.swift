/// `board/u280/link.cfg` (and other Vitis/Alveo boards): the `v++ -l --config` file that places
/// each m_axi port on memory channels and the kernel on an SLR, as the design point says.
///
/// Weight port k goes to channel k of the design's weight memory (`HBM[k]` on HBM boards,
/// `DDR[k]` on DDR boards, wrapping round the channels); input and output share the last channel.
/// The kernel goes to SLR0 (the SLR next to the HBM stacks on the U280, and where the shell's
/// DDR controller and PCIe sit on the other Alveo boards).
public enum AlveoLinkConfig {
    public static func render(interface: KernelInterface, device: Device, memory: Device.Memory) -> String {
        let bank = memory.kind.uppercased().contains("HBM") ? "HBM" : "DDR"
        let instance = "\(interface.kernel)_1"
        var mappings: [String] = []
        var weightIndex = 0
        for pointer in interface.pointers {
            let channel: Int
            if pointer.role == "weights" {
                channel = weightIndex % memory.channels
                weightIndex += 1
            } else {
                channel = memory.channels - 1
            }
            mappings.append("sp=\(instance).\(pointer.name):\(bank)[\(channel)]")
        }
        return renderScript("scripts/link.cfg", Context(description: device.description, part: device.part,
                                                        kernel: interface.kernel, instance: instance,
                                                        portMappings: mappings.joined(separator: "\n")))
    }

    /// The placeholders of Templates/scripts/link.cfg: one `sp=` line per pointer argument.
    struct Context: TemplateContext {
        var description, part, kernel, instance, portMappings: String
    }
}
