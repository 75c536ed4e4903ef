import Testing

@testable import MtobsCore

/// The Prometheus text format, as far as the collector's own metrics need it.
@Suite("collector metrics parse")
struct CollectorMetricsTests {
  @Test func samplesWithAndWithoutLabels() {
    let metrics = CollectorMetrics(
      parsing: """
        # HELP otelcol_process_uptime Uptime of the process
        # TYPE otelcol_process_uptime counter
        otelcol_process_uptime 3601.5
        otelcol_receiver_accepted_spans_total{receiver="zipkin",transport="http"} 1842

        """)
    #expect(
      metrics.samples == [
        .init(name: "otelcol_process_uptime", labels: [:], value: 3601.5),
        .init(
          name: "otelcol_receiver_accepted_spans_total", labels: ["receiver": "zipkin", "transport": "http"],
          value: 1842),
      ])
  }

  @Test func sumsPerLabelValueWithOrWithoutTheTotalSuffix() {
    let metrics = CollectorMetrics(
      parsing: """
        otelcol_exporter_send_failed_log_records_total{exporter="otlp_grpc/alloy",data_type="logs"} 10
        otelcol_exporter_send_failed_log_records{exporter="otlp_grpc/alloy"} 5
        otelcol_exporter_send_failed_log_records_total{exporter="debug"} 1
        otelcol_exporter_send_failed_log_records_totally{exporter="debug"} 100
        otelcol_exporter_send_failed_log_records_created{exporter="debug"} 1.7e9
        """)
    #expect(
      metrics.sum("otelcol_exporter_send_failed_log_records", by: "exporter") == ["otlp_grpc/alloy": 15, "debug": 1])
    #expect(metrics.total("otelcol_exporter_send_failed_log_records") == 16)
    #expect(metrics.contains("otelcol_exporter_send_failed_log_records"))
    #expect(!metrics.contains("otelcol_exporter_send_failed_spans"))
    #expect(metrics.sum("otelcol_exporter_send_failed_log_records", by: "missing") == ["": 16])
  }

  @Test func specialValuesAndTimestamps() {
    let metrics = CollectorMetrics(
      parsing: """
        a +Inf
        b -Inf
        c NaN
        d 12 1700000000000
        e 1.5e+03
        otelcol_exporter_queue_size{exporter="x"} NaN
        otelcol_exporter_queue_size{exporter="x"} 3
        """)
    let values = Dictionary(metrics.samples.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    #expect(values["a"] == .infinity)
    #expect(values["b"] == -.infinity)
    #expect(values["c"]?.isNaN == true)
    #expect(values["d"] == 12)
    #expect(values["e"] == 1500)
    #expect(metrics.sum("otelcol_exporter_queue_size", by: "exporter") == ["x": 3], "a NaN does not poison a sum")
  }

  @Test func quotedLabelValuesWithEscapesBracesAndCommas() {
    let metrics = CollectorMetrics(
      parsing: #"m{a="x\"y",b="1,2}",c="back\\slash",d="line\nbreak"} 7"#)
    #expect(metrics.samples.count == 1)
    #expect(metrics.samples.first?.labels == ["a": "x\"y", "b": "1,2}", "c": "back\\slash", "d": "line\nbreak"])
    #expect(metrics.samples.first?.value == 7)
  }

  @Test func commentsBlankAndMalformedLinesAreIgnored() {
    let metrics = CollectorMetrics(
      parsing: """
        # EOF

           
        no_value
        broken{a="b" 3
        unterminated{a="b} 3
        bad_value abc
        {a="b"} 3
        ok 1
        """)
    #expect(metrics.samples.map(\.name) == ["ok"])
  }

  @Test func emptyInput() {
    #expect(CollectorMetrics(parsing: "").samples.isEmpty)
    #expect(CollectorMetrics(parsing: "").total("anything") == 0)
  }

  @Test func theFixturesMetricsReadAsTheChecksExpect() {
    let metrics = CollectorMetrics(parsing: HealthSnapshots.metrics(failedLogRecords: 4211))
    #expect(metrics.sum("otelcol_exporter_send_failed_log_records", by: "exporter") == ["otlp_grpc/alloy": 4211])
    #expect(metrics.sum("otelcol_receiver_accepted_spans", by: "receiver") == ["zipkin": 1842])
    #expect(metrics.sum("otelcol_exporter_queue_capacity", by: "exporter") == ["otlp_grpc/alloy": 1000])
  }
}
