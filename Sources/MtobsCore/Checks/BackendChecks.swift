import Foundation

/// `backends.*` and `grafana.*`: each backend answers its readiness endpoint through the API
/// server's proxy; Grafana answers /api/health.
enum BackendChecks {
  static let readiness: [(id: String, probe: String, component: String, title: String)] = [
    ("backends.loki", "loki.ready", "loki", "Loki is ready"),
    ("backends.tempo", "tempo.ready", "tempo", "Tempo is ready"),
    ("backends.mimir", "mimir.ready", "mimir", "Mimir is ready"),
    ("backends.pyroscope", "pyroscope.ready", "pyroscope", "Pyroscope is ready"),
    ("backends.alloy", "alloy.ready", "alloy", "Alloy receiver is ready"),
  ]

  static let all: [HealthCheck] =
    readiness.map { entry in
      HealthCheck(id: entry.id, category: "backends", title: entry.title, dependencies: ["kubernetes.namespace"]) {
        snapshot in
        judgeReady(snapshot, probeID: entry.probe, component: entry.component)
      }
    } + [
      HealthCheck(
        id: "grafana.health", category: "grafana", title: "Grafana answers /api/health",
        dependencies: ["kubernetes.namespace"]
      ) { snapshot in
        guard let probe = snapshot.probe("grafana.health") else { return unprobed(snapshot, .grafana) }
        if let problem = proxyProblem(probe, snapshot: snapshot, component: "grafana") { return problem }
        let health = probe.body.flatMap { try? JSONValue.decode(Array($0.utf8)) }
        let database = health?["database"]?.string ?? "unknown"
        let object = HealthChecks.reference(of: probe, namespace: snapshot.namespace)
        guard database == "ok" else {
          return Verdict(
            status: .fail, message: "Grafana's database is '\(database)'",
            hint: "mtobs logs grafana -n \(snapshot.namespace)",
            objects: [object], durationMs: probe.durationMs)
        }
        let version = health?["version"]?.string.map { "Grafana \($0)" } ?? "Grafana"
        return .pass("\(version): database ok", objects: [object], durationMs: probe.durationMs)
      },
      HealthCheck(
        id: "grafana.datasources", category: "grafana", title: "Grafana data sources work",
        dependencies: ["grafana.health"]
      ) { snapshot in
        if let credentials = snapshot.probe("grafana.credentials"), let error = credentials.error {
          return .skip(
            "not checked: Grafana's admin credentials could not be read: \(error.message)",
            hint: error.hint.isEmpty ? dataSourcesHint(snapshot) : error.hint)
        }
        if let probe = snapshot.probe("grafana.datasources") { return judgeDatasources(probe, snapshot: snapshot) }
        // PRODUCT.md §3: the API server consumes the Authorization header of proxied requests, so
        // Grafana's authenticated datasource API is out of reach here; say so rather than guess.
        return .skip(
          "not checked: Grafana's datasource API needs Grafana credentials, which the API server proxy does not pass on",
          hint: dataSourcesHint(snapshot))
      },
    ]

  static func dataSourcesHint(_ snapshot: Snapshot) -> String {
    let found = snapshot.roles[.grafana]
    let expected = snapshot.expectations.endpoints["grafana"]
    let service = found?.service ?? expected?.service ?? "lgtm-grafana"
    let port = found?.port ?? expected?.port ?? 80
    return "kubectl port-forward -n \(snapshot.namespace) svc/\(service) "
      + "3000:\(port)   # then open http://localhost:3000, Connections → Data sources, and press Test"
  }

  /// Why a role's readiness was not probed: no Service plays it, or two claim it equally.
  static func unprobed(_ snapshot: Snapshot, _ role: ComponentRole) -> Verdict {
    guard let finding = snapshot.roles[role] else { return .skip("\(role.title) was not probed") }
    let namespace = snapshot.namespace
    let key = role.serviceKey.name
    switch finding.source {
    case .ambiguous:
      return Verdict(
        status: .warn,
        message:
          "\(finding.ambiguous.count) Services claim the \(role.title) (\(finding.how)): "
          + "\(finding.ambiguous.joined(separator: ", ")); not probed",
        hint: "pin one in mtobs.yaml: \(key): \(finding.ambiguous[0])   # the one your apps and Grafana use",
        objects: finding.ambiguous.map { HealthChecks.reference(namespace, "service", $0) }, recoverable: false)
    case .none:
      let hints = DiscoveryHints(expectations: snapshot.expectations)
      let what = finding.isFound ? "\(role.title) runs but no Service of it was" : "no \(role.title)"
      return Verdict(
        status: .fail,
        message: "\(what) found in '\(namespace)': \(StackDiscovery.lookedFor(role, hints: hints))",
        hint: "mtobs deploy   # or, if it runs under another name, pin it in mtobs.yaml: \(key)",
        objects: finding.workloads.map { WorkloadChecks.reference(namespace, $0) }, recoverable: false)
    default:
      return .skip("\(role.title) was not probed")
    }
  }

