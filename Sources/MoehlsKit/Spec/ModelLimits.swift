/// Bounds on model sizes, chosen so that every count later stages compute (parameters, MACs,
/// bytes, cycles) fits in a 64-bit integer, and far above any model an FPGA can hold.
/// Documented in docs/model-format.md; `ModelLoader` rejects values outside them.
public enum ModelLimits {
    public static let imageSide = 1...16_384
    public static let channels = 1...64
    public static let patch = 1...1_024
    public static let embedDim = 1...65_536
    public static let heads = 1...1_024
    public static let layers = 1...1_024
    public static let tokens = 1...65_536
    public static let hidden = 1...1_048_576
    public static let experts = 1...1_024
    public static let tasks = 1...64
    public static let classes = 1...1_000_000
    public static let mlpRatio = 0.0...64.0
    public static let layerNormEps = 0.0...1.0
    public static let attentionScale = 0.0...1_000.0
}
