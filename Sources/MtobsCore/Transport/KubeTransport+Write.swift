import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Writes over the run's `kubectl proxy` (create and delete of a short-lived pod): the same
/// socket, client and per-request timeout as reads, with a JSON body.
extension KubeTransport {
  func send(
    _ method: HTTPMethod, _ path: String, body: [UInt8]?, socket: String, timeout: Duration, limit: Int
  ) async throws -> APIResponse {
    let client = try client()
    var request = try Self.request(path, socket: socket)
    request.method = method
    if let body {
      request.body = .bytes(ByteBuffer(bytes: body))
      request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
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
  /// POST/DELETE `path` over the proxy; a non-2xx answer becomes the `KubeError` its status and
  /// body call for. Needs the transport (every live run has it).
  func apiSend(_ method: HTTPMethod, _ path: String, json: [UInt8]? = nil, what: String) async throws -> [UInt8] {
    guard let transport else {
      throw KubeError(.failed, "\(what): no connection to the cluster", hint: "report it")
    }
    let socket = try await transport.socket(
      kubectl: kubectl, target: target, runner: runner, startLimit: proxyStartLimit)
    let response = try await transport.send(
      method, path, body: json, socket: socket, timeout: timeout, limit: KubeTransport.bodyLimit)
    guard response.succeeded else { throw failure(response, path: path, what: what) }
    return response.body
  }
}
