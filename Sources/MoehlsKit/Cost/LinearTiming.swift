/// Cycle model of the linear engine (docs/cost-model.md, "Linear engine").
///
/// The engine is a T_in x T_out grid of multipliers replicated over N_L token lanes. For each
/// output block (T_out outputs; outer loop), for each token group (N_L tokens, round-robin),
/// for each input block (T_in inputs; inner loop) it multiplies N_L x T_in activations by
/// T_in x T_out weights in one cycle and accumulates. The weights of one output block, a *slab*
/// of `ceil(d_in / T_in)` grid rows plus T_out biases, sit in one of two slab buffers while the
/// loader fills the other (ping-pong prefetch).

/// What the write-back path does with a finished output block.
public enum WriteBack: String, Hashable, Codable, Sendable {
    /// Convert to the activation format and write.
    case plain
    /// Convert, add the residual read from the destination, convert again, write.
    case residual
    /// Convert, apply GELU (one unit per `geluUnits` outputs), write.
    case gelu
    /// Convert, clamp at zero, write.
    case relu
}

/// One call of the linear engine.
public struct LinearInvocation: Hashable, Sendable {
    public var name: String
    /// Tokens (rows) processed.
    public var tokens: Int
    /// d_in.
    public var inputs: Int
    /// Output segments, each padded to whole output blocks (Q | K | V are three segments).
    public var outputSegments: [Int]
    public var writeBack: WriteBack
    /// Bits per weight and per bias (bias 0: no bias).
    public var weightBits: Int
    public var biasBits: Int

    public init(name: String, tokens: Int, inputs: Int, outputSegments: [Int], writeBack: WriteBack,
                weightBits: Int, biasBits: Int) {
        self.name = name
        self.tokens = tokens
        self.inputs = inputs
        self.outputSegments = outputSegments
        self.writeBack = writeBack
        self.weightBits = weightBits
        self.biasBits = biasBits
    }

    /// Weight and bias bytes the invocation loads (whole slabs, including block padding) on `engine`.
    public func loadedBytes(on engine: DesignPoint.LinearEngine) -> Int {
        Sat.mul(outputBlocks(engine), slabBytes(engine))
    }

    func outputBlocks(_ engine: DesignPoint.LinearEngine) -> Int {
        Sat.sum(outputSegments.map { ceilDiv($0, engine.tOut) })
    }

    /// Bytes of one slab: `ceil((K * T_in * T_out * w + T_out * b) / 8)`.
    func slabBytes(_ engine: DesignPoint.LinearEngine) -> Int {
        let k = ceilDiv(inputs, engine.tIn)
        let bits = Sat.add(Sat.mul(Sat.mul(Sat.mul(k, engine.tIn), engine.tOut), weightBits), Sat.mul(engine.tOut, biasBits))
        return ceilDiv(bits, 8)
    }
}

/// The cycle parameters of one invocation on one engine.
public struct LinearCost: Hashable, Sendable {
    /// Token groups G = ceil(n / N_L).
    public var groups: Int
    /// Input blocks K = ceil(d_in / T_in).
    public var inputBlocks: Int
    /// Output blocks (slabs) J = sum over segments of ceil(segment / T_out).
    public var outputBlocks: Int
    /// Write-back cycles per token group (omega).
    public var writeBackCycles: Int
    /// Compute cycles per slab: C = G * max(K, omega).
    public var blockCycles: Int
    /// Bytes per slab.
    public var slabBytes: Int
    /// Cycles to load one slab at the engine's port bandwidth: W = ceil(slab bytes / (P * beta)).
    public var loadCycles: Int
    /// Pipeline fill and drain plus handshake, paid once per invocation (F).
    public var latency: Int

    /// Cycles of the invocation alone when every slab is already loaded: J * C + F.
    public var computeCycles: Int { Sat.add(Sat.mul(outputBlocks, blockCycles), latency) }
}

/// The fixed properties of one linear engine in a design: its grid, GELU units and weight ports.
public struct LinearEngineContext: Hashable, Sendable {
    public var engine: DesignPoint.LinearEngine
    /// GELU units in the write-back path (0 when the engine never applies GELU).
    public var geluUnits: Int
    /// Bytes per cycle over all the engine's weight ports: P * beta.
    public var portBytesPerCycle: Double
    /// Off-chip read latency in cycles.
    public var memoryLatency: Int
    public var micro: MicroArchitecture

    /// GELU units of the write-back (docs/cost-model.md, "Linear engine"): the finished sums of a
    /// token group wait while the next group accumulates (K cycles), so the `N_L T_in` results of
    /// each of the `ceil(T_out / T_in)` chunks may pass through the units in several passes. The
    /// fewest units that keep the group's write-back within K cycles for `d_in = inputs`:
    /// `ceil(N_L T_in / floor(K / ceil(T_out / T_in)))`, or `N_L T_in` when K < ceil(T_out / T_in).
    public static func geluUnits(engine: DesignPoint.LinearEngine, inputs: Int) -> Int {
        let chunkResults = Sat.mul(engine.lanes, engine.tIn)
        let passes = ceilDiv(inputs, engine.tIn) / ceilDiv(engine.tOut, engine.tIn)
        return passes == 0 ? chunkResults : ceilDiv(chunkResults, passes)
    }

    /// Write-back cycles of one token group (omega): `ceil(T_out / T_in)` chunks, each in
    /// `ceil(N_L T_in / units)` passes through the output units (one pass without GELU, where every
    /// result has its own converter).
    public static func writeBackCycles(engine: DesignPoint.LinearEngine, geluUnits: Int?) -> Int {
        let chunks = ceilDiv(engine.tOut, engine.tIn)
        guard let units = geluUnits else { return chunks }
        return Sat.mul(chunks, ceilDiv(Sat.mul(engine.lanes, engine.tIn), max(units, 1)))
    }

