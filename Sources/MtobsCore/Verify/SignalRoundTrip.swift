import Foundation

/// `verify --send`: sends one marked span twice (OTLP/HTTP to the collector's 4318 and Zipkin v2
/// to its 9411 `/api/v2/spans`, Dapr's path), one log record and one metric point (OTLP), all
/// through the API server's proxy, then asks Tempo (by trace id), Loki (by the marker) and Mimir
/// (by the metric) every `pollInterval` until each is found or the deadline passes.
public struct SignalRoundTrip: Sendable {
  public struct Endpoints: Sendable, Equatable {
    public var collector: String
    public var otlpHTTPPort: Int
    public var zipkinPort: Int
    /// Service and port of each backend; nil when it was not found (its signal is not looked up).
    public var tempo: (String, Int)?
    public var loki: (String, Int)?
    public var mimir: (String, Int)?
    /// Why a backend was not found, by its name (`Tempo`), for the report.
    public var missing: [String: ReadError]

    public init(
      collector: String, otlpHTTPPort: Int, zipkinPort: Int, tempo: (String, Int)?, loki: (String, Int)?,
      mimir: (String, Int)?, missing: [String: ReadError] = [:]
    ) {
      self.collector = collector
      self.otlpHTTPPort = otlpHTTPPort
      self.zipkinPort = zipkinPort
      self.tempo = tempo
      self.loki = loki
      self.mimir = mimir
      self.missing = missing
    }

    public static func == (lhs: Endpoints, rhs: Endpoints) -> Bool {
      lhs.collector == rhs.collector && lhs.otlpHTTPPort == rhs.otlpHTTPPort && lhs.zipkinPort == rhs.zipkinPort
        && lhs.tempo?.0 == rhs.tempo?.0 && lhs.loki?.0 == rhs.loki?.0 && lhs.mimir?.0 == rhs.mimir?.0
        && lhs.missing == rhs.missing
    }
  }

  /// What one run sends: unique ids and the marker that finds them again.
  public struct Marks: Sendable, Equatable {
    public var marker: String
    public var otlpTraceID: String
    public var zipkinTraceID: String
    public var spanID: String

    public static func random() -> Marks {
      func hex(_ bytes: Int) -> String {
        (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
      }
      return Marks(
        marker: "mtobs-verify-\(hex(6))", otlpTraceID: hex(16), zipkinTraceID: hex(16), spanID: hex(8))
    }
  }

  /// The resource's `service.name`: what Loki's label and Tempo's service show.
  public static let serviceName = "mtobs-verify"
  public static let metricName = "mtobs_verify_marker"

  public let kube: KubeClient
  public let endpoints: Endpoints
  public let marks: Marks
  public let pollInterval: Duration
  /// `--dry-run`: print each POST (method, path, body) here instead of sending.
  public let dryRun: (@Sendable (String) -> Void)?

  public init(
    kube: KubeClient, endpoints: Endpoints, marks: Marks = .random(), pollInterval: Duration = .milliseconds(250),
    dryRun: (@Sendable (String) -> Void)? = nil
  ) {
    self.kube = kube
    self.endpoints = endpoints
    self.marks = marks
    self.pollInterval = pollInterval
    self.dryRun = dryRun
  }

  /// One signal: where it goes, what it is, how it is found again.
  struct Plan: Sendable {
    var id: String
    var port: Int
    var path: String
    var body: [UInt8]
    var backend: (String, Int)?
    var backendName: String
    var lookupText: String
    /// The backend path to ask, given when the signal was sent (unix nanoseconds).
    var lookupPath: @Sendable (_ sentNs: Int64) -> String
    /// Whether the backend's 2xx answer holds the signal.
    var isFound: @Sendable (JSONValue?) -> Bool
  }

