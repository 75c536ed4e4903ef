/// Maps one request to its answer. Pure request → reply logic over the cluster state; the NIO side
/// (`HTTPHandler`) does the writing, delays and streaming.

/// A complete answer.
struct HTTPReply: Sendable {
  var status: Int
  var contentType: String
  var body: [UInt8]
  var headers: [(String, String)] = []
  /// Wait this long before sending (canned proxy answers).
  var delay: Duration = .zero

  static func json(_ value: JSONValue, status: Int = 200, contentType: String = "application/json") -> HTTPReply {
    HTTPReply(status: status, contentType: contentType, body: value.jsonBytes)
  }

  static func error(_ error: APIError) -> HTTPReply {
    .json(error.status, status: error.code)
  }

  static func text(_ text: String, status: Int = 200) -> HTTPReply {
    HTTPReply(status: status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
  }
}

enum StreamChunk: Sendable {
  case data([UInt8])
  case end
}

/// A chunked answer that goes on until the client leaves, a timeout, or `.end`.
struct StreamPlan {
  var contentType: String
  /// Ends the stream after this long (`timeoutSeconds`).
  var timeout: Duration?
  /// Subscribes: later chunks go to `emit` (from any thread). Returns the chunks to send first and how
  /// to unsubscribe. Throwing answers with that error instead of starting the stream.
  var start:
    (_ emit: @escaping @Sendable (StreamChunk) -> Void) throws(APIError) -> (
      initial: [[UInt8]], cancel: @Sendable () -> Void
    )
}

enum Reply {
  case full(HTTPReply)
  case stream(StreamPlan)
  case hang
}

struct Router {
  let state: ClusterState
  let behavior: StandInBehavior
  /// `127.0.0.1:PORT`, for `/api`'s serverAddressByClientCIDRs.
  let serverAddress: String

  func route(_ request: APIRequest, info: RequestInfo) -> Reply {
    guard info.isResourceRequest else { return .full(nonResource(request, info: info)) }
    let registry = state.withStorage { $0.registry }
    guard let type = registry.type(group: info.group, version: info.version, plural: info.resource) else {
      return .full(.error(.pathNotFound))
    }
    do {
      switch info.subresource {
      case nil:
        return try resource(request, info: info, type: type)
      case "status":
        return .full(try status(request, info: info, type: type))
      case "scale" where type.subresources.contains("scale"):
        return .full(try scale(request, info: info, type: type))
      case "log" where type.kind == "Pod" && type.group.isEmpty:
        return try logs(request, info: info)
      case "proxy" where type.subresources.contains("proxy"):
        return .full(try proxy(request, info: info, type: type))
      case "eviction" where type.kind == "Pod" && type.group.isEmpty && info.verb == "create":
        return .full(try evict(request, info: info, type: type))
      default:
        return .full(.error(.pathNotFound))
      }
    } catch {
      return .full(.error(error))
    }
  }

  // MARK: Non-resource paths

  private func nonResource(_ request: APIRequest, info: RequestInfo) -> HTTPReply {
    guard ["GET", "HEAD"].contains(request.method.uppercased()) else { return .error(.methodNotAllowed) }
    let path = request.path.count > 1 && request.path.hasSuffix("/") ? String(request.path.dropLast()) : request.path
    let registry = state.withStorage { $0.registry }
    switch path {
    case "/version":
      return .json(Discovery.version(state.serverVersion))
    case "/healthz", "/livez", "/readyz":
      return .text("ok")
    case "/api":
      if let version = Discovery.aggregatedVersion(accept: request.header("accept")) {
        return .json(
          Discovery.aggregated(core: true, registry: registry, version: version),
          contentType: version == "v2" ? Discovery.aggregatedV2 : Discovery.aggregatedV2Beta1)
      }
      return .json(Discovery.apiVersions(serverAddress: serverAddress))
    case "/apis":
      if let version = Discovery.aggregatedVersion(accept: request.header("accept")) {
        return .json(
          Discovery.aggregated(core: false, registry: registry, version: version),
          contentType: version == "v2" ? Discovery.aggregatedV2 : Discovery.aggregatedV2Beta1)
      }
      return .json(Discovery.apiGroupList(registry))
    case "/openapi/v3":
      return .json(OpenAPI.root(registry))
    default:
      break
    }
    let segments = info.segments.filter { !$0.isEmpty }
    if segments.first == "api", segments.count == 2,
      let list = Discovery.resourceList(group: "", version: segments[1], registry: registry)
    {
      return .json(list)
    }
    if segments.first == "apis", segments.count == 2, registry.groups.contains(segments[1]) {
      var group = Discovery.apiGroup(segments[1], registry: registry)
      group["kind"] = "APIGroup"
      group["apiVersion"] = "v1"
      return .json(group)
    }
    if segments.first == "apis", segments.count == 3,
      let list = Discovery.resourceList(group: segments[1], version: segments[2], registry: registry)
    {
      return .json(list)
    }
    if segments.starts(with: ["openapi", "v3"]) {
      let rest = Array(segments.dropFirst(2))
      let groupVersion: (String, String)? =
        switch (rest.first, rest.count) {
        case ("api", 2): ("", rest[1])
        case ("apis", 3): (rest[1], rest[2])
        default: nil
        }
      if let (group, version) = groupVersion,
        let document = OpenAPI.document(
          group: group, version: version, registry: registry, serverVersion: state.serverVersion)
      {
        return .json(document)
      }
    }
    if segments.first == "healthz" || segments.first == "livez" || segments.first == "readyz" { return .text("ok") }
    return .error(.pathNotFound)
  }
}
