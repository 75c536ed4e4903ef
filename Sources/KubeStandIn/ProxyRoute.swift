/// How a real kube-apiserver finds the backend of a proxy request before it dials, and what it
/// answers when it cannot (pkg/registry/core/service/storage `ResourceLocation`, pkg/registry/core/pod
/// `ResourceLocation`, apimachinery's proxy transport):
/// - Service, numeric port: `services "X" not found` (404); no such port: `no service port N found for
///   service "X"` (503).
/// - Service endpoints (from the Running, Ready pods its selector picks, or a stored Endpoints object
///   for a Service without selector): none at all: `endpoints "X" not found` (404) or `no endpoints
///   available for service "X"` (503); none ready on that port: `no endpoints available for service
///   "ID"` (503, ID as written in the URL).
/// - Pod: `pods "X" not found` (404); no usable IP (not started yet): `address not allowed` (400).
/// - The dial itself: a backend that does not listen (no canned answer on that port, a container that
///   is not running) is `error trying to reach service: dial tcp IP:PORT: connect: connection refused` (503).

/// The `[SCHEME:]NAME[:PORT]` segment of a proxy URL.
struct ProxyTarget: Equatable {
  var scheme: String
  var name: String
  var port: String

  init(segment: String) {
    let parts = segment.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    switch parts.count {
    case 1: (scheme, name, port) = ("", parts[0], "")
    case 2: (scheme, name, port) = ("", parts[0], parts[1])
    default: (scheme, name, port) = (parts[0], parts[1], parts[2])
    }
  }
}

/// Where the API server would connect: an address and port, and the pod behind them.
struct ProxyBackend: Sendable, Equatable {
  var ip: String
  var port: String
  var pod: JSONValue?

  /// Whether something listens there: the pod's containers are running (a pod without container
  /// statuses counts as running when its phase is Running).
  var isListening: Bool {
    guard let pod else { return true }
    guard pod[path: "status", "phase"]?.string == "Running" else { return false }
    let statuses = pod[path: "status", "containerStatuses"]?.array ?? []
    return statuses.allSatisfy { $0[path: "state", "running"] != nil || $0["state"] == nil }
  }

  var refused: APIError {
    let host = ip.contains(":") ? "[\(ip)]" : ip
    return APIError(
      code: 503, reason: "ServiceUnavailable",
      message:
        "error trying to reach service: dial tcp \(host):\(port.isEmpty ? "80" : port): connect: connection refused"
    )
  }
}

extension Router {
  /// `…/services/[SCHEME:]NAME[:PORT]/proxy/PATH` and `…/pods/…/proxy/PATH`.
  func proxy(_ request: APIRequest, info: RequestInfo, type: ResourceType) throws(APIError) -> HTTPReply {
    guard let namespace = info.namespace, let segment = info.name else { throw .pathNotFound }
    let target = ProxyTarget(segment: segment)
    guard !target.name.isEmpty else {
      throw .badRequest("invalid \(type.kind == "Pod" ? "pod" : "service") request \"\(segment)\"")
    }
    let kind: ProxyTargetKind = type.kind == "Pod" ? .pod : .service
    let backend = try state.withStorage { (storage: inout Storage) throws(APIError) -> ProxyBackend in
      switch kind {
      case .pod: try storage.podBackend(namespace: namespace, target: target)
      case .service: try storage.serviceBackend(namespace: namespace, target: target, segment: segment)
      }
    }
    let handler = state.proxyHandler(namespace: namespace, kind: kind, name: target.name, port: target.port)
    guard backend.isListening,
      handler != nil || state.hasProxyAnswers(namespace: namespace, kind: kind, name: target.name, port: target.port)
    else { throw backend.refused }
    if let handler,
      let response = handler(
        ProxyRequest(method: request.method, path: info.remainder, query: request.query, body: request.body))
    {
      return HTTPReply(
        status: response.status, contentType: response.contentType, body: response.body, delay: response.delay)
    }
    guard
      let answer = state.proxyAnswer(
        namespace: namespace, kind: kind, name: target.name, port: target.port, path: info.remainder,
        query: request.rawQuery)
    else { return .text("404 page not found\n", status: 404) }  // a backend without that path, like Go's mux
    return HTTPReply(
      status: answer.status, contentType: answer.contentType, body: answer.body,
      headers: answer.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, delay: answer.delay)
  }
}

extension Storage {
  func podBackend(namespace: String, target: ProxyTarget) throws(APIError) -> ProxyBackend {
    let podType = registry.type(group: "", plural: "pods")!
    guard let pod = object(podType, namespace: namespace, name: target.name) else {
      throw .notFound(podType, name: target.name)
    }
    guard let ip = Self.podIP(pod), Self.isGlobalUnicast(ip) else {
      throw .badRequest("address not allowed")
    }
    var port = target.port
    if port.isEmpty {
      let declared = (pod[path: "spec", "containers"]?.array ?? []).lazy.compactMap {
        $0["ports"]?.array?.first?["containerPort"]?.int
      }.first
      port = declared.map(String.init) ?? ""
    }
    return ProxyBackend(ip: ip, port: port, pod: pod)
  }

