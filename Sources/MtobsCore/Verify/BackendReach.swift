/// How verify words a request to a backend (or the collector) through the API server's proxy
/// that got no answer from the backend itself. The API server's own answers (no such Service, no
/// ready endpoint, connection refused) are classified as `APIFailure` does for every command, so
/// reports never show a raw Status object; a per-request timeout names the backend as slow,
/// since verify's other requests went through the same API server.
enum BackendReach {
  /// Nil when the backend itself answered (any status is its evidence); otherwise why it could
  /// not be asked, classified from the API server's status and body.
  static func unreached(_ response: APIResponse, kube: KubeClient, path: String, what: String) -> ReadError? {
    guard !response.succeeded else { return nil }
    let error = kube.failure(response, path: path, what: what)
    return error.failure?.kind == .backendAnswered ? nil : ReadError(error)
  }

  /// A request that threw: a timeout of the request itself becomes "SUBJECT did not answer
  /// within T" with `slowHint`; anything else keeps the transport's classification.
  static func thrown(_ error: KubeError, subject: String, timeout: Duration, slowHint: String) -> ReadError {
    guard error.reason == .timeout, error.failure == nil else { return ReadError(error) }
    return ReadError(
      reason: .timeout,
      message: "\(subject) did not answer within \(DurationText.format(timeout)), the per-request limit",
      hint: "\(slowHint); or raise the limit with --request-timeout")
  }

  /// True when asking again will not help soon: the Service or its port does not exist.
  static func isPermanent(_ error: ReadError) -> Bool { error.reason == .notFound }
}
