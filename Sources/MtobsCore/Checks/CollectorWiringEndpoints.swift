import Foundation

/// Where a collector exporter sends, and whether a Service of the cluster answers there (pure).
enum ExporterEndpoints {
  /// One address an exporter sends to (`endpoint`, or a per-signal `traces_endpoint` …).
  struct Destination: Equatable {
    var exporter: String
    var field: String
    var address: String
  }

  /// What an address names.
  enum Target: Equatable {
    /// A Service of the cluster; `port` nil when the address has none (and its scheme implies none).
    case service(name: String, namespace: String, port: Int?)
    /// Somewhere mtobs does not judge; the reason says why.
    case notChecked(String)
    /// An address the collector cannot use as written.
    case invalid(String)
  }

  /// Exporters that listen rather than send: their `endpoint` is a bind address.
  static let listeningTypes: Set<String> = ["prometheus"]
  static let fields = ["endpoint", "traces_endpoint", "metrics_endpoint", "logs_endpoint", "profiles_endpoint"]

  /// The destinations of the exporters `names` (all defined ones when nil), in name order.
  static func destinations(_ config: CollectorConfig, exporters names: Set<String>?) -> [Destination] {
    config.section("exporters").keys.sorted().filter { names?.contains($0) ?? true }.flatMap { exporter in
      guard !listeningTypes.contains(CollectorConfig.type(of: exporter)) else { return [Destination]() }
      let settings = config.section("exporters")[exporter]
      return fields.compactMap { field in
        guard let address = settings?[field]?.string?.trimmingCharacters(in: .whitespaces), !address.isEmpty
        else { return nil }
        return Destination(exporter: exporter, field: field, address: address)
      }
    }
  }

  /// Reads `host:port`, `dns:///host:port` (gRPC) or a URL, and names the Service it resolves to
  /// from a pod in `namespace`: `NAME`, `NAME.NS`, `NAME.NS.svc`, `NAME.NS.svc.<cluster domain>`.
  /// `NAME.NS` counts as a Service only when NS is one of `knownNamespaces` (else it is a domain).
  static func target(of address: String, namespace: String, knownNamespaces: Set<String>) -> Target {
    if address.contains("${") { return .notChecked("set from the environment at run time") }
    var text = address
    for prefix in ["dns:///", "passthrough:///"] where text.lowercased().hasPrefix(prefix) {
      text = String(text.dropFirst(prefix.count))
    }
    let host: String
    var port: Int?
    if text.contains("://") {
      guard let url = URLComponents(string: text), let parsedHost = url.host, !parsedHost.isEmpty else {
        return .invalid("'\(address)' is not a URL with a host")
      }
      host = parsedHost
      port = url.port ?? ["http": 80, "https": 443][url.scheme?.lowercased() ?? ""]
    } else {
      let authority = String(text.prefix { $0 != "/" })
      if authority.hasPrefix("[") { return .notChecked("an IP address, outside mtobs's view") }
      if let colon = authority.lastIndex(of: ":") {
        host = String(authority[..<colon])
        let portText = authority[authority.index(after: colon)...]
        guard let number = Int(portText), (1...65535).contains(number) else {
          return .invalid("'\(portText)' in '\(address)' is not a port number")
        }
        port = number
      } else {
        host = authority
      }
    }
    if let port, !(1...65535).contains(port) { return .invalid("\(port) in '\(address)' is not a port number") }
    let name = host.lowercased().hasSuffix(".") ? String(host.lowercased().dropLast()) : host.lowercased()
    let labels = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    if labels.count == 4, labels.allSatisfy({ Int($0) != nil }) || name.contains(":") {
      return .notChecked("an IP address, outside mtobs's view")
    }
    if name == "localhost" { return .notChecked("localhost: the collector's own pod") }
    switch labels.count {
    case 1: return .service(name: name, namespace: namespace, port: port)
    case 2 where knownNamespaces.contains(labels[1]):
      return .service(name: labels[0], namespace: labels[1], port: port)
    case 3... where labels[2] == "svc": return .service(name: labels[0], namespace: labels[1], port: port)
    default: return .notChecked("outside the cluster")
    }
  }

  /// The verdict on one destination: nil when all is well, else what is wrong and whether
  /// waiting may help.
  struct Finding {
    var problem: String?
    var summary: String
    var recoverable = true
    var objects: [String] = []
  }