  func plans(nowNs: Int64) -> [Plan] {
    let marks = marks
    let resource = #"{"attributes":[{"key":"service.name","value":{"stringValue":"\#(Self.serviceName)"}}]}"#
    let scope = #"{"name":"mtobs"}"#
    let marker = #"{"key":"mtobs.marker","value":{"stringValue":"\#(marks.marker)"}}"#
    let otlpSpan =
      #"{"resourceSpans":[{"resource":\#(resource),"scopeSpans":[{"scope":\#(scope),"spans":[{"traceId":"\#(marks.otlpTraceID)","spanId":"\#(marks.spanID)","name":"mtobs verify","kind":1,"startTimeUnixNano":"\#(nowNs - 1_000_000)","endTimeUnixNano":"\#(nowNs)","attributes":[\#(marker)]}]}]}]}"#
    let zipkinSpan =
      #"[{"traceId":"\#(marks.zipkinTraceID)","id":"\#(marks.spanID)","name":"mtobs verify","kind":"CLIENT","timestamp":\#(nowNs / 1000 - 1000),"duration":1000,"localEndpoint":{"serviceName":"\#(Self.serviceName)"},"tags":{"mtobs.marker":"\#(marks.marker)"}}]"#
    let log =
      #"{"resourceLogs":[{"resource":\#(resource),"scopeLogs":[{"scope":\#(scope),"logRecords":[{"timeUnixNano":"\#(nowNs)","observedTimeUnixNano":"\#(nowNs)","severityNumber":9,"severityText":"INFO","body":{"stringValue":"mtobs verify round trip \#(marks.marker)"},"attributes":[\#(marker)]}]}]}]}"#
    let metric =
      #"{"resourceMetrics":[{"resource":\#(resource),"scopeMetrics":[{"scope":\#(scope),"metrics":[{"name":"\#(Self.metricName)","gauge":{"dataPoints":[{"timeUnixNano":"\#(nowNs)","asDouble":1,"attributes":[{"key":"marker","value":{"stringValue":"\#(marks.marker)"}}]}]}}]}]}]}"#
    let logQuery = "{service_name=\"\(Self.serviceName)\"} |= \"\(marks.marker)\""
    let metricQuery = "\(Self.metricName){marker=\"\(marks.marker)\"}"
    let streamsFound: @Sendable (JSONValue?) -> Bool = { answer in
      (answer?[path: "data", "result"]?.array ?? []).contains { !($0["values"]?.array ?? []).isEmpty }
    }
    return [
      Plan(
        id: "span-otlp", port: endpoints.otlpHTTPPort, path: "/v1/traces", body: Array(otlpSpan.utf8),
        backend: endpoints.tempo, backendName: "Tempo", lookupText: "trace \(marks.otlpTraceID)",
        lookupPath: { _ in "/api/traces/\(marks.otlpTraceID)" }, isFound: { _ in true }),
      Plan(
        id: "span-zipkin", port: endpoints.zipkinPort, path: "/api/v2/spans", body: Array(zipkinSpan.utf8),
        backend: endpoints.tempo, backendName: "Tempo", lookupText: "trace \(marks.zipkinTraceID)",
        lookupPath: { _ in "/api/traces/\(marks.zipkinTraceID)" }, isFound: { _ in true }),
      Plan(
        id: "log", port: endpoints.otlpHTTPPort, path: "/v1/logs", body: Array(log.utf8), backend: endpoints.loki,
        backendName: "Loki", lookupText: logQuery,
        lookupPath: { sent in
          "/loki/api/v1/query_range?query=\(KubeClient.queryValue(logQuery))&start=\(sent - 60_000_000_000)"
            + "&limit=10&direction=backward"
        }, isFound: streamsFound),
      Plan(
        id: "metric", port: endpoints.otlpHTTPPort, path: "/v1/metrics", body: Array(metric.utf8),
        backend: endpoints.mimir, backendName: "Mimir", lookupText: metricQuery,
        lookupPath: { _ in "/prometheus/api/v1/query?query=\(KubeClient.queryValue(metricQuery))" },
        isFound: { answer in !(answer?[path: "data", "result"]?.array ?? []).isEmpty }),
    ]
  }

  /// Sends every signal, then polls for each until found or `deadline`.
  public func run(deadline: ContinuousClock.Instant, now: Date = Date()) async -> RoundTrip {
    let nowNs = LokiQuery.nanoseconds(now)
    let plans = plans(nowNs: nowNs)
    let deadlineMs = DurationText.milliseconds(deadline - ContinuousClock.now)
    let interval = DurationText.milliseconds(pollInterval)
    let namespace = kube.target.namespace
    if let dryRun {
      for plan in plans {
        let path = KubeClient.serviceProxyPath(
          namespace: namespace, service: endpoints.collector, port: plan.port, path: plan.path)
        dryRun("POST \(path)   # \(String(decoding: plan.body, as: UTF8.self))")
      }
      return RoundTrip(
        marker: marks.marker, dryRun: true, pollIntervalMs: interval, deadlineMs: deadlineMs,
        signals: plans.map { plan in
          RoundTrip.Signal(
            id: plan.id, sentTo: sentTo(plan), sendStatus: nil, sendError: nil, lookup: plan.lookupText,
            foundAfterMs: nil, polls: 0, lastAnswer: nil)
        })
    }
    let signals = await withTaskGroup(of: (Int, RoundTrip.Signal).self) { group in
      for (index, plan) in plans.enumerated() {
        group.addTask { (index, await journey(plan, sentNs: nowNs, deadline: deadline)) }
      }
      var signals: [(Int, RoundTrip.Signal)] = []
      for await signal in group { signals.append(signal) }
      return signals.sorted { $0.0 < $1.0 }.map(\.1)
    }
    return RoundTrip(
      marker: marks.marker, dryRun: false, pollIntervalMs: interval, deadlineMs: deadlineMs, signals: signals)
  }

