import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

// A fake kube-apiserver has to be handwritten: no library serves the Kubernetes REST protocol, so this
// is SwiftNIO HTTP/1.1 plus the routing in Router.swift.

/// A stand-in Kubernetes API server on 127.0.0.1 (plain HTTP) for black-box tests with the real kubectl.
///
/// ```swift
/// let server = StandInAPIServer(state: try ClusterState(yaml: manifests))
/// try await server.start()
/// try server.writeKubeconfig(to: dir + "/kubeconfig")
/// // run kubectl --kubeconfig dir/kubeconfig --cache-dir dir/cache …
/// try await server.stop()
/// ```
public final class StandInAPIServer: Sendable {
  /// The cluster contents; change them at any time (watchers see the changes).
  public let state: ClusterState
  let core: ServerCore
  private let group: any EventLoopGroup

  public init(
    state: ClusterState = ClusterState(), behavior: StandInBehavior = StandInBehavior(),
    eventLoopGroup: (any EventLoopGroup)? = nil
  ) {
    self.state = state
    self.core = ServerCore(state: state, behavior: behavior)
    self.group = eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
  }

  /// A server dropped without `stop()` still closes its port and connections.
  deinit {
    let (server, children) = core.control.withLock { ($0.serverChannel, Array($0.children.values)) }
    server?.close(promise: nil)
    for child in children { child.close(promise: nil) }
  }

  /// Binds 127.0.0.1:`port` (0: a free port) and starts answering. After `stop()` it can be started again
  /// (pass the old `port` to come back on the same address).
  public func start(port: Int = 0) async throws {
    guard core.control.withLock({ $0.serverChannel == nil }) else {
      throw StandInError("the server is already running")
    }
    let core = self.core
    let bootstrap = ServerBootstrap(group: group)
      .serverChannelOption(.backlog, value: 256)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
      .childChannelOption(.maxMessagesPerRead, value: 16)
      .childChannelInitializer { channel in
        core.register(channel)
        channel.closeFuture.whenComplete { _ in core.unregister(channel) }
        return channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
          try channel.pipeline.syncOperations.addHandler(HTTPHandler(core: core))
        }
      }
    let channel = try await bootstrap.bind(host: "127.0.0.1", port: port).get()
    let bound = channel.localAddress?.port ?? port
    core.control.withLock {
      $0.serverChannel = channel
      $0.port = bound
    }
  }

  /// Closes the port and every open connection (streams end, hanging requests are dropped).
  /// Clients then get "connection refused", like a cluster that went away.
  public func stop() async throws {
    let (server, children) = core.control.withLock { control -> ((any Channel)?, [any Channel]) in
      let taken = (control.serverChannel, Array(control.children.values))
      control.serverChannel = nil
      return taken
    }
    if let server { try? await server.close() }
    for child in children { try? await child.close() }
  }

  /// The bound port (0 before `start`).
  public var port: Int { core.control.withLock { $0.port } }

  /// `http://127.0.0.1:PORT`.
  public var url: String { "http://127.0.0.1:\(port)" }

  /// Whether the port is open.
  public var isRunning: Bool { core.control.withLock { $0.serverChannel != nil } }

  /// How the server misbehaves; setting it takes effect for the next request.
  public var behavior: StandInBehavior {
    get { core.control.withLock { $0.behavior } }
    set {
      core.control.withLock {
        $0.behavior = newValue
        $0.ruleHits = [:]
      }
    }
  }

  /// Changes the behaviour in place (e.g. `server.updateBehavior { $0.delay = .milliseconds(100) }`).
  public func updateBehavior(_ change: (inout StandInBehavior) -> Void) {
    core.control.withLock {
      change(&$0.behavior)
      $0.ruleHits = [:]
    }
  }

  /// Every request received so far, in arrival order.
  public var requests: [RecordedRequest] { core.control.withLock { $0.requests } }

  /// Forgets the recorded requests.
  public func clearRequests() { core.control.withLock { $0.requests.removeAll() } }
}

/// One request as received (recorded before any delay or forced answer).
public struct RecordedRequest: Sendable, Equatable {
  public var method: String
  /// The path as sent (percent-encoded), without the query.
  public var path: String
  /// The raw query (without `?`), "" when none.
  public var query: String
  /// Decoded query parameters.
  public var queryItems: [String: String]
  public var time: Date
  public var userAgent: String
  public var accept: String
  public var contentType: String
  public var body: String
  /// The `Authorization` header, if any. (kubectl sends none to a plain-HTTP server: it only uses
  /// kubeconfig credentials over TLS.)
  public var authorization: String?
  /// For API resource requests: get, list, watch, create, update, patch, delete, deletecollection.
  public var verb: String?
  public var resource: String?
  public var subresource: String?
  public var namespace: String?
  public var name: String?

