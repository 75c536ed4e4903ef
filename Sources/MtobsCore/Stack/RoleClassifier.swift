/// Which role an object of the stack namespace plays, from the labels the charts people use put
/// on it (`app.kubernetes.io/name`, older charts' `app`), else from its name's words. Pure.
public enum RoleClassifier {
  /// The label keys that name the application, most standard first.
  public static let nameLabelKeys = ["app.kubernetes.io/name", "app", "k8s-app"]

  /// What an object was recognised as.
  public enum Verdict: Sendable, Equatable {
    /// It plays this role; `evidence` says why (`app.kubernetes.io/name=loki`, `name lgtm-loki-gateway`).
    case role(ComponentRole, evidence: String)
    /// A known application that is none of the stack's roles (pyroscope's own Alloy, an operator).
    case other
    case unknown
  }

  /// The role of a workload, pod or Service. Services are judged by their own labels, then by
  /// the labels they select; workloads by theirs, then by their pod template's.
  public static func classify(_ object: KubeObject) -> Verdict {
    let labelSets: [[String: String]] =
      switch object.kind {
      case "Service":
        [object.labels, object.raw[path: "spec", "selector"]?.object?.compactMapValues(\.string) ?? [:]]
      case "Pod": [object.labels]
      default:
        [
          object.labels,
          object.raw[path: "spec", "template", "metadata", "labels"]?.object?.compactMapValues(\.string) ?? [:],
        ]
      }
    for labels in labelSets {
      for key in nameLabelKeys {
        guard let value = labels[key], !value.isEmpty else { continue }
        switch role(ofWords: words(value), objectName: object.name) {
        case .role(let role, _): return .role(role, evidence: "\(key)=\(value)")
        case .other: return .other
        case .unknown: continue
        }
      }
    }
    if case .role(let role, _) = role(ofWords: words(object.name), objectName: object.name) {
      return .role(role, evidence: "name \(object.name)")
    }
    return .unknown
  }

  public static func plays(_ role: ComponentRole, _ object: KubeObject) -> Bool {
    if case .role(let found, _) = classify(object) { return found == role }
    return false
  }

  /// The role a workload name alone suggests (for the deploy contract's names, which may be absent).
  public static func role(ofName name: String) -> ComponentRole? {
    if case .role(let role, _) = role(ofWords: words(name), objectName: name) { return role }
    return nil
  }

  /// `app.kubernetes.io/component` of an object (or of what a Service selects).
  static func component(_ object: KubeObject) -> String {
    let selector = object.raw[path: "spec", "selector"]?.object?.compactMapValues(\.string) ?? [:]
    for labels in [object.labels, selector] {
      if let value = labels["app.kubernetes.io/component"] ?? labels["component"] { return value }
    }
    return ""
  }

  static func words(_ text: String) -> [String] {
    text.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." }).map(String.init)
  }

  /// `objectName` decides for a bare `alloy` label: k8s-monitoring v1 and hand-made releases
  /// name the instance (`lgtm-alloy-receiver`) but label every Alloy the same.
  private static func role(ofWords words: [String], objectName: String) -> Verdict {
    let set = Set(words)
    let evidence = words.joined(separator: "-")
    if set.contains("otelcol") || (set.contains("collector") && (set.contains("opentelemetry") || set.contains("otel")))
    {
      return .role(.collector, evidence: evidence)
    }
    if set.contains("alloy") {
      let qualifiers = set.union(Self.words(objectName))
      if qualifiers.contains("receiver") || qualifiers.contains("operator") { return .role(.alloy, evidence: evidence) }
      if qualifiers.contains("logs") { return .role(.alloyLogs, evidence: evidence) }
      if qualifiers.contains("metrics") { return .role(.alloyMetrics, evidence: evidence) }
      return .other
    }
    for role in [ComponentRole.pyroscope, .loki, .tempo, .mimir, .grafana] where set.contains(role.rawValue) {
      return .role(role, evidence: evidence)
    }
    return .unknown
  }
}
