import Foundation

/// Pod logs: lines per namespace/pod/container (and the previous container instance), served by
/// `GET /api/v1/namespaces/NS/pods/NAME/log` with `container`, `tailLines`, `sinceSeconds`, `sinceTime`,
/// `timestamps`, `limitBytes`, `previous` and `follow` (which streams lines appended later).

/// One log line and when the container wrote it.
public struct LogLine: Sendable, Equatable {
  public var time: Date
  public var text: String

  public init(time: Date = Date(), text: String) {
    self.time = time
    self.text = text
  }
}

struct LogKey: Hashable, Sendable {
  var namespace: String
  var pod: String
  /// "" when appended without naming a container: it then stands for the pod's default container.
  var container: String
  var previous: Bool
}

struct LogFollower: Sendable {
  var keys: [LogKey]
  var sink: @Sendable (LogLine) -> Void
  /// Ends the follow stream (the container stopped: `LogRestart.swift`).
  var end: @Sendable () -> Void = {}
}

extension ClusterState {
  /// Appends a line to a container's log (followers receive it at once). `container` nil means the
  /// pod's first container (or any container, if the pod object does not exist yet).
  public func appendLog(
    namespace: String = "default", pod: String, container: String? = nil, line: String, time: Date = Date(),
    previous: Bool = false
  ) {
    appendLog(
      namespace: namespace, pod: pod, container: container, lines: [LogLine(time: time, text: line)], previous: previous
    )
  }

  /// Appends several lines.
  public func appendLog(
    namespace: String = "default", pod: String, container: String? = nil, lines: [LogLine], previous: Bool = false
  ) {
    withStorage { storage in
      let key = LogKey(
        namespace: namespace, pod: pod,
        container: container ?? storage.defaultContainer(namespace: namespace, pod: pod) ?? "",
        previous: previous)
      storage.logs[key, default: []].append(contentsOf: lines)
      for follower in storage.logFollowers.values where follower.keys.contains(key) {
        for line in lines { follower.sink(line) }
      }
    }
  }

  /// Replaces a container's log.
  public func setLogs(
    namespace: String = "default", pod: String, container: String? = nil, lines: [LogLine], previous: Bool = false
  ) {
    withStorage { storage in
      let key = LogKey(
        namespace: namespace, pod: pod,
        container: container ?? storage.defaultContainer(namespace: namespace, pod: pod) ?? "",
        previous: previous)
      storage.logs[key] = lines
    }
  }

  /// The stored lines of a container (nil container: the pod's default one).
  public func logLines(
    namespace: String = "default", pod: String, container: String? = nil, previous: Bool = false
  ) -> [LogLine] {
    withStorage { storage in
      let container = container ?? storage.defaultContainer(namespace: namespace, pod: pod) ?? ""
      return storage.logKeys(namespace: namespace, pod: pod, container: container, previous: previous).flatMap {
        storage.logs[$0] ?? []
      }
    }
  }

  /// Lines already there, plus a subscription for those appended later (until `stopFollowing`).
  func followLogs(
    namespace: String, pod: String, container: String, previous: Bool, sink: @escaping @Sendable (LogLine) -> Void,
    end: @escaping @Sendable () -> Void = {}
  )
    -> (existing: [LogLine], id: Int)
  {
    withStorage { storage in
      let keys = storage.logKeys(namespace: namespace, pod: pod, container: container, previous: previous)
      let existing = keys.flatMap { storage.logs[$0] ?? [] }.sorted { $0.time < $1.time }
      let id = storage.nextSubscriberID
      storage.nextSubscriberID += 1
      storage.logFollowers[id] = LogFollower(keys: keys, sink: sink, end: end)
      return (existing, id)
    }
  }

  func stopFollowing(_ id: Int) {
    _ = withStorage { $0.logFollowers.removeValue(forKey: id) }
  }

  /// Whether any lines were ever stored for the previous instance of a container.
  func hasPreviousLogs(namespace: String, pod: String, container: String) -> Bool {
    withStorage { storage in
      storage.logKeys(namespace: namespace, pod: pod, container: container, previous: true).contains {
        storage.logs[$0] != nil
      }
    }
  }

  /// Container names with stored logs for a pod (for pods without an object).
  func loggedContainers(namespace: String, pod: String) -> [String] {
    withStorage { storage in
      Array(
        Set(
          storage.logs.keys.filter { $0.namespace == namespace && $0.pod == pod && !$0.container.isEmpty }.map(
            \.container))
      ).sorted()
    }
  }
}

extension Storage {
  /// The pod's `kubectl.kubernetes.io/default-container` or first container, if the pod object exists.
  func defaultContainer(namespace: String, pod: String) -> String? {
    guard let type = registry.type(group: "", plural: "pods"),
      let object = object(type, namespace: namespace, name: pod)
    else { return nil }
    if let annotated = object[path: "metadata", "annotations", "kubectl.kubernetes.io/default-container"]?.string {
      return annotated
    }
    return object[path: "spec", "containers"]?.array?.first?["name"]?.string
  }