  /// The gcloud `kubectl` dispatcher's own `GET /version?timeout=5s`, made before every kubectl command
  /// to choose a kubectl binary matching the server. Leave these out when counting a command's requests.
  public var isDispatcherProbe: Bool { userAgent.hasPrefix("kubectl-dispatcher") }
}

/// What the NIO handlers share: the state, the behaviour, the request log and the open channels.
final class ServerCore: Sendable {
  struct Control {
    var behavior: StandInBehavior
    var requests: [RecordedRequest] = []
    var ruleHits: [Int: Int] = [:]
    var port = 0
    var serverChannel: (any Channel)?
    var children: [ObjectIdentifier: any Channel] = [:]
  }

  let state: ClusterState
  let control: Mutex<Control>

  init(state: ClusterState, behavior: StandInBehavior) {
    self.state = state
    self.control = Mutex(Control(behavior: behavior))
  }

  func register(_ channel: any Channel) {
    control.withLock { $0.children[ObjectIdentifier(channel)] = channel }
  }

  func unregister(_ channel: any Channel) {
    _ = control.withLock { $0.children.removeValue(forKey: ObjectIdentifier(channel)) }
  }

  /// What to do with a request before routing it.
  struct Preparation {
    var info: RequestInfo
    var delay: Duration
    var forced: Reply?
    var router: Router
  }

  /// Records the request and applies the behaviour: token check, the first matching rule, delays.
  func prepare(_ request: APIRequest) -> Preparation {
    let info = RequestInfo(method: request.method, path: request.path, query: request.query)
    return control.withLock { control in
      control.requests.append(
        RecordedRequest(
          method: request.method, path: request.path, query: request.rawQuery, queryItems: request.query, time: Date(),
          userAgent: request.header("user-agent") ?? "", accept: request.header("accept") ?? "",
          contentType: request.header("content-type") ?? "",
          body: request.body.count <= 1 << 20 ? request.bodyText : "",
          authorization: request.header("authorization"),
          verb: info.isResourceRequest ? info.verb : nil, resource: info.isResourceRequest ? info.resource : nil,
          subresource: info.subresource, namespace: info.namespace, name: info.name))
      let behavior = control.behavior
      let router = Router(state: state, behavior: behavior, serverAddress: "127.0.0.1:\(control.port)")
      var preparation = Preparation(info: info, delay: behavior.delay, forced: nil, router: router)
      if let token = behavior.requiredToken, request.header("authorization") != "Bearer \(token)" {
        preparation.forced = .full(.error(.unauthorized))
        return preparation
      }
      let hits = control.ruleHits
      guard
        let index = behavior.firstRule(
          method: request.method, path: request.path, info: info,
          skipping: { index in behavior.rules[index].limit.map { hits[index, default: 0] >= $0 } ?? false })
      else { return preparation }
      control.ruleHits[index, default: 0] += 1
      switch behavior.rules[index].action {
      case .delay(let extra):
        preparation.delay += extra
      case .hang:
        preparation.forced = .hang
      case .raw(let status, let body, let contentType):
        preparation.forced = .full(HTTPReply(status: status, contentType: contentType, body: Array(body.utf8)))
      case .forbidden, .status(403, nil):
        preparation.forced = .full(.error(Self.forbidden(info: info, path: request.path, user: behavior.user)))
      case .status(let code, let message):
        preparation.forced = .full(.error(.forCode(code, message: message)))
      }
      return preparation
    }
  }

  static func forbidden(info: RequestInfo, path: String, user: String) -> APIError {
    guard info.isResourceRequest else {
      return APIError(
        code: 403, reason: "Forbidden", message: "forbidden: User \"\(user)\" cannot get path \"\(path)\"", details: [:]
      )
    }
    let name = info.subresource == "proxy" ? info.name.map { ProxyTarget(segment: $0).name } : info.name
    return .forbidden(
      user: user, verb: info.verb, group: info.group, resource: info.resource, subresource: info.subresource,
      namespace: info.namespace, name: name)
  }
}
