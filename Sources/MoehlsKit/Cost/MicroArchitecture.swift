/// The named constants of the kernels' micro-architecture: pipeline depths, handshake overheads
/// and the off-chip read latency. Every cycle formula in docs/cost-model.md is written with these
/// names; the Verilog kernels take them as parameters and are checked against the formulas.
///
/// Depths are in kernel clock cycles. They describe what the generated RTL does, so changing one
/// here is a change of the hardware contract: docs/cost-model.md lists each with its meaning.
public struct MicroArchitecture: Hashable, Codable, Sendable {
    /// Operands in to product out of one (possibly multi-DSP) multiplier: A/B register,
    /// M register, P register, and one stage adding the partial products of a split product.
    public var multiplierDepth: Int
    /// One level of an adder tree.
    public var adderDepth: Int
    /// The accumulator register after the adder tree.
    public var accumulateDepth: Int
    /// Converting an accumulator to the activation format and writing it to a buffer.
    public var writeBackDepth: Int
    /// Reading one word from an on-chip buffer (address register, BRAM output register).
    public var bufferReadDepth: Int
    /// GELU unit: |x| and table address, table read, interpolation multiply, subtract.
    public var geluDepth: Int
    /// exp unit (docs/numerics.md "exp"): multiply by log2(e), table read, interpolation, shift.
    public var expDepth: Int
    /// Reciprocal unit: leading-one detection and normalising shift, table read, interpolation.
    public var reciprocalDepth: Int
    /// 1/sqrt unit: leading-one detection, shift, table read, interpolation.
    public var rsqrtDepth: Int
    /// Floor division of a LayerNorm sum by D (multiply by a reciprocal constant, correction).
    public var divideDepth: Int
    /// Cycles between a kernel's start pulse and its first operation, plus from its last write
    /// to its done pulse (ap_ctrl_hs style start/done handshake).
    public var invocationOverhead: Int
    /// Off-chip read latency: address handshake to first data beat, in nanoseconds (converted
    /// to cycles at the kernel clock, rounded up).
    public var memoryLatencyNs: Double

    public init(multiplierDepth: Int = 4, adderDepth: Int = 1, accumulateDepth: Int = 1, writeBackDepth: Int = 2,
                bufferReadDepth: Int = 2, geluDepth: Int = 6, expDepth: Int = 9, reciprocalDepth: Int = 7,
                rsqrtDepth: Int = 8, divideDepth: Int = 6, invocationOverhead: Int = 3, memoryLatencyNs: Double = 300) {
        self.multiplierDepth = multiplierDepth
        self.adderDepth = adderDepth
        self.accumulateDepth = accumulateDepth
        self.writeBackDepth = writeBackDepth
        self.bufferReadDepth = bufferReadDepth
        self.geluDepth = geluDepth
        self.expDepth = expDepth
        self.reciprocalDepth = reciprocalDepth
        self.rsqrtDepth = rsqrtDepth
        self.divideDepth = divideDepth
        self.invocationOverhead = invocationOverhead
        self.memoryLatencyNs = memoryLatencyNs
    }

    /// The constants the cost model and the generators use (version 1 of the kernel contract).
    public static let v1 = MicroArchitecture()

    /// The off-chip read latency in cycles at `clockMHz`: `ceil(memoryLatencyNs * clockMHz / 1000)`.
    public func memoryLatencyCycles(clockMHz: Double) -> Int {
        Sat.ceil(memoryLatencyNs * clockMHz / 1000)
    }

    /// Depth of an adder tree over `inputs` values: `adderDepth * ceil(log2(inputs))`.
    public func treeDepth(_ inputs: Int) -> Int { adderDepth * ceilLog2(inputs) }

    /// The constants as (name, value) rows in the order docs/cost-model.md lists them.
    public var named: [(name: String, value: String)] {
        [("multiplier_depth", "\(multiplierDepth)"), ("adder_depth", "\(adderDepth)"),
         ("accumulate_depth", "\(accumulateDepth)"), ("write_back_depth", "\(writeBackDepth)"),
         ("buffer_read_depth", "\(bufferReadDepth)"), ("gelu_depth", "\(geluDepth)"), ("exp_depth", "\(expDepth)"),
         ("reciprocal_depth", "\(reciprocalDepth)"), ("rsqrt_depth", "\(rsqrtDepth)"), ("divide_depth", "\(divideDepth)"),
         ("invocation_overhead", "\(invocationOverhead)"), ("memory_latency_ns", Format.fixed(memoryLatencyNs, 0))]
    }
}
