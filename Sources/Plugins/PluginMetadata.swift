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
    if let head = DirectoryScan.head(of: pluginPath, limit: headBytes) { metadata = fromScriptHead(bytes: head) }
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
    fromScriptHead(bytes: Array(head.utf8))
  }

  private static let summaryMarker = Array("# mtobs-summary:".utf8)
  private static let versionMarker = Array("# mtobs-version:".utf8)

  /// Read as bytes, as every `--help` and `plugin list` reads each plugin's head: only the two
  /// values found become strings (Foundation's trimming bridged every line, 10 µs a plugin).
  static func fromScriptHead(bytes head: [UInt8]) -> PluginMetadata {
    var metadata = PluginMetadata()
    for line in head.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).prefix(headLines) {
      let text = line.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
      if metadata.summary == nil, text.starts(with: summaryMarker) {
        metadata.summary = sanitized(String(decoding: text.dropFirst(summaryMarker.count), as: UTF8.self))
      } else if metadata.version == nil, text.starts(with: versionMarker) {
        metadata.version = sanitized(String(decoding: text.dropFirst(versionMarker.count), as: UTF8.self))
      }
    }
    return metadata
  }

  /// Printable characters only, one line, at most 80 characters: a plugin must not be able to
  /// put terminal escape sequences into `mtobs --help`.
  public static func sanitized(_ text: String) -> String? {
    // The usual summary: printable ASCII, where a character is a byte.
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
      let bytes = text.utf8.drop { $0 == 0x20 }
      let trimmed = bytes[..<(bytes.lastIndex { $0 != 0x20 }.map { bytes.index(after: $0) } ?? bytes.startIndex)]
      guard !trimmed.isEmpty else { return nil }
      return trimmed.count > summaryLimit
        ? String(decoding: trimmed.prefix(summaryLimit - 1), as: UTF8.self) + "…"
        : String(decoding: trimmed, as: UTF8.self)
    }
    return sanitizedScalars(text)
  }

  /// `sanitized` for any text, scalar by scalar.
  static func sanitizedScalars(_ text: String) -> String? {
    var scalars = String.UnicodeScalarView(
      text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 })
    // Trimmed without Foundation (a bridged NSString per call): spaces of every kind, and what
    // was a control character.
    while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
    let printable = String(scalars.drop { $0.properties.isWhitespace })
    guard !printable.isEmpty else { return nil }
    return printable.count > summaryLimit ? String(printable.prefix(summaryLimit - 1)) + "…" : printable
  }
}
