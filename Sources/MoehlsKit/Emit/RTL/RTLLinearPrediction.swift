/// Cycle counts of one invocation of the linear kernel alone (an empty weight pipeline), start
/// pulse to done pulse.
///
/// `cycles` is the cost model's own figure, computed by the search's code path
/// (`LinearEngineContext.cost` and `WeightPipeline`, docs/cost-model.md "Linear engine" and
/// "Weight pipeline") minus `invocation_overhead`, the controller's start/done turnaround that a
/// kernel testbench does not see:
///
///     Dmem + W + C + (J - 1) max(W, C) + F_kernel
///
/// with `W = ceil(slab_bytes / beta)`, `C = G max(K, omega)` and
/// `F_kernel = LinearEngineContext.kernelLatency`. `rtlCycles` is the same formula with `W` as the
/// RTL streams a slab (`biasBeats + K rowBeats` whole beats); the two differ only when a grid row
/// or the biases do not fill whole beats.
public struct RTLLinearPrediction: Hashable, Sendable {
    public var shape: RTLLinearShape
    public var micro: MicroArchitecture = .v1

    public init(shape: RTLLinearShape) { self.shape = shape }

    /// The engine as the search prices it: the shape's GELU units, one port of `beatBits / 8`
    /// bytes per cycle, the shape's memory latency.
    var engineContext: LinearEngineContext {
        LinearEngineContext(engine: shape.engine, geluUnits: shape.geluUnits ?? 0,
                            portBytesPerCycle: Double(shape.beatBits) / 8, memoryLatency: shape.memoryLatency, micro: micro)
    }

    /// The invocation as the search describes it.
    func invocation(tokens: Int) -> LinearInvocation {
        LinearInvocation(name: shape.identifier, tokens: tokens, inputs: shape.inputs, outputSegments: [shape.outputs],
                         writeBack: shape.gelu ? .gelu : shape.relu ? .relu : .plain, weightBits: shape.weight.width,
                         biasBits: shape.bias?.width ?? 0)
    }

    /// The cost model's kernel cycles (its invocation time minus `invocation_overhead`).
    public func cycles(tokens: Int) -> Int {
        var pipeline = WeightPipeline(memoryLatency: shape.memoryLatency)
        return pipeline.invoke(engineContext.cost(invocation(tokens: tokens))).end - micro.invocationOverhead
    }

    /// The cycles the RTL takes (start pulse to done, as the testbench counts them).
    public func rtlCycles(tokens: Int) -> Int {
        let e = shape.engine
        let omega = shape.writeBackCycles
        let c = ceilDiv(tokens, e.lanes) * max(shape.inputBlocks, omega)
        let w = shape.slabBeats
        let f = LinearEngineContext.kernelLatency(engine: e, writeBackCycles: omega,
                                                  operationDepth: shape.gelu ? micro.geluDepth : shape.relu ? 1 : 0, micro: micro)
        return shape.memoryLatency + w + c + (shape.outputBlocks - 1) * max(w, c) + f
    }
}