    /// Pipeline fill and drain of one invocation inside the kernel (start pulse to done pulse,
    /// after the slabs' load and compute cycles): `buffer_read_depth + multiplier_depth +
    /// adder_depth log2c(T_in) + accumulate_depth + omega + write_back_depth + op_depth - 1`. The
    /// start pulse is also the first cycle of the weight request, counted in the memory latency.
    public static func kernelLatency(engine: DesignPoint.LinearEngine, writeBackCycles omega: Int, operationDepth: Int,
                                     micro m: MicroArchitecture) -> Int {
        m.bufferReadDepth + m.multiplierDepth + m.treeDepth(engine.tIn) + m.accumulateDepth + omega
            + m.writeBackDepth + operationDepth - 1
    }

    /// Extra write-back depth of each operation: ReLU one register; the residual stage
    /// (`moehls_residual`) reads the residual (`buffer_read_depth`), adds and converts (2); GELU.
    func operationDepth(_ op: WriteBack) -> Int {
        switch op {
        case .plain: return 0
        case .relu: return 1
        case .residual: return micro.bufferReadDepth + 2
        case .gelu: return micro.geluDepth
        }
    }

    /// The cycle parameters of `call` on this engine.
    public func cost(_ call: LinearInvocation) -> LinearCost {
        let e = engine
        let groups = ceilDiv(call.tokens, e.lanes)
        let k = ceilDiv(call.inputs, e.tIn)
        let omega = Self.writeBackCycles(engine: e, geluUnits: call.writeBack == .gelu ? geluUnits : nil)
        let blockCycles = Sat.mul(groups, max(k, omega))
        let slabBytes = call.slabBytes(e)
        let load = Sat.ceil(Double(slabBytes) / portBytesPerCycle)
        // the controller's start/done turnaround plus the kernel's own fill and drain
        let latency = micro.invocationOverhead
            + Self.kernelLatency(engine: e, writeBackCycles: omega, operationDepth: operationDepth(call.writeBack), micro: micro)
        return LinearCost(groups: groups, inputBlocks: k, outputBlocks: call.outputBlocks(e), writeBackCycles: omega,
                          blockCycles: blockCycles, slabBytes: slabBytes, loadCycles: load, latency: latency)
    }
}

/// The weight loader and the engine over one *run* of invocations (docs/cost-model.md,
/// "Weight pipeline"): the loader walks the run's slabs in order with two slab buffers and
/// requests that run ahead, so slab s is loaded by
///
///     L(s) = max(L(s-1), free(s-2)) + W(s),   L(-1) = memory latency,
///
/// where `free(s)` is when the engine has read the last row of slab s; the engine computes slab s
/// from `S(s) = max(E(s-1), L(s), ready)` to `free(s) = S(s) + C(s)`, and the last slab of an
/// invocation ends at `E(s) = free(s) + F`. Times are relative to the start of the run.
public struct WeightPipeline: Hashable, Sendable {
    /// L(s-1): when the previous slab finished loading.
    public private(set) var loadEnd: Int
    /// free(s-1), free(s-2).
    var free1 = 0, free2 = 0
    /// E(s-1): when the engine finished the previous slab (or invocation).
    public private(set) var end = 0
    /// Cycles the engine waited for weights.
    public private(set) var stallCycles = 0
    /// Cycles the ports were transferring.
    public private(set) var loadCycles = 0
    /// Bytes loaded.
    public private(set) var bytes = 0

    public init(memoryLatency: Int) {
        loadEnd = memoryLatency
    }

    /// Runs one invocation whose first slab may not start before `ready`; returns its start and end.
    public mutating func invoke(_ cost: LinearCost, ready: Int = 0) -> (start: Int, end: Int) {
        let slabs = cost.outputBlocks
        bytes = Sat.add(bytes, Sat.mul(slabs, cost.slabBytes))
        loadCycles = Sat.add(loadCycles, Sat.mul(slabs, cost.loadCycles))
        guard slabs > 0 else {
            let start = max(end, ready)
            end = Sat.add(start, cost.latency)
            return (start, end)
        }
        var start = 0
        var previous: (Int, Int, Int)? = nil  // state after the previous slab
        var s = 0
        while s < slabs {
            let load = Sat.add(max(loadEnd, free2), cost.loadCycles)
            let earliest = s == 0 ? max(end, ready) : end
            let begin = max(earliest, load)
            if s == 0 { start = begin }
            stallCycles = Sat.add(stallCycles, begin - earliest)
            let finished = Sat.add(begin, cost.blockCycles)
            free2 = free1
            free1 = finished
            loadEnd = load
            end = finished
            s += 1
            // Identical slabs reach a fixed point within a few steps: the state relative to `end`
            // repeats, and every further slab adds the same period. Jump over them exactly.
            let state = (loadEnd - end, free2 - end, begin - earliest)
            if let p = previous, p == state, s < slabs {
                let period = end - free2          // free(s) - free(s-1)
                let jumps = slabs - s
                let shift = Sat.mul(period, jumps)
                loadEnd = Sat.add(loadEnd, shift)
                free1 = Sat.add(free1, shift)
                free2 = Sat.add(free2, shift)
                end = Sat.add(end, shift)
                stallCycles = Sat.add(stallCycles, Sat.mul(state.2, jumps))
                s = slabs
            }
            previous = state
        }
        end = Sat.add(end, cost.latency)
        return (start, end)
    }
}
