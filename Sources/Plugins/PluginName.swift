/// The name rule of PRODUCT.md §5: `^[a-z][a-z0-9]*(-[a-z0-9]+)*$`, so a plugin name is always a
/// word a shell, a man page and a completion script can carry unquoted.
public enum PluginName {
  public static let filePrefix = "mtobs-"

  public static func isValid(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
    var previousWasDash = false
    for scalar in name.unicodeScalars {
      if scalar == "-" {
        if previousWasDash { return false }
        previousWasDash = true
      } else if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
        previousWasDash = false
      } else {
        return false
      }
    }
    return !previousWasDash
  }

  /// `mtobs-NAME` → NAME when NAME follows the rule; nil for anything else (manifests, backups,
  /// `mtobs-Foo`, `mtobs-x.sh`).
  public static func fromFileName(_ fileName: String) -> String? {
    guard fileName.hasPrefix(filePrefix) else { return nil }
    let name = String(fileName.dropFirst(filePrefix.count))
    return isValid(name) ? name : nil
  }
}
