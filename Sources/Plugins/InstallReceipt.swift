import Foundation

/// What `mtobs plugin install` recorded about an installed plugin: where it came from and which
/// commit is checked out. Kept inside the clone's `.git` directory, so it moves into place (and is
/// removed) together with the clone, and never makes the work tree dirty.
public struct InstallReceipt: Sendable, Equatable, Codable {
  public var name: String
  public var source: String
  /// The ref asked for (`--ref`); nil means the remote's default branch.
  public var ref: String?
  public var commit: String
  public var installedAt: String

  public init(name: String, source: String, ref: String?, commit: String, installedAt: String) {
    self.name = name
    self.source = source
    self.ref = ref
    self.commit = commit
    self.installedAt = installedAt
  }

  /// Where installed plugins' clones live: beside, not inside, the scanned `plugins.d`.
  public static func clonesDirectory(environment: [String: String]) -> String {
    PluginDirectories.dataDirectory(environment: environment) + "/plugins"
  }

  public static func file(inClone clone: String) -> String { clone + "/.git/mtobs-install.json" }

  public static func load(clone: String) -> InstallReceipt? {
    guard let data = FileManager.default.contents(atPath: file(inClone: clone)) else { return nil }
    return try? JSONDecoder().decode(InstallReceipt.self, from: data)
  }

  public func save(inClone clone: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(self).write(to: URL(fileURLWithPath: Self.file(inClone: clone)), options: .atomic)
  }

  /// The receipt of the installed plugin at `pluginPath` (a link into its clone), if it is one.
  public static func forInstalled(pluginPath: String) -> InstallReceipt? {
    let real = PluginDirectories.resolved(pluginPath)
    return load(clone: (real as NSString).deletingLastPathComponent)
  }
}
