import Foundation
import Testing

@testable import MtobsCore

/// The collector's metrics as they come: huge counters, and answers that are not metrics at all.
@Suite("collector metrics: huge counters and answers that are not metrics")
struct CollectorMetricsRobustnessTests {
  typealias S = HealthSnapshots

  static func outcome(_ snapshot: Snapshot) -> [String: CheckResult] {
    Dictionary(uniqueKeysWithValues: HealthChecks.evaluate(snapshot).map { ($0.id, $0) })
  }

  static func withMetrics(_ body: String) -> Snapshot {
    var snapshot = S.healthy()
    snapshot.setProbe(S.collectorMetricsProbe(body))
    return snapshot
  }

  // MARK: - Counters beyond Int64

  /// Counters at and beyond 2^63 used to trap in `Int(Double)`.
  static let hugeCounters = S.metrics().replacingOccurrences(
    of: "otelcol_exporter_send_failed_spans_total{exporter=\"otlp_grpc/alloy\"} 0",
    with: "otelcol_exporter_send_failed_spans_total{exporter=\"otlp_grpc/alloy\"} 9.3e18"
  ).replacingOccurrences(
    of: "otelcol_receiver_refused_spans_total{receiver=\"zipkin\",service_name=\"otelcol-k8s\",transport=\"http\"} 0",
    with:
      "otelcol_receiver_refused_spans_total{receiver=\"zipkin\",service_name=\"otelcol-k8s\",transport=\"http\"} 1e300"
  )

  @Test func countersBeyondInt64AreReportedNotTrapped() {
    #expect(Self.hugeCounters.contains("9.3e18"), "the fixture was changed")
    let results = Self.outcome(Self.withMetrics(Self.hugeCounters))
    #expect(results["collector.exporters"]?.status == .fail)
    #expect(
      results["collector.exporters"]?.message
        == "otlp_grpc/alloy failed to send 9.3e+18 spans (1842 sent) since the collector started")
    #expect(results["collector.receivers"]?.message == "zipkin refused 1e+300 spans (accepted 1842)")
  }

  @Test(arguments: [
    (9.3e18, "9.3e+18"), (9_223_372_036_854_775_807, "9.223372036854776e+18"), (-9.3e18, "-9.3e+18"),
    (Double.infinity, "inf"), (Double.nan, "nan"), (4211, "4211"), (12.7, "12"), (9.0e18, "9000000000000000000"),
  ])
  func countsFormatEveryDouble(value: Double, text: String) {
    #expect(CollectorChecks.count(value) == text)
  }

  @Test func aBundleHoldingAHugeCounterEvaluatesAndRendersAsJSON() throws {
    let data = try BundleFile.encode(Self.withMetrics(Self.hugeCounters))
    let snapshot = try BundleFile.decode(data, path: "huge.json")
    let report = HealthRunner.report(
      for: snapshot, options: .init(), startedAt: snapshot.capturedAt, durationMs: 0)
    let json = ReportRenderer.json(report)
    let document = try JSONValue.decode(Array(json.utf8))
    let exporters = document["checks"]?.array?.first { $0["id"]?.string == "collector.exporters" }
    #expect(exporters?["status"]?.string == "fail")
    #expect(exporters?["message"]?.string?.hasPrefix("otlp_grpc/alloy failed to send 9.3e+18 spans") == true)
  }

  // MARK: - Answers that are not Prometheus text

  static let notMetrics: [(name: String, body: String, detail: String)] = [
    ("empty", "", "an empty body"),
    ("blank", "\n  \n", "an empty body"),
    (
      "HTML", "<!DOCTYPE html>\n<html><head><title>Error 404</title></head>\n<body>Not Found</body></html>\n",
      "3 lines and no metric sample; it starts '<!DOCTYPE html>'"
    ),
    ("garbage", "\u{1}\u{2}garbage 🙂\nmore garbage here\n", "2 lines and no metric sample; it starts '??garbage 🙂'"),
    (
      "JSON", #"{"status":"Server available"}"#,
      #"1 line and no metric sample; it starts '{"status":"Server available"}'"#
    ),
    ("comments only", "# HELP nothing\n# nothing else\n", "only comments, no metric sample"),
  ]

  @Test(arguments: notMetrics.map(\.name))
  func anAnswerThatIsNotPrometheusTextIsAFindingNeverAPass(name: String) throws {
    let (_, body, detail) = try #require(Self.notMetrics.first { $0.name == name })
    let results = Self.outcome(Self.withMetrics(body))
    for id in ["collector.receivers", "collector.exporters"] {
      let result = try #require(results[id])
      #expect(result.status == .fail, "\(id)")
      #expect(
        result.message
          == "the metrics endpoint pod/\(S.collectorPod):8888/metrics answered something that is not Prometheus text "
          + "(\(detail))", "\(id)")
      #expect(
        result.hint?.hasPrefix(
          "kubectl get --raw /api/v1/namespaces/monitoring/pods/\(S.collectorPod):8888/proxy/metrics") == true, "\(id)")
      #expect(result.objects == ["monitoring/pod/\(S.collectorPod)"], "\(id)")
    }
  }

  @Test func waitingDoesNotFixAnAnswerThatIsNotMetrics() {
    let assessments = HealthChecks.assess(Self.withMetrics("<html></html>"), skip: [], categories: nil)
    #expect(assessments.first { $0.result.id == "collector.exporters" }?.recoverable == false)
  }

  @Test func aTruncatedButOtherwiseValidAnswerIsStillRead() {
    // Probe bodies are cut at 1 MiB; a cut last line must not discard the rest.
    let cut = S.metrics(failedLogRecords: 7) + "otelcol_exporter_queue_size{data_ty"
    let results = Self.outcome(Self.withMetrics(cut))
    #expect(results["collector.exporters"]?.message.hasPrefix("otlp_grpc/alloy failed to send 7 log records") == true)
    let parsed = CollectorMetrics(parsing: cut)
    #expect(parsed.malformedLineCount == 1)
    #expect(parsed.firstMalformedLine == "otelcol_exporter_queue_size{data_ty")
  }

  @Test(arguments: ["<p>Hello 5", "9lives 3", "my-metric 1", "a.b 2", "ünïcode 1"])
  func metricNamesFollowTheExpositionFormat(line: String) {
    #expect(CollectorMetrics(parsing: line).samples.isEmpty)
    #expect(CollectorMetrics(parsing: line).malformedLineCount == 1)
  }
}