  static func judge(_ destination: Destination, _ snapshot: Snapshot) -> Finding {
    let namespace = snapshot.namespace
    let from = "exporter \(destination.exporter) sends to \(destination.address)"
    let knownNamespaces: Set<String> = [namespace, snapshot.appNamespace]
    switch target(of: destination.address, namespace: namespace, knownNamespaces: knownNamespaces) {
    case .notChecked(let reason):
      return Finding(summary: "\(destination.exporter) → \(destination.address) (not checked: \(reason))")
    case .invalid(let reason):
      return Finding(problem: "\(from): \(reason)", summary: "", recoverable: false)
    case .service(let name, let serviceNamespace, let port):
      guard serviceNamespace == namespace else {
        return Finding(
          summary:
            "\(destination.exporter) → \(destination.address) (not checked: Service \(name) is in '\(serviceNamespace)', "
            + "mtobs reads '\(namespace)')")
      }
      let objects = snapshot.stack.value ?? []
      let services = objects.filter { $0.kind == "Service" }
      guard let service = services.first(where: { $0.name == name }) else {
        let others = services.map(\.name).sorted()
        let guess = likelyMeant(name, among: others).map { "; did you mean \($0)?" } ?? ""
        let listed =
          others.isEmpty ? "none" : others.prefix(8).joined(separator: ", ") + (others.count > 8 ? ", …" : "")
        return Finding(
          problem: "\(from), but Service \(name) does not exist in '\(namespace)' (Services there: \(listed))\(guess)",
          summary: "", recoverable: false)
      }
      let reference = service.reference
      if service.raw[path: "spec", "type"]?.string == "ExternalName" {
        let external = service.raw[path: "spec", "externalName"]?.string ?? "?"
        return Finding(
          summary: "\(destination.exporter) → \(name) (not checked: ExternalName Service for \(external))",
          objects: [reference])
      }
      let ports = service.raw[path: "spec", "ports"]?.array ?? []
      let headless = service.raw[path: "spec", "clusterIP"]?.string == "None"
      if let port {
        // Through a ClusterIP only the Service port answers; a headless Service's name resolves
        // to the pods, where the target port answers.
        let matches = ports.contains { entry in
          entry["port"]?.int == port || (headless && entry["targetPort"]?.int == port)
        }
        if !matches {
          let exposed = ports.compactMap { entry -> String? in
            guard let number = entry["port"]?.int else { return nil }
            return entry["name"]?.string.map { "\(number) (\($0))" } ?? "\(number)"
          }
          return Finding(
            problem:
              "\(from), but Service \(name) exposes "
              + (exposed.isEmpty ? "no port" : "only " + exposed.joined(separator: ", ")) + ", not \(port)",
            summary: "", recoverable: false, objects: [reference])
        }
      }
      guard let selector = service.raw[path: "spec", "selector"]?.object?.compactMapValues(\.string),
        !selector.isEmpty
      else {
        return Finding(
          summary:
            "\(destination.exporter) → \(name)\(port.map { ":\($0)" } ?? "") (endpoints not checked: no selector)",
          objects: [reference])
      }
      let selected = objects.filter { object in
        object.kind == "Pod" && selector.allSatisfy { object.labels[$0.key] == $0.value }
      }
      let ready = selected.filter(isReady)
      guard !ready.isEmpty else {
        let labels = selector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        return Finding(
          problem:
            "\(from), but Service \(name) has no ready endpoint: "
            + (selected.isEmpty
              ? "no pod matches its selector \(labels)" : "none of its \(selected.count) pod(s) is running and ready"),
          summary: "", recoverable: !selected.isEmpty, objects: [reference])
      }
      return Finding(
        summary:
          "\(destination.exporter) → \(name)\(port.map { ":\($0)" } ?? "") (\(ready.count) ready pod\(ready.count == 1 ? "" : "s"))",
        objects: [reference])
    }
  }

  /// Running with the Ready condition true.
  static func isReady(_ pod: KubeObject) -> Bool {
    pod.raw[path: "status", "phase"]?.string == "Running"
      && (pod.raw[path: "status", "conditions"]?.array ?? []).contains {
        $0["type"]?.string == "Ready" && $0["status"]?.string == "True"
      }
  }

  /// The Service probably meant: same name after a different release prefix
  /// (`lgtm-alloy-receiver` → `k8s-monitoring-alloy-receiver`), or a near spelling.
  static func likelyMeant(_ name: String, among names: [String]) -> String? {
    if let dash = name.firstIndex(of: "-") {
      let rest = name[dash...]
      let sameRole = names.filter { $0.hasSuffix(rest) }
      if sameRole.count == 1 { return sameRole[0] }
    }
    return Suggestions.closest(to: name, among: names, limit: 1).first
  }
}
