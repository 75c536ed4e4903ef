import Foundation
import KubeStandIn

/// The healthy stack of `examples/clusters/healthy.yaml` on a stand-in API server, and the ways
/// tests break it. Names are mtobs's defaults (the assets produce exactly these).
struct StackScenario {
  static let healthyState = CLI.packageRoot.appendingPathComponent("examples/clusters/healthy.yaml")
  static let collector = "otel-collector-opentelemetry-collector"

  let cluster: StandInCluster
  var state: ClusterState { cluster.server.state }

  static func start(in directory: TemporaryDirectory, context: String = "standin") async throws -> StackScenario {
    let yaml = try String(contentsOf: healthyState, encoding: .utf8)
    return StackScenario(cluster: try await StandInCluster(stateYAML: yaml, in: directory, context: context))
  }

  var collectorPods: [String] {
    state.objects(kind: "Pod", namespace: "monitoring").compactMap { $0[path: "metadata", "name"]?.string }
      .filter { $0.hasPrefix(Self.collector) }
  }

  /// The collector's container restarts in a loop; its Deployment has no ready replica.
  func crashLoopCollector(restarts: Int = 7) throws {
    for pod in collectorPods {
      try state.modify(kind: "Pod", name: pod, namespace: "monitoring") { pod in
        pod[path: "status", "conditions"] = [["type": "Ready", "status": "False"]]
        let container = pod[path: "status", "containerStatuses"]?.array?.first?["name"] ?? "collector"
        pod[path: "status", "containerStatuses"] = [
          [
            "name": container, "ready": false, "restartCount": .int(restarts), "started": false,
            "state": [
              "waiting": ["reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container"]
            ],
            "lastState": ["terminated": ["exitCode": 1, "reason": "Error"]],
          ]
        ]
      }
    }
    try setCollectorReady(false)
  }

  func setCollectorReady(_ ready: Bool) throws {
    try state.modify(kind: "Deployment", name: Self.collector, namespace: "monitoring") { deployment in
      deployment[path: "status", "readyReplicas"] = ready ? deployment[path: "status", "replicas"] : 0
      deployment[path: "status", "availableReplicas"] = ready ? deployment[path: "status", "replicas"] : 0
    }
    for pod in collectorPods {
      try state.modify(kind: "Pod", name: pod, namespace: "monitoring") { pod in
        pod[path: "status", "conditions"] = [["type": "Ready", "status": ready ? "True" : "False"]]
        if var statuses = pod[path: "status", "containerStatuses"]?.array, !statuses.isEmpty {
          statuses[0]["ready"] = .bool(ready)
          pod[path: "status", "containerStatuses"] = .array(statuses)
        }
      }
    }
  }

  /// Loki answers 503 on /ready and the collector's log exporter fails to send.
  func lokiNotReadyAndLogExportFailing() {
    state.setProxyAnswer(
      namespace: "monitoring", kind: .service, name: "loki", port: 3100, path: "/ready", status: 503,
      body: "Ingester not ready: waiting for 15s after being ready\n", contentType: "text/plain")
    for pod in collectorPods {
      state.setProxyAnswer(
        namespace: "monitoring", kind: .pod, name: pod, port: 8888, path: "/metrics",
        body: Self.collectorMetrics(failedLogRecords: 4211), contentType: "text/plain; version=0.0.4")
    }
  }

  /// Dapr sends to the seed's wrong Service name and the v1 path.
  func daprPointsAtTheWrongPlace() throws {
    try state.modify(kind: "Configuration", name: "mathtrail-observability", namespace: "mathtrail") { configuration in
      configuration[path: "spec", "tracing", "zipkin", "endpointAddress"] =
        "http://otel-collector.monitoring.svc.cluster.local:9411/api/v1/spans"
    }
  }

  /// The collector's configuration (ConfigMap key `relay`), rewritten by `edit`.
  func editCollectorConfig(_ edit: (String) -> String) throws {
    try state.modify(kind: "ConfigMap", name: Self.collector, namespace: "monitoring") { map in
      map[path: "data", "relay"] = .string(edit(map[path: "data", "relay"]?.string ?? ""))
    }
  }

  /// The seed's exporter: to `lgtm-alloy-receiver`, which only a k8s-monitoring release named
  /// `lgtm` creates; this stack's receiver is `k8s-monitoring-alloy-receiver`.
  func collectorExportsToTheSeedsReceiver() throws {
    try editCollectorConfig {
      $0.replacingOccurrences(of: "endpoint: k8s-monitoring-alloy-receiver.", with: "endpoint: lgtm-alloy-receiver.")
    }
  }

  /// `config.service.pipelines.traces.receivers` overridden without zipkin.
  func dropZipkinFromTraces() throws {
    try editCollectorConfig { $0.replacingOccurrences(of: "      - zipkin\n", with: "") }
  }

  /// `k8sattributes` configured by hand: nothing binds a ClusterRole to the collector.
  func removeCollectorRBAC() {
    _ = state.remove(kind: "ClusterRoleBinding", name: Self.collector)
  }

  static func collectorMetrics(failedLogRecords: Int) -> String {
    """
    # TYPE otelcol_receiver_accepted_log_records_total counter
    otelcol_receiver_accepted_log_records_total{receiver="otlp",transport="grpc"} 9120
    otelcol_receiver_refused_log_records_total{receiver="otlp",transport="grpc"} 0
    otelcol_receiver_accepted_spans_total{receiver="zipkin",transport="http"} 1842
    otelcol_receiver_refused_spans_total{receiver="zipkin",transport="http"} 0
    otelcol_receiver_accepted_metric_points_total{receiver="otlp",transport="grpc"} 52310
    otelcol_receiver_refused_metric_points_total{receiver="otlp",transport="grpc"} 0
    otelcol_exporter_sent_log_records_total{exporter="otlp_grpc/alloy"} 4909
    otelcol_exporter_send_failed_log_records_total{exporter="otlp_grpc/alloy"} \(failedLogRecords)
    otelcol_exporter_send_failed_spans_total{exporter="otlp_grpc/alloy"} 0
    otelcol_exporter_send_failed_metric_points_total{exporter="otlp_grpc/alloy"} 0
    otelcol_exporter_queue_size{exporter="otlp_grpc/alloy"} 12
    otelcol_exporter_queue_capacity{exporter="otlp_grpc/alloy"} 1000

    """
  }
}
