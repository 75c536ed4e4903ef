import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// An answer from the API server (or, through its proxy, a backend), as it came.
public struct APIResponse: Sendable, Equatable {
  public var status: Int
  public var headers: [(String, String)]
  public var body: [UInt8]

  public var succeeded: Bool { (200..<300).contains(status) }

  public static func == (lhs: APIResponse, rhs: APIResponse) -> Bool {
    lhs.status == rhs.status && lhs.body == rhs.body && lhs.headers.elementsEqual(rhs.headers) { $0 == $1 }
  }
}

/// The run's way to the API server (PRODUCT.md §3): the first request starts one
/// `kubectl proxy --unix-socket` (per cluster selection; one per run in practice), and every
/// request goes over it with async-http-client (`http+unix`), each with its own timeout, at most
/// `requestLimit` at a time, with bounded bodies. `shutdown()` stops the client and the proxy.
///
/// Nothing here starts before the first request: `--help` and `version --client` never pay for it.
public final class KubeTransport: Sendable {
  /// Enough for one health pass's lists and probes at once (one round trip, not two), few enough
  /// that a large namespace's log tails do not open hundreds of connections.
  public static let requestLimit = 16
  /// The most an API answer may hold (a list of every pod of a large namespace fits).
  public static let bodyLimit = 16 << 20
  /// The most a proxied backend's answer may hold (readiness, health and metrics endpoints).
  public static let backendBodyLimit = 8 << 20

  struct State {
    var proxies: [[String]: KubeProxy] = [:]
    var client: HTTPClient?
    /// Log follows and watches: long-lived, so not counted against `requestLimit` (KubeTransport+Stream).
    var streamClient: HTTPClient?
    var resources: [String: APIResource] = [:]
    var closed = false
  }

  private let environment: [String: String]
  /// Receives `GET /path → 200 (12 ms)` for each request (`-v`).
  let trace: (@Sendable (String) -> Void)?
  let state = Mutex(State())
  let slots = RequestSlots(limit: KubeTransport.requestLimit)
  let sent = Atomic<Int>(0)
  private let proxyCount = Atomic<Int>(0)

  public init(environment: [String: String], trace: (@Sendable (String) -> Void)? = nil) {
    self.environment = environment
    self.trace = trace
  }

  /// API requests sent so far (the benchmark and `health -v` report them).
  public var requestCount: Int { sent.load(ordering: .relaxed) }

  /// `kubectl proxy` processes started so far.
  public var proxiesStarted: Int { proxyCount.load(ordering: .relaxed) }

  /// The socket of the proxy for `target`, started on first use and shared afterwards.
  func socket(
    kubectl: String, target: KubeTarget, runner: any ProcessRunning, startLimit: Duration
  )
    async throws -> String
  {
    try await proxy(kubectl: kubectl, target: target, runner: runner).ready(within: startLimit)
  }

  /// Starts the proxy for `target` now, without waiting for it: kubectl's start-up (and its
  /// `/version` call) then overlaps the work a command does before its first request. A start
  /// that fails is reported by that first request.
  func prepare(kubectl: String, target: KubeTarget, runner: any ProcessRunning) {
    _ = try? proxy(kubectl: kubectl, target: target, runner: runner)
    // The HTTP client's event loop starts in the meantime too.
    _ = try? client()
  }

  private func proxy(kubectl: String, target: KubeTarget, runner: any ProcessRunning) throws(KubeError) -> KubeProxy {
    let key = [kubectl] + target.selectionArguments
    return try state.withLock { state throws(KubeError) -> KubeProxy in
      guard !state.closed else {
        throw KubeError(.failed, "the connection to the cluster was already closed", hint: "")
      }
      if let proxy = state.proxies[key] { return proxy }
      let proxy = try KubeProxy.start(kubectl: kubectl, target: target, runner: runner, environment: environment)
      state.proxies[key] = proxy
      proxyCount.add(1, ordering: .relaxed)
      return proxy
    }
  }

