import Foundation
import Testing

@testable import MtobsCore

/// The pure evaluation of `verify` (and health's data source check) over snapshots built here.
@Suite("verify checks")
struct VerifyChecksTests {
  typealias S = HealthSnapshots

  static let now: Int64 = 1_800_000_000_000

  static func probe(_ id: String, _ body: String, status: Int = 200, target: String = "service/x:1") -> Probe {
    Probe(id: id, target: target, path: "/p", statusCode: status, body: body, error: nil, durationMs: 5)
  }

  static func snapshot(_ probes: [Probe], roundTrip: RoundTrip? = nil) -> VerifySnapshot {
    VerifySnapshot(
      capturedAt: "2027-01-15T08:00:00Z", capturedAtUnixMs: now, context: "dev", namespace: "monitoring",
      appNamespace: "mathtrail", sinceSeconds: 900, metricsQuery: #"up{job="otel-collector"}"#, probes: probes,
      roundTrip: roundTrip)
  }

  static let lokiLines =
    #"{"status":"success","data":{"resultType":"streams","result":[{"stream":{"namespace":"mathtrail"},"values":[["\#(now * 1_000_000 - 12_000_000_000)","a"],["\#(now * 1_000_000 - 30_000_000_000)","b"]]}]}}"#

  static let healthy = snapshot([
    probe("grafana.datasources", #"[{"name":"Loki","uid":"loki","status":"OK"},{"name":"Tempo","uid":"tempo"}]"#),
    probe("loki.logs", lokiLines),
    probe(
      "tempo.search", #"{"traces":[{"traceID":"a","rootServiceName":"api"},{"traceID":"b","rootServiceName":"api"}]}"#),
    probe(
      "mimir.query",
      #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"instance":"i"},"value":[1,"1"]}]}}"#),
    probe("pyroscope.services", #"{"names":["solver","api"]}"#),
  ])

  static func verdicts(_ snapshot: VerifySnapshot) -> [String: CheckResult] {
    Dictionary(uniqueKeysWithValues: VerifyChecks.assess(snapshot).map { ($0.result.id, $0.result) })
  }

  @Test func aHealthyStackPassesEveryStep() {
    let results = Self.verdicts(Self.healthy)
    #expect(
      results.keys.sorted() == [
        "verify.datasources", "verify.logs", "verify.metrics", "verify.profiles", "verify.traces",
      ])
    #expect(results.values.allSatisfy { $0.status == .pass })
    #expect(results["verify.datasources"]?.message == "2 healthy: Loki, Tempo (no health check: Tempo)")
    #expect(
      results["verify.logs"]?.message == #"2 lines for {namespace="mathtrail"} in the last 15m; newest 12.0 s old"#)
    #expect(results["verify.traces"]?.message == "2 traces in the last 15m; services: api")
    #expect(results["verify.profiles"]?.message == "2 services: api, solver")
  }

  @Test func noLinesFailNamingTheNamespaceAndTheLogsCollector() {
    var snapshot = Self.healthy
    snapshot.probes[1] = Self.probe("loki.logs", #"{"status":"success","data":{"resultType":"streams","result":[]}}"#)
    let logs = Self.verdicts(snapshot)["verify.logs"]
    #expect(logs?.status == .fail)
    #expect(logs?.message.contains("'mathtrail'") == true)
    #expect(logs?.hint?.hasPrefix("mtobs logs alloy-logs -n monitoring") == true)
  }

  @Test func aMetricThatIsZeroOrMissingFails() {
    var snapshot = Self.healthy
    snapshot.probes[3] = Self.probe(
      "mimir.query", #"{"status":"success","data":{"result":[{"metric":{"instance":"c:8888"},"value":[1,"0"]}]}}"#)
    #expect(
      Self.verdicts(snapshot)["verify.metrics"]?.message
        == #"1 of 1 series of up{job="otel-collector"} are not 1: c:8888=0"#)
    snapshot.probes[3] = Self.probe("mimir.query", #"{"status":"success","data":{"result":[]}}"#)
    #expect(Self.verdicts(snapshot)["verify.metrics"]?.message == #"Mimir has no series for up{job="otel-collector"}"#)
  }

  @Test func aBackendErrorIsShownAsTheBackendWroteIt() {
    var snapshot = Self.healthy
    snapshot.probes[2] = Self.probe("tempo.search", "invalid TraceQL query: parse error\n", status: 400)
    let traces = Self.verdicts(snapshot)["verify.traces"]
    #expect(traces?.status == .fail)
    #expect(traces?.message == "Tempo: service/x:1/p answered HTTP 400: invalid TraceQL query: parse error")
  }

  @Test func aMissingComponentFailsWithWhatWasLookedFor() {
    var snapshot = Self.healthy
    snapshot.probes[4] = Probe(
      id: "pyroscope.services", target: "", path: "", statusCode: nil, body: nil,
      error: ReadError(reason: .notFound, message: "no profiles backend (Pyroscope) found in 'monitoring'", hint: ""),
      durationMs: 0)
    let profiles = Self.verdicts(snapshot)["verify.profiles"]
    #expect(profiles?.status == .fail)
    #expect(profiles?.message == "Pyroscope: no profiles backend (Pyroscope) found in 'monitoring'")
  }

  @Test func anUnreadableSecretSkipsTheDataSourcesInVerifyAndHealth() {
    let credentials = GrafanaDatasources.probe(
      .noCredentials(message: "no Secret 'lgtm-grafana' in namespace 'monitoring'", hint: "set 'grafana.secret'"),
      service: "lgtm-grafana", port: 80, secret: "lgtm-grafana", durationMs: 3)
    #expect(credentials.id == "grafana.credentials")
    var snapshot = Self.healthy
    snapshot.probes[0] = credentials
    let verdict = Self.verdicts(snapshot)["verify.datasources"]
    #expect(verdict?.status == .skip)
    #expect(verdict?.message.hasSuffix("no Secret 'lgtm-grafana' in namespace 'monitoring'") == true)

    var health = S.healthy()
    health.probes.append(credentials)
    let check = HealthChecks.assess(health).first { $0.result.id == "grafana.datasources" }?.result
    #expect(check?.status == .skip)
    #expect(check?.message.hasSuffix("no Secret 'lgtm-grafana' in namespace 'monitoring'") == true)
    #expect(check?.hint == "set 'grafana.secret'")
  }

  @Test func grafanasHealthAnswersAreJudgedInItsOwnWords() {
    let source = DatasourceHealth(name: "Mimir", uid: "prom", type: "prometheus", status: nil, message: nil)
    let error = GrafanaDatasources.judged(
      source, .success(.init(status: 400, body: Array(#"{"status":"ERROR","message":"dial tcp: refused"}"#.utf8))))
    #expect(error.status == "ERROR" && error.message == "dial tcp: refused")
    let none = GrafanaDatasources.judged(
      source, .success(.init(status: 404, body: Array(#"{"message":"Plugin health check not implemented"}"#.utf8))))
    #expect(none.status == nil && none.message == "Plugin health check not implemented")
    let broken = GrafanaDatasources.judged(source, .success(.init(status: 502, body: Array("Bad Gateway".utf8))))
    #expect(broken.status == "ERROR" && broken.message == "HTTP 502: Bad Gateway")
    #expect(
      GrafanaDatasources.parseList(Array(#"[{"uid":"a","name":"A","type":"loki"},{"name":"no uid"}]"#.utf8))?.count == 1
    )
    #expect(GrafanaDatasources.parseList(Array("not json".utf8)) == nil)
    let probe = GrafanaDatasources.probe(
      .checked([error]), service: "lgtm-grafana", port: 80, secret: "s", durationMs: 1)
    #expect(
      probe.body
        == #"[{"message":"dial tcp: refused","name":"Mimir","status":"ERROR","type":"prometheus","uid":"prom"}]"#)
  }

  @Test func aDataSourceInErrorWithoutWordsSaysGrafanaGaveNone() {
    var snapshot = Self.healthy
    snapshot.probes[0] = Self.probe(
      "grafana.datasources",
      #"[{"name":"Loki","uid":"loki","status":"ERROR","message":""},{"name":"Tempo","uid":"t","status":"ERROR"}]"#)
    #expect(
      Self.verdicts(snapshot)["verify.datasources"]?.message
        == "Loki: Grafana gave no message; status ERROR; Tempo: Grafana gave no message; status ERROR")
    var health = S.healthy()
    health.probes.append(snapshot.probes[0])
    let check = HealthChecks.assess(health).first { $0.result.id == "grafana.datasources" }?.result
    #expect(
      check?.message == "Loki: Grafana gave no message; status ERROR; Tempo: Grafana gave no message; status ERROR")
  }

  @Test func aLatencyShowsThePollThatMissedIt() {
    var signal = Self.signal("span-otlp", found: 1_180)
    signal.missedAtMs = 930
    let trip = RoundTrip(marker: "m", dryRun: false, pollIntervalMs: 250, deadlineMs: 30_000, signals: [signal])
    #expect(
      Self.verdicts(Self.snapshot(Self.healthy.probes, roundTrip: trip))["verify.send.span-otlp"]?.message
        == "visible in Tempo after 1.2 s (not yet at 0.9 s; trace abc)")
  }

  @Test func aBackendThatCouldNotBeAskedIsBlamedNotTheIngest() {
    var signal = Self.signal("span-otlp")
    signal.lookupUnreached = ReadError(
      reason: .notFound, message: #"services "tempo" not found"#, hint: "mtobs health   # is Tempo deployed?")
    signal.polls = 1
    let trip = RoundTrip(marker: "m", dryRun: false, pollIntervalMs: 250, deadlineMs: 30_000, signals: [signal])
    let verdict = Self.verdicts(Self.snapshot(Self.healthy.probes, roundTrip: trip))["verify.send.span-otlp"]
    #expect(
      verdict?.message
        == #"accepted by the collector, but Tempo could not be asked for trace abc (1 poll, none reached it; stopped asking): services "tempo" not found"#
    )
    #expect(verdict?.hint == "mtobs health   # is Tempo deployed?")
  }

  static func signal(_ id: String, found: Int? = nil, sendError: String? = nil) -> RoundTrip.Signal {
    RoundTrip.Signal(
      id: id, sentTo: "service/c:4318/v1/traces", sendStatus: sendError == nil ? 200 : 503, sendError: sendError,
      lookup: "trace abc", foundAfterMs: found, polls: 9, lastAnswer: found == nil ? "HTTP 404: trace not found" : nil)
  }

  @Test func theRoundTripReportsLatencyAndNamesTheHop() {
    let trip = RoundTrip(
      marker: "m", dryRun: false, pollIntervalMs: 250, deadlineMs: 30_000,
      signals: [
        Self.signal("span-otlp", found: 2_430), Self.signal("span-zipkin", sendError: "the collector refused the data"),
        Self.signal("log"), Self.signal("metric", found: 250),
      ])
    let results = Self.verdicts(Self.snapshot(Self.healthy.probes, roundTrip: trip))
    #expect(results["verify.send.span-otlp"]?.message == "visible in Tempo after 2.4 s (trace abc)")
    #expect(results["verify.send.span-zipkin"]?.status == .fail)
    #expect(
      results["verify.send.span-zipkin"]?.message
        == "the collector did not accept it at service/c:4318/v1/traces: HTTP 503: the collector refused the data")
    #expect(results["verify.send.log"]?.status == .fail)
    #expect(
      results["verify.send.log"]?.message
        == "accepted by the collector but not in Loki after 30.0 s (9 polls for trace abc); last answer: HTTP 404: trace not found"
    )
    #expect(results["verify.send.log"]?.hint?.contains("mtobs logs loki -n monitoring") == true)
    #expect(results["verify.send.metric"]?.message == "visible in Mimir after 0.3 s (trace abc)")
  }

  @Test func theCollectorsExporterCountersNameTheHopThatLostASignal() {
    let metrics = CollectorMetrics(
      parsing: """
        otelcol_exporter_sent_log_records_total{exporter="otlphttp/loki"} 40
        otelcol_exporter_send_failed_log_records_total{exporter="otlphttp/loki"} 12
        otelcol_exporter_sent_spans_total{exporter="otlp/tempo"} 7
        otelcol_exporter_send_failed_spans_total{exporter="otlp/tempo"} 0
        """)
    let counts = RoundTrip.ExporterCounts.read(metrics, source: "pod/c-0:8888/metrics")
    #expect(counts.failed["log_records"] == ["otlphttp/loki": 12])
    #expect(counts.sent["spans"] == ["otlp/tempo": 7])
    #expect(counts.sent["metric_points"] == [:])
    let trip = RoundTrip(
      marker: "m", dryRun: false, pollIntervalMs: 250, deadlineMs: 30_000,
      signals: [Self.signal("log"), Self.signal("span-otlp"), Self.signal("metric")], exporters: counts)
    let results = Self.verdicts(Self.snapshot(Self.healthy.probes, roundTrip: trip))
    #expect(
      results["verify.send.log"]?.message.hasSuffix(
        "; the collector's exporters failed to send log records "
          + "(otelcol_exporter_send_failed_log_records otlphttp/loki: 12 on pod/c-0:8888/metrics)") == true,
      "\(results["verify.send.log"]?.message ?? "")")
    #expect(results["verify.send.log"]?.hint?.hasPrefix("mtobs logs collector -n monitoring") == true)
    #expect(
      results["verify.send.span-otlp"]?.message.hasSuffix(
        "; the collector's exporters report no failures (7 spans sent on): the hop after the collector lost it") == true
    )
    #expect(
      results["verify.send.span-otlp"]?.hint?.hasPrefix("mtobs logs alloy-receiver -n monitoring; mtobs logs tempo")
        == true)
    #expect(
      results["verify.send.metric"]?.message.contains("the collector's exporters sent no metric points at all") == true)
    // Counters that could not be read change nothing: the general hint stays.
    let unread = RoundTrip(
      marker: "m", dryRun: false, pollIntervalMs: 250, deadlineMs: 30_000, signals: [Self.signal("log")],
      exporters: .init(source: "pod/c-0:8888/metrics", error: "503"))
    let plain = Self.verdicts(Self.snapshot(Self.healthy.probes, roundTrip: unread))
    #expect(plain["verify.send.log"]?.hint?.hasPrefix("mtobs health --category collector") == true)
  }

  @Test func aDryRunSendsNothingAndSkips() {
    let trip = RoundTrip(
      marker: "m", dryRun: true, pollIntervalMs: 250, deadlineMs: 0, signals: [Self.signal("span-otlp")])
    let results = Self.verdicts(Self.snapshot(Self.healthy.probes, roundTrip: trip))
    #expect(results["verify.send.span-otlp"]?.status == .skip)
    #expect(results["verify.send.span-otlp"]?.message.hasPrefix("not sent (--dry-run)") == true)
  }

  @Test func aSnapshotSurvivesTheBundleFormat() throws {
    let trip = RoundTrip(marker: "m", dryRun: false, pollIntervalMs: 250, deadlineMs: 1, signals: [Self.signal("log")])
    var bundle = S.healthy()
    bundle.verify = Self.snapshot(Self.healthy.probes, roundTrip: trip)
    let decoded = try BundleFile.decode(try BundleFile.encode(bundle), path: "x.json")
    #expect(decoded.verify == bundle.verify)
  }
}
