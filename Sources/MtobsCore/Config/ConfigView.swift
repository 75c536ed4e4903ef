import Foundation

/// `mtobs config`: every key, its effective value and its origin.
public struct ConfigView: Sendable {
  public let configuration: Configuration
  /// Problems of files or values that were left out (`file:line: key: what`).
  public let problems: [String]
  /// What kubectl will use for the keys mtobs leaves to it.
  public let effectiveTarget: EffectiveTarget?
  /// The stack's roles as found in the cluster, for the Service and port keys left at their defaults.
  public let discovery: DiscoveryOutcome?

  public init(
    configuration: Configuration, problems: [String] = [], effectiveTarget: EffectiveTarget? = nil,
    discovery: DiscoveryOutcome? = nil
  ) {
    self.configuration = configuration
    self.problems = problems
    self.effectiveTarget = effectiveTarget
    self.discovery = discovery
  }

  /// A role's Service or port key that no file, variable or flag sets: what discovery found for
  /// it, or why it did not (the default then stands).
  private func discovered(_ setting: Configuration.Setting) -> Entry? {
    guard setting.origin == .builtIn, let discovery,
      let role = ComponentRole.allCases.first(where: { $0.serviceKey == setting.key || $0.portKey == setting.key })
    else { return nil }
    let isPort = role.portKey == setting.key
    let fallback = setting.value?.description
    switch discovery {
    case .unavailable(let reason):
      return Entry(key: setting.key.name, value: fallback, origin: "default (not discovered: \(reason))")
    case .discovered(let stack, let namespace):
      guard let finding = stack[role] else { return nil }
      switch finding.source {
      case .named, .labels:
        let value = isPort ? finding.port.map(String.init) : finding.service
        return Entry(key: setting.key.name, value: value ?? fallback, origin: "discovered (\(finding.how))")
      case .ambiguous:
        return Entry(
          key: setting.key.name, value: fallback,
          origin: "default (not discovered: \(finding.ambiguous.joined(separator: ", ")) all claim it; pin one)")
      case .none, .configured:
        return Entry(key: setting.key.name, value: fallback, origin: "default (not found in '\(namespace)')")
      }
    }
  }

  /// Each key's value and origin; `context` and `kubeconfig` show what kubectl really uses
  /// when mtobs's own keys are unset.
  private var entries: [Entry] {
    configuration.settings.map { setting in
      if let entry = discovered(setting) { return entry }
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
