/// mtobs's own version, and the commit it was built from (generated at build time).
public enum MtobsVersion {
  public static let version = "0.1.0"
  public static var commit: String? { BuildInfo.commit }
  public static var builtFromDirtyTree: Bool { BuildInfo.dirty }
}
