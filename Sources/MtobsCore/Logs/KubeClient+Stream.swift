import AsyncHTTPClient
import NIOCore

/// Streaming reads (log follows, watches) over the run's `kubectl proxy`.
extension KubeClient {
  /// GET `path` and hand back its body as it arrives; a non-2xx answer becomes the `KubeError`
  /// its status and body call for (read up to a small limit: it is an error text, not a log).
  public func openStream(_ path: String, what: String) async throws -> HTTPClientResponse.Body {
    guard let transport else {
      throw KubeError(.failed, "\(what): no connection to the cluster", hint: "report it")
    }
    let socket = try await transport.socket(
      kubectl: kubectl, target: target, runner: runner, startLimit: proxyStartLimit)
    let stream: APIStream
    do {
      stream = try await transport.stream(path, socket: socket, headTimeout: timeout)
    } catch let error as KubeError {
      throw error
    } catch {
      if Task.isCancelled || error is CancellationError { throw CancellationError() }
      if let ended = await transport.proxyEnded(socket: socket) {
        throw KubeError(
          .failed, "kubectl proxy ended during the run (\(ended)), so \(what) got no answer",
          hint: "rerun; -v shows the kubectl proxy command, to try by hand")
      }
      if let error = error as? HTTPClientError, error == .deadlineExceeded {
        throw KubeError(
          .timeout, "the API server did not answer within \(DurationText.format(timeout)) (\(what))",
          hint: "check the network path to the cluster with `kubectl cluster-info`, \(KubeError.raiseTimeout)")
      }
      throw KubeError(.failed, "\(what) failed on the way to kubectl proxy: \(error)", hint: "rerun with -v")
    }
    guard stream.succeeded else {
      var body = (try? await stream.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
      let bytes = body.readBytes(length: body.readableBytes) ?? []
      throw failure(APIResponse(status: stream.status, headers: [], body: bytes), path: path, what: what)
    }
    return stream.body
  }
}
