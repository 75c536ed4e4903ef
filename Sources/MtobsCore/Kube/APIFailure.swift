import Foundation

/// The request a failed answer belongs to: enough to name what was asked of whom.
public struct APIRequest: Sendable, Equatable {
  public var method: String
  /// The API path (`/api/v1/namespaces/NS/pods/P:9090/proxy/metrics`), or nil when the call was
  /// not one request (e.g. `kubectl get a,b,c`).
  public var path: String?
  /// What the call was for, in words ("listing pods").
  public var what: String

  public init(method: String = "GET", path: String? = nil, what: String) {
    self.method = method
    self.path = path
    self.what = what
  }

  /// The Service or pod behind the API server's proxy that this request goes to, if it does.
  public var proxyTarget: ProxyTarget? { path.flatMap(ProxyTarget.init(path:)) }
}

/// `…/namespaces/NS/services|pods/[SCHEME:]NAME[:PORT]/proxy/…`, taken apart.
public struct ProxyTarget: Sendable, Equatable {
  public enum Kind: String, Sendable, Equatable { case service, pod }
  public var kind: Kind
  public var namespace: String
  public var name: String
  /// As written in the URL (a number or a port name); nil when the URL names none.
  public var port: String?

  public init(kind: Kind, namespace: String, name: String, port: String?) {
    self.kind = kind
    self.namespace = namespace
    self.name = name
    self.port = port
  }

  init?(path: String) {
    let bare = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
    let parts = bare.split(separator: "/").map(String.init)
    guard parts.count >= 7, parts[0] == "api", parts[1] == "v1", parts[2] == "namespaces", parts[6] == "proxy",
      let kind = Kind(rawValue: String(parts[4].dropLast()))
    else { return nil }
    // [SCHEME:]NAME[:PORT]
    let segment = parts[5].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    let (name, port): (String, String?) =
      switch segment.count {
      case 1: (segment[0], nil)
      case 2: (segment[0], segment[1].isEmpty ? nil : segment[1])
      default: (segment[1], segment[2].isEmpty ? nil : segment[2])
      }
    self.init(kind: kind, namespace: parts[3], name: name, port: port)
  }

  /// `pod P` / `Service S`, as an operator would say it.
  var spoken: String { kind == .pod ? "pod \(name)" : "Service \(name)" }
}

