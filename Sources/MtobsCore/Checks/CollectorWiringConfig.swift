import Foundation
import Yams

/// The collector's own configuration, as the ConfigMap its pods mount holds it (the
/// opentelemetry-collector chart: ConfigMap `<release>-opentelemetry-collector`, key `relay`).
struct CollectorConfig: Equatable {
  /// One `service.pipelines` entry, with the names it lists.
  struct Pipeline: Equatable {
    var name: String
    var receivers: [String]
    var processors: [String]
    var exporters: [String]
    /// Entries that are not lists of names (`exporters: otlp` instead of `[otlp]`).
    var malformed: [String]
  }

  var configMap: String
  var key: String
  var root: JSONValue

  /// `receivers`, `processors`, `exporters`, `connectors`, `extensions`: name → settings (null
  /// settings mean the component's defaults, and still define it).
  func section(_ name: String) -> [String: JSONValue] { root[name]?.object ?? [:] }

  var pipelines: [Pipeline] {
    let entries = root[path: "service", "pipelines"]?.object ?? [:]
    return entries.keys.sorted().map { name in
      var malformed: [String] = []
      func names(_ field: String) -> [String] {
        switch entries[name]?[field] {
        case nil, .null?: return []
        case .array(let items)?:
          let strings = items.compactMap(\.string)
          if strings.count != items.count { malformed.append(field) }
          return strings
        default:
          malformed.append(field)
          return []
        }
      }
      return Pipeline(
        name: name, receivers: names("receivers"), processors: names("processors"), exporters: names("exporters"),
        malformed: malformed)
    }
  }

  /// `otlp/alloy` → `otlp`: a component's type is its name up to the first slash.
  static func type(of name: String) -> String { String(name.prefix { $0 != "/" }) }

  /// Reads a configuration text; nil when it parses but is not a collector configuration.
  static func parse(_ text: String) throws -> JSONValue? {
    // No implicit typing (`Resolver.basic`): every scalar stays text anyway, and the default
    // resolver would match each one against regular expressions; nulls are told apart below.
    guard let node = try Yams.compose(yaml: text, .basic) else { return nil }
    let value = JSONValue(collectorYAML: node)
    guard let object = value.object,
      ["service", "receivers", "exporters"].contains(where: { object[$0] != nil })
    else { return nil }
    return value
  }
}

/// Where the collector's configuration and identity come from: the pod spec of its workload (or,
/// without one, of its pods).
enum CollectorWiring {
  /// The marker of a skip caused by an old bundle; the engine carries it into dependents' skips.
  static let olderBundle = "skipped: the bundle was made by an older mtobs (it holds no collector configuration)"

  /// The pod specs that run the collector: the workloads' templates first, then the pods'.
  static func podSpecs(_ snapshot: Snapshot) -> [JSONValue] {
    CollectorChecks.workloads(snapshot).compactMap { $0.raw[path: "spec", "template", "spec"] }
      + CollectorChecks.pods(snapshot).compactMap { $0.raw["spec"] }
  }

  /// Names of the ConfigMaps those specs mount, as volumes or projected sources, in order.
  static func configMapNames(_ snapshot: Snapshot) -> [String] {
    var names: [String] = []
    for spec in podSpecs(snapshot) {
      for volume in spec["volumes"]?.array ?? [] {
        let projected = volume[path: "projected", "sources"]?.array?.compactMap { $0[path: "configMap", "name"] } ?? []
        for name in ([volume[path: "configMap", "name"]].compactMap { $0 } + projected).compactMap(\.string)
        where !names.contains(name) {
          names.append(name)
        }
      }
    }
    return names
  }

  /// The service accounts the collector runs as (`default` when the spec names none).
  static func serviceAccounts(_ snapshot: Snapshot) -> [String] {
    var names: [String] = []
    for spec in podSpecs(snapshot) {
      let name = spec["serviceAccountName"]?.string ?? spec["serviceAccount"]?.string ?? "default"
      if !names.contains(name) { names.append(name) }
    }
    return names
  }

  /// The collector's configuration, or the verdict to give when it cannot be read.
  enum ConfigRead {
    case read(CollectorConfig)
    case problem(Verdict)
  }