  func sentTo(_ plan: Plan) -> String { "service/\(endpoints.collector):\(plan.port)\(plan.path)" }

  /// One signal: POST it, then ask its backend until it answers with it. Answers the API server
  /// gives for the collector or the backend (no Service, no endpoint, refused) are classified, so
  /// the report blames the hop that really failed; a backend Service that does not exist ends the
  /// polls at once.
  func journey(_ plan: Plan, sentNs: Int64, deadline: ContinuousClock.Instant) async -> RoundTrip.Signal {
    var signal = RoundTrip.Signal(
      id: plan.id, sentTo: sentTo(plan), sendStatus: nil, sendError: nil, lookup: plan.lookupText,
      foundAfterMs: nil, polls: 0, lastAnswer: nil)
    let namespace = kube.target.namespace
    let postPath = KubeClient.serviceProxyPath(
      namespace: namespace, service: endpoints.collector, port: plan.port, path: plan.path)
    let sent = ContinuousClock.now
    func since(_ instant: ContinuousClock.Instant) -> Int { DurationText.milliseconds(instant - sent) }
    do {
      let answer = try await kube.rawPost(postPath, body: plan.body, contentType: "application/json")
      signal.postMs = since(.now)
      signal.sendStatus = answer.status
      if !answer.succeeded {
        signal.sendUnreached = BackendReach.unreached(
          answer, kube: kube, path: postPath, what: "POST \(plan.path) to the collector")
        signal.sendError =
          signal.sendUnreached?.message
          ?? BackendChecks.firstLine(String(decoding: answer.body.prefix(2000), as: UTF8.self))
        return signal
      }
    } catch let error as KubeError {
      let unreached = BackendReach.thrown(
        error, subject: "the collector (\(signal.sentTo))", timeout: kube.timeout,
        slowHint: "mtobs logs collector -n \(namespace)   # a busy or stuck receiver")
      signal.sendStatus = error.failure?.status
      signal.sendUnreached = unreached
      signal.sendError = unreached.message
      return signal
    } catch {
      signal.sendError = "\(error)"
      return signal
    }
    guard let (service, port) = plan.backend else {
      signal.lookupUnreached =
        endpoints.missing[plan.backendName]
        ?? ReadError(reason: .notFound, message: "no \(plan.backendName) found in '\(namespace)'", hint: "mtobs health")
      return signal
    }
    let lookupPath = KubeClient.serviceProxyPath(
      namespace: namespace, service: service, port: port, path: plan.lookupPath(sentNs))
    let target = "service/\(service):\(port)"
    while ContinuousClock.now < deadline, !Task.isCancelled {
      let asked = ContinuousClock.now
      signal.polls += 1
      do {
        let answer = try await kube.rawFetch(lookupPath)
        if answer.succeeded, plan.isFound(try? JSONValue.decode(answer.body)) {
          signal.foundAfterMs = since(.now)
          signal.foundAskedAtMs = since(asked)
          signal.lastAnswer = nil
          signal.lookupUnreached = nil
          return signal
        }
        signal.lookupUnreached = BackendReach.unreached(
          answer, kube: kube, path: lookupPath, what: "asking \(plan.backendName) for \(plan.lookupText)")
        if signal.lookupUnreached == nil {
          signal.missedAtMs = since(asked)
          signal.missedTookMs = DurationText.milliseconds(ContinuousClock.now - asked)
        }
        signal.lastAnswer =
          answer.succeeded
          ? "not found yet"
          : signal.lookupUnreached?.message
            ?? "HTTP \(answer.status): \(BackendChecks.firstLine(String(decoding: answer.body.prefix(2000), as: UTF8.self)))"
      } catch let error as KubeError {
        let unreached = BackendReach.thrown(
          error, subject: "\(plan.backendName) (\(target))", timeout: kube.timeout,
          slowHint: "mtobs logs \(plan.backendName.lowercased()) -n \(namespace)   # slow to answer?")
        signal.lookupUnreached = unreached
        signal.lastAnswer = unreached.message
      } catch {
        signal.lastAnswer = "\(error)"
      }
      // No such Service (or port): it will not appear while we poll.
      if let unreached = signal.lookupUnreached, BackendReach.isPermanent(unreached) { break }
      let next = asked + pollInterval
      if next >= deadline { break }
      try? await Task.sleep(until: next, clock: .continuous)
    }
    return signal
  }
}
