/// Backends that compute their answers (the stand-in LGTM stack of `verify` tests): a handler
/// answers the proxied requests of one target and port, after the API server's own checks
/// (`ProxyRoute.swift`: a missing Service is 404, no ready endpoints 503). A handler that returns
/// nil leaves the request to the canned answers, then the backend's `404 page not found`.

/// A request as the backend receives it.
public struct ProxyRequest: Sendable {
  public var method: String
  /// The path after `/proxy` (leading `/`), still percent-encoded.
  public var path: String
  /// Decoded query parameters (the last value wins).
  public var query: [String: String]
  public var body: [UInt8]
}

/// A backend's answer.
public struct ProxyResponse: Sendable {
  public var status: Int
  public var body: [UInt8]
  public var contentType: String
  /// Added before the answer is sent (a slow backend).
  public var delay: Duration = .zero

  public init(status: Int = 200, body: [UInt8], contentType: String = "application/json") {
    self.status = status
    self.body = body
    self.contentType = contentType
  }

  public static func json(_ value: JSONValue, status: Int = 200) -> ProxyResponse {
    ProxyResponse(status: status, body: value.jsonBytes)
  }

  public static func text(_ text: String, status: Int = 200) -> ProxyResponse {
    ProxyResponse(status: status, body: Array(text.utf8), contentType: "text/plain; charset=utf-8")
  }
}

public typealias ProxyHandler = @Sendable (ProxyRequest) -> ProxyResponse?

struct ProxyHandlerEntry: Sendable {
  var namespace: String
  var kind: ProxyTargetKind
  var name: String
  /// As written in the URL (a number or a port name); nil: every port.
  var port: String?
  var handler: ProxyHandler
}

extension ClusterState {
  /// Sets (or replaces) the handler of one proxy target and port.
  public func setProxyHandler(
    namespace: String, kind: ProxyTargetKind = .service, name: String, port: String?,
    _ handler: @escaping ProxyHandler
  ) {
    withStorage { storage in
      storage.proxyHandlers.removeAll {
        $0.namespace == namespace && $0.kind == kind && $0.name == name && $0.port == port
      }
      storage.proxyHandlers.append(
        ProxyHandlerEntry(namespace: namespace, kind: kind, name: name, port: port, handler: handler))
    }
  }

  /// The handler for a target and port: one for that port first, then one for every port.
  func proxyHandler(namespace: String, kind: ProxyTargetKind, name: String, port: String) -> ProxyHandler? {
    withStorage { storage in
      let mine = storage.proxyHandlers.filter { $0.namespace == namespace && $0.kind == kind && $0.name == name }
      return (mine.first { $0.port == port } ?? mine.first { $0.port == nil })?.handler
    }
  }
}
