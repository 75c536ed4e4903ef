/// How the stand-in misbehaves, for failure tests and benchmarks. Change it at any time through
/// `StandInAPIServer.behavior`; the next request sees the change.
public struct StandInBehavior: Sendable, Equatable {
  /// Added before every answer (e.g. `.milliseconds(100)` to model a distant API server).
  public var delay: Duration
  /// Forced answers; the first rule that matches a request wins.
  public var rules: [Rule]
  /// When set, requests must carry `Authorization: Bearer <token>`, else 401 (like a real server).
  /// Note that kubectl never sends kubeconfig credentials to a plain-HTTP server, so with kubectl this
  /// answers every request with 401; use `Rule.unauthorized()` for kubectl tests.
  public var requiredToken: String?
  /// The user named in Forbidden messages and reported by `kubectl auth whoami`.
  public var user: String

  public init(delay: Duration = .zero, rules: [Rule] = [], requiredToken: String? = nil, user: String = "standin-user")
  {
    self.delay = delay
    self.rules = rules
    self.requiredToken = requiredToken
    self.user = user
  }

  /// A forced answer for the requests it matches. Every criterion that is set must match.
  public struct Rule: Sendable, Equatable {
    /// HTTP method (`GET`, `PATCH`…), case-insensitive.
    public var method: String?
    /// The exact request path (no query).
    public var path: String?
    /// A prefix of the request path.
    public var pathPrefix: String?
    /// A substring of the request path.
    public var pathContains: String?
    /// Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection.
    public var verb: String?
    /// Resource (plural, e.g. `secrets`); only resource requests match.
    public var resource: String?
    /// Subresource (`proxy`, `log`, `status`…).
    public var subresource: String?
    public var namespace: String?
    public var name: String?
    public var action: Action
    /// Only the first `limit` matching requests get the forced answer (nil: all of them).
    public var limit: Int?

    public init(
      method: String? = nil, path: String? = nil, pathPrefix: String? = nil, pathContains: String? = nil,
      verb: String? = nil,
      resource: String? = nil, subresource: String? = nil, namespace: String? = nil, name: String? = nil,
      action: Action,
      limit: Int? = nil
    ) {
      self.method = method
      self.path = path
      self.pathPrefix = pathPrefix
      self.pathContains = pathContains
      self.verb = verb
      self.resource = resource
      self.subresource = subresource
      self.namespace = namespace
      self.name = name
      self.action = action
      self.limit = limit
    }

    /// 403 Forbidden with the real wording (`secrets is forbidden: User "…" cannot list resource…`).
    public static func forbidden(
      resource: String? = nil, subresource: String? = nil, verb: String? = nil, namespace: String? = nil,
      pathPrefix: String? = nil
    ) -> Rule {
      Rule(
        pathPrefix: pathPrefix, verb: verb, resource: resource, subresource: subresource, namespace: namespace,
        action: .forbidden)
    }

    /// 401 Unauthorized for every request (or those under `pathPrefix`).
    public static func unauthorized(pathPrefix: String? = nil) -> Rule {
      Rule(pathPrefix: pathPrefix, action: .status(401))
    }

    /// Accept the request and never answer.
    public static func hang(pathPrefix: String? = nil, resource: String? = nil, subresource: String? = nil) -> Rule {
      Rule(pathPrefix: pathPrefix, resource: resource, subresource: subresource, action: .hang)
    }

    func matches(method: String, path: String, info: RequestInfo) -> Bool {
      if let m = self.method, m.uppercased() != method.uppercased() { return false }
      if let p = self.path, p != path { return false }
      if let p = pathPrefix, !path.hasPrefix(p) { return false }
      if let p = pathContains, !path.contains(p) { return false }
      if verb != nil || resource != nil || subresource != nil || namespace != nil || name != nil {
        guard info.isResourceRequest else { return false }
      }
      if let v = verb, v != info.verb { return false }
      if let r = resource, r != info.resource { return false }
      if let s = subresource, s != info.subresource { return false }
      if let n = namespace, n != info.namespace { return false }
      if let n = name, n != info.name { return false }
      return true
    }
  }

  public enum Action: Sendable, Equatable {
    /// A `Status` failure with this code, the real reason for it and `message` (or a default one).
    case status(Int, message: String? = nil)
    /// 403 with the message the real server writes for this user, verb and resource.
    case forbidden
    /// Any answer at all.
    case raw(status: Int, body: String, contentType: String = "application/json")
    /// Never answer (the connection stays open until the client gives up).
    case hang
    /// Wait this long, then answer normally.
    case delay(Duration)
  }
}

extension StandInBehavior {
  /// The first rule (index) matching a request.
  func firstRule(method: String, path: String, info: RequestInfo, skipping exhausted: (Int) -> Bool) -> Int? {
    rules.indices.first { !exhausted($0) && rules[$0].matches(method: method, path: path, info: info) }
  }
}