  static func config(_ snapshot: Snapshot) -> ConfigRead {
    guard let read = snapshot.collectorConfigMaps else { return .problem(.skip(olderBundle)) }
    if let skip = HealthChecks.unreadableStack(snapshot) { return .problem(skip) }
    let namespace = snapshot.namespace
    let names = configMapNames(snapshot)
    guard !podSpecs(snapshot).isEmpty else {
      return .problem(
        .skip("skipped: no collector workload or pod in '\(namespace)' to read the configuration of (collector.ready)"))
    }
    guard !names.isEmpty else {
      let owner = (CollectorChecks.workloads(snapshot).first ?? CollectorChecks.pods(snapshot).first)?.reference ?? ""
      return .problem(
        Verdict(
          status: .warn,
          message: "the collector's pod spec mounts no ConfigMap, so mtobs cannot read its configuration",
          hint: "kubectl get \(owner.split(separator: "/").dropFirst().joined(separator: "/")) -n \(namespace) -o yaml"
            + "   # where does --config point?",
          objects: owner.isEmpty ? [] : [owner], recoverable: false))
    }
    if let error = read.error {
      var verdict = HealthChecks.failure(from: error, what: "cannot read the collector's ConfigMap")
      if error.reason == .forbidden {
        verdict.hint = "kubectl auth can-i get configmaps -n \(namespace)"
        verdict.recoverable = false
      }
      return .problem(verdict)
    }
    let maps = read.value ?? []
    var parseProblems: [(reference: String, message: String)] = []
    var keysSeen: [String] = []
    for name in names {
      guard let map = maps.first(where: { $0.kind == "ConfigMap" && $0.name == name }) else {
        return .problem(
          Verdict(
            status: .fail,
            message: "the collector mounts ConfigMap \(name), which does not exist in '\(namespace)'",
            hint: "kubectl get configmaps -n \(namespace)   # mtobs deploy renders it from the collector's values",
            objects: [HealthChecks.reference(namespace, "configmap", name)], recoverable: false))
      }
      let data = map.raw["data"]?.object ?? [:]
      keysSeen += data.keys.sorted().map { "\(name)/\($0)" }
      for key in orderedKeys(data.keys) {
        guard let text = data[key]?.string else { continue }
        do {
          if let root = try CollectorConfig.parse(text) {
            return .read(CollectorConfig(configMap: name, key: key, root: root))
          }
        } catch {
          parseProblems.append((map.reference, "ConfigMap \(name) key \(key) is not valid YAML: \(describe(error))"))
        }
      }
    }
    if let first = parseProblems.first {
      return .problem(
        Verdict(
          status: .fail, message: first.message,
          hint:
            "kubectl get configmap \(names[0]) -n \(namespace) -o yaml   # fix the collector's values, then mtobs deploy",
          objects: [first.reference], recoverable: false))
    }
    return .problem(
      Verdict(
        status: .fail,
        message: "no collector configuration (a YAML mapping with service, receivers or exporters) in "
          + (keysSeen.isEmpty
            ? "ConfigMap \(names.joined(separator: ", ")): it has no data" : keysSeen.joined(separator: ", ")),
        hint: "kubectl get configmap \(names[0]) -n \(namespace) -o yaml",
        objects: names.map { HealthChecks.reference(namespace, "configmap", $0) }, recoverable: false))
  }

  /// The chart's key first, then YAML-looking file names, then the rest.
  static func orderedKeys(_ keys: some Sequence<String>) -> [String] {
    keys.sorted { left, right in
      func rank(_ key: String) -> Int {
        key == "relay" ? 0 : (key.hasSuffix(".yaml") || key.hasSuffix(".yml")) ? 1 : 2
      }
      return (rank(left), left) < (rank(right), right)
    }
  }

  /// A YAML error in one line of text (the operator edits values, not this ConfigMap).
  static func describe(_ error: any Error) -> String {
    let text: String
    if let yaml = error as? YamlError {
      switch yaml {
      case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
        .composer(let context, let problem, let mark, _):
        text = "line \(mark.line): \(problem)" + (context.map { " \($0.text)" } ?? "")
      default: text = "\(yaml)"
      }
    } else {
      text = "\(error)"
    }
    return text.split(separator: "\n").joined(separator: " ")
  }

  /// The objects of a configuration finding: the ConfigMap it came from.
  static func reference(_ config: CollectorConfig, _ snapshot: Snapshot) -> [String] {
    [HealthChecks.reference(snapshot.namespace, "configmap", config.configMap)]
  }
}

extension JSONValue {
  /// A collector configuration node as data: every scalar stays text (ports are parsed where they
  /// are used), YAML nulls are null, aliases are not followed (no expansion bombs).
  init(collectorYAML node: Node) {
    switch node {
    case .scalar(let scalar):
      // YAML's null: an explicit !!null tag, or a plain `~`, `null` or empty scalar (the core schema's).
      let plainNull = scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
      self = Tag.Name(rawValue: node.tag.rawValue) == .null || plainNull ? .null : .string(scalar.string)
    case .mapping(let mapping):
      var members: [String: JSONValue] = [:]
      for (key, value) in mapping {
        members[key.scalar?.string ?? ""] = JSONValue(collectorYAML: value)
      }
      self = .object(members)
    case .sequence(let sequence):
      self = .array(sequence.map { JSONValue(collectorYAML: $0) })
    case .alias:
      self = .null
    }
  }
}
