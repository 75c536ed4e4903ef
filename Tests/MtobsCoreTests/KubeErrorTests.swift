import Testing

@testable import MtobsCore

@Suite("kubectl errors become one line of advice")
struct KubeErrorTests {
  let target = KubeTarget(context: "dev", kubeconfig: nil, namespace: "monitoring")

  private func classify(_ stderr: String) -> KubeError {
    KubeError.classify(standardError: stderr, target: target, what: "listing pods")
  }

  @Test func unreachable() {
    let error = classify("Unable to connect to the server: dial tcp 127.0.0.1:1: connect: connection refused\n")
    #expect(error.reason == .unreachable)
    #expect(
      error.message == "cannot reach the API server of context 'dev': dial tcp 127.0.0.1:1: connect: connection refused"
    )
    #expect(error.hint.contains("kubectl cluster-info"))
  }

  @Test func refusedConnection() {
    let error = classify(
      "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?")
    #expect(error.reason == .unreachable)
    #expect(error.message == "cannot reach the API server of context 'dev': connection to 127.0.0.1:1 refused")
  }

  @Test func missingContext() {
    #expect(classify("error: context was not found for specified context: dev").reason == .contextNotFound)
    #expect(classify("error: context \"dev\" does not exist").reason == .contextNotFound)
    #expect(classify("error: context \"dev\" does not exist").hint.contains("kubectl config get-contexts"))
  }

  @Test func authentication() {
    #expect(classify("error: You must be logged in to the server (Unauthorized)").reason == .unauthorized)
    let forbidden = classify(
      "Error from server (Forbidden): secrets is forbidden: User \"bob\" cannot list resource \"secrets\" in API group \"\" in the namespace \"monitoring\""
    )
    #expect(forbidden.reason == .forbidden)
    #expect(forbidden.message.hasPrefix("not allowed: secrets is forbidden: User \"bob\""))
    #expect(forbidden.hint.contains("kubectl auth can-i"))
  }

  @Test func timeoutsAndNotFound() {
    #expect(
      classify("Unable to connect to the server: net/http: request canceled (Client.Timeout exceeded)").reason
        == .timeout)
    #expect(classify("error: context deadline exceeded").reason == .timeout)
    #expect(classify("Error from server (NotFound): namespaces \"nope\" not found").reason == .notFound)
    #expect(
      classify("Error from server (NotFound): namespaces \"nope\" not found").message == "namespaces \"nope\" not found"
    )
    #expect(
      classify("The connection to the server localhost:8080 was refused - did you specify the right host or port?")
        .reason == .noConfiguration)
    #expect(classify("something odd").reason == .failed)
  }
}

/// Real kubectl v1.32 `-v=6` output (captured against a local server) for the failures that used
/// to be misdiagnosed; the same classification serves the next transport's real status and body.
@Suite("HTTP failures are judged by their status and body")
struct APIFailureTests {
  let target = KubeTarget(context: "dev", kubeconfig: nil, namespace: "monitoring")

  private func classify(_ stderr: String, path: String? = nil) -> KubeError {
    KubeError.classify(standardError: stderr, target: target, what: "probing", path: path)
  }

  private func status(_ code: Int, _ reason: String, _ message: String) -> [UInt8] {
    Array(
      #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"\#(message)","reason":"\#(reason)","code":\#(code)}"#
        .utf8)
  }

  static let servicePath = "/api/v1/namespaces/monitoring/services/loki:3100/proxy/ready"
  static let podPath = "/api/v1/namespaces/monitoring/pods/collector-7d9f:8888/proxy/metrics"

