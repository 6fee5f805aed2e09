/// The cost model's cycle count for one invocation of the linear kernel alone (an empty weight
/// pipeline, docs/cost-model.md "Linear engine" and "Weight pipeline"):
///
///     Dmem + W + C + (J - 1) max(W, C) + F
///
/// with `C = G max(K, omega)`, `W` the slab's load cycles as the RTL streams it
/// (`biasBeats + K rowBeats`, equal to `ceil(slab_bytes / beta)` when rows and biases fill whole
/// beats) and `F` the fill/drain latency with the named depths of `MicroArchitecture.v1`.
public struct RTLLinearPrediction: Hashable, Sendable {
    public var shape: RTLLinearShape
    public var micro: MicroArchitecture = .v1

    public init(shape: RTLLinearShape) { self.shape = shape }

    /// Write-back cycles per token group as the cost model counts them (GELU: with
    /// `LinearEngineContext.geluUnits` units for d_in = D = `shape.inputs`).
    public var omega: Int {
        let e = shape.engine
        var omega = ceilDiv(e.tOut, e.tIn)
        if shape.gelu {
            let units = LinearEngineContext.geluUnits(engine: e, embedDim: shape.inputs)
            omega = max(omega, ceilDiv(e.lanes * e.tOut, max(units, 1)))
        }
        return omega
    }

    public func cycles(tokens: Int) -> Int {
        let e = shape.engine
        let k = shape.inputBlocks
        let c = ceilDiv(tokens, e.lanes) * max(k, omega)
        let w = shape.slabBeats
        let op = shape.gelu ? micro.geluDepth : 0
        let f = micro.invocationOverhead + micro.bufferReadDepth + micro.multiplierDepth + micro.treeDepth(e.tIn)
            + micro.accumulateDepth + omega + micro.writeBackDepth + op
        return shape.memoryLatency + w + c + (shape.outputBlocks - 1) * max(w, c) + f
    }

    /// The cycles the RTL takes, as measured (start pulse to done, testbench count):
    ///
    ///     Dmem + W + C' + (J - 1) max(W, C') + F'
    ///
    /// with `omega' = ceil(T_out / T_in)` (the RTL has `N_L T_in` GELU units, so GELU never
    /// stretches the write-back), `C' = G max(K, omega')` and
    /// `F' = buffer_read + multiplier + adder log2c(T_in) + accumulate + omega' + write_back
    /// + op_depth - 1` (the RTL's handshake costs one cycle less than `invocation_overhead`
    /// counts: the start pulse is the first cycle of the weight request).
    public func rtlCycles(tokens: Int) -> Int {
        let e = shape.engine
        let omega = ceilDiv(e.tOut, e.tIn)
        let c = ceilDiv(tokens, e.lanes) * max(shape.inputBlocks, omega)
        let w = shape.slabBeats
        let op = shape.gelu ? micro.geluDepth : 0
        let f = micro.bufferReadDepth + micro.multiplierDepth + micro.treeDepth(e.tIn) + micro.accumulateDepth
            + omega + micro.writeBackDepth + op - 1
        return shape.memoryLatency + w + c + (shape.outputBlocks - 1) * max(w, c) + f
    }
}
