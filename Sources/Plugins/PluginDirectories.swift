import Foundation

/// A directory plugins are looked up in, and why it is on the list.
public struct PluginDirectory: Sendable, Equatable {
  public enum Origin: String, Sendable, Codable {
    /// An entry of MTOBS_PLUGIN_PATH.
    case path
    /// `plugins.d` at the root of the current repository (runs only once trusted).
    case repository
    /// `$XDG_DATA_HOME/mtobs/plugins.d`, where `mtobs plugin install` puts plugins.
    case installed
    /// The `plugins.d` shipped with mtobs.
    case shipped
  }

  public var path: String
  public var origin: Origin

  public init(path: String, origin: Origin) {
    self.path = path
    self.origin = origin
  }
}

/// The plugin directories in lookup order (PRODUCT.md §5; pure apart from resolving symlinks to
/// drop duplicates).
public enum PluginDirectories {
  /// True when MTOBS_NO_PLUGINS turns plugins off (any value but empty or 0).
  public static func disabled(environment: [String: String]) -> Bool {
    guard let value = environment["MTOBS_NO_PLUGINS"] else { return false }
    return !value.isEmpty && value != "0"
  }

  public static func list(
    environment: [String: String], repositoryRoot: String?, executablePath: String?
  ) -> [PluginDirectory] {
    if disabled(environment: environment) { return [] }
    var directories: [PluginDirectory] = []
    if let pluginPath = environment["MTOBS_PLUGIN_PATH"] {
      // Relative entries are never used: a plugin must not be picked up from whatever directory
      // the user happens to stand in (the "git.exe in the repository" class of attack).
      directories = pluginPath.split(separator: ":").map(String.init).filter { $0.hasPrefix("/") }
        .map { PluginDirectory(path: $0, origin: .path) }
    } else {
      if let repositoryRoot {
        directories.append(PluginDirectory(path: repositoryRoot + "/plugins.d", origin: .repository))
      }
      directories.append(PluginDirectory(path: installedDirectory(environment: environment), origin: .installed))
      if let executablePath {
        let binDirectory = (resolved(executablePath) as NSString).deletingLastPathComponent
        directories.append(PluginDirectory(path: binDirectory + "/plugins.d", origin: .shipped))
        let prefix = (binDirectory as NSString).deletingLastPathComponent
        directories.append(PluginDirectory(path: prefix + "/libexec/mtobs/plugins.d", origin: .shipped))
      }
    }
    // The same directory twice (a symlink, a repeated PATH entry) must not shadow itself.
    var seen: Set<String> = []
    return directories.filter { seen.insert(resolved($0.path)).inserted }
  }

  /// `$XDG_DATA_HOME/mtobs`, default `~/.local/share/mtobs`: installed plugins and trust records.
  public static func dataDirectory(environment: [String: String]) -> String {
    if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/mtobs" }
    let home = environment["HOME"] ?? NSHomeDirectory()
    return home + "/.local/share/mtobs"
  }

  public static func installedDirectory(environment: [String: String]) -> String {
    dataDirectory(environment: environment) + "/plugins.d"
  }

  static func resolved(_ path: String) -> String {
    guard let real = realpath(path, nil) else { return path }
    defer { free(real) }
    return String(cString: real)
  }
}
