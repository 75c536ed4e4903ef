import Foundation

@testable import MtobsCore

/// Snapshots of the stack in the states the health tests need, built in code with mtobs's
/// default names (the deploy assets produce exactly these). Start from `healthy()` and break it.
enum HealthSnapshots {
  static let namespace = "monitoring"
  static let appNamespace = "mathtrail"
  static let collector = "otel-collector-opentelemetry-collector"
  static let collectorPod = "\(collector)-7c9d5b0f4-q0z8m"
  static let daprConfiguration = "mathtrail-observability"
  static let zipkinEndpoint = "http://\(collector).monitoring.svc.cluster.local:9411/api/v2/spans"

  /// `deploy/services.yaml`'s workloads, plus a DaemonSet so its readiness rule is exercised.
  static let workloads = [
    "Deployment/\(collector)", "Deployment/lgtm-grafana", "Deployment/lgtm-loki-distributor",
    "Deployment/lgtm-loki-query-frontend", "Deployment/lgtm-loki-gateway", "Deployment/lgtm-tempo-distributor",
    "Deployment/lgtm-tempo-query-frontend", "Deployment/lgtm-mimir-distributor", "Deployment/lgtm-mimir-query-frontend",
    "Deployment/k8s-monitoring-alloy-receiver", "StatefulSet/pyroscope", "DaemonSet/k8s-monitoring-alloy-logs",
  ]

  static let expectations = Expectations(
    workloads: workloads, collectorService: collector, collectorZipkinPort: 9411, collectorHealthPort: 13133,
    collectorMetricsPort: 8888,
    endpoints: [
      "loki": .init(service: "loki", port: 3100), "tempo": .init(service: "tempo", port: 3200),
      "mimir": .init(service: "mimir", port: 9009), "pyroscope": .init(service: "pyroscope", port: 4040),
      "grafana": .init(service: "lgtm-grafana", port: 80),
      "alloy": .init(service: "k8s-monitoring-alloy-receiver", port: 12345),
    ],
    daprConfiguration: daprConfiguration)

  // MARK: - Scenarios

  /// Everything deployed, ready and answering; the collector has seen traffic.
  static func healthy() -> Snapshot {
    Snapshot(
      capturedAt: "2026-11-22T10:00:00Z", context: "dev", namespace: namespace, appNamespace: appNamespace,
      expectations: expectations, server: .success("v1.32.4"), namespaceExists: .success(true),
      stack: .success(stackObjects()), events: .success([]), dapr: .success([configuration()]),
      probes: healthyProbes(), collectorConfigMaps: .success([collectorConfigMap()]),
      collectorClusterRBAC: .success(collectorClusterRBAC()), collectorNamespaceRBAC: .success([]))
  }

  /// The collector's container restarts in a loop; its Deployment has no ready replica.
  static func collectorCrashLooping(restarts: Int = 7) -> Snapshot {
    var snapshot = healthy()
    snapshot.replace("Pod", collectorPod) { _ in
      pod(
        collectorPod, container: "collector", ready: false, restarts: restarts,
        waiting: ("CrashLoopBackOff", "back-off 5m0s restarting failed container"), lastExit: (1, "Error"))
    }
    snapshot.replace("Deployment", collector) { _ in deployment(collector, ready: 0) }
    // The collector reads the pod's endpoints only when it runs; a crash-looping one is not probed.
    snapshot.probes.removeAll { $0.id.hasPrefix("collector.") }
    return snapshot
  }

  /// Loki answers 503 through the proxy and the collector's log exporter drops data.
  static func lokiNotReadyAndLogExportFailing() -> Snapshot {
    var snapshot = healthy()
    snapshot.setProbe(
      failedProbe(
        "loki.ready", "service/loki:3100", "/ready", status: 503,
        error: ReadError(
          reason: .serverError, message: "the server is currently unable to handle the request",
          hint: "the API server answered with an error; retry, or look at `kubectl get events -n monitoring`")))
    snapshot.setProbe(collectorMetricsProbe(metrics(failedLogRecords: 4211)))
    return snapshot
  }

  /// Dapr sends to the seed's wrong Service name and the v1 path.
  static func daprWrongHostAndPath() -> Snapshot {
    var snapshot = healthy()
    snapshot.dapr = .success([
      configuration(endpoint: "http://otel-collector.monitoring.svc.cluster.local:9411/api/v1/spans")
    ])
    return snapshot
  }