  /// `kubectl get pods` against a server that refuses: its URLs carry `?timeout=10s`.
  @Test func refusedIsNotATimeout() {
    let error = classify(
      #"""
      I1129 10:11:28.144576   21879 round_trippers.go:560] GET http://127.0.0.1:1/api?timeout=10s  in 0 milliseconds
      E1129 10:11:28.185162   21879 memcache.go:265] "Unhandled Error" err="couldn't get current server API group list: Get \"http://127.0.0.1:1/api?timeout=10s\": dial tcp 127.0.0.1:1: connect: connection refused"
      I1129 10:11:28.209082   21879 helpers.go:264] Connection error: Get http://127.0.0.1:1/api?timeout=10s: dial tcp 127.0.0.1:1: connect: connection refused
      The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?
      """#)
    #expect(error.reason == .unreachable)
    #expect(error.message == "cannot reach the API server of context 'dev': connection to 127.0.0.1:1 refused")
    #expect(!error.hint.contains("timeout"))
    // Without -v the E lines alone still say refused.
    let quiet = classify(
      #"E1129 10:04:07.471634   13057 memcache.go:265] "Unhandled Error" err="couldn't get current server API group list: Get \"http://127.0.0.1:1/api?timeout=10s\": dial tcp 127.0.0.1:1: connect: connection refused""#
    )
    #expect(quiet.reason == .unreachable)
  }

  @Test func noEndpointsNamesTheService() {
    let error = classify(
      #"""
      I1129 10:04:12.951067   13318 round_trippers.go:560] GET http://127.0.0.1:38555/api/v1/namespaces/monitoring/services/loki:3100/proxy/ready?timeout=10s 503 Service Unavailable in 2 milliseconds
      I1129 10:04:12.951776   13318 helpers.go:246] server response object: %s[{
        "metadata": {},
        "status": "Failure",
        "message": "no endpoints available for service \"loki\"",
        "reason": "ServiceUnavailable",
        "code": 503
      }]
      Error from server (ServiceUnavailable): no endpoints available for service "loki"
      """#, path: Self.servicePath)
    #expect(error.reason == .noEndpoints)
    #expect(error.message == "no ready endpoints behind Service loki")
    #expect(error.hint.hasPrefix("check its pods"))
    #expect(error.failure?.status == 503)
  }

  @Test func refusingPodIsNamedWithItsPort() {
    let error = classify(
      #"""
      I1129 10:04:12.951067   13318 round_trippers.go:560] GET http://127.0.0.1:38555/api/v1/namespaces/monitoring/pods/collector-7d9f:8888/proxy/metrics?timeout=10s 503 Service Unavailable in 2 milliseconds
      I1129 10:04:12.951776   13318 helpers.go:246] server response object: %s[{
        "metadata": {},
        "status": "Failure",
        "message": "error trying to reach service: dial tcp 10.244.0.5:8888: connect: connection refused",
        "reason": "ServiceUnavailable",
        "code": 503
      }]
      Error from server (ServiceUnavailable): error trying to reach service: dial tcp 10.244.0.5:8888: connect: connection refused
      """#, path: Self.podPath)
    #expect(error.reason == .backendUnreachable)
    #expect(error.message == "pod collector-7d9f does not accept connections on port 8888 (10.244.0.5:8888 refused)")
    #expect(error.hint.hasPrefix("is the container listening there?"))
    #expect(error.failure?.status == 503)
  }

  @Test func throttlingSaysWhenToRetry() {
    let error = classify(
      #"""
      I1129 10:04:25.624920   13671 round_trippers.go:560] GET http://127.0.0.1:38555/api/v1/namespaces/monitoring/pods?timeout=10s 429 Too Many Requests in 64 milliseconds
      I1129 10:04:55.628834   13671 with_retry.go:234] Got a Retry-After 30s response for attempt 1 to http://127.0.0.1:38555/api/v1/namespaces/monitoring/pods?timeout=10s
      I1129 10:04:55.649970   13671 round_trippers.go:560] GET http://127.0.0.1:38555/api/v1/namespaces/monitoring/pods?timeout=10s 429 Too Many Requests in 20 milliseconds
      I1129 10:09:25.913422   13671 helpers.go:246] server response object: %s[{
        "metadata": {},
        "status": "Failure",
        "message": "the server has received too many requests and has asked us to try again later",
        "reason": "TooManyRequests",
        "code": 429
      }]
      Error from server (TooManyRequests): the server has received too many requests and has asked us to try again later
      """#)
    #expect(error.reason == .throttled)
    #expect(error.message == "the API server is throttling requests (429), retry after 30 s")
  }

  @Test func serverErrorWithoutTheLogLine() {
    // `kubectl get pods` when discovery answers 500: klog lines, then kubectl's summary.
    let plain = classify(
      #"""
      E1129 10:11:29.486499   21933 memcache.go:265] "Unhandled Error" err="couldn't get current server API group list: an error on the server (\"unknown\") has prevented the request from succeeding"
      Error from server (InternalError): an error on the server ("unknown") has prevented the request from succeeding
      """#)
    #expect(!plain.message.contains("memcache.go"))
    #expect(!plain.message.hasPrefix("E1129"))
    let verbose = classify(
      #"""
      I1129 10:11:29.486000   21933 round_trippers.go:560] GET http://127.0.0.1:38557/api?timeout=10s 500 Internal Server Error in 3 milliseconds
      E1129 10:11:29.486499   21933 memcache.go:265] "Unhandled Error" err="couldn't get current server API group list: an error on the server (\"unknown\") has prevented the request from succeeding"
      I1129 10:11:29.500000   21933 helpers.go:246] server response object: %s[{
        "metadata": {},
        "status": "Failure",
        "message": "Internal error occurred: etcdserver: leader changed",
        "reason": "InternalError",
        "code": 500
      }]
      Error from server (InternalError): Internal error occurred: etcdserver: leader changed
      """#)
    #expect(verbose.reason == .serverError)
    #expect(verbose.message == "the API server answered 500: Internal error occurred: etcdserver: leader changed")
  }

  /// A backend's own answer passes through as the evidence (kubectl keeps its text in the causes).
  @Test func backendAnswerKeepsItsStatusAndBody() {
    let error = classify(
      #"""
      I1129 10:09:26.785525   19837 round_trippers.go:560] GET http://127.0.0.1:38555/api/v1/namespaces/monitoring/services/loki:3100/proxy/ready?timeout=10s 503 Service Unavailable in 4 milliseconds
      I1129 10:09:26.786029   19837 helpers.go:246] server response object: %s[{
        "metadata": {},
        "status": "Failure",
        "message": "the server is currently unable to handle the request",
        "reason": "ServiceUnavailable",
        "details": {
          "causes": [
            {
              "reason": "UnexpectedServerResponse",
              "message": "Ingester not ready: waiting for 15s after being ready"
            }
          ]
        },
        "code": 503
      }]
      Error from server (ServiceUnavailable): the server is currently unable to handle the request
      """#, path: Self.servicePath)
    #expect(error.failure?.kind == .backendAnswered)
    #expect(error.failure?.status == 503)
    #expect(error.failure?.body == "Ingester not ready: waiting for 15s after being ready")
  }

  /// What the next transport (`kubectl proxy`) passes on: the real status, body and headers.
  @Test func proxyTransportAnswers() {
    let service = APIRequest(path: Self.servicePath, what: "probing loki")
    let throttled = APIFailure.classify(
      status: 429, body: status(429, "TooManyRequests", "too many requests"), headers: [("retry-after", "7")],
      request: APIRequest(path: "/api/v1/namespaces/monitoring/pods", what: "listing pods"))
    #expect(throttled.kind == .throttled(retryAfterSeconds: 7))
    // kubectl proxy's own 500 when the API server is down: Go's error text, no Audit-Id.
    let down = APIFailure.classify(
      status: 500, body: Array("dial tcp 127.0.0.1:36989: connect: connection refused\n".utf8),
      headers: [("Content-Type", "text/plain; charset=utf-8")], request: service)
    #expect(down.kind == .apiServerUnreachable)
    #expect(down.kubeError(target: target, request: service).reason == .unreachable)
    // The same words from a backend, through the API server (which stamps an Audit-Id), are the backend's.
    let backend = APIFailure.classify(
      status: 500, body: Array("dial tcp 10.0.0.3:5432: connect: connection refused".utf8),
      headers: [("Audit-Id", "8e3c")], request: service)
    #expect(backend.kind == .backendAnswered)
    let endpoints = APIFailure.classify(
      status: 503, body: status(503, "ServiceUnavailable", #"no endpoints available for service \"tempo\""#),
      headers: [], request: service)
    #expect(endpoints.kind == .noEndpoints(service: "tempo"))
    let notJSON = APIFailure.classify(
      status: 502, body: Array("<html><body>bad gateway</body></html>".utf8), headers: [],
      request: APIRequest(path: "/api/v1/pods", what: "listing pods"))
    #expect(notJSON.kind == .server)
    #expect(notJSON.kubeError(target: target, request: service).message.hasPrefix("the API server answered 502"))
  }

  @Test func timeoutHintNamesARealOption() {
    let error = classify("Unable to connect to the server: net/http: request canceled (Client.Timeout exceeded)")
    #expect(error.reason == .timeout)
    #expect(!error.hint.contains("raise --timeout"))
    #expect(error.hint.contains("--request-timeout"))
  }
}

@Suite("--request-timeout is the configuration key timeout")
struct RequestTimeoutSettingTests {
  @Test func flagSetsTheKeyAndIsItsOrigin() throws {
    let settings = GlobalSettings(requestTimeout: "45s")
    let configuration = try Configuration.resolve(flags: settings.configurationFlags, environment: [:], files: [])
    #expect(configuration.setting(.timeout).origin == .flag("--request-timeout"))
    #expect(configuration.duration(.timeout) == .seconds(45))
  }
}
