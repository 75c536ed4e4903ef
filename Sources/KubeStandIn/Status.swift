/// A failed API call, answered as a `Status` object exactly like the real API server words it.
public struct APIError: Error, Sendable, Equatable {
  public var code: Int
  public var reason: String
  public var message: String
  public var details: JSONValue?

  public init(code: Int, reason: String, message: String, details: JSONValue? = nil) {
    self.code = code
    self.reason = reason
    self.message = message
    self.details = details
  }

  /// The `Status` object the server sends.
  public var status: JSONValue {
    var value: JSONValue = [
      "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure", "message": .string(message),
      "reason": .string(reason), "code": .int(code),
    ]
    if let details { value["details"] = details }
    return value
  }

  static func details(_ type: ResourceType?, resource: String, name: String?) -> JSONValue {
    var details: JSONValue = ["kind": .string(resource)]
    if let name, !name.isEmpty { details["name"] = .string(name) }
    if let group = type?.group, !group.isEmpty { details["group"] = .string(group) }
    return details
  }

  static func notFound(_ type: ResourceType, name: String) -> APIError {
    APIError(
      code: 404, reason: "NotFound", message: "\(type.qualifiedName) \"\(name)\" not found",
      details: details(type, resource: type.plural, name: name))
  }

  /// 404 for a path the server does not serve at all.
  static let pathNotFound = APIError(
    code: 404, reason: "NotFound", message: "the server could not find the requested resource", details: [:])

  static func alreadyExists(_ type: ResourceType, name: String) -> APIError {
    APIError(
      code: 409, reason: "AlreadyExists", message: "\(type.qualifiedName) \"\(name)\" already exists",
      details: details(type, resource: type.plural, name: name))
  }

  static func conflict(_ type: ResourceType, name: String) -> APIError {
    APIError(
      code: 409, reason: "Conflict",
      message:
        "Operation cannot be fulfilled on \(type.qualifiedName) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
      details: details(type, resource: type.plural, name: name))
  }

  static func badRequest(_ message: String) -> APIError {
    APIError(code: 400, reason: "BadRequest", message: message)
  }

  static func invalid(_ type: ResourceType, name: String, _ message: String) -> APIError {
    APIError(
      code: 422, reason: "Invalid", message: "\(type.kind) \"\(name)\" is invalid: \(message)",
      details: details(type, resource: type.plural, name: name))
  }

  static let methodNotAllowed = APIError(
    code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource",
    details: [:])

  static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")

  /// The real wording: `pods "x" is forbidden: User "u" cannot get resource "pods" in API group "" in the namespace "ns"`.
  static func forbidden(
    user: String, verb: String, group: String, resource: String, subresource: String?, namespace: String?, name: String?
  ) -> APIError {
    let full = subresource.map { "\(resource)/\($0)" } ?? resource
    let subject = group.isEmpty ? resource : "\(resource).\(group)"
    let head = name.map { "\(subject) \"\($0)\" is forbidden" } ?? "\(subject) is forbidden"
    let scope = namespace.map { "in the namespace \"\($0)\"" } ?? "at the cluster scope"
    var details: JSONValue = ["kind": .string(resource)]
    if let name { details["name"] = .string(name) }
    if !group.isEmpty { details["group"] = .string(group) }
    return APIError(
      code: 403, reason: "Forbidden",
      message: "\(head): User \"\(user)\" cannot \(verb) resource \"\(full)\" in API group \"\(group)\" \(scope)",
      details: details)
  }

  /// The reason the real server uses for a status code.
  static func reason(forCode code: Int) -> String {
    switch code {
    case 400: "BadRequest"
    case 401: "Unauthorized"
    case 403: "Forbidden"
    case 404: "NotFound"
    case 405: "MethodNotAllowed"
    case 406: "NotAcceptable"
    case 409: "Conflict"
    case 410: "Expired"
    case 413: "RequestEntityTooLarge"
    case 415: "UnsupportedMediaType"
    case 422: "Invalid"
    case 429: "TooManyRequests"
    case 500: "InternalError"
    case 503: "ServiceUnavailable"
    case 504: "Timeout"
    default: code >= 500 ? "InternalError" : "Unknown"
    }
  }

  /// A failure for any code, with the real server's reason and a default message.
  public static func forCode(_ code: Int, message: String? = nil) -> APIError {
    let reason = reason(forCode: code)
    let text: String
    switch (code, message) {
    case (_, .some(let message)): text = message
    case (401, nil): text = "Unauthorized"
    case (429, nil): text = "Too many requests, please try again later."
    case (500, nil): text = "Internal error occurred: stand-in forced failure"
    case (503, nil): text = "the server is currently unable to handle the request"
    case (504, nil):
      text = "the server was unable to return a response in the time allotted, but may still be processing the request"
    default: text = "the server responded with the status code \(code)"
    }
    return APIError(code: code, reason: reason, message: text, details: code == 401 ? nil : [:])
  }
}
