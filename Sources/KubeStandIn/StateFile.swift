import Foundation

/// A cluster scenario in one YAML file: objects, canned proxy answers, pod logs and behaviour.
/// `kube-standin --state FILE` serves it; `StateFile.export` writes one back.
///
/// ```yaml
/// serverVersion: v1.32.4            # optional: what /version reports
/// namespaces: [default, kube-system] # optional: the namespaces to start with (default: the usual four)
/// objects:                          # Kubernetes objects (`kind: List` entries are unpacked)
///   - apiVersion: apps/v1
///     kind: Deployment
///     metadata: {name: web, namespace: shop, labels: {app: web}}
///     spec: {replicas: 1}
///     status: {replicas: 1, readyReplicas: 1, updatedReplicas: 1, availableReplicas: 1, observedGeneration: 1}
/// objectFiles: [manifests/extra.yaml]   # more YAML/JSON manifests (multi-document), relative to this file
/// types:                            # kinds without a CustomResourceDefinition object
///   - {group: example.com, version: v1, kind: Widget, plural: widgets, namespaced: true, shortNames: [wd]}
/// proxy:                            # canned answers for …/services|pods/NAME:PORT/proxy/PATH
///   - namespace: monitoring
///     kind: service                 # service | pod
///     name: prometheus
///     port: "9090"                  # optional (number or port name); omitted: any port
///     path: /api/v1/query           # "*": any path; "/x/*": a prefix; "/x?a=b": only that query
///     status: 200                   # default 200
///     contentType: application/json # default application/json
///     body: '{"status":"success"}'  # or bodyFile: FILE (relative), or json: <any value, sent as JSON>
///     delayMs: 0
///     headers: {X-Extra: "1"}
/// logs:
///   - namespace: shop
///     pod: web-0
///     container: app                # optional: the pod's default container
///     previous: false               # true: the previous container instance (`kubectl logs -p`)
///     lines:
///       - plain text, stamped with the load time
///       - {text: an hour old, ageSeconds: 3600}
///       - {text: at a fixed time, time: "2024-05-01T10:00:00Z"}
/// behavior:
///   delayMs: 100                    # added to every request
///   requiredToken: s3cret           # optional: 401 unless `Authorization: Bearer s3cret`
///   user: alice                     # named in Forbidden messages
///   rules:                          # first match wins; every criterion given must match
///     - {resource: secrets, action: forbidden}
///     - {subresource: proxy, namespace: monitoring, action: status, status: 500, message: boom}
///     - {pathPrefix: /apis/apps, action: delay, delayMs: 2000}
///     - {path: /api/v1/namespaces/x/pods, method: GET, action: hang}
///     - {pathContains: /log, action: raw, status: 200, body: "", contentType: text/plain, limit: 1}
/// ```
/// Rule criteria: `method`, `path`, `pathPrefix`, `pathContains`, `verb`, `resource`, `subresource`,
/// `namespace`, `name`; `limit` makes a rule apply to its first N matches only.
public enum StateFile {
  /// Reads a state file (relative `objectFiles`/`bodyFile` paths are resolved next to it).
  public static func load(contentsOfFile path: String) throws -> StandInScenario {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return try parse(text, baseDirectory: baseDirectory(of: path))
  }

  /// The directory a state file's relative paths are resolved in. A bare file name
  /// (`--state state.yaml`) lives in the current directory, not in `/`.
  static func baseDirectory(of path: String) -> String {
    let directory = (path as NSString).deletingLastPathComponent
    return directory.isEmpty ? "." : directory
  }

