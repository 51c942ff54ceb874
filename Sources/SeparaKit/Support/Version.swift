/// The version of Separa.
public enum SeparaVersion {
    public static let current = "0.1.0"
}
