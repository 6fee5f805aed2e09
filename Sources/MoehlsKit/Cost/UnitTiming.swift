/// Cycle formulas of the kernels other than the linear engine (docs/cost-model.md). Each is a
/// pure function of the shape it processes, the engine's width and `MicroArchitecture`.

/// The streaming attention engine (docs/cost-model.md, "Attention engine").
///
/// N_a query rows of one head are held on chip; three stages work in lockstep on consecutive
/// row blocks: QK^T (block b+1) streams the N keys, `ceil(hd / T_a)` cycles each, keeping the
/// running row maximum; PV (block b) streams the N values once per T_a-wide chunk of the head
/// (`ceil(hd / T_a)` passes of N cycles, `exp(s - max)` recomputed in each; the first pass also
/// takes the row sums, whose N_a reciprocals one shared unit computes one per cycle); write-back
/// (block b-1) multiplies each row by its reciprocal and writes it. A step lasts as long as the
/// slowest stage including its pipeline drain. `Templates/rtl/moehls_attention.v` takes exactly
/// these cycles (docs/kernels-attention.md).
public struct AttentionTiming: Hashable, Codable, Sendable {
    /// Chunks per head row: C_a = ceil(hd / T_a).
    public var chunks: Int
    /// Row blocks per head: ceil(N / N_a).
    public var blocksPerHead: Int
    public var qkStage: Int
    public var pvStage: Int
    public var writeStage: Int
    /// The step: max of the three stages.
    public var step: Int
    /// Loading the first block's queries before the first step.
    public var prologue: Int
    public var overhead: Int

    public init(engine: DesignPoint.AttentionEngine, tokens: Int, headDim: Int, scaleIsPowerOfTwo: Bool,
                micro m: MicroArchitecture) {
        chunks = ceilDiv(headDim, engine.tA)
        blocksPerHead = ceilDiv(tokens, engine.rows)
        let stream = Sat.mul(tokens, chunks)
        qkStage = Sat.add(stream, m.bufferReadDepth + m.multiplierDepth + m.treeDepth(engine.tA) + m.accumulateDepth
                          + (scaleIsPowerOfTwo ? 0 : m.multiplierDepth) + 1)
        let values = Sat.add(stream, m.bufferReadDepth + m.expDepth + m.multiplierDepth + m.accumulateDepth)
        // The N_a row sums enter the one reciprocal unit one per cycle after the first pass.
        let reciprocal = Sat.add(Sat.add(tokens, engine.rows - 1), m.bufferReadDepth + m.expDepth + 1 + m.reciprocalDepth)
        pvStage = max(values, reciprocal)
        writeStage = Sat.add(Sat.mul(engine.rows, chunks), m.multiplierDepth + m.writeBackDepth)
        step = max(qkStage, pvStage, writeStage)
        prologue = Sat.add(Sat.mul(engine.rows, chunks), m.bufferReadDepth)
        overhead = m.invocationOverhead
    }

    /// One invocation over `heads` heads (row blocks of consecutive heads follow each other
    /// without draining): `overhead + prologue + (heads * blocksPerHead + 2) * step`.
    public func cycles(heads: Int) -> Int {
        Sat.add(overhead + prologue, Sat.mul(Sat.add(Sat.mul(heads, blocksPerHead), 2), step))
    }
}

/// The LayerNorm unit (docs/cost-model.md, "LayerNorm"): T_ln lanes; per token one pass for
/// sum(x) and sum(x^2), the statistics (two dividers, mean^2, 1/sqrt), and a second pass that
/// normalises, scales and shifts. Pass 1 of later tokens overlaps pass 2 of earlier ones.
public struct LayerNormTiming: Hashable, Codable, Sendable {
    /// Cycles per pass per token: ceil(D / T_ln).
    public var passCycles: Int
    public var sumDepth: Int
    public var statisticsDepth: Int
    public var normaliseDepth: Int
    public var overhead: Int

    public init(lanes: Int, embedDim: Int, micro m: MicroArchitecture) {
        passCycles = ceilDiv(embedDim, lanes)
        sumDepth = m.multiplierDepth + m.treeDepth(lanes) + m.accumulateDepth
        statisticsDepth = m.divideDepth + m.multiplierDepth + 1 + m.rsqrtDepth
        normaliseDepth = m.bufferReadDepth + 1 + m.multiplierDepth + m.multiplierDepth + 1 + m.writeBackDepth
        overhead = m.invocationOverhead + m.bufferReadDepth
    }

