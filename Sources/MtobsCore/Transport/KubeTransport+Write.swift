import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Writes over the run's `kubectl proxy`: POST and DELETE of a short-lived pod (`debug-dapr
/// --probe`), and POSTs through the API server's service proxy (`verify --send`'s OTLP and Zipkin
/// posts to the collector). The same socket, client, request slots and per-request timeout as reads.
extension KubeTransport {
  func send(
    _ method: HTTPMethod, _ path: String, body: [UInt8]?, contentType: String, socket: String, timeout: Duration,
    limit: Int
  ) async throws -> APIResponse {
    try await slots.acquire()
    defer { slots.release() }
    let client = try client()
    var request = try Self.request(path, socket: socket)
    request.method = method
    if let body {
      request.body = .bytes(ByteBuffer(bytes: body))
      request.headers.replaceOrAdd(name: "Content-Type", value: contentType)
    }
    sent.add(1, ordering: .relaxed)
    let started = ContinuousClock.now
    do {
      let response = try await client.execute(request, timeout: .nanoseconds(Self.nanoseconds(timeout)))
      var answer = try await response.body.collect(upTo: limit)
      let bytes = answer.readBytes(length: answer.readableBytes) ?? []
      trace?(
        "\(method.rawValue) \(path) → \(response.status.code) (\(DurationText.milliseconds(ContinuousClock.now - started)) ms)"
      )
      return APIResponse(
        status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: bytes)
    } catch {
      trace?("\(method.rawValue) \(path) → failed (\(DurationText.milliseconds(ContinuousClock.now - started)) ms)")
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
  /// answer away is a `KubeError`.
  public func rawPost(_ path: String, body: [UInt8], contentType: String) async throws -> APIResponse {
    try await write(
      .POST, path, body: body, contentType: contentType, limit: KubeTransport.backendBodyLimit, what: "POST \(path)")
  }

  /// POST/DELETE `path` over the proxy; a non-2xx answer becomes the `KubeError` its status and
  /// body call for.
  func apiSend(_ method: HTTPMethod, _ path: String, json: [UInt8]? = nil, what: String) async throws -> [UInt8] {
    let response = try await write(
      method, path, body: json, contentType: "application/json", limit: KubeTransport.bodyLimit, what: what)
    guard response.succeeded else { throw failure(response, path: path, what: what) }
    return response.body
  }

  /// One write over the transport (every live run has one); what kept an answer away becomes a
  /// `KubeError` that says what to do.
  private func write(
    _ method: HTTPMethod, _ path: String, body: [UInt8]?, contentType: String, limit: Int, what: String
  ) async throws -> APIResponse {
    guard let transport else {
      throw KubeError(.failed, "\(what): no connection to the cluster", hint: "report it")
    }
    let socket = try await transport.socket(
      kubectl: kubectl, target: target, runner: runner, startLimit: proxyStartLimit)
    do {
      return try await transport.send(
        method, path, body: body, contentType: contentType, socket: socket, timeout: timeout, limit: limit)
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
          .timeout, "the API server did not answer within \(DurationText.format(timeout)) (\(what))",
          hint: "check the network path to the cluster with `kubectl cluster-info`, \(KubeError.raiseTimeout)")
      }
      throw KubeError(.failed, "\(what) failed on the way to kubectl proxy: \(error)", hint: "rerun with -v")
    }
  }
}