  func serviceBackend(namespace: String, target: ProxyTarget, segment: String) throws(APIError) -> ProxyBackend {
    let serviceType = registry.type(group: "", plural: "services")!
    let service = object(serviceType, namespace: namespace, name: target.name)
    var portName = target.port
    if let number = Int(target.port) {
      guard let service else { throw .notFound(serviceType, name: target.name) }
      guard let port = (service[path: "spec", "ports"]?.array ?? []).first(where: { $0["port"]?.int == number }) else {
        throw APIError(
          code: 503, reason: "ServiceUnavailable",
          message: "no service port \(number) found for service \"\(target.name)\"")
      }
      portName = port["name"]?.string ?? ""
    }
    let subsets = try endpointSubsets(namespace: namespace, name: target.name, service: service)
    guard !subsets.isEmpty else {
      throw APIError(
        code: 503, reason: "ServiceUnavailable", message: "no endpoints available for service \"\(target.name)\"")
    }
    let podType = registry.type(group: "", plural: "pods")!
    for subset in subsets {
      guard let port = (subset["ports"]?.array ?? []).first(where: { ($0["name"]?.string ?? "") == portName }),
        let number = port["port"]?.int
      else { continue }
      for address in subset["addresses"]?.array ?? [] {
        // Like the real server: only addresses that are pods still holding that IP.
        guard let ip = address["ip"]?.string, address[path: "targetRef", "kind"]?.string == "Pod",
          let podName = address[path: "targetRef", "name"]?.string,
          let pod = object(podType, namespace: namespace, name: podName), Self.podIPs(pod).contains(ip)
        else { continue }
        return ProxyBackend(ip: ip, port: String(number), pod: pod)
      }
    }
    throw APIError(
      code: 503, reason: "ServiceUnavailable", message: "no endpoints available for service \"\(segment)\"")
  }

  /// The Endpoints subsets of a Service: what the endpoints controller makes of its selector, or the
  /// stored Endpoints object of a Service without one.
  func endpointSubsets(namespace: String, name: String, service: JSONValue?) throws(APIError) -> [JSONValue] {
    guard let service, let selector = service[path: "spec", "selector"]?.object, !selector.isEmpty else {
      let endpointsType = registry.type(group: "", plural: "endpoints")!
      guard let endpoints = object(endpointsType, namespace: namespace, name: name) else {
        throw .notFound(endpointsType, name: name)
      }
      return endpoints["subsets"]?.array ?? []
    }
    let wanted = selector.compactMapValues(\.string)
    let podType = registry.type(group: "", plural: "pods")!
    let pods = list(podType, namespace: namespace).filter { pod in
      let labels = pod.labels
      return wanted.allSatisfy { labels[$0.key] == $0.value } && Self.podIP(pod) != nil
        && pod[path: "metadata", "deletionTimestamp"] == nil
    }
    let servicePorts = service[path: "spec", "ports"]?.array ?? []
    var subsets: [JSONValue] = []
    for pod in pods {
      let ports = servicePorts.compactMap { servicePort -> JSONValue? in
        guard let number = Self.targetPort(servicePort, in: pod) else { return nil }
        return ["name": servicePort["name"] ?? "", "port": .int(number), "protocol": servicePort["protocol"] ?? "TCP"]
      }
      guard !ports.isEmpty, let ip = Self.podIP(pod) else { continue }
      let address: JSONValue = [
        "ip": .string(ip),
        "targetRef": [
          "kind": "Pod", "namespace": .string(namespace), "name": pod[path: "metadata", "name"] ?? "",
        ],
      ]
      let key = Self.isReady(pod) ? "addresses" : "notReadyAddresses"
      subsets.append(["ports": .array(ports), key: [address]])
    }
    return subsets
  }

  /// The container port a Service port leads to in one pod (a named target port must be declared there).
  static func targetPort(_ servicePort: JSONValue, in pod: JSONValue) -> Int? {
    switch servicePort["targetPort"] {
    case .string(let name)?:
      if let number = Int(name) { return number }
      let declared = (pod[path: "spec", "containers"]?.array ?? []).flatMap { $0["ports"]?.array ?? [] }
      return declared.first { $0["name"]?.string == name }?["containerPort"]?.int
    case let value?:
      return value.int ?? servicePort["port"]?.int
    case nil:
      return servicePort["port"]?.int
    }
  }

  static func podIP(_ pod: JSONValue) -> String? { podIPs(pod).first }

  static func podIPs(_ pod: JSONValue) -> [String] {
    let listed = (pod[path: "status", "podIPs"]?.array ?? []).compactMap { $0["ip"]?.string }
    if !listed.isEmpty { return listed }
    return pod[path: "status", "podIP"]?.string.map { [$0] }?.filter { !$0.isEmpty } ?? []
  }

  /// Running with the Ready condition true: what puts a pod among a Service's ready addresses.
  static func isReady(_ pod: JSONValue) -> Bool {
    pod[path: "status", "phase"]?.string == "Running"
      && (pod[path: "status", "conditions"]?.array ?? []).contains {
        $0["type"]?.string == "Ready" && $0["status"]?.string == "True"
      }
  }

  /// Go's `IsGlobalUnicast` for the addresses pods get: not loopback, link-local, multicast or unspecified.
  static func isGlobalUnicast(_ address: String) -> Bool {
    if address.contains(":") {
      let lower = address.lowercased()
      return lower != "::" && lower != "::1" && !lower.hasPrefix("fe80:") && !lower.hasPrefix("ff")
    }
    let octets = address.split(separator: ".", omittingEmptySubsequences: false).map { UInt8($0) }
    guard octets.count == 4, let first = octets[0], let second = octets[1], octets.allSatisfy({ $0 != nil }) else {
      return false
    }
    return first != 0 && first != 127 && first < 224 && !(first == 169 && second == 254)
  }
}
