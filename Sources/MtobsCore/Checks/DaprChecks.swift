import Foundation

/// `dapr.*`: the app namespace's Dapr Configuration sends Zipkin spans to the collector.
enum DaprChecks {
  static func configuration(_ snapshot: Snapshot) -> KubeObject? {
    snapshot.dapr.value?.first { $0.name == snapshot.expectations.daprConfiguration }
  }

  /// The endpoint Dapr must use, and the host spellings that resolve to the same Service.
  static func expected(_ snapshot: Snapshot) -> (url: String, hosts: Set<String>, port: Int) {
    let service = snapshot.expectations.collectorService
    let namespace = snapshot.namespace
    let port = snapshot.expectations.collectorZipkinPort
    return (
      "http://\(service).\(namespace).svc.cluster.local:\(port)/api/v2/spans",
      ["\(service).\(namespace).svc.cluster.local", "\(service).\(namespace).svc", "\(service).\(namespace)"], port
    )
  }

  static let all: [HealthCheck] = [
    HealthCheck(
      id: "dapr.configuration", category: "dapr", title: "Dapr Configuration exists in the app namespace",
      dependencies: ["kubernetes.api"]
    ) { snapshot in
      let name = snapshot.expectations.daprConfiguration
      let namespace = snapshot.appNamespace
      if let error = snapshot.dapr.error {
        if error.reason == .notFound || error.message.contains("resource type") {
          return Verdict(
            status: .fail, message: "Dapr is not installed: no configurations.dapr.io resource in the cluster",
            hint: "install Dapr (`dapr init -k`), then `mtobs deploy` applies the Configuration", recoverable: false)
        }
        return HealthChecks.failure(from: error, what: "cannot read Dapr Configurations in '\(namespace)'")
      }
      guard let configuration = configuration(snapshot) else {
        let others = (snapshot.dapr.value ?? []).map(\.name)
        return Verdict(
          status: .fail,
          message: "no Configuration '\(name)' in namespace '\(namespace)'"
            + (others.isEmpty ? "" : " (found: \(others.joined(separator: ", ")))"),
          hint: "mtobs deploy (applies deploy/manifests/dapr-configuration.yaml), or set dapr.configuration",
          objects: ["\(namespace)/configuration/\(name)"], recoverable: false)
      }
      return .pass("\(namespace)/\(name)", objects: [configuration.reference])
    },
    HealthCheck(
      id: "dapr.zipkin-endpoint", category: "dapr", title: "Dapr sends Zipkin spans to the collector",
      dependencies: ["dapr.configuration"]
    ) { snapshot in
      guard let configuration = configuration(snapshot) else { return .skip("no Configuration") }
      let (url, hosts, port) = expected(snapshot)
      let fix = "kubectl edit configuration \(configuration.name) -n \(snapshot.appNamespace)   # or `mtobs deploy`"
      guard let address = configuration.raw[path: "spec", "tracing", "zipkin", "endpointAddress"]?.string else {
        return Verdict(
          status: .fail, message: "spec.tracing.zipkin.endpointAddress is not set; expected \(url)", hint: fix,
          objects: [configuration.reference], recoverable: false)
      }
      guard let parsed = URLComponents(string: address), let host = parsed.host else {
        return Verdict(
          status: .fail, message: "'\(address)' is not a URL (it needs http://); expected \(url)", hint: fix,
          objects: [configuration.reference], recoverable: false)
      }
      var problems: [String] = []
      if parsed.scheme != "http" { problems.append("scheme \(parsed.scheme ?? "none") (the receiver is plain http)") }
      if !hosts.contains(host) { problems.append("host \(host) is not the collector Service") }
      if (parsed.port ?? 80) != port { problems.append("port \(parsed.port.map(String.init) ?? "none") is not \(port)") }
      if parsed.path != "/api/v2/spans" { problems.append("path \(parsed.path.isEmpty ? "/" : parsed.path) is not /api/v2/spans") }
      if problems.isEmpty { return .pass(address, objects: [configuration.reference]) }
      return Verdict(
        status: .fail, message: problems.joined(separator: "; ") + "; expected \(url), found \(address)", hint: fix,
        objects: [configuration.reference], recoverable: false)
    },
    HealthCheck(
      id: "dapr.sampling", category: "dapr", title: "Dapr samples traces", dependencies: ["dapr.configuration"]
    ) { snapshot in
      guard let configuration = configuration(snapshot) else { return .skip("no Configuration") }
      let fix = "set spec.tracing.samplingRate: \"1\" (a string): kubectl edit configuration \(configuration.name) -n \(snapshot.appNamespace)"
      guard let raw = configuration.raw[path: "spec", "tracing", "samplingRate"] else {
        return Verdict(
          status: .warn, message: "samplingRate is not set: Dapr samples 1 trace in 10,000", hint: fix,
          objects: [configuration.reference], recoverable: false)
      }
      let text = raw.string ?? raw.int.map(String.init) ?? ""
      guard let rate = Double(text) else {
        return Verdict(
          status: .fail, message: "samplingRate '\(text)' is not a number: Dapr falls back to 1 in 10,000", hint: fix,
          objects: [configuration.reference], recoverable: false)
      }
      guard rate > 0 else {
        return Verdict(
          status: .fail, message: "samplingRate is \(text): tracing is off", hint: fix, objects: [configuration.reference],
          recoverable: false)
      }
      return .pass("samplingRate \(text)", objects: [configuration.reference])
    },
  ]
}
