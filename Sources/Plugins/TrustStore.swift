import Foundation

/// Which repository `plugins.d` directories the user has trusted, direnv-style: per directory
/// path, the SHA-256 of each file in it at the time of trust. A file that changed, or appeared
/// since, is not trusted until `mtobs plugin trust` is run again.
public struct TrustStore: Sendable, Equatable, Codable {
  /// Directory path → file name → SHA-256 (hex).
  public var directories: [String: [String: String]]

  public init(directories: [String: [String: String]] = [:]) {
    self.directories = directories
  }

  public static func path(environment: [String: String]) -> String {
    PluginDirectories.dataDirectory(environment: environment) + "/trusted-plugin-directories.json"
  }

  /// The recorded store; empty when there is none or it cannot be read (then nothing is trusted).
  public static func load(environment: [String: String]) -> TrustStore {
    guard let data = FileManager.default.contents(atPath: path(environment: environment)),
      let store = try? JSONDecoder().decode(TrustStore.self, from: data)
    else { return TrustStore() }
    return store
  }

  public func save(environment: [String: String]) throws {
    let file = Self.path(environment: environment)
    try FileManager.default.createDirectory(
      atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(self).write(to: URL(fileURLWithPath: file), options: .atomic)
  }

  public enum Verdict: Sendable, Equatable {
    case trusted
    case directoryNotTrusted
    case changedSinceTrusted
    case newSinceTrusted
  }

  public func verdict(directory: String, fileName: String) -> Verdict {
    guard let files = directories[PluginDirectories.resolved(directory)] else { return .directoryNotTrusted }
    guard let recorded = files[fileName] else { return .newSinceTrusted }
    return Self.hash(of: directory + "/" + fileName) == recorded ? .trusted : .changedSinceTrusted
  }

  /// Records every file of `directory` as it is now. Returns the number of files recorded.
  @discardableResult
  public mutating func trust(directory: String) throws -> Int {
    let real = PluginDirectories.resolved(directory)
    let names = try FileManager.default.contentsOfDirectory(atPath: real).filter { !$0.hasPrefix(".") }
    var files: [String: String] = [:]
    for name in names where FileSafety.isRegularFile(real + "/" + name) {
      files[name] = Self.hash(of: real + "/" + name)
    }
    directories[real] = files
    return files.count
  }

  /// Forgets `directory`; false when it was not trusted.
  @discardableResult
  public mutating func untrust(directory: String) -> Bool {
    directories.removeValue(forKey: PluginDirectories.resolved(directory)) != nil
      || directories.removeValue(forKey: directory) != nil
  }

  static func hash(of file: String) -> String? {
    guard let data = FileManager.default.contents(atPath: file) else { return nil }
    return SHA256.hex([UInt8](data))
  }
}