  /// The namespace exists and holds nothing; the Services the probes go to do not exist.
  static func nothingDeployed() -> Snapshot {
    var snapshot = healthy()
    snapshot.stack = .success([])
    snapshot.dapr = .success([])
    snapshot.probes = healthyProbes().filter { !$0.id.hasPrefix("collector.") }.map { probe in
      let service = probe.target.dropFirst("service/".count).split(separator: ":")[0]
      return failedProbe(
        probe.id, probe.target, probe.path, status: 404,
        error: ReadError(
          reason: .notFound, message: "services \"\(service)\" not found",
          hint: "check the name and namespace (-n), or deploy the stack with `mtobs deploy`"))
    }
    return snapshot
  }

  /// Nothing could be read: the API server does not answer.
  static func apiDown() -> Snapshot {
    let error = ReadError(
      reason: .unreachable,
      message: "cannot reach the API server of context 'dev': dial tcp 127.0.0.1:6443: connect: connection refused",
      hint: "is the cluster running and is this the right context? Try `kubectl cluster-info`")
    var snapshot = healthy()
    snapshot.server = .failure(error)
    snapshot.namespaceExists = .failure(error)
    snapshot.stack = .failure(error)
    snapshot.events = .failure(error)
    snapshot.dapr = .failure(error)
    snapshot.probes = healthyProbes().filter { !$0.id.hasPrefix("collector.") }.map {
      failedProbe($0.id, $0.target, $0.path, status: nil, error: error)
    }
    return snapshot
  }

  /// RBAC forbids listing the stack namespace.
  static func stackForbidden() -> Snapshot {
    var snapshot = healthy()
    snapshot.stack = .failure(
      ReadError(
        reason: .forbidden,
        message:
          "not allowed: pods is forbidden: User \"bob\" cannot list resource \"pods\" in the namespace \"monitoring\"",
        hint: "ask for read access in namespace 'monitoring'; check with `kubectl auth can-i --list -n monitoring`"))
    snapshot.namespaceExists = nil
    return snapshot
  }

  /// The cluster has no Dapr CRDs.
  static func daprNotInstalled() -> Snapshot {
    var snapshot = healthy()
    snapshot.dapr = .failure(
      ReadError(
        reason: .notFound, message: "the server doesn't have a resource type \"configurations\"",
        hint: "check the name and namespace (-n), or deploy the stack with `mtobs deploy`"))
    return snapshot
  }

  // MARK: - The collector's wiring

  /// The seed's exporter: to `lgtm-alloy-receiver`, a Service only a k8s-monitoring release named
  /// `lgtm` creates; this stack's receiver is `k8s-monitoring-alloy-receiver`.
  static let seedExporterEndpoint = "lgtm-alloy-receiver.monitoring.svc.cluster.local:4317"

  static func collectorConfigured(_ relay: String) -> Snapshot {
    var snapshot = healthy()
    snapshot.collectorConfigMaps = .success([collectorConfigMap(relay: relay)])
    return snapshot
  }

  static func seedExporterMistake() -> Snapshot {
    collectorConfigured(collectorRelay(exporterEndpoint: seedExporterEndpoint))
  }

  /// `config.service.pipelines.traces.receivers` overridden without zipkin (lists are replaced).
  static func zipkinDroppedFromTraces() -> Snapshot {
    collectorConfigured(collectorRelay(tracesReceivers: ["otlp"]))
  }

  static func pipelineNamesUndefinedExporter() -> Snapshot {
    collectorConfigured(collectorRelay(logsExporters: ["otlp_grpc/alloy", "loki"]))
  }

  /// `k8sattributes` configured by hand under `config.processors`: the chart creates no RBAC.
  static func collectorWithoutRBAC() -> Snapshot {
    var snapshot = healthy()
    snapshot.collectorClusterRBAC = .success([])
    return snapshot
  }

  static func collectorConfigNotYAML() -> Snapshot {
    collectorConfigured("receivers:\n  otlp: {protocols: {grpc: {}}\nexporters: [unclosed\n")
  }

  /// A bundle from before mtobs read the collector's wiring.
  static func olderBundle() -> Snapshot {
    var snapshot = healthy()
    snapshot.collectorConfigMaps = nil
    snapshot.collectorClusterRBAC = nil
    snapshot.collectorNamespaceRBAC = nil
    return snapshot
  }

  /// Every scenario above, by name, for properties that must hold in all of them.
  static let all: [(name: String, snapshot: Snapshot)] = [
    ("healthy", healthy()), ("collector crash-looping", collectorCrashLooping()),
    ("loki not ready, log export failing", lokiNotReadyAndLogExportFailing()),
    ("dapr wrong host and path", daprWrongHostAndPath()), ("nothing deployed", nothingDeployed()),
    ("API down", apiDown()), ("stack forbidden", stackForbidden()), ("dapr not installed", daprNotInstalled()),
    ("seed exporter mistake", seedExporterMistake()), ("zipkin dropped from traces", zipkinDroppedFromTraces()),
    ("undefined exporter", pipelineNamesUndefinedExporter()), ("collector without RBAC", collectorWithoutRBAC()),
    ("collector config not YAML", collectorConfigNotYAML()), ("older bundle", olderBundle()),
  ]

