/// Which pods and containers `mtobs logs` reads. Pure: judged on pod objects as listed or watched.
public struct LogSelection: Sendable {
  /// Component roles (from the registry's names); pods that play one of them match.
  public var roles: [ComponentRole]
  /// Pod-name patterns (anything that is not a component name); a pod whose name matches one matches.
  public var podPatterns: [LogPattern]
  /// No roles and no patterns: every pod (`all`, `--app`, or only `-l`).
  public var everyPod: Bool { roles.isEmpty && podPatterns.isEmpty }
  /// Only containers whose name matches.
  public var containerPattern: LogPattern?
  /// Only pods on this node.
  public var node: String?
  /// With `--previous`: the containers' previous instances (which must have run before).
  public var previous: Bool

  public init(
    roles: [ComponentRole] = [], podPatterns: [LogPattern] = [], containerPattern: LogPattern? = nil,
    node: String? = nil, previous: Bool = false
  ) {
    self.roles = roles
    self.podPatterns = podPatterns
    self.containerPattern = containerPattern
    self.node = node
    self.previous = previous
  }

  /// The words users type for components: the registry's role names, `alloy-receiver` for the
  /// receiver (whose role is `alloy`), and `all`.
  public static func role(named name: String) -> ComponentRole? {
    name == "alloy-receiver" ? .alloy : ComponentRole(rawValue: name)
  }

  public static let componentNames: [String] =
    ComponentRole.allCases.map { $0 == .alloy ? "alloy-receiver" : $0.rawValue } + ["all"]

  public func matches(pod: KubeObject) -> Bool {
    if let node, pod.raw[path: "spec", "nodeName"]?.string != node { return false }
    if everyPod { return true }
    if roles.contains(where: { RoleClassifier.plays($0, pod) }) { return true }
    return podPatterns.contains { $0.matches(pod.name) }
  }

  /// The streams of a pod that can be read now: every container (and ephemeral container) that
  /// is running or has run (with `--previous`: that has a previous instance), by `containerPattern`.
  public func streams(of pod: KubeObject, namespace: String) -> [LogStreamID] {
    guard matches(pod: pod) else { return [] }
    let statuses = Dictionary(
      ((pod.raw[path: "status", "containerStatuses"]?.array ?? [])
        + (pod.raw[path: "status", "ephemeralContainerStatuses"]?.array ?? [])).compactMap {
          status -> (String, JSONValue)? in
          status["name"]?.string.map { ($0, status) }
        }, uniquingKeysWith: { first, _ in first })
    let names = ["containers", "ephemeralContainers"].flatMap { field in
      (pod.raw[path: "spec", field]?.array ?? []).compactMap { $0["name"]?.string }
    }
    let node = pod.raw[path: "spec", "nodeName"]?.string ?? ""
    return names.filter { name in
      if let containerPattern, !containerPattern.matches(name) { return false }
      guard let status = statuses[name] else {
        // A pod without statuses (a bare stand-in object, a status not yet written): try it.
        return statuses.isEmpty && pod.raw[path: "status", "phase"]?.string != "Pending"
      }
      if previous { return status[path: "lastState", "terminated"] != nil }
      return status[path: "state", "running"] != nil || status[path: "state", "terminated"] != nil
        || status[path: "lastState", "terminated"] != nil
    }.map {
      LogStreamID(
        namespace: namespace, pod: pod.name, container: $0, node: node,
        podUID: pod.raw[path: "metadata", "uid"]?.string ?? "")
    }
  }

  /// Restart counts by container, and the last termination of each (for the one-line notice).
  public static func terminations(of pod: KubeObject) -> [String: (restarts: Int, reason: String, exitCode: Int?)] {
    var result: [String: (restarts: Int, reason: String, exitCode: Int?)] = [:]
    for status in pod.raw[path: "status", "containerStatuses"]?.array ?? [] {
      guard let name = status["name"]?.string else { continue }
      let terminated = status[path: "lastState", "terminated"]
      result[name] = (
        status["restartCount"]?.int ?? 0, terminated?["reason"]?.string ?? "", terminated?["exitCode"]?.int
      )
    }
    return result
  }
}

/// A regular expression from the command line, checked when it is read (a usage error, not a
/// trap later). Matching is on text; log lines are only made text when a pattern needs it.
public struct LogPattern: @unchecked Sendable {
  public let source: String
  // Swift's Regex is a value with no shared mutable state; it is only read after this init.
  private let regex: Regex<AnyRegexOutput>

  public init(_ source: String) throws {
    self.source = source
    regex = try Regex(source)
  }

  public func matches(_ text: String) -> Bool { text.contains(regex) }

  public func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
    matches(String(decoding: bytes, as: UTF8.self))
  }
}
