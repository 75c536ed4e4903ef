import AsyncHTTPClient

/// Watches a tunnel's pod over the run's API transport, so a pod that is being replaced
/// (deleted, terminating, no longer ready) ends its tunnel at once rather than at the next
/// failed probe, and the next tunnel goes to another pod.
struct PodWatch: Sendable {
  let kube: KubeClient

  /// Why `pod` is going away, once it is; nil when cancelled. A watch that cannot be opened or
  /// ends is opened again (with backoff); the probes stay the backstop meanwhile.
  func replacement(of pod: String) async -> String? {
    let namespace = kube.target.namespace
    var version: String?
    var failures = 0
    while !Task.isCancelled {
      do {
        var query = "watch=true&fieldSelector=" + KubeClient.queryValue("metadata.name=\(pod)")
        if let version { query += "&resourceVersion=\(version)" }
        let body = try await kube.openStream(
          "/api/v1/namespaces/\(namespace)/pods?" + query, what: "watching pod \(pod)")
        var splitter = LogLineSplitter(maxLine: KubeTransport.bodyLimit)
        for try await chunk in body {
          var events: [JSONValue] = []
          splitter.feed(chunk) { line in
            if let event = try? JSONValue.decode(Array(line)) { events.append(event) }
          }
          for event in events {
            switch Self.judge(event, pod: pod) {
            case .gone(let reason): return reason
            case .seen(let resourceVersion): version = resourceVersion ?? version
            case .expired: version = nil
            }
          }
          failures = 0
        }
      } catch {
        if Task.isCancelled { return nil }
        failures += 1
      }
      let delay = Duration.milliseconds(500) * (1 << min(failures, 6))
      guard (try? await Task.sleep(for: min(delay, .seconds(30)))) != nil else { return nil }
    }
    return nil
  }

  enum Verdict: Equatable {
    case gone(String)
    case seen(resourceVersion: String?)
    /// The watch's version is too old: start again from now.
    case expired
  }

  /// What one watch event says about the pod.
  static func judge(_ event: JSONValue, pod: String) -> Verdict {
    guard let type = event["type"]?.string, let object = event["object"] else { return .seen(resourceVersion: nil) }
    if type == "ERROR" { return .expired }
    let version = object[path: "metadata", "resourceVersion"]?.string
    if type == "DELETED" { return .gone("pod \(pod) was deleted") }
    guard type != "BOOKMARK" else { return .seen(resourceVersion: version) }
    if let deletion = object[path: "metadata", "deletionTimestamp"], deletion != .null {
      return .gone("pod \(pod) is terminating")
    }
    if !PodChoice.isReady(KubeObject(object)) { return .gone("pod \(pod) is no longer ready") }
    return .seen(resourceVersion: version)
  }
}