  // MARK: - Objects

  static func stackObjects() -> [KubeObject] {
    var objects: [KubeObject] = []
    for workload in workloads {
      let parts = workload.split(separator: "/").map(String.init)
      let (kind, name) = (parts[0], parts[1])
      switch kind {
      case "StatefulSet":
        objects.append(statefulSet(name))
        objects.append(pod("\(name)-0", container: name))
      case "DaemonSet":
        objects.append(daemonSet(name, desired: 2, ready: 2))
        objects.append(pod("\(name)-abcde", container: "alloy"))
        objects.append(pod("\(name)-fghij", container: "alloy"))
      default:
        // The collector runs as its own service account with its configuration mounted, as the chart does.
        let podSpec: [String: Any] = name == collector ? collectorPodSpec : [:]
        objects.append(deployment(name, podSpec: podSpec))
        let container = name == collector ? "collector" : name.split(separator: "-").last.map(String.init) ?? name
        objects.append(pod("\(name)-7c9d5b0f4-q0z8m", container: container, labels: labels(name), spec: podSpec))
      }
    }
    for service in ["loki", "tempo", "mimir", "pyroscope", "lgtm-grafana"] {
      objects.append(object(["apiVersion": "v1", "kind": "Service", "metadata": metadata(service)]))
    }
    objects.append(service("k8s-monitoring-alloy-receiver", ports: [("http", 12345), ("otlp-grpc", 4317)]))
    objects.append(service(collector, ports: [("otlp", 4317), ("otlp-http", 4318), ("zipkin", 9411)]))
    return objects
  }

  /// A ClusterIP Service selecting the pods of the workload of the same name.
  static func service(_ name: String, ports: [(String, Int)]) -> KubeObject {
    object([
      "apiVersion": "v1", "kind": "Service", "metadata": metadata(name),
      "spec": [
        "type": "ClusterIP", "clusterIP": "10.96.0.10", "selector": labels(name),
        "ports": ports.map { ["name": $0.0, "port": $0.1, "targetPort": $0.1, "protocol": "TCP"] },
      ],
    ])
  }

  static var collectorPodSpec: [String: Any] {
    [
      "serviceAccountName": collector,
      "volumes": [["name": "opentelemetry-collector-configmap", "configMap": ["name": collector]]],
    ]
  }

  /// The configuration the chart renders from deploy/values/otel-collector.yaml (the preset adds
  /// k8s_attributes to every pipeline).
  static func collectorRelay(
    exporterEndpoint: String = "k8s-monitoring-alloy-receiver.monitoring.svc.cluster.local:4317",
    tracesReceivers: [String] = ["otlp", "zipkin"], logsExporters: [String] = ["otlp_grpc/alloy"]
  ) -> String {
    """
    exporters:
      otlp_grpc/alloy:
        endpoint: \(exporterEndpoint)
        tls:
          insecure: true
      debug: {}
    extensions:
      health_check:
        endpoint: ${env:MY_POD_IP}:13133
    processors:
      batch: {}
      k8s_attributes:
        extract:
          metadata: [k8s.namespace.name, k8s.pod.name]
      memory_limiter:
        check_interval: 5s
        limit_percentage: 80
    receivers:
      otlp:
        protocols:
          grpc:
            endpoint: ${env:MY_POD_IP}:4317
          http:
            endpoint: ${env:MY_POD_IP}:4318
      prometheus:
        config:
          scrape_configs:
            - job_name: otel-collector
              static_configs:
                - targets: ['${env:MY_POD_IP}:8888']
      zipkin:
        endpoint: ${env:MY_POD_IP}:9411
    service:
      extensions: [health_check]
      pipelines:
        logs:
          receivers: [otlp]
          processors: [k8s_attributes, memory_limiter, batch]
          exporters: [\(logsExporters.joined(separator: ", "))]
        metrics:
          receivers: [otlp, prometheus]
          processors: [k8s_attributes, memory_limiter, batch]
          exporters: [otlp_grpc/alloy]
        traces:
          receivers: [\(tracesReceivers.joined(separator: ", "))]
          processors: [k8s_attributes, memory_limiter, batch]
          exporters: [otlp_grpc/alloy]

    """
  }