  /// Parses a state file's text.
  public static func parse(_ text: String, baseDirectory: String = ".") throws -> StandInScenario {
    let document = try JSONValue.parseYAML(text)
    guard document == .null || document.object != nil else { throw StandInError("a state file must be a YAML mapping") }
    func resolve(_ file: String) -> String { file.hasPrefix("/") ? file : baseDirectory + "/" + file }

    let namespaces = document["namespaces"]?.array?.compactMap(\.string) ?? ClusterState.defaultNamespaces
    let types = try (document["types"]?.array ?? []).map(resourceType)
    let state = ClusterState(namespaces: namespaces, types: types)
    if let version = document["serverVersion"]?.string { state.serverVersion = version }
    try state.add(document["objects"]?.array ?? [])
    for file in document["objectFiles"]?.array?.compactMap(\.string) ?? [] {
      try state.load(contentsOfFile: resolve(file))
    }
    for entry in document["proxy"]?.array ?? [] {
      guard let name = entry["name"]?.string else { throw StandInError("a proxy entry needs a name: \(entry)") }
      let kindText = entry["kind"]?.string ?? "service"
      guard let kind = ProxyTargetKind(rawValue: kindText.lowercased()) else {
        throw StandInError("proxy kind must be service or pod, not \(kindText)")
      }
      let body: [UInt8]
      if let file = entry["bodyFile"]?.string {
        body = Array(try Data(contentsOf: URL(fileURLWithPath: resolve(file))))
      } else if let json = entry["json"] {
        body = json.jsonBytes
      } else {
        body = Array((entry["body"]?.string ?? entry["body"].map { $0.serialized() } ?? "").utf8)
      }
      state.setProxyAnswer(
        ProxyAnswer(
          namespace: entry["namespace"]?.string ?? "default", kind: kind, name: name,
          port: entry["port"].map(scalarText),
          path: entry["path"]?.string ?? "*", status: entry["status"]?.int ?? 200, body: body,
          contentType: entry["contentType"]?.string ?? "application/json", delay: milliseconds(entry["delayMs"]),
          headers: (entry["headers"]?.object ?? [:]).mapValues(scalarText)))
    }
    let now = Date()
    for entry in document["logs"]?.array ?? [] {
      guard let pod = entry["pod"]?.string else { throw StandInError("a logs entry needs a pod: \(entry)") }
      let lines = (entry["lines"]?.array ?? []).map { line -> LogLine in
        if let text = line.string { return LogLine(time: now, text: text) }
        let text = line["text"].map(scalarText) ?? ""
        if let time = line["time"]?.string.flatMap(RFC3339.parse) { return LogLine(time: time, text: text) }
        let age =
          line["ageSeconds"].flatMap { $0.int.map(Double.init) ?? ($0.isNull ? nil : Double(scalarText($0))) } ?? 0
        return LogLine(time: now.addingTimeInterval(-age), text: text)
      }
      state.appendLog(
        namespace: entry["namespace"]?.string ?? "default", pod: pod, container: entry["container"]?.string,
        lines: lines,
        previous: entry["previous"]?.bool ?? false)
    }
    let behavior = try self.behavior(document["behavior"] ?? [:])
    return StandInScenario(state: state, behavior: behavior)
  }

  static func scalarText(_ value: JSONValue) -> String {
    if case .string(let s) = value { return s }
    return value.serialized()
  }

  static func milliseconds(_ value: JSONValue?) -> Duration {
    switch value {
    case .int(let ms)?: .milliseconds(ms)
    case .double(let ms)?: .microseconds(Int(ms * 1000))
    default: .zero
    }
  }

  static func resourceType(_ value: JSONValue) throws -> ResourceType {
    guard let kind = value["kind"]?.string, let version = value["version"]?.string else {
      throw StandInError("a type needs kind and version: \(value)")
    }
    return ResourceType(
      group: value["group"]?.string ?? "", version: version, kind: kind, plural: value["plural"]?.string,
      singular: value["singular"]?.string, namespaced: value["namespaced"]?.bool ?? true,
      shortNames: value["shortNames"]?.array?.compactMap(\.string) ?? [],
      categories: value["categories"]?.array?.compactMap(\.string) ?? [],
      subresources: value["subresources"]?.array?.compactMap(\.string) ?? [])
  }

  static func behavior(_ value: JSONValue) throws -> StandInBehavior {
    var behavior = StandInBehavior(
      delay: milliseconds(value["delayMs"]), requiredToken: value["requiredToken"]?.string,
      user: value["user"]?.string ?? "standin-user")
    for rule in value["rules"]?.array ?? [] {
      let action: StandInBehavior.Action
      switch rule["action"]?.string ?? (rule["status"] != nil ? "status" : "") {
      case "forbidden": action = .forbidden
      case "hang": action = .hang
      case "delay": action = .delay(milliseconds(rule["delayMs"]))
      case "status": action = .status(rule["status"]?.int ?? 500, message: rule["message"]?.string)
      case "raw":
        action = .raw(
          status: rule["status"]?.int ?? 200, body: rule["body"].map(scalarText) ?? "",
          contentType: rule["contentType"]?.string ?? "application/json")
      case let other: throw StandInError("unknown rule action \"\(other)\" (forbidden, hang, delay, status, raw)")
      }
      behavior.rules.append(
        StandInBehavior.Rule(
          method: rule["method"]?.string, path: rule["path"]?.string, pathPrefix: rule["pathPrefix"]?.string,
          pathContains: rule["pathContains"]?.string, verb: rule["verb"]?.string, resource: rule["resource"]?.string,
          subresource: rule["subresource"]?.string, namespace: rule["namespace"]?.string, name: rule["name"]?.string,
          action: action, limit: rule["limit"]?.int))
    }
    return behavior
  }