    /// `overhead + (n + 1) * ceil(D / T_ln) + sumDepth + statisticsDepth + normaliseDepth`.
    public func cycles(tokens: Int) -> Int {
        Sat.add(Sat.mul(tokens + 1, passCycles), overhead + sumDepth + statisticsDepth + normaliseDepth)
    }
}

/// The small fixed-function steps around the linear engine.
public enum UnitTiming {
    /// Gate softmax and top-k over `tokens` tokens of E logits (docs/cost-model.md, "Gate"):
    /// pass A (max, top-k insertion) and pass B (exp, sum) take E cycles each and overlap across
    /// tokens; then the reciprocal and k score multiplies of the last token.
    public static func gate(tokens: Int, experts: Int, topK: Int, micro m: MicroArchitecture) -> Int {
        Sat.add(Sat.mul(tokens + 1, experts), m.invocationOverhead + m.bufferReadDepth + m.expDepth + 1
                + m.reciprocalDepth + topK + m.multiplierDepth + m.writeBackDepth)
    }

    /// Copying an expert's `tokens` queued tokens into its staging buffer (`moehls_gather`): one
    /// T_in-wide chunk per cycle, each through two buffer reads in a row (the queue entry gives the
    /// token id, then the token's chunk), the start pulse being the first address cycle:
    /// `tokens * ceil(D / T_in) + 2 buffer_read_depth - 1` (0 for an empty queue: not invoked).
    public static func gather(tokens: Int, embedDim: Int, tIn: Int, micro m: MicroArchitecture) -> Int {
        tokens == 0 ? 0 : Sat.add(Sat.mul(tokens, ceilDiv(embedDim, tIn)), 2 * m.bufferReadDepth - 1)
    }

    /// Adding `score * y` of an expert's tokens into the MoE accumulators (`moehls_combine`,
    /// scatter): one T_in-wide chunk per cycle with T_in combine multipliers; the queue entry and
    /// the chunk of y are read together, the accumulator is read while the product is formed, and
    /// the sum (the accumulate register) is written back in the accumulator format, with no
    /// conversion: `tokens * ceil(D / T_in) + buffer_read_depth + multiplier_depth
    /// + accumulate_depth - 1` (the start pulse is the first address cycle; 0 when not invoked).
    public static func scatter(tokens: Int, embedDim: Int, tIn: Int, micro m: MicroArchitecture) -> Int {
        tokens == 0 ? 0 : Sat.add(Sat.mul(tokens, ceilDiv(embedDim, tIn)),
                                  m.bufferReadDepth + m.multiplierDepth + m.accumulateDepth - 1)
    }

    /// Converting the MoE accumulators and adding the residual, clearing the accumulators
    /// (`moehls_combine`, finish): N_L tokens x T_in columns per cycle; read (accumulators and
    /// residual), convert the accumulator (write-back), add and convert (2), plus the controller's
    /// start/done turnaround: `ceil(n / N_L) * ceil(D / T_in) + invocation_overhead
    /// + buffer_read_depth + write_back_depth + 2 - 1` (the start pulse is the first address cycle,
    /// as in the linear kernel's `LinearEngineContext.kernelLatency`).
    public static func combineFinish(tokens: Int, embedDim: Int, engine: DesignPoint.LinearEngine,
                                     micro m: MicroArchitecture) -> Int {
        Sat.add(Sat.mul(ceilDiv(tokens, engine.lanes), ceilDiv(embedDim, engine.tIn)),
                m.invocationOverhead + m.bufferReadDepth + m.writeBackDepth + 2 - 1)
    }

    /// Reading `bytes` from off-chip memory: `invocation_overhead + latency + ceil(bytes / (P beta))`.
    public static func read(bytes: Int, bytesPerCycle: Double, latency: Int, micro m: MicroArchitecture) -> Int {
        Sat.add(Sat.add(m.invocationOverhead, latency), Sat.ceil(Double(bytes) / bytesPerCycle))
    }

    /// Writing `bytes` to off-chip memory: the data, then the write response after the latency.
    public static func write(bytes: Int, bytesPerCycle: Double, latency: Int, micro m: MicroArchitecture) -> Int {
        Sat.add(Sat.add(m.invocationOverhead + m.bufferReadDepth, latency), Sat.ceil(Double(bytes) / bytesPerCycle))
    }
}
