import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// POSTs over the run's `kubectl proxy`: Pyroscope's Connect API and `verify --send`'s OTLP and
/// Zipkin posts to the collector, through the API server's service proxy.
extension KubeTransport {
  /// Sends one POST of `body` to `socket` and reads at most `limit` bytes of the answer.
  func post(
    _ path: String, body: [UInt8], contentType: String, socket: String, timeout: Duration, limit: Int
  ) async throws -> APIResponse {
    try await slots.acquire()
    defer { slots.release() }
    let client = try client()
    var request = try Self.request(path, socket: socket)
    request.method = .POST
    request.headers.replaceOrAdd(name: "Content-Type", value: contentType)
    request.body = .bytes(ByteBuffer(bytes: body))
    sent.add(1, ordering: .relaxed)
    let started = ContinuousClock.now
    do {
      let response = try await client.execute(request, timeout: .nanoseconds(Self.nanoseconds(timeout)))
      var answer = try await response.body.collect(upTo: limit)
      let bytes = answer.readBytes(length: answer.readableBytes) ?? []
      trace?("POST \(path) → \(response.status.code) (\(DurationText.milliseconds(ContinuousClock.now - started)) ms)")
      return APIResponse(
        status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: bytes)
    } catch {
      trace?("POST \(path) → failed (\(DurationText.milliseconds(ContinuousClock.now - started)) ms)")
      throw error
    }
  }
}

extension KubeClient {
  /// GET `path` over the proxy and return the answer whatever its status (a backend's 404 or 400
  /// is evidence); what kept an answer away is a `KubeError`.
  public func rawFetch(_ path: String) async throws -> APIResponse {
    try await fetch(path, what: "GET \(path)")
  }

  /// POST `body` to `path` over the proxy and return the answer whatever its status; what kept an
  /// answer away is a `KubeError`. Needs the run's transport (every live run has one).
  public func rawPost(_ path: String, body: [UInt8], contentType: String) async throws -> APIResponse {
    guard let transport else {
      throw KubeError(.failed, "POST \(path): no connection to the cluster", hint: "report it")
    }
    let socket = try await transport.socket(
      kubectl: kubectl, target: target, runner: runner, startLimit: proxyStartLimit)
    do {
      return try await transport.post(
        path, body: body, contentType: contentType, socket: socket, timeout: timeout,
        limit: KubeTransport.backendBodyLimit)
    } catch let error as KubeError {
      throw error
    } catch is CancellationError {
      throw CancellationError()
    } catch {
      if Task.isCancelled { throw CancellationError() }
      if let error = error as? HTTPClientError,
        [HTTPClientError.deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout].contains(error)
      {
        throw KubeError(
          .timeout, "the API server did not answer within \(DurationText.format(timeout)) (POST \(path))",
          hint: "check the network path to the cluster with `kubectl cluster-info`, \(KubeError.raiseTimeout)")
      }
      throw KubeError(.failed, "POST \(path) failed on the way to kubectl proxy: \(error)", hint: "rerun with -v")
    }
  }
}