  // MARK: Export

  /// A state file holding everything in `state` (objects, proxy answers, logs with their times) and `behavior`.
  public static func export(state: ClusterState, behavior: StandInBehavior = StandInBehavior()) throws -> String {
    var document: JSONValue = ["serverVersion": .string(state.serverVersion), "objects": .array(state.allObjects())]
    let builtIn = Set(ResourceType.builtIn)
    let extra = state.resourceTypes.filter { !builtIn.contains($0) }
    if !extra.isEmpty {
      document["types"] = .array(
        extra.map {
          [
            "group": .string($0.group), "version": .string($0.version), "kind": .string($0.kind),
            "plural": .string($0.plural),
            "singular": .string($0.singular), "namespaced": .bool($0.namespaced),
            "shortNames": .array($0.shortNames.map(JSONValue.string)),
          ]
        })
    }
    document["proxy"] = .array(
      state.proxyAnswers.map { answer in
        var entry: JSONValue = [
          "namespace": .string(answer.namespace), "kind": .string(answer.kind.rawValue), "name": .string(answer.name),
          "path": .string(answer.path), "status": .int(answer.status), "contentType": .string(answer.contentType),
          "body": .string(String(decoding: answer.body, as: UTF8.self)),
        ]
        if let port = answer.port { entry["port"] = .string(port) }
        if answer.delay > .zero { entry["delayMs"] = .int(Int(milliseconds(of: answer.delay))) }
        if !answer.headers.isEmpty { entry["headers"] = .object(answer.headers.mapValues(JSONValue.string)) }
        return entry
      })
    let logs = state.withStorage { $0.logs }
    document["logs"] = .array(
      logs.keys.sorted { ($0.namespace, $0.pod, $0.container) < ($1.namespace, $1.pod, $1.container) }.map { key in
        var entry: JSONValue = [
          "namespace": .string(key.namespace), "pod": .string(key.pod), "previous": .bool(key.previous),
          "lines": .array(
            logs[key]!.map { ["text": .string($0.text), "time": .string(RFC3339.nanoseconds($0.time))] }),
        ]
        if !key.container.isEmpty { entry["container"] = .string(key.container) }
        return entry
      })
    var behaviorValue: JSONValue = [
      "delayMs": .int(Int(milliseconds(of: behavior.delay))), "user": .string(behavior.user),
    ]
    if let token = behavior.requiredToken { behaviorValue["requiredToken"] = .string(token) }
    behaviorValue["rules"] = .array(behavior.rules.map(ruleValue))
    document["behavior"] = behaviorValue
    return try document.yaml()
  }

  static func milliseconds(of duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
  }

  private static func ruleValue(_ rule: StandInBehavior.Rule) -> JSONValue {
    var value: JSONValue = [:]
    let criteria: [(String, String?)] = [
      ("method", rule.method), ("path", rule.path), ("pathPrefix", rule.pathPrefix),
      ("pathContains", rule.pathContains),
      ("verb", rule.verb), ("resource", rule.resource), ("subresource", rule.subresource),
      ("namespace", rule.namespace),
      ("name", rule.name),
    ]
    for (key, criterion) in criteria { if let criterion { value[key] = .string(criterion) } }
    if let limit = rule.limit { value["limit"] = .int(limit) }
    switch rule.action {
    case .forbidden: value["action"] = "forbidden"
    case .hang: value["action"] = "hang"
    case .delay(let duration):
      value["action"] = "delay"
      value["delayMs"] = .int(Int(milliseconds(of: duration)))
    case .status(let code, let message):
      value["action"] = "status"
      value["status"] = .int(code)
      if let message { value["message"] = .string(message) }
    case .raw(let status, let body, let contentType):
      value["action"] = "raw"
      value["status"] = .int(status)
      value["body"] = .string(body)
      value["contentType"] = .string(contentType)
    }
    return value
  }
}

/// What a state file describes: the cluster and how the server behaves.
public struct StandInScenario: Sendable {
  public let state: ClusterState
  public var behavior: StandInBehavior

  public init(state: ClusterState, behavior: StandInBehavior = StandInBehavior()) {
    self.state = state
    self.behavior = behavior
  }

  /// A server for this scenario (not started).
  public func makeServer() -> StandInAPIServer { StandInAPIServer(state: state, behavior: behavior) }
}