  static func collectorConfigMap(relay: String = collectorRelay()) -> KubeObject {
    object(["apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata(collector), "data": ["relay": relay]])
  }

  /// What `presets.kubernetesAttributes` creates: a ClusterRole and its binding to the collector.
  static func collectorClusterRBAC() -> [KubeObject] {
    [
      object([
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": ["name": collector],
        "rules": [
          ["apiGroups": [""], "resources": ["pods", "namespaces"], "verbs": ["get", "watch", "list"]],
          ["apiGroups": ["apps"], "resources": ["replicasets"], "verbs": ["get", "list", "watch"]],
        ],
      ]),
      object([
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": ["name": collector],
        "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": collector],
        "subjects": [["kind": "ServiceAccount", "name": collector, "namespace": namespace]],
      ]),
    ]
  }

  static func labels(_ name: String) -> [String: String] {
    [
      "app.kubernetes.io/name": name,
      "app.kubernetes.io/instance": name.split(separator: "-").first.map(String.init) ?? name,
    ]
  }

  static func metadata(_ name: String, namespace: String = namespace, labels: [String: String] = [:]) -> [String: Any] {
    ["name": name, "namespace": namespace, "labels": labels]
  }

  /// A Kubernetes object from a plain dictionary, the way kubectl's JSON would decode.
  static func object(_ dictionary: [String: Any]) -> KubeObject {
    let data = try! JSONSerialization.data(withJSONObject: dictionary)
    return KubeObject(try! JSONValue.decode(Array(data)))
  }

  static func deployment(
    _ name: String, replicas: Int = 1, ready: Int? = nil, updated: Int? = nil, podSpec: [String: Any] = [:]
  ) -> KubeObject {
    object([
      "apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata(name, labels: labels(name)),
      "spec": [
        "replicas": replicas, "selector": ["matchLabels": labels(name)],
        "template": ["metadata": ["labels": labels(name)], "spec": podSpec],
      ],
      "status": [
        "replicas": replicas, "readyReplicas": ready ?? replicas, "updatedReplicas": updated ?? replicas,
        "availableReplicas": ready ?? replicas,
      ],
    ])
  }

  static func statefulSet(_ name: String, replicas: Int = 1, ready: Int? = nil) -> KubeObject {
    object([
      "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": metadata(name),
      "spec": ["replicas": replicas], "status": ["replicas": replicas, "readyReplicas": ready ?? replicas],
    ])
  }

  static func daemonSet(_ name: String, desired: Int, ready: Int) -> KubeObject {
    object([
      "apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": metadata(name),
      "status": ["desiredNumberScheduled": desired, "numberReady": ready, "currentNumberScheduled": desired],
    ])
  }

  /// A pod with one container. `waiting` is (reason, message); `unschedulable` makes it Pending
  /// with PodScheduled=False and that message.
  static func pod(
    _ name: String, container: String, ready: Bool = true, restarts: Int = 0, waiting: (String, String)? = nil,
    lastExit: (Int, String)? = nil, phase: String? = nil, unschedulable: String? = nil, labels: [String: String] = [:],
    spec: [String: Any] = [:]
  ) -> KubeObject {
    var state: [String: Any] = ["running": ["startedAt": "2026-11-22T10:00:00Z"]]
    if let waiting { state = ["waiting": ["reason": waiting.0, "message": waiting.1]] }
    var containerStatus: [String: Any] = ["name": container, "ready": ready, "restartCount": restarts, "state": state]
    if let lastExit { containerStatus["lastState"] = ["terminated": ["exitCode": lastExit.0, "reason": lastExit.1]] }
    var conditions: [[String: Any]] = [["type": "Ready", "status": ready ? "True" : "False"]]
    var status: [String: Any] = ["phase": phase ?? "Running"]
    if let unschedulable {
      conditions.append(
        ["type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": unschedulable])
      status["phase"] = phase ?? "Pending"
    } else {
      conditions.append(["type": "PodScheduled", "status": "True"])
      status["containerStatuses"] = [containerStatus]
    }
    status["conditions"] = conditions
    return object([
      "apiVersion": "v1", "kind": "Pod", "metadata": metadata(name, labels: labels),
      "spec": spec.merging(["containers": [["name": container, "image": "example/\(container):1.0"]]]) { $1 },
      "status": status,
    ])
  }

  static func configuration(endpoint: String? = zipkinEndpoint, samplingRate: Any? = "1") -> KubeObject {
    var tracing: [String: Any] = [:]
    if let endpoint { tracing["zipkin"] = ["endpointAddress": endpoint] }
    if let samplingRate { tracing["samplingRate"] = samplingRate }
    return object([
      "apiVersion": "dapr.io/v1alpha1", "kind": "Configuration",
      "metadata": metadata(daprConfiguration, namespace: appNamespace), "spec": ["tracing": tracing],
    ])
  }

  // MARK: - Probes

  static func healthyProbes() -> [Probe] {
    [
      probe("collector.health", "pod/\(collectorPod):13133", "/", #"{"status":"Server available","uptime":"1h"}"#),
      collectorMetricsProbe(metrics()),
      probe("loki.ready", "service/loki:3100", "/ready", "ready\n"),
      probe("tempo.ready", "service/tempo:3200", "/ready", "ready\n"),
      probe("mimir.ready", "service/mimir:9009", "/ready", "ready\n"),
      probe("pyroscope.ready", "service/pyroscope:4040", "/ready", "ready\n"),
      probe("alloy.ready", "service/k8s-monitoring-alloy-receiver:12345", "/-/ready", "Alloy is ready.\n"),
      probe("grafana.health", "service/lgtm-grafana:80", "/api/health", #"{"database":"ok","version":"11.4.0"}"#),
    ]
  }

  static func probe(_ id: String, _ target: String, _ path: String, _ body: String, status: Int = 200) -> Probe {
    Probe(id: id, target: target, path: path, statusCode: status, body: body, error: nil, durationMs: 4)
  }

  static func failedProbe(_ id: String, _ target: String, _ path: String, status: Int?, error: ReadError) -> Probe {
    Probe(id: id, target: target, path: path, statusCode: status, body: nil, error: error, durationMs: 4)
  }

  static func collectorMetricsProbe(_ body: String) -> Probe {
    probe("collector.metrics", "pod/\(collectorPod):8888", "/metrics", body)
  }

  /// The collector's own metrics as it exposes them (`_total` counters, per-receiver/exporter labels).
  static func metrics(
    failedLogRecords: Int = 0, refusedSpans: Int = 0, acceptedSpans: Int = 1842, queueSize: Int = 12,
    queueCapacity: Int = 1000
  ) -> String {
    """
    # HELP otelcol_receiver_accepted_spans_total Number of spans successfully pushed into the pipeline.
    # TYPE otelcol_receiver_accepted_spans_total counter
    otelcol_receiver_accepted_spans_total{receiver="zipkin",service_name="otelcol-k8s",transport="http"} \(acceptedSpans)
    otelcol_receiver_refused_spans_total{receiver="zipkin",service_name="otelcol-k8s",transport="http"} \(refusedSpans)
    otelcol_receiver_accepted_metric_points_total{receiver="otlp",transport="grpc"} 52310
    otelcol_receiver_refused_metric_points_total{receiver="otlp",transport="grpc"} 0
    otelcol_receiver_accepted_log_records_total{receiver="otlp",transport="grpc"} 9120
    otelcol_receiver_refused_log_records_total{receiver="otlp",transport="grpc"} 0
    otelcol_exporter_sent_spans_total{exporter="otlp_grpc/alloy"} 1842
    otelcol_exporter_sent_log_records_total{exporter="otlp_grpc/alloy"} 4909
    otelcol_exporter_send_failed_spans_total{exporter="otlp_grpc/alloy"} 0
    otelcol_exporter_send_failed_metric_points_total{exporter="otlp_grpc/alloy"} 0
    otelcol_exporter_send_failed_log_records_total{exporter="otlp_grpc/alloy"} \(failedLogRecords)
    # TYPE otelcol_exporter_queue_size gauge
    otelcol_exporter_queue_size{data_type="logs",exporter="otlp_grpc/alloy"} \(queueSize)
    otelcol_exporter_queue_capacity{data_type="logs",exporter="otlp_grpc/alloy"} \(queueCapacity)

    """
  }
}

extension Snapshot {
  /// Replaces the stack object `kind/name` (or adds it when absent).
  mutating func replace(_ kind: String, _ name: String, with make: (KubeObject?) -> KubeObject) {
    var objects = stack.value ?? []
    if let index = objects.firstIndex(where: { $0.kind == kind && $0.name == name }) {
      objects[index] = make(objects[index])
    } else {
      objects.append(make(nil))
    }
    stack = .success(objects)
  }

  mutating func remove(_ kind: String, _ name: String) {
    stack = .success((stack.value ?? []).filter { !($0.kind == kind && $0.name == name) })
  }

  /// Replaces the probe with the same id (or adds it).
  mutating func setProbe(_ probe: Probe) {
    probes.removeAll { $0.id == probe.id }
    probes.append(probe)
  }
}
