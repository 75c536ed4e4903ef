import Foundation

/// One HTTP request as the router sees it.
struct APIRequest: Sendable {
  var method: String
  /// The path as sent (still percent-encoded).
  var path: String
  /// The query without `?`, as sent.
  var rawQuery: String
  /// Decoded query parameters (the last value wins).
  var query: [String: String]
  /// Header names are lowercased.
  var headers: [String: String]
  var body: [UInt8]

  init(method: String, uri: String, headers: [String: String], body: [UInt8]) {
    self.method = method
    if let mark = uri.firstIndex(of: "?") {
      path = String(uri[..<mark])
      rawQuery = String(uri[uri.index(after: mark)...])
    } else {
      path = uri
      rawQuery = ""
    }
    query = Self.decodeQuery(rawQuery)
    self.headers = headers
    self.body = body
  }

  static func decodeQuery(_ raw: String) -> [String: String] {
    var query: [String: String] = [:]
    for pair in raw.split(separator: "&") where !pair.isEmpty {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let key = decode(String(parts[0]))
      query[key] = parts.count > 1 ? decode(String(parts[1])) : ""
    }
    return query
  }

  static func decode(_ text: String) -> String {
    let spaced = text.replacingOccurrences(of: "+", with: " ")
    return spaced.removingPercentEncoding ?? spaced
  }

  func header(_ name: String) -> String? { headers[name.lowercased()] }

  var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// What a request is about, resolved like the API server's RequestInfo: verb, group, version,
/// namespace, resource, name, subresource and the rest of the path (for proxy).
struct RequestInfo: Sendable, Equatable {
  var isResourceRequest = false
  /// Kubernetes verb (get, list, watch, create, update, patch, delete, deletecollection) for resource
  /// requests; the lowercased method otherwise.
  var verb: String
  var apiPrefix = ""
  var group = ""
  var version = ""
  var namespace: String?
  var resource = ""
  var subresource: String?
  var name: String?
  /// The path after the subresource, with its leading `/` (for `.../proxy/metrics` it is `/metrics`).
  var remainder = ""
  /// The segments after the API prefix for non-resource discovery paths.
  var segments: [String] = []

  init(method: String, path: String, query: [String: String]) {
    let lowerMethod = method.lowercased()
    verb = lowerMethod
    var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    if parts.first == "" { parts.removeFirst() }
    segments = parts
    guard let prefix = parts.first, prefix == "api" || prefix == "apis" else { return }
    apiPrefix = prefix
    parts.removeFirst()
    if prefix == "apis" {
      guard parts.count >= 2 else { return }
      group = parts.removeFirst()
    }
    guard !parts.isEmpty, !parts[0].isEmpty else { return }
    version = parts.removeFirst()
    guard !parts.isEmpty, !parts[0].isEmpty else { return }
    isResourceRequest = true
    var watchPath = false
    if parts.first == "watch" {
      watchPath = true
      parts.removeFirst()
    }
    if parts.first == "namespaces", parts.count > 1 {
      namespace = Self.unescape(parts[1])
      if parts.count > 2, !["status", "finalize"].contains(parts[2]) { parts.removeFirst(2) }
    }
    guard !parts.isEmpty, !parts[0].isEmpty else {
      isResourceRequest = false
      return
    }
    resource = parts.removeFirst()
    if !parts.isEmpty, !parts[0].isEmpty || parts.count > 1 { name = Self.unescape(parts.removeFirst()) }
    if !parts.isEmpty, !parts[0].isEmpty { subresource = parts.removeFirst() }
    remainder = parts.isEmpty ? "" : "/" + parts.joined(separator: "/")
    if resource == "namespaces", subresource == nil, name == nil { namespace = nil }
    if resource == "namespaces", name != nil, namespace == name { namespace = nil }

    let watching = watchPath || query["watch"].map(isTrue) ?? false
    switch lowerMethod {
    case "get", "head": verb = watching ? "watch" : (name == nil ? "list" : "get")
    case "post": verb = "create"
    case "put": verb = "update"
    case "patch": verb = "patch"
    case "delete": verb = name == nil ? "deletecollection" : "delete"
    default: verb = lowerMethod
    }
    if subresource == "proxy" {
      switch lowerMethod {
      case "get", "head": verb = "get"
      case "post": verb = "create"
      default: break
      }
    }
  }

  static func unescape(_ segment: String) -> String { segment.removingPercentEncoding ?? segment }
}