  /// A failed proxy GET as a verdict (nil when the GET worked).
  static func proxyProblem(_ probe: Probe, snapshot: Snapshot, component: String) -> Verdict? {
    let namespace = snapshot.namespace
    let object = HealthChecks.reference(of: probe, namespace: namespace)
    let status = probe.statusCode.map { "HTTP \($0): " } ?? ""
    guard let error = probe.error else {
      guard let code = probe.statusCode, code != 200 else { return nil }
      return Verdict(
        status: .fail, message: "\(probe.target)\(probe.path): HTTP \(code) \(firstLine(probe.body))",
        hint: pods(component, namespace), objects: [object], durationMs: probe.durationMs)
    }
    let hint: String
    var recoverable = true
    switch error.reason {
    case .forbidden:
      hint = "kubectl auth can-i get services/proxy -n \(namespace)   # health reads endpoints through the API server"
      recoverable = false
    case .notFound:
      let service = object.split(separator: "/").last.map(String.init) ?? component
      hint = "kubectl get service \(service) -n \(namespace)   # missing? mtobs deploy"
      recoverable = false
    default:
      // 503 "no endpoints available": the Service exists but none of its pods is ready (yet).
      hint = pods(component, namespace)
    }
    return Verdict(
      status: .fail, message: "\(probe.target)\(probe.path): \(status)\(error.message)", hint: hint,
      objects: [object], durationMs: probe.durationMs, recoverable: recoverable)
  }

  static func pods(_ component: String, _ namespace: String) -> String {
    "kubectl get pods -n \(namespace) -l app.kubernetes.io/name=\(component); "
      + "mtobs logs \(component == "alloy" ? "alloy-receiver" : component) -n \(namespace)"
  }

  static func firstLine(_ body: String?) -> String {
    let text = (body ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    return text.split(separator: "\n").first.map(String.init) ?? "(empty answer)"
  }

  static func judgeReady(_ snapshot: Snapshot, probeID: String, component: String) -> Verdict {
    guard let probe = snapshot.probe(probeID) else {
      return ComponentRole(rawValue: component).map { unprobed(snapshot, $0) } ?? .skip("\(component) was not probed")
    }
    if let problem = proxyProblem(probe, snapshot: snapshot, component: component) { return problem }
    let object = HealthChecks.reference(of: probe, namespace: snapshot.namespace)
    let line = firstLine(probe.body)
    let lower = (probe.body ?? "").lowercased()
    // Loki answers "Ingester not ready: …" and Mimir "Some services are not Running" with 503,
    // but a proxy that passes the body on may still say 200; judge the words too.
    guard lower.contains("ready"), !lower.contains("not ready") else {
      return Verdict(
        status: .fail, message: "\(probe.target)\(probe.path): \(line)", hint: pods(component, snapshot.namespace),
        objects: [object], durationMs: probe.durationMs)
    }
    return .pass("\(probe.target)\(probe.path): \(line)", objects: [object], durationMs: probe.durationMs)
  }

  /// A `grafana.datasources` probe, when a collector could read one (e.g. through a tunnel that
  /// carries Grafana credentials): a JSON list of `{"name", "type"?, "status"?, "message"?}`,
  /// `status` being the datasource health API's `OK`/`ERROR`.
  static func judgeDatasources(_ probe: Probe, snapshot: Snapshot) -> Verdict {
    let object = HealthChecks.reference(of: probe, namespace: snapshot.namespace)
    if let error = probe.error {
      return Verdict(
        status: .fail, message: "cannot read Grafana's data sources: \(error.message)",
        hint: error.hint.isEmpty ? dataSourcesHint(snapshot) : error.hint,
        objects: [object], durationMs: probe.durationMs)
    }
    guard let list = probe.body.flatMap({ try? JSONValue.decode(Array($0.utf8)) })?.array else {
      return .skip(
        "Grafana's data source answer is not a JSON list: \(firstLine(probe.body))", hint: dataSourcesHint(snapshot))
    }
    guard !list.isEmpty else {
      return Verdict(
        status: .fail, message: "Grafana has no data sources", hint: "mtobs deploy   # provisions Loki, Tempo, Mimir",
        objects: [object], durationMs: probe.durationMs, recoverable: false)
    }
    let names = list.map { $0["name"]?.string ?? $0["uid"]?.string ?? "?" }
    let broken = list.filter { ($0["status"]?.string).map { $0.uppercased() != "OK" } ?? false }.map(
      brokenDataSource)
    if !broken.isEmpty {
      return Verdict(
        status: .fail, message: broken.joined(separator: "; "), hint: dataSourcesHint(snapshot), objects: [object],
        durationMs: probe.durationMs)
    }
    let tested = list.contains { $0["status"] != nil } ? "" : " (provisioned; health not tested)"
    return .pass("\(names.joined(separator: ", "))\(tested)", objects: [object], durationMs: probe.durationMs)
  }

  /// One data source Grafana's health check did not pass: `NAME: Grafana's words`, and when
  /// Grafana gave none, that it gave none and the status it did give.
  static func brokenDataSource(_ source: JSONValue) -> String {
    let name = source["name"]?.string ?? source["uid"]?.string ?? "?"
    let message = (source["message"]?.string ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    guard message.isEmpty else { return "\(name): \(message)" }
    return "\(name): Grafana gave no message; status \(source["status"]?.string ?? "unknown")"
  }
}
