/// Everything `verify` read, as plain data: the input of its pure evaluation, and what `bundle`
/// keeps so `verify --from BUNDLE` judges exactly what was read.
public struct VerifySnapshot: Sendable, Equatable, Codable {
  public var capturedAt: String
  /// The same moment in milliseconds since 1970, for ages ("newest line 12 s old").
  public var capturedAtUnixMs: Int64
  public var context: String?
  public var namespace: String
  public var appNamespace: String
  /// The window the queries looked back over (`--since`).
  public var sinceSeconds: Int
  public var metricsQuery: String
  /// One answer per step, by id: `grafana.datasources` (or `grafana.credentials` when the Secret
  /// could not be read), `loki.logs`, `tempo.search`, `mimir.query`, `pyroscope.services`. A step
  /// whose component was not found has a probe whose error says so.
  public var probes: [Probe]
  /// What `--send` sent and when each signal became visible; nil without `--send`.
  public var roundTrip: RoundTrip?

  public init(
    capturedAt: String, capturedAtUnixMs: Int64, context: String?, namespace: String, appNamespace: String,
    sinceSeconds: Int,
    metricsQuery: String, probes: [Probe], roundTrip: RoundTrip? = nil
  ) {
    self.capturedAt = capturedAt
    self.capturedAtUnixMs = capturedAtUnixMs
    self.context = context
    self.namespace = namespace
    self.appNamespace = appNamespace
    self.sinceSeconds = sinceSeconds
    self.metricsQuery = metricsQuery
    self.probes = probes
    self.roundTrip = roundTrip
  }

  public func probe(_ id: String) -> Probe? { probes.first { $0.id == id } }

  /// The probe ids of the five steps, in report order.
  public static let stepProbes = [
    "grafana.datasources", "loki.logs", "tempo.search", "mimir.query", "pyroscope.services",
  ]
}

/// `verify --send`: one marked span (twice: OTLP/HTTP and Zipkin), one log record and one metric
/// point sent through the collector, and when each was found again in its backend.
public struct RoundTrip: Sendable, Equatable, Codable {
  /// One signal's journey.
  public struct Signal: Sendable, Equatable, Codable {
    /// `span-otlp`, `span-zipkin`, `log`, `metric`.
    public var id: String
    /// The receiver it was sent to (`service/NAME:4318/v1/traces`).
    public var sentTo: String
    /// The collector's answer to the POST: its status, or nil when the POST did not get one.
    public var sendStatus: Int?
    /// The collector's (or the API server's) words when the POST failed.
    public var sendError: String?
    /// What was looked up (`trace 4bf9…`, `{service_name="mtobs-verify"} |= "mtobs-…"`).
    public var lookup: String
    /// Milliseconds from the POST until the backend returned it; nil: not found by the deadline.
    public var foundAfterMs: Int?
    /// How often the backend was asked.
    public var polls: Int
    /// The last thing the backend said while it had not found it (an error, or "not found").
    public var lastAnswer: String?
    /// The POST never reached the collector: the API server (or the transport) answered for it
    /// (no Service, no ready endpoint, refused, no answer in time). Nil: the collector answered.
    public var sendUnreached: ReadError?
    /// The backend could not be asked at the last poll (no such Service, no endpoint, refused,
    /// too slow); nil when it answered. A `notFound` reason stopped the polls early.
    public var lookupUnreached: ReadError?
    /// How long the POST took, in milliseconds.
    public var postMs: Int?
    /// When (ms after the POST began) the last poll that did not find it was sent, and how long
    /// that poll took: the signal arrived after that moment, so the latency's resolution is the
    /// gap to the poll that found it.
    public var missedAtMs: Int?
    public var missedTookMs: Int?
    /// When (ms after the POST began) the poll that found it was sent.
    public var foundAskedAtMs: Int?

    public init(
      id: String, sentTo: String, sendStatus: Int?, sendError: String?, lookup: String, foundAfterMs: Int?,
      polls: Int, lastAnswer: String?, sendUnreached: ReadError? = nil, lookupUnreached: ReadError? = nil
    ) {
      self.id = id
      self.sentTo = sentTo
      self.sendStatus = sendStatus
      self.sendError = sendError
      self.lookup = lookup
      self.foundAfterMs = foundAfterMs
      self.polls = polls
      self.lastAnswer = lastAnswer
      self.sendUnreached = sendUnreached
      self.lookupUnreached = lookupUnreached
    }
  }

  public var marker: String
  /// Not sent: `--dry-run` printed the POSTs instead.
  public var dryRun: Bool
  public var pollIntervalMs: Int
  public var deadlineMs: Int
  public var signals: [Signal]
  /// What the collector's own metrics said after a signal went missing, as `health` reads them:
  /// whether its exporters failed to send that kind of data. Nil: nothing went missing, or older
  /// bundles.
  public var exporters: ExporterCounts?

  public init(
    marker: String, dryRun: Bool, pollIntervalMs: Int, deadlineMs: Int, signals: [Signal],
    exporters: ExporterCounts? = nil
  ) {
    self.marker = marker
    self.dryRun = dryRun
    self.pollIntervalMs = pollIntervalMs
    self.deadlineMs = deadlineMs
    self.signals = signals
    self.exporters = exporters
  }

  /// The collector's exporter counters per kind of data (`spans`, `log_records`, `metric_points`).
  public struct ExporterCounts: Sendable, Equatable, Codable {
    /// Where they were read (`pod/NAME:8888/metrics`).
    public var source: String
    /// `otelcol_exporter_sent_KIND` and `otelcol_exporter_send_failed_KIND`, summed per exporter.
    public var sent: [String: [String: Double]]
    public var failed: [String: [String: Double]]
    /// Why they could not be read, when they could not.
    public var error: String?

    public init(
      source: String, sent: [String: [String: Double]] = [:], failed: [String: [String: Double]] = [:],
      error: String? = nil
    ) {
      self.source = source
      self.sent = sent
      self.failed = failed
      self.error = error
    }

    public static let kinds = ["spans", "log_records", "metric_points"]

    /// Reads the counters from the collector's Prometheus text.
    public static func read(_ metrics: CollectorMetrics, source: String) -> ExporterCounts {
      var counts = ExporterCounts(source: source)
      for kind in kinds {
        counts.sent[kind] = metrics.sum("otelcol_exporter_sent_\(kind)", by: "exporter")
        counts.failed[kind] = metrics.sum("otelcol_exporter_send_failed_\(kind)", by: "exporter")
      }
      return counts
    }
  }

  public func signal(_ id: String) -> Signal? { signals.first { $0.id == id } }
}
