import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// An answer whose body is read as it arrives (a log follow, a watch). Reading `body` slowly
/// slows the connection down (async-http-client stops reading the socket): back-pressure, not a
/// growing buffer. Dropping it ends the request.
public struct APIStream: Sendable {
  public var status: Int
  public var body: HTTPClientResponse.Body

  public var succeeded: Bool { (200..<300).contains(status) }
}

extension KubeTransport {
  /// Enough connections for every followed container at once: streams live as long as the
  /// command, so they neither take nor wait for one of the `requestLimit` slots that reads share.
  static let streamConnectionLimit = 4096

  /// The client for long-lived streams: its own pool (no cap that would queue the 17th stream),
  /// no read timeout (a quiet container is not a dead one).
  private func streamClient() throws(KubeError) -> HTTPClient {
    try state.withLock { state throws(KubeError) -> HTTPClient in
      guard !state.closed else {
        throw KubeError(.failed, "the connection to the cluster was already closed", hint: "")
      }
      if let client = state.streamClient { return client }
      let client = Self.makeClient(connections: Self.streamConnectionLimit)
      state.streamClient = client
      return client
    }
  }

  /// Sends one GET to `socket` and returns as soon as the answer's head is in; the body streams.
  /// `headTimeout` bounds the wait for the head only.
  func stream(_ path: String, socket: String, headTimeout: Duration) async throws -> APIStream {
    let client = try streamClient()
    let request = try Self.request(path, socket: socket)
    sent.add(1, ordering: .relaxed)
    let started = ContinuousClock.now
    // The head must come within `headTimeout`; the body may take as long as the command runs.
    let prepared = request
    let response = try await withThrowingTaskGroup(of: HTTPClientResponse?.self) { group in
      group.addTask { try await client.execute(prepared, deadline: .distantFuture) }
      group.addTask {
        try await Task.sleep(for: headTimeout)
        return nil
      }
      defer { group.cancelAll() }
      guard let first = try await group.next(), let response = first else {
        throw HTTPClientError.deadlineExceeded
      }
      return response
    }
    trace?(
      "GET \(path) → \(response.status.code) (\(DurationText.milliseconds(ContinuousClock.now - started)) ms, streaming)"
    )
    return APIStream(status: Int(response.status.code), body: response.body)
  }
}
