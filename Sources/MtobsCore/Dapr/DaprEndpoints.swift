import Foundation

/// Judges a Configuration's tracing endpoints against the Services that exist (pure): the seeds'
/// mistakes (`otel-collector` for `otel-collector-opentelemetry-collector`, `/v1/spans` for
/// `/api/v2/spans`, `https://` to a plain-text receiver) each get one sentence.
enum DaprEndpoints {
  static let zipkinPath = "/api/v2/spans"
  static let otlpGRPCPort = 4317
  static let otlpHTTPPort = 4318

  /// A host that names a cluster Service: `svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`.
  struct ServiceHost: Equatable {
    var service: String
    var namespace: String
  }

  /// nil for an IP address or a name outside the cluster.
  static func serviceHost(_ host: String, defaultNamespace: String) -> ServiceHost? {
    let parts = host.lowercased().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard let first = parts.first, first.first?.isLetter == true else {
      return nil
    }
    switch parts.count {
    case 1: return ServiceHost(service: first, namespace: defaultNamespace)
    case 2: return ServiceHost(service: first, namespace: parts[1])
    case 3 where parts[2] == "svc": return ServiceHost(service: first, namespace: parts[1])
    case 5 where parts[2...] == ["svc", "cluster", "local"]: return ServiceHost(service: first, namespace: parts[1])
    default: return nil
    }
  }

  /// The problems of one endpoint (empty: it is right), and a note when it is right but unusual.
  struct Judgement {
    var problems: [String] = []
    var notes: [String] = []
  }

  /// `address` is where the Configuration in `namespace` sends spans; `port` the receiver's port;
  /// `path` the path it must post to (nil: no path is checked, as for OTLP).
  static func judge(
    address: String, namespace: String, port expectedPort: Int, path expectedPath: String?,
    collector: (service: String, namespace: String, url: String), reads: DaprReads
  ) -> Judgement {
    var judgement = Judgement()
    guard let parsed = URLComponents(string: address), let scheme = parsed.scheme, let host = parsed.host,
      !host.isEmpty
    else {
      judgement.problems.append("'\(address)' is not a URL (expected \(collector.url))")
      return judgement
    }
    if scheme.lowercased() != "http" {
      judgement.problems.append("scheme \(scheme): the collector's receiver speaks plain http")
    }
    let port = parsed.port ?? (scheme.lowercased() == "https" ? 443 : 80)
    if port != expectedPort {
      judgement.problems.append("port \(port): the receiver listens on \(expectedPort)")
    }
    if let expectedPath, parsed.path != expectedPath {
      let found = parsed.path.isEmpty ? "/" : parsed.path
      judgement.problems.append("path \(found): Dapr must post Zipkin v2 JSON to \(expectedPath)")
    }
    judgement.problems += serviceProblems(
      host: host, namespace: namespace, port: expectedPort, collector: collector, reads: reads)
    if let named = serviceHost(host, defaultNamespace: namespace), named.service != collector.service,
      reads.service(named.service, in: named.namespace) != nil, judgement.problems.isEmpty
    {
      judgement.notes.append(
        "\(named.namespace)/\(named.service) is not the collector found by role (\(collector.service))")
    }
    return judgement
  }

  /// Whether `host` names a Service that exists with `port`; which Service was meant when not.
  static func serviceProblems(
    host: String, namespace: String, port: Int, collector: (service: String, namespace: String, url: String),
    reads: DaprReads
  ) -> [String] {
    guard let named = serviceHost(host, defaultNamespace: namespace) else {
      return []  // an address outside the cluster: nothing to compare with
    }
    let meant = "\(collector.service).\(collector.namespace).svc.cluster.local"
    guard reads.services.error == nil else { return [] }
    guard let service = reads.service(named.service, in: named.namespace) else {
      let inNamespace =
        named.namespace == collector.namespace ? "" : " (the collector runs in '\(collector.namespace)')"
      return [
        "host \(host): no Service '\(named.service)' in namespace '\(named.namespace)'\(inNamespace); "
          + "the collector's Service is \(meant)"
      ]
    }
    let ports = service.raw[path: "spec", "ports"]?.array?.compactMap { $0["port"]?.int } ?? []
    guard ports.contains(port) else {
      let listed = ports.isEmpty ? "none" : ports.map(String.init).joined(separator: ", ")
      return ["Service \(named.namespace)/\(named.service) has no port \(port) (its ports: \(listed))"]
    }
    return []
  }

  /// The OTLP endpoint of `protocol` (`grpc` or `http`), as Dapr's `otel.endpointAddress` is written:
  /// `host:port`, without a scheme.
  static func expectedOTLP(collector: (service: String, namespace: String), protocol name: String) -> String {
    "\(collector.service).\(collector.namespace).svc.cluster.local:\(otlpPort(name))"
  }

  static func otlpPort(_ name: String) -> Int { name.lowercased() == "http" ? otlpHTTPPort : otlpGRPCPort }
}
