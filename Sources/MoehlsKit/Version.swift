/// The moehls release. Generated files do not embed it, so output stays identical across versions
/// of the tool unless the generator's behaviour changes.
public enum MoehlsVersion {
    public static let string = "0.1.0"
}
