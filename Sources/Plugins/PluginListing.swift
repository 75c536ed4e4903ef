import Foundation

/// `mtobs plugin list` as text and as one JSON document (pure over a catalog).
public struct PluginListing: Sendable {
  public struct Entry: Sendable, Equatable, Codable {
    public var name: String
    public var summary: String?
    public var version: String?
    public var path: String
    public var origin: String
    public var source: String?
    public var commit: String?
    public var runnable: Bool
    public var warnings: [String]
  }

  public var entries: [Entry]

  public init(
    catalog: PluginCatalog, receipts: (Plugin) -> InstallReceipt? = { InstallReceipt.forInstalled(pluginPath: $0.path) }
  ) {
    entries = catalog.plugins.map { plugin in
      let receipt = plugin.directory.origin == .installed ? receipts(plugin) : nil
      var origin = plugin.directory.origin.rawValue
      if let receipt { origin += " from \(receipt.source) at \(receipt.commit.prefix(12))" }
      return Entry(
        name: plugin.name, summary: plugin.metadata.summary, version: plugin.metadata.version, path: plugin.path,
        origin: origin, source: receipt?.source, commit: receipt?.commit, runnable: plugin.isRunnable,
        warnings: plugin.warnings.map(\.description))
    }
  }

  public func json() throws -> String {
    struct Document: Encodable {
      let apiVersion = "mtobs/v1"
      let kind = "PluginList"
      let plugins: [Entry]
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(Document(plugins: entries)), as: UTF8.self)
  }

  public func text(directories: [PluginDirectory]) -> String {
    guard !entries.isEmpty else {
      let searched = directories.map { "  \($0.path) (\($0.origin.rawValue))" }
      return (["no plugins found; searched:"] + (searched.isEmpty ? ["  (none: MTOBS_NO_PLUGINS is set)"] : searched))
        .joined(separator: "\n")
    }
    let nameWidth = max(4, entries.map(\.name.count).max() ?? 0) + 2
    var lines: [String] = []
    for entry in entries {
      // Padded by hand: Foundation's padding bridges an NSString per line.
      let name = entry.name + String(repeating: " ", count: max(0, nameWidth - entry.name.count))
      let version = entry.version.map { " (\($0))" } ?? ""
      lines.append(name + (entry.summary ?? "(no summary)") + version)
      lines.append(String(repeating: " ", count: nameWidth) + entry.path + " [" + entry.origin + "]")
      for warning in entry.warnings {
        lines.append(String(repeating: " ", count: nameWidth) + "warning: " + warning)
      }
    }
    return lines.joined(separator: "\n")
  }
}