  /// Why the proxy at `socket` ended, when it has.
  func proxyEnded(socket: String) async -> String? {
    let proxy = state.withLock { state in state.proxies.values.first { $0.directory.socketPath == socket } }
    return await proxy?.endedReason(waitingUpTo: .seconds(1))
  }

  /// A cached discovery answer for `name` on the cluster `target` selects.
  func cachedResource(_ name: String, target: KubeTarget) -> APIResource? {
    state.withLock { $0.resources[Self.resourceKey(name, target)] }
  }

  func cacheResource(_ resource: APIResource, for name: String, target: KubeTarget) {
    state.withLock { $0.resources[Self.resourceKey(name, target)] = resource }
  }

  private static func resourceKey(_ name: String, _ target: KubeTarget) -> String {
    (target.selectionArguments + [name]).joined(separator: "\u{0}")
  }

  func client() throws(KubeError) -> HTTPClient {
    try state.withLock { state throws(KubeError) -> HTTPClient in
      guard !state.closed else {
        throw KubeError(.failed, "the connection to the cluster was already closed", hint: "")
      }
      if let client = state.client { return client }
      let client = Self.makeClient(connections: Self.requestLimit)
      state.client = client
      return client
    }
  }

  /// Sends one GET to `socket` and reads at most `limit` bytes of the answer.
  /// Throws async-http-client's and NIO's errors as they are; `KubeClient` words them.
  func get(_ path: String, socket: String, timeout: Duration, limit: Int) async throws -> APIResponse {
    try await slots.acquire()
    defer { slots.release() }
    let client = try client()
    let request = try Self.request(path, socket: socket)
    sent.add(1, ordering: .relaxed)
    let started = ContinuousClock.now
    do {
      let response = try await client.execute(request, timeout: .nanoseconds(Self.nanoseconds(timeout)))
      var body = try await response.body.collect(upTo: limit)
      let bytes = body.readBytes(length: body.readableBytes) ?? []
      trace?("GET \(path) → \(response.status.code) (\(DurationText.milliseconds(ContinuousClock.now - started)) ms)")
      return APIResponse(
        status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: bytes)
    } catch {
      trace?("GET \(path) → failed (\(DurationText.milliseconds(ContinuousClock.now - started)) ms)")
      throw error
    }
  }

  /// An HTTP client for kubectl proxy's socket with at most `connections` open at once. Answers
  /// are judged as they come: no redirects followed, no decompression.
  static func makeClient(connections: Int) -> HTTPClient {
    let configuration = HTTPClient.Configuration(
      redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10)),
      connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections),
      decompression: .disabled)
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
  }

  /// A GET of `path` to kubectl proxy's socket, as every read and stream sends it.
  static func request(_ path: String, socket: String) throws(KubeError) -> HTTPClientRequest {
    guard let url = URL(httpURLWithSocketPath: socket, uri: path) else {
      throw KubeError(.failed, "cannot make a URL of \(path)", hint: "report it")
    }
    var request = HTTPClientRequest(url: url.absoluteString)
    request.method = .GET
    // kubectl proxy only accepts loopback host names.
    request.headers.replaceOrAdd(name: "Host", value: "localhost")
    request.headers.add(name: "Accept", value: "application/json, */*")
    request.headers.add(name: "User-Agent", value: "mtobs/\(MtobsVersion.version)")
    return request
  }

  static func nanoseconds(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    return overflow ? Int64.max : product.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
  }

  /// Stops the HTTP client and every proxy (their process groups), and removes their sockets.
  /// Safe to call more than once; requests after it fail.
  public func shutdown() async {
    let (client, streamClient, proxies) = state.withLock { state in
      state.closed = true
      defer {
        state.client = nil
        state.streamClient = nil
        state.proxies = [:]
      }
      return (state.client, state.streamClient, Array(state.proxies.values))
    }
    // Side by side: closing the connections and stopping kubectl do not wait on each other.
    await withTaskGroup(of: Void.self) { group in
      group.addTask { try? await client?.shutdown() }
      group.addTask { try? await streamClient?.shutdown() }
      for proxy in proxies { group.addTask { await proxy.stop() } }
    }
  }
}
