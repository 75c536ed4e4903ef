import Foundation

/// `mtobs config`: every key, its effective value and its origin.
public struct ConfigView: Sendable {
  public let configuration: Configuration
  /// Problems of files or values that were left out (`file:line: key: what`).
  public let problems: [String]
  /// What kubectl will use for the keys mtobs leaves to it.
  public let effectiveTarget: EffectiveTarget?

  public init(configuration: Configuration, problems: [String] = [], effectiveTarget: EffectiveTarget? = nil) {
    self.configuration = configuration
    self.problems = problems
    self.effectiveTarget = effectiveTarget
  }

  /// Each key's value and origin; `context` and `kubeconfig` show what kubectl really uses
  /// when mtobs's own keys are unset.
  private var entries: [Entry] {
    configuration.settings.map { setting in
      if setting.value == nil, let target = effectiveTarget {
        if setting.key == .context {
          return Entry(key: setting.key.name, value: target.context, origin: target.contextOrigin)
        }
        if setting.key == .kubeconfig {
          return Entry(key: setting.key.name, value: target.kubeconfig, origin: target.kubeconfigOrigin)
        }
      }
      return Entry(key: setting.key.name, value: setting.value?.description, origin: setting.origin.description)
    }
  }

  public func table() -> String {
    let rows = entries.map { [$0.key, $0.value ?? "(unset)", $0.origin] }
    return TextTable.render(header: ["KEY", "VALUE", "ORIGIN"], rows: rows)
  }

  private struct Entry: Encodable {
    let key: String
    let value: String?
    let origin: String
  }

  public func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(
      decoding: try encoder.encode(Document(files: configuration.files, problems: problems, settings: entries)),
      as: UTF8.self)
  }

  private struct Document: Encodable {
    let files: [String]
    let problems: [String]
    let settings: [Entry]
  }
}
