import Foundation

/// `dapr.*`: the app namespace's Dapr Configuration sends Zipkin spans to the collector.
enum DaprChecks {
  static func configuration(_ snapshot: Snapshot) -> KubeObject? {
    snapshot.dapr.value?.first { $0.name == snapshot.expectations.daprConfiguration }
  }

  /// The endpoint Dapr must use; the Service lives in the stack's namespace, not the app's.
  struct Endpoint {
    var url: String
    /// Host spellings that resolve to the collector Service from another namespace.
    var hosts: [String]
    var port: Int
    static let path = "/api/v2/spans"
  }

  static func expected(_ snapshot: Snapshot) -> Endpoint {
    let service = snapshot.collectorService
    let namespace = snapshot.namespace
    let port = snapshot.expectations.collectorZipkinPort
    let full = "\(service).\(namespace).svc.cluster.local"
    return Endpoint(
      url: "http://\(full):\(port)\(Endpoint.path)",
      hosts: [full, "\(service).\(namespace).svc", "\(service).\(namespace)"], port: port)
  }

  /// What differs between an endpoint address and the expected one, one entry per part.
  static func differences(_ address: String, from expected: Endpoint) -> [String] {
    guard let parsed = URLComponents(string: address), let host = parsed.host, !host.isEmpty else {
      return ["'\(address)' is not a URL with a host (it needs http://)"]
    }
    var problems: [String] = []
    if parsed.scheme?.lowercased() != "http" {
      problems.append("scheme: expected http (the receiver is plain text), found \(parsed.scheme ?? "none")")
    }
    if !expected.hosts.contains(host.lowercased()) {
      problems.append("host: expected \(expected.hosts[0]), found \(host)")
    }
    if parsed.port != expected.port {
      let found = parsed.port.map(String.init) ?? "none (the scheme's default)"
      problems.append("port: expected \(expected.port), found \(found)")
    }
    if parsed.path != Endpoint.path {
      problems.append("path: expected \(Endpoint.path), found \(parsed.path.isEmpty ? "/" : parsed.path)")
    }
    return problems
  }

  static let all: [HealthCheck] = [
    HealthCheck(
      id: "dapr.configuration", category: "dapr", title: "Dapr Configuration exists in the app namespace",
      dependencies: ["kubernetes.api"]
    ) { snapshot in
      let name = snapshot.expectations.daprConfiguration
      let namespace = snapshot.appNamespace
      if let error = snapshot.dapr.error {
        if error.resourceTypeNotServed {
          return Verdict(
            status: .fail, message: "Dapr CRDs not installed: the cluster has no configurations.dapr.io",
            hint: "kubectl get crd configurations.dapr.io   # install Dapr (dapr init -k), then mtobs deploy",
            recoverable: false)
        }
        var verdict = HealthChecks.failure(from: error, what: "cannot read Dapr Configurations in '\(namespace)'")
        if error.reason == .forbidden {
          verdict.hint = "kubectl auth can-i list configurations.dapr.io -n \(namespace)"
          verdict.recoverable = false
        }
        return verdict
      }
      guard let configuration = configuration(snapshot) else {
        let others = (snapshot.dapr.value ?? []).map(\.name)
        return Verdict(
          status: .fail,
          message: "no Configuration '\(name)' in namespace '\(namespace)'"
            + (others.isEmpty ? "" : " (found: \(others.joined(separator: ", ")))"),
          hint: "mtobs deploy   # applies deploy/manifests/dapr-configuration.yaml; or set dapr.configuration",
          objects: ["\(namespace)/configuration/\(name)"], recoverable: false)
      }
      return .pass("\(namespace)/\(name)", objects: [configuration.reference])
    },
    HealthCheck(
      id: "dapr.zipkin-endpoint", category: "dapr", title: "Dapr sends Zipkin spans to the collector",
      dependencies: ["dapr.configuration"]
    ) { snapshot in
      guard let configuration = configuration(snapshot) else { return .skip("no Configuration") }
      let endpoint = expected(snapshot)
      let fix = "kubectl edit configuration \(configuration.name) -n \(snapshot.appNamespace)   # or mtobs deploy"
      guard let address = configuration.raw[path: "spec", "tracing", "zipkin", "endpointAddress"]?.string,
        !address.isEmpty
      else {
        return Verdict(
          status: .fail, message: "spec.tracing.zipkin.endpointAddress is not set; expected \(endpoint.url)",
          hint: fix, objects: [configuration.reference], recoverable: false)
      }
      let problems = differences(address, from: endpoint)
      if problems.isEmpty { return .pass(address, objects: [configuration.reference]) }
      return Verdict(
        status: .fail,
        message: problems.joined(separator: "; ") + "; set endpointAddress to \(endpoint.url)",
        hint: fix, objects: [configuration.reference], recoverable: false)
    },
    HealthCheck(
      id: "dapr.sampling", category: "dapr", title: "Dapr samples traces", dependencies: ["dapr.configuration"]
    ) { snapshot in
      guard let configuration = configuration(snapshot) else { return .skip("no Configuration") }
      let fix =
        "kubectl edit configuration \(configuration.name) -n \(snapshot.appNamespace)   "
        + "# set spec.tracing.samplingRate: \"1\" (a string)"
      // Dapr parses the rate with ParseFloat and falls back to 1 in 10,000 when it is unset or
      // not a number: too few traces to see anything, so these are failures.
      guard let raw = configuration.raw[path: "spec", "tracing", "samplingRate"] else {
        return Verdict(
          status: .fail, message: "spec.tracing.samplingRate is not set: Dapr samples 1 trace in 10,000", hint: fix,
          objects: [configuration.reference], recoverable: false)
      }
      let text = (raw.string ?? raw.number.map { "\($0)" } ?? "").trimmingCharacters(in: .whitespaces)
      guard let rate = Double(text), rate.isFinite else {
        return Verdict(
          status: .fail, message: "samplingRate '\(text)' is not a number: Dapr falls back to 1 in 10,000", hint: fix,
          objects: [configuration.reference], recoverable: false)
      }
      guard rate > 0 else {
        return Verdict(
          status: .fail, message: "samplingRate is \(text): tracing is off", hint: fix,
          objects: [configuration.reference], recoverable: false)
      }
      return .pass("samplingRate \(text)", objects: [configuration.reference])
    },
  ]
}

extension JSONValue {
  /// The number, for the rare field that may be written either way.
  fileprivate var number: Double? {
    if case .number(let value) = self { return value }
    return nil
  }
}
