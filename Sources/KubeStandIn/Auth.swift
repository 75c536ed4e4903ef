/// Authorization reviews (`kubectl auth can-i`, `kubectl auth can-i --list`, `kubectl auth whoami`).
/// Everything is allowed except what a behaviour rule answers with 403 for the same request.
extension Router {
  func review(_ request: APIRequest, type: ResourceType) throws(APIError) -> HTTPReply {
    var review = try body(request)
    review["kind"] = .string(type.kind)
    review["apiVersion"] = .string(type.apiVersion)
    if review["metadata"] == nil || review["metadata"] == .null { review["metadata"] = [:] }
    switch type.kind {
    case "SelfSubjectAccessReview":
      let denied: Bool
      if let attributes = review[path: "spec", "resourceAttributes"] {
        denied = isForbidden(resourceAttributes: attributes)
      } else if let attributes = review[path: "spec", "nonResourceAttributes"] {
        let path = attributes["path"]?.string ?? "/"
        let verb = attributes["verb"]?.string ?? "get"
        denied = isForbidden(
          method: Self.method(forVerb: verb), path: path, info: RequestInfo(method: "GET", path: path, query: [:]))
      } else {
        throw .invalid(type, name: "", "spec: Invalid value: resourceAttributes or nonResourceAttributes is required")
      }
      review["status"] =
        denied
        ? ["allowed": false, "denied": true]  // no reason: kubectl would print "no - <reason>"
        : ["allowed": true]
    case "SelfSubjectRulesReview":
      review["status"] = [
        "resourceRules": [["verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]]],
        "nonResourceRules": [["verbs": ["*"], "nonResourceURLs": ["*"]]],
        "incomplete": false,
      ]
    case "SelfSubjectReview":
      review["status"] = [
        "userInfo": ["username": .string(behavior.user), "groups": ["system:authenticated"]]
      ]
    default:
      throw .methodNotAllowed
    }
    return .json(review, status: 201)
  }

  static func method(forVerb verb: String) -> String {
    switch verb {
    case "create": "POST"
    case "update": "PUT"
    case "patch": "PATCH"
    case "delete", "deletecollection": "DELETE"
    default: "GET"
    }
  }

  /// Whether a behaviour rule forbids the request an access review describes.
  private func isForbidden(resourceAttributes attributes: JSONValue) -> Bool {
    let verb = attributes["verb"]?.string ?? "get"
    let group = attributes["group"]?.string ?? ""
    let resource = attributes["resource"]?.string ?? ""
    let registry = state.withStorage { $0.registry }
    let version =
      attributes["version"]?.string.flatMap { $0.isEmpty ? nil : $0 }
      ?? registry.type(group: group, plural: resource)?.version ?? "v1"
    var path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
    if let namespace = attributes["namespace"]?.string, !namespace.isEmpty { path += "/namespaces/\(namespace)" }
    path += "/\(resource)"
    if let name = attributes["name"]?.string, !name.isEmpty { path += "/\(name)" }
    if let subresource = attributes["subresource"]?.string, !subresource.isEmpty {
      if attributes["name"]?.string?.isEmpty ?? true { path += "/_" }
      path += "/\(subresource)"
    }
    let method = Self.method(forVerb: verb)
    var info = RequestInfo(method: method, path: path, query: verb == "watch" ? ["watch": "true"] : [:])
    info.verb = verb
    return isForbidden(method: method, path: path, info: info)
  }

  private func isForbidden(method: String, path: String, info: RequestInfo) -> Bool {
    guard let index = behavior.firstRule(method: method, path: path, info: info, skipping: { _ in false }) else {
      return false
    }
    switch behavior.rules[index].action {
    case .forbidden, .status(403, _), .raw(status: 403, _, _): return true
    default: return false
    }
  }
}