/// A non-2xx HTTP answer, classified by its real status and body — the same for every transport
/// (today kubectl's `-v` log, next a `kubectl proxy` socket), so diagnoses do not depend on how
/// kubectl words things.
public struct APIFailure: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// 503 from the API server's proxy: the Service has no ready endpoint.
    case noEndpoints(service: String)
    /// 503 from the API server's proxy: the Service has no such port.
    case noServicePort(service: String, port: String)
    /// The API server's proxy could not connect to the backend (`dial tcp ADDRESS: connect: connection refused`).
    case backendRefused(address: String?)
    /// The API server's proxy could not reach the backend for another network reason.
    case backendUnreachable
    /// The proxied backend itself answered with this status; `message` is its body's first line.
    case backendAnswered
    /// The API server is rate-limiting (429).
    case throttled(retryAfterSeconds: Int?)
    /// No answer from the API server at all: `kubectl proxy` reports Go's network error as a 500.
    case apiServerUnreachable
    case unauthorized, forbidden, notFound
    /// The API server gave up waiting (504, or a Status with reason Timeout).
    case timeout
    /// Any other failure the API server reported.
    case server
  }

  public let status: Int
  public let kind: Kind
  /// What the server (or the backend) said, one line, klog prefixes removed.
  public let message: String
  /// The backend's body as text, for `backendAnswered` (kept for the report's evidence).
  public let body: String?

  public init(status: Int, kind: Kind, message: String, body: String? = nil) {
    self.status = status
    self.kind = kind
    self.message = message
    self.body = body
  }

  /// Pure: the same status, body and headers always give the same verdict.
  public static func classify(
    status: Int, body: [UInt8], headers: [(String, String)], request: APIRequest
  ) -> APIFailure {
    let text = String(decoding: body.prefix(64 << 10), as: UTF8.self)
    let statusObject = (try? JSONValue.decode(body)).flatMap { json in
      json["kind"]?.string == "Status" || json["status"]?.string == "Failure" ? json : nil
    }
    let retryAfter = header("Retry-After", in: headers).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    let proxy = request.proxyTarget
    guard let statusObject else {
      let line = firstLine(text)
      // `kubectl proxy` answers for itself only when it cannot reach the API server; every answer
      // the API server sends (proxied ones too) carries an Audit-Id.
      if status == 500, isGoNetworkError(line), header("Audit-Id", in: headers) == nil {
        return APIFailure(status: status, kind: .apiServerUnreachable, message: line)
      }
      if proxy != nil { return APIFailure(status: status, kind: .backendAnswered, message: line, body: text) }
      return generic(status: status, message: line, reason: nil, retryAfter: retryAfter)
    }
    let message = firstLine(statusObject["message"]?.string ?? "")
    let reason = statusObject["reason"]?.string
    let detailsRetry = statusObject[path: "details", "retryAfterSeconds"].flatMap(exactInt)
    if let proxy, status == 503 || reason == "ServiceUnavailable" {
      if let service = quoted(after: "no endpoints available for service ", in: message) {
        return APIFailure(status: status, kind: .noEndpoints(service: service), message: message)
      }
      if let port = quoted(after: "no service port ", in: message) {
        return APIFailure(status: status, kind: .noServicePort(service: proxy.name, port: port), message: message)
      }
      if message.hasPrefix("error trying to reach service") {
        let lower = message.lowercased()
        if lower.contains("connection refused") {
          return APIFailure(status: status, kind: .backendRefused(address: dialAddress(in: message)), message: message)
        }
        return APIFailure(status: status, kind: .backendUnreachable, message: message)
      }
    }
    return generic(status: status, message: message, reason: reason, retryAfter: retryAfter ?? detailsRetry)
  }

  private static func generic(status: Int, message: String, reason: String?, retryAfter: Int?) -> APIFailure {
    let kind: Kind =
      switch status {
      case 429: .throttled(retryAfterSeconds: retryAfter)
      case 401: .unauthorized
      case 403: .forbidden
      case 404: .notFound
      case 504: .timeout
      default: reason == "Timeout" ? .timeout : .server
      }
    return APIFailure(status: status, kind: kind, message: message)
  }

  /// The advice a user reads; `target` names the cluster in words ("context 'dev'").
  public func kubeError(target: KubeTarget, request: APIRequest) -> KubeError {
    let context = target.context.map { "context '\($0)'" } ?? "the current context"
    let proxy = request.proxyTarget
    let namespace = proxy?.namespace ?? target.namespace
    let said = message.isEmpty || message == "unknown" ? "" : ": \(message)"
    switch kind {
    case .noEndpoints(let service):
      return KubeError(
        .noEndpoints, "no ready endpoints behind Service \(service)",
        hint:
          "check its pods: `kubectl get endpoints \(service) -n \(namespace)` lists none ready; "
          + "`kubectl describe service \(service) -n \(namespace)` shows the selector to match against "
          + "`kubectl get pods -n \(namespace) --show-labels`", failure: self)
    case .noServicePort(let service, let port):
      return KubeError(
        .notFound, "Service \(service) has no port \(port)",
        hint: "compare with `kubectl get service \(service) -n \(namespace) -o jsonpath='{.spec.ports}'`",
        failure: self)
    case .backendRefused(let address):
      let port = proxy?.port ?? address.flatMap { $0.split(separator: ":").last.map(String.init) } ?? "?"
      let who: String
      let hint: String
      if let proxy, proxy.kind == .pod {
        who = "pod \(proxy.name) does not accept connections on port \(port)"
        hint =
          "is the container listening there? `kubectl describe pod \(proxy.name) -n \(namespace)` (ports, restarts), "
          + "`kubectl logs \(proxy.name) -n \(namespace)`"
      } else {
        let service = proxy?.name ?? "the Service"
        who = "the pod behind Service \(service) does not accept connections on port \(port)"
        hint =
          "is the container listening there? `kubectl get endpoints \(service) -n \(namespace)` names the pod; "
          + "check its ports and logs"
      }
      return KubeError(.backendUnreachable, who + (address.map { " (\($0) refused)" } ?? ""), hint: hint, failure: self)
    case .backendUnreachable:
      let who =
        proxy.map { "\($0.spoken) could not be reached on port \($0.port ?? "?")" }
        ?? "the backend could not be reached"
      return KubeError(
        .backendUnreachable, "\(who)\(said)",
        hint: "the API server cannot reach the pod network there; check the pod's status and network policies",
        failure: self)
    case .backendAnswered:
      let who = proxy.map { "\($0.spoken) answered" } ?? "the backend answered"
      return KubeError(
        .serverError, "\(who) \(status)\(said)",
        hint: "that is the backend's own answer; look at its pods' logs (`kubectl get pods -n \(namespace)`)",
        failure: self)
    case .throttled(let seconds):
      let retry = seconds.map { ", retry after \($0) s" } ?? ""
      return KubeError(
        .throttled, "the API server is throttling requests (429)\(retry)",
        hint: "wait and run again; many clients share this API server (API Priority and Fairness)", failure: self)
    case .apiServerUnreachable:
      return KubeError(
        .unreachable, "cannot reach the API server of \(context)\(said)",
        hint: "is the cluster running and is this the right context? Try `kubectl cluster-info`", failure: self)
    case .unauthorized:
      return KubeError(
        .unauthorized, "the API server rejected the credentials of \(context) (401 Unauthorized)",
        hint: "log in again or refresh the token in the kubeconfig (`kubectl auth whoami`)", failure: self)
    case .forbidden:
      return KubeError(
        .forbidden, "not allowed: \(message)",
        hint: "ask for read access in namespace '\(namespace)'; check with `kubectl auth can-i --list -n \(namespace)`",
        failure: self)
    case .notFound:
      return KubeError(
        .notFound, message.isEmpty ? "\(request.what): not found (404)" : message,
        hint: "check the name and namespace (-n), or deploy the stack with `mtobs deploy`", failure: self)
    case .timeout:
      return KubeError(
        .timeout, "the API server gave up waiting (\(status))\(said)",
        hint: "retry; a slow etcd or webhook is the usual cause (`kubectl get --raw /readyz?verbose`)", failure: self)
    case .server:
      return KubeError(
        .serverError, "the API server answered \(status)\(said.isEmpty ? " (it gave no reason)" : said)",
        hint: "retry, or look at `kubectl get events -n \(namespace)`", failure: self)
    }
  }

  // MARK: - Reading bodies

  static func header(_ name: String, in headers: [(String, String)]) -> String? {
    headers.last { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
  }

  /// The first non-empty line, at most 300 characters.
  static func firstLine(_ text: String) -> String {
    let line =
      text.split(whereSeparator: \.isNewline).lazy.map { $0.trimmingCharacters(in: .whitespaces) }
      .first { !$0.isEmpty } ?? ""
    return line.count > 300 ? String(line.prefix(300)) + "…" : line
  }

  /// Go's net/http errors as `kubectl proxy` writes them.
  static func isGoNetworkError(_ line: String) -> Bool {
    let prefixes = [
      "dial tcp", "dial unix", "read tcp", "write tcp", "EOF", "unexpected EOF", "net/http:", "tls:", "x509:",
    ]
    return prefixes.contains { line.hasPrefix($0) } || line.contains("connection reset by peer")
  }

  /// `no endpoints available for service "loki"` → `loki`.
  static func quoted(after prefix: String, in message: String) -> String? {
    guard let start = message.range(of: prefix) else { return nil }
    let rest = message[start.upperBound...]
    guard rest.first == "\"", let end = rest.dropFirst().firstIndex(of: "\"") else { return nil }
    return String(rest[rest.index(after: rest.startIndex)..<end])
  }

  /// `… dial tcp 10.244.0.5:9090: connect: …` → `10.244.0.5:9090`.
  static func dialAddress(in message: String) -> String? {
    guard let dial = message.range(of: "dial tcp ") else { return nil }
    let rest = message[dial.upperBound...]
    let address = rest.prefix { $0 != " " }
    let trimmed = address.hasSuffix(":") ? address.dropLast() : address[...]
    return trimmed.isEmpty ? nil : String(trimmed)
  }

  static func exactInt(_ value: JSONValue) -> Int? {
    if case .number(let number) = value { return Int(exactly: number) }
    return nil
  }
}
