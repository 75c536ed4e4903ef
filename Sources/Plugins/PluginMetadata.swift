import Foundation
import Yams

/// What help and `plugin list` show about a plugin, read without running it: a
/// `mtobs-NAME.yaml` manifest beside the file, else `# mtobs-summary:` / `# mtobs-version:` lines
/// in the first lines of a script.
public struct PluginMetadata: Sendable, Equatable {
  public var summary: String?
  public var version: String?
  /// The command a manifest declares for completing the plugin's arguments: run with the words
  /// typed after the plugin's name (the last one is the word being completed), it prints one
  /// candidate a line, optionally `candidate<TAB>description`.
  public var completion: [String]?
  /// Why the manifest could not be used, when there is one.
  public var manifestProblem: String?

  public init(
    summary: String? = nil, version: String? = nil, completion: [String]? = nil, manifestProblem: String? = nil
  ) {
    self.summary = summary
    self.version = version
    self.completion = completion
    self.manifestProblem = manifestProblem
  }

  /// Only the head of the file is read: a binary plugin is never read whole.
  static let headBytes = 4096
  static let headLines = 10
  static let summaryLimit = 80

  /// `hasManifest` is what the directory listing says: only an existing manifest is read, so a
  /// plain script costs one read of its head.
  public static func read(pluginPath: String, hasManifest: Bool = true) -> PluginMetadata {
    var metadata = PluginMetadata()
    if let head = readHead(of: pluginPath) { metadata = fromScriptHead(head) }
    let manifestPath = pluginPath + ".yaml"
    if hasManifest, let manifest = try? String(contentsOfFile: manifestPath, encoding: .utf8) {
      do {
        guard let fields = try Yams.load(yaml: manifest) as? [String: Any] else {
          metadata.manifestProblem = "\(manifestPath) is not a mapping"
          return metadata
        }
        if let summary = fields["summary"] as? String { metadata.summary = sanitized(summary) }
        if let version = fields["version"] { metadata.version = sanitized("\(version)") }
        metadata.completion = completionCommand(fields["completion"])
      } catch {
        metadata.manifestProblem = "\(manifestPath) is not valid YAML"
      }
    }
    return metadata
  }

  /// `completion: __complete` or `completion: [complete, --words]`: the arguments given to the
  /// plugin itself (never another program), so trusting the plugin covers its completion.
  static func completionCommand(_ field: Any?) -> [String]? {
    let words: [String]
    switch field {
    case let text as String: words = text.split(separator: " ").map(String.init)
    case let list as [Any]: words = list.map { "\($0)" }
    default: return nil
    }
    return words.isEmpty ? nil : words
  }

  /// The `# mtobs-summary:` and `# mtobs-version:` lines of a script's first lines (pure).
  public static func fromScriptHead(_ head: String) -> PluginMetadata {
    var metadata = PluginMetadata()
    for line in head.split(separator: "\n", omittingEmptySubsequences: false).prefix(headLines) {
      let text = line.trimmingCharacters(in: .whitespaces)
      for (marker, keyPath) in [
        ("# mtobs-summary:", \PluginMetadata.summary), ("# mtobs-version:", \PluginMetadata.version),
      ] where text.hasPrefix(marker) && metadata[keyPath: keyPath] == nil {
        metadata[keyPath: keyPath] = sanitized(String(text.dropFirst(marker.count)))
      }
    }
    return metadata
  }

  /// Printable characters only, one line, at most 80 characters: a plugin must not be able to
  /// put terminal escape sequences into `mtobs --help`.
  public static func sanitized(_ text: String) -> String? {
    let printable = String(
      String.UnicodeScalarView(
        text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }
      )
    ).trimmingCharacters(in: .whitespaces)
    guard !printable.isEmpty else { return nil }
    return printable.count > summaryLimit ? String(printable.prefix(summaryLimit - 1)) + "…" : printable
  }

  private static func readHead(of path: String) -> String? {
    DirectoryScan.head(of: path, limit: headBytes).map { String(decoding: $0, as: UTF8.self) }
  }
}