  /// The keys holding a container's lines: its own, plus the unnamed ("") ones when it is the default container.
  func logKeys(namespace: String, pod: String, container: String, previous: Bool) -> [LogKey] {
    var keys = [LogKey(namespace: namespace, pod: pod, container: container, previous: previous)]
    if !container.isEmpty, defaultContainer(namespace: namespace, pod: pod).map({ $0 == container }) ?? true {
      keys.append(LogKey(namespace: namespace, pod: pod, container: "", previous: previous))
    }
    return keys
  }
}

/// The query of a log request.
struct LogOptions {
  var container: String?
  var tailLines: Int?
  var sinceSeconds: Int?
  var sinceTime: Date?
  var timestamps = false
  var previous = false
  var follow = false
  var limitBytes: Int?

  init(query: [String: String]) {
    container = query["container"].flatMap { $0.isEmpty ? nil : $0 }
    tailLines = query["tailLines"].flatMap { Int($0) }
    sinceSeconds = query["sinceSeconds"].flatMap { Int($0) }
    sinceTime = query["sinceTime"].flatMap(RFC3339.parse)
    timestamps = query["timestamps"].map(isTrue) ?? false
    previous = query["previous"].map(isTrue) ?? false
    follow = query["follow"].map(isTrue) ?? false
    limitBytes = query["limitBytes"].flatMap { Int($0) }
  }

  /// The lines to send first, after `sinceSeconds`/`sinceTime` and `tailLines`.
  func select(_ lines: [LogLine], now: Date = Date()) -> [LogLine] {
    var selected = lines
    if let sinceSeconds { selected = selected.filter { $0.time >= now.addingTimeInterval(-Double(sinceSeconds)) } }
    if let sinceTime { selected = selected.filter { $0.time >= sinceTime } }
    if let tailLines, tailLines >= 0 { selected = Array(selected.suffix(tailLines)) }
    return selected
  }

  func render(_ line: LogLine) -> String {
    (timestamps ? RFC3339.nanoseconds(line.time) + " " : "") + line.text + "\n"
  }
}

func isTrue(_ text: String) -> Bool { text == "true" || text == "1" || text == "True" }

extension Router {
  /// `GET /api/v1/namespaces/NS/pods/NAME/log`.
  func logs(_ request: APIRequest, info: RequestInfo) throws(APIError) -> Reply {
    guard info.verb == "get", let name = info.name, let namespace = info.namespace else { throw .methodNotAllowed }
    let options = LogOptions(query: request.query)
    let podType = state.withStorage { $0.registry.type(group: "", plural: "pods")! }
    guard let pod = state.withStorage({ $0.object(podType, namespace: namespace, name: name) }) else {
      throw .notFound(podType, name: name)
    }
    let names: (String) -> [String] = { field in
      pod[path: "spec", field]?.array?.compactMap { $0["name"]?.string } ?? []
    }
    let containers = names("containers")
    let valid = containers + names("initContainers") + names("ephemeralContainers")
    var container =
      options.container
      ?? pod[path: "metadata", "annotations", "kubectl.kubernetes.io/default-container"]?.string
    if container == nil {
      if containers.count > 1 {
        throw .badRequest(
          "a container name must be specified for pod \(name), choose one of: [\(containers.joined(separator: " "))]")
      }
      container = containers.first ?? state.loggedContainers(namespace: namespace, pod: name).first ?? ""
    }
    let chosen = container ?? ""
    if !valid.isEmpty, !chosen.isEmpty, !valid.contains(chosen) {
      throw .badRequest("container \(chosen) is not valid for pod \(name)")
    }
    if options.previous, !state.hasPreviousLogs(namespace: namespace, pod: name, container: chosen) {
      throw .badRequest("previous terminated container \"\(chosen)\" in pod \"\(name)\" not found")
    }
    if !options.follow {
      let lines = options.select(
        state.logLines(namespace: namespace, pod: name, container: chosen, previous: options.previous))
      guard let limit = options.limitBytes, limit >= 0 else {
        return .full(HTTPReply(status: 200, contentType: "text/plain; charset=utf-8", body: options.body(lines)))
      }
      var text = lines.map(options.render).joined()
      if text.utf8.count > limit {
        text = String(decoding: text.utf8.prefix(limit), as: UTF8.self)
      }
      return .full(.text(text))
    }
    let state = self.state
    return .stream(
      StreamPlan(contentType: "text/plain", timeout: nil) { emit throws(APIError) in
        let (existing, id) = state.followLogs(
          namespace: namespace, pod: name, container: chosen, previous: options.previous
        ) { line in
          emit(.data(options.bytes(line)))
        } end: {
          emit(.end)
        }
        return (options.select(existing).map(options.bytes), { state.stopFollowing(id) })
      })
  }
}
