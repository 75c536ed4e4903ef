/// Canned answers for the API server's proxy subresource:
/// `/api/v1/namespaces/NS/services/[SCHEME:]NAME[:PORT]/proxy/PATH` and the same for pods.
///
/// A canned answer is what the backend says once the API server has reached it; the server first
/// checks what a real one checks (`ProxyRoute.swift`): the Service or Pod exists, the port, ready
/// endpoints, a pod address. A reachable backend without a canned answer refuses the connection.

public enum ProxyTargetKind: String, Sendable, Codable, CaseIterable {
  case service
  case pod
}

/// One canned proxy answer.
public struct ProxyAnswer: Sendable, Equatable {
  public var namespace: String
  public var kind: ProxyTargetKind
  public var name: String
  /// The port as written in the URL (`9090` or a port name); nil answers on every port.
  public var port: String?
  /// The path after `/proxy` (leading `/`). May carry `?query` to match only that query; `*` matches
  /// every path and a trailing `*` matches a prefix.
  public var path: String
  public var status: Int
  public var body: [UInt8]
  public var contentType: String
  /// Added before the answer is sent.
  public var delay: Duration
  public var headers: [String: String]

  public init(
    namespace: String = "default", kind: ProxyTargetKind = .service, name: String, port: String? = nil,
    path: String = "*",
    status: Int = 200, body: [UInt8], contentType: String = "application/json", delay: Duration = .zero,
    headers: [String: String] = [:]
  ) {
    self.namespace = namespace
    self.kind = kind
    self.name = name
    self.port = port
    self.path = path
    self.status = status
    self.body = body
    self.contentType = contentType
    self.delay = delay
    self.headers = headers
  }

  /// How well this answer fits a request (nil: not at all; higher is more specific).
  func score(namespace: String, kind: ProxyTargetKind, name: String, port: String, path: String, query: String) -> Int?
  {
    guard self.namespace == namespace, self.kind == kind, self.name == name else { return nil }
    var score = 0
    if let wanted = self.port {
      guard wanted == port else { return nil }
      score += 100
    }
    let normalized = path.isEmpty ? "/" : path
    let pattern = self.path.isEmpty ? "/" : self.path
    if pattern == "*" {
      return score
    } else if pattern.hasSuffix("*") {
      guard normalized.hasPrefix(String(pattern.dropLast())) else { return nil }
      return score + 10 + pattern.count
    } else if let mark = pattern.firstIndex(of: "?") {
      guard String(pattern[..<mark]) == normalized, String(pattern[pattern.index(after: mark)...]) == query else {
        return nil
      }
      return score + 90
    } else {
      guard pattern == normalized else { return nil }
      return score + 80
    }
  }
}

extension ClusterState {
  /// Sets (or replaces) the canned answer for one proxy target, port and path.
  public func setProxyAnswer(
    namespace: String = "default", kind: ProxyTargetKind = .service, name: String, port: String? = nil,
    path: String = "*", status: Int = 200, body: String, contentType: String = "application/json",
    delay: Duration = .zero, headers: [String: String] = [:]
  ) {
    setProxyAnswer(
      ProxyAnswer(
        namespace: namespace, kind: kind, name: name, port: port, path: path, status: status, body: Array(body.utf8),
        contentType: contentType, delay: delay, headers: headers))
  }

  /// Same, with a numeric port.
  public func setProxyAnswer(
    namespace: String = "default", kind: ProxyTargetKind = .service, name: String, port: Int, path: String = "*",
    status: Int = 200, body: String, contentType: String = "application/json", delay: Duration = .zero,
    headers: [String: String] = [:]
  ) {
    setProxyAnswer(
      namespace: namespace, kind: kind, name: name, port: String(port), path: path, status: status, body: body,
      contentType: contentType, delay: delay, headers: headers)
  }

  /// Sets (or replaces: same namespace, kind, name, port and path) a canned proxy answer.
  public func setProxyAnswer(_ answer: ProxyAnswer) {
    withStorage { storage in
      storage.proxyAnswers.removeAll {
        $0.namespace == answer.namespace && $0.kind == answer.kind && $0.name == answer.name && $0.port == answer.port
          && $0.path == answer.path
      }
      storage.proxyAnswers.append(answer)
    }
  }

  /// Removes canned answers (all of them, or those of one target): its backend then refuses
  /// connections, as a container that does not listen on the port.
  public func removeProxyAnswers(namespace: String? = nil, kind: ProxyTargetKind? = nil, name: String? = nil) {
    withStorage { storage in
      storage.proxyAnswers.removeAll {
        (namespace == nil || $0.namespace == namespace) && (kind == nil || $0.kind == kind)
          && (name == nil || $0.name == name)
      }
    }
  }

  public var proxyAnswers: [ProxyAnswer] { withStorage { $0.proxyAnswers } }

  /// Whether a backend listens on that port: some canned answer covers it (on any path).
  func hasProxyAnswers(namespace: String, kind: ProxyTargetKind, name: String, port: String) -> Bool {
    withStorage { storage in
      storage.proxyAnswers.contains {
        $0.namespace == namespace && $0.kind == kind && $0.name == name && ($0.port == nil || $0.port == port)
      }
    }
  }

  /// The most specific canned answer for a request, if any.
  func proxyAnswer(
    namespace: String, kind: ProxyTargetKind, name: String, port: String, path: String, query: String
  )
    -> ProxyAnswer?
  {
    withStorage { storage in
      storage.proxyAnswers.compactMap { answer in
        answer.score(namespace: namespace, kind: kind, name: name, port: port, path: path, query: query).map {
          (answer, $0)
        }
      }.max { $0.1 < $1.1 }?.0
    }
  }
}
