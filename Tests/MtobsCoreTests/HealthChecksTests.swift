import Foundation
import Testing

@testable import MtobsCore

/// The pure evaluation of `mtobs health` on snapshots built in code (`HealthSnapshots`).
@Suite("health checks evaluate snapshots")
struct HealthChecksTests {
  typealias S = HealthSnapshots

  /// The results of one evaluation, by id.
  struct Outcome {
    let assessments: [Assessment]

    init(_ snapshot: Snapshot, skip: [String] = [], categories: [String]? = nil) {
      assessments = HealthChecks.assess(snapshot, skip: skip, categories: categories)
    }

    var results: [CheckResult] { assessments.map(\.result) }
    var ids: [String] { results.map(\.id) }
    func result(_ id: String) -> CheckResult? { results.first { $0.id == id } }
    func status(_ id: String) -> CheckStatus? { result(id)?.status }
    func message(_ id: String) -> String { result(id)?.message ?? "" }
    func hint(_ id: String) -> String { result(id)?.hint ?? "" }
    func recoverable(_ id: String) -> Bool? { assessments.first { $0.result.id == id }?.recoverable }
    func statuses(_ prefix: String) -> [CheckStatus] { results.filter { $0.id.hasPrefix(prefix) }.map(\.status) }
  }

  static let requiredIDs = [
    "kubernetes.api", "kubernetes.namespace", "workloads.present", "workloads.ready", "workloads.pods",
    "collector.ready", "collector.health", "collector.receivers", "collector.exporters", "collector.config",
    "collector.pipelines", "collector.zipkin-receiver", "collector.exporter-endpoints", "collector.rbac",
    "backends.loki",
    "backends.tempo", "backends.mimir", "backends.pyroscope", "backends.alloy", "grafana.health",
    "grafana.datasources", "dapr.configuration", "dapr.zipkin-endpoint", "dapr.sampling",
  ]

  // MARK: - The definitions

  @Test func idsAreStableDottedLowerCaseAndUnique() {
    let ids = HealthChecks.all.map(\.id)
    #expect(ids == Self.requiredIDs)
    #expect(Set(ids).count == ids.count)
    for check in HealthChecks.all {
      #expect(check.id.wholeMatch(of: /[a-z]+\.[a-z-]+/) != nil, "\(check.id)")
      #expect(check.id.hasPrefix(check.category + "."), "\(check.id) is in category \(check.category)")
      #expect(HealthChecks.categories.contains(check.category))
      #expect(!check.title.isEmpty)
    }
  }

  @Test func dependenciesAreDefinedBeforeTheirDependents() {
    var seen: Set<String> = []
    for check in HealthChecks.all {
      for dependency in check.dependencies { #expect(seen.contains(dependency), "\(check.id) → \(dependency)") }
      seen.insert(check.id)
    }
  }

  @Test func evaluationIsDeterministicAndInDefinitionOrder() {
    let snapshot = S.lokiNotReadyAndLogExportFailing()
    let first = HealthChecks.evaluate(snapshot)
    #expect(first == HealthChecks.evaluate(snapshot))
    #expect(first.map(\.id) == HealthChecks.all.map(\.id))
  }

  // MARK: - Scenarios

  @Test func aHealthyStackPasses() {
    let outcome = Outcome(S.healthy())
    for id in Self.requiredIDs where id != "grafana.datasources" {
      #expect(outcome.status(id) == .pass, "\(id): \(outcome.message(id))")
      #expect(outcome.result(id)?.hint == nil, "no hint on a pass: \(id)")
    }
    #expect(outcome.message("kubernetes.api") == "Kubernetes v1.32.4 (context dev)")
    #expect(
      outcome.message("collector.receivers")
        == "accepted 1842 spans, 52310 metric points, 9120 log records; nothing refused")
    #expect(outcome.message("dapr.zipkin-endpoint") == S.zipkinEndpoint)
    #expect(outcome.result("collector.ready")?.objects == ["monitoring/pod/\(S.collectorPod)"])
  }

  @Test func grafanaDatasourcesAreSkippedHonestly() {
    let outcome = Outcome(S.healthy())
    #expect(outcome.status("grafana.datasources") == .skip)
    #expect(outcome.message("grafana.datasources").contains("credentials"), "\(outcome.message("grafana.datasources"))")
    #expect(
      outcome.hint("grafana.datasources").hasPrefix("kubectl port-forward -n monitoring svc/lgtm-grafana 3000:80"))
    #expect(outcome.hint("grafana.datasources").contains("Connections → Data sources"))
  }

  @Test func grafanaDatasourcesAreJudgedWhenAProbeReadThem() {
    var snapshot = S.healthy()
    let target = "service/lgtm-grafana:80"
    snapshot.setProbe(
      S.probe(
        "grafana.datasources", target, "/api/datasources",
        #"[{"name":"Loki","status":"OK"},{"name":"Tempo","status":"OK"}]"#))
    #expect(Outcome(snapshot).status("grafana.datasources") == .pass)
    #expect(Outcome(snapshot).message("grafana.datasources") == "Loki, Tempo")

    snapshot.setProbe(
      S.probe(
        "grafana.datasources", target, "/api/datasources",
        #"[{"name":"Loki","status":"OK"},{"name":"Mimir","status":"ERROR","message":"connection refused"}]"#))
    let broken = Outcome(snapshot)
    #expect(broken.status("grafana.datasources") == .fail)
    #expect(broken.message("grafana.datasources") == "Mimir: connection refused")
    #expect(broken.hint("grafana.datasources").hasPrefix("kubectl port-forward -n monitoring svc/lgtm-grafana 3000:80"))

    snapshot.setProbe(S.probe("grafana.datasources", target, "/api/datasources", "[]"))
    #expect(Outcome(snapshot).status("grafana.datasources") == .fail)
  }

  @Test func aCrashLoopingCollectorFailsAndSkipsWhatDependsOnIt() {
    let outcome = Outcome(S.collectorCrashLooping(restarts: 7))
    #expect(outcome.status("collector.ready") == .fail)
    let message = outcome.message("collector.ready")
    #expect(message.hasPrefix("0/1 ready: \(S.collectorPod) (collector) CrashLoopBackOff (7 restarts"), "\(message)")
    #expect(message.contains("last exit 1: Error"), "\(message)")
    #expect(
      outcome.hint("collector.ready")
        == "mtobs logs collector -n monitoring --previous")
    #expect(outcome.result("collector.ready")?.objects == ["monitoring/pod/\(S.collectorPod)"])
    #expect(outcome.recoverable("collector.ready") == false, "a crash loop does not heal by waiting")
    for dependent in ["collector.health", "collector.receivers", "collector.exporters"] {
      #expect(outcome.status(dependent) == .skip)
      #expect(outcome.message(dependent) == "skipped: collector.ready failed", "\(dependent)")
      #expect(outcome.result(dependent)?.hint == nil)
    }
    #expect(outcome.status("workloads.pods") == .fail)
    #expect(
      outcome.hint("workloads.pods").contains("kubectl logs \(S.collectorPod) -c collector -n monitoring --previous"))
    #expect(outcome.recoverable("workloads.pods") == false)
    #expect(outcome.status("workloads.ready") == .fail)
    #expect(outcome.message("workloads.ready") == "Deployment/\(S.collector) 0/1 ready")
    #expect(outcome.hint("workloads.ready").hasPrefix("kubectl describe deployment \(S.collector) -n monitoring"))
    #expect(outcome.statuses("backends.").allSatisfy { $0 == .pass })
    #expect(outcome.statuses("dapr.").allSatisfy { $0 == .pass })
  }

  @Test func lokiNotReadyWhileTheLogExporterFails() {
    let outcome = Outcome(S.lokiNotReadyAndLogExportFailing())
    #expect(outcome.status("backends.loki") == .fail)
    #expect(
      outcome.message("backends.loki")
        == "service/loki:3100/ready: HTTP 503: the server is currently unable to handle the request")
    #expect(outcome.hint("backends.loki").hasPrefix("kubectl get pods -n monitoring -l app.kubernetes.io/name=loki"))
    #expect(outcome.result("backends.loki")?.objects == ["monitoring/service/loki"])
    #expect(outcome.recoverable("backends.loki") == true, "a backend that is starting can become ready")
    #expect(outcome.status("backends.tempo") == .pass)

    #expect(outcome.status("collector.exporters") == .fail)
    #expect(
      outcome.message("collector.exporters")
        == "otlp_grpc/alloy failed to send 4211 log records (4909 sent) since the collector started")
    #expect(outcome.hint("collector.exporters").contains("mtobs health --category backends"))
    #expect(outcome.recoverable("collector.exporters") == false, "a counter of dropped data never goes down")
    #expect(outcome.status("collector.receivers") == .pass)
  }

  @Test func aBackendWhoseBodySaysNotReadyFailsWithItsFirstLine() {
    var snapshot = S.healthy()
    snapshot.setProbe(
      S.probe(
        "loki.ready", "service/loki:3100", "/ready", "Ingester not ready: waiting for 15s after being ready\nmore"))
    snapshot.setProbe(S.probe("mimir.ready", "service/mimir:9009", "/ready", "", status: 200))
    let outcome = Outcome(snapshot)
    #expect(outcome.status("backends.loki") == .fail)
    #expect(
      outcome.message("backends.loki")
        == "service/loki:3100/ready: Ingester not ready: waiting for 15s after being ready")
    #expect(outcome.status("backends.mimir") == .fail)
    #expect(outcome.message("backends.mimir").contains("empty answer"))
  }

  @Test func aMissingBackendServiceCannotRecoverByWaiting() {
    let outcome = Outcome(S.nothingDeployed())
    // Skipped here (the namespace is empty), so judge the probe directly.
    let probe = S.nothingDeployed().probe("tempo.ready")!
    let verdict = BackendChecks.proxyProblem(probe, snapshot: S.nothingDeployed(), component: "tempo")
    #expect(verdict?.recoverable == false)
    #expect(verdict?.hint?.hasPrefix("kubectl get service tempo -n monitoring") == true)
    #expect(outcome.status("backends.tempo") == .skip)
  }

  @Test func daprPointingAtTheWrongHostAndPath() {
    let outcome = Outcome(S.daprWrongHostAndPath())
    #expect(outcome.status("dapr.zipkin-endpoint") == .fail)
    let message = outcome.message("dapr.zipkin-endpoint")
    #expect(
      message.contains(
        "host: expected \(S.collector).monitoring.svc.cluster.local, found otel-collector.monitoring.svc.cluster.local"),
      "\(message)")
    #expect(message.contains("path: expected /api/v2/spans, found /api/v1/spans"), "\(message)")
    #expect(!message.contains("port:"), "the port is right: \(message)")
    #expect(message.hasSuffix("set endpointAddress to \(S.zipkinEndpoint)"))
    #expect(
      outcome.hint("dapr.zipkin-endpoint").hasPrefix("kubectl edit configuration mathtrail-observability -n mathtrail"))
    #expect(outcome.result("dapr.zipkin-endpoint")?.objects == ["mathtrail/configuration/mathtrail-observability"])
    #expect(outcome.recoverable("dapr.zipkin-endpoint") == false)
    #expect(outcome.status("dapr.sampling") == .pass)
    #expect(outcome.status("dapr.configuration") == .pass)
  }

  @Test(arguments: [
    "http://\(HealthSnapshots.collector).monitoring.svc.cluster.local:9411/api/v2/spans",
    "http://\(HealthSnapshots.collector).monitoring.svc:9411/api/v2/spans",
    "http://\(HealthSnapshots.collector).monitoring:9411/api/v2/spans",
  ])
  func shortHostFormsOfTheCollectorServiceAreAccepted(endpoint: String) {
    var snapshot = S.healthy()
    snapshot.dapr = .success([S.configuration(endpoint: endpoint)])
    #expect(Outcome(snapshot).status("dapr.zipkin-endpoint") == .pass)
  }

  @Test(arguments: [
    ("http://\(HealthSnapshots.collector).monitoring:9412/api/v2/spans", "port: expected 9411, found 9412"),
    ("http://\(HealthSnapshots.collector).monitoring/api/v2/spans", "port: expected 9411, found none"),
    ("https://\(HealthSnapshots.collector).monitoring:9411/api/v2/spans", "scheme: expected http"),
    ("http://\(HealthSnapshots.collector).default:9411/api/v2/spans", "host: expected"),
    ("http://\(HealthSnapshots.collector).monitoring:9411/v1/spans", "path: expected /api/v2/spans, found /v1/spans"),
    ("http://\(HealthSnapshots.collector).monitoring:9411", "path: expected /api/v2/spans, found /"),
    ("\(HealthSnapshots.collector).monitoring:9411/api/v2/spans", "is not a URL with a host"),
  ])
  func eachWrongPartOfTheEndpointIsNamed(endpoint: String, expected: String) {
    var snapshot = S.healthy()
    snapshot.dapr = .success([S.configuration(endpoint: endpoint)])
    let outcome = Outcome(snapshot)
    #expect(outcome.status("dapr.zipkin-endpoint") == .fail)
    #expect(outcome.message("dapr.zipkin-endpoint").contains(expected), "\(outcome.message("dapr.zipkin-endpoint"))")
  }

  @Test func anUnsetEndpointFails() {
    var snapshot = S.healthy()
    snapshot.dapr = .success([S.configuration(endpoint: nil)])
    let outcome = Outcome(snapshot)
    #expect(outcome.status("dapr.zipkin-endpoint") == .fail)
    #expect(outcome.message("dapr.zipkin-endpoint").contains("not set; expected \(S.zipkinEndpoint)"))
  }

  @Test(arguments: [
    ("1", CheckStatus.pass), ("0.25", .pass), (" 1 ", .pass), ("0", .fail), ("-1", .fail), ("abc", .fail),
    ("", .fail),
  ])
  func samplingRateMustBeANumberAboveZero(rate: String, status: CheckStatus) {
    var snapshot = S.healthy()
    snapshot.dapr = .success([S.configuration(samplingRate: rate)])
    let outcome = Outcome(snapshot)
    #expect(outcome.status("dapr.sampling") == status, "'\(rate)': \(outcome.message("dapr.sampling"))")
    if status == .fail { #expect(outcome.hint("dapr.sampling").contains("kubectl edit configuration")) }
  }

  @Test func anUnsetSamplingRateFails() {
    var snapshot = S.healthy()
    snapshot.dapr = .success([S.configuration(samplingRate: nil)])
    let outcome = Outcome(snapshot)
    #expect(outcome.status("dapr.sampling") == .fail)
    #expect(outcome.message("dapr.sampling").contains("1 trace in 10,000"))
  }

  @Test func missingDaprCRDsAndAMissingConfiguration() {
    let missing = Outcome(S.daprNotInstalled())
    #expect(missing.status("dapr.configuration") == .fail)
    #expect(missing.message("dapr.configuration").hasPrefix("Dapr CRDs not installed"))
    #expect(missing.hint("dapr.configuration").contains("kubectl get crd configurations.dapr.io"))
    #expect(missing.status("dapr.zipkin-endpoint") == .skip)
    #expect(missing.message("dapr.sampling") == "skipped: dapr.configuration failed")

    var snapshot = S.healthy()
    snapshot.dapr = .success([])
    let absent = Outcome(snapshot)
    #expect(absent.status("dapr.configuration") == .fail)
    #expect(
      absent.message("dapr.configuration") == "no Configuration 'mathtrail-observability' in namespace 'mathtrail'")
    #expect(absent.hint("dapr.configuration").hasPrefix("mtobs deploy"))
    #expect(absent.result("dapr.configuration")?.objects == ["mathtrail/configuration/mathtrail-observability"])
    #expect(absent.recoverable("dapr.configuration") == false)
  }

  @Test func nothingDeployedIsAFailureNeverAPass() {
    let outcome = Outcome(S.nothingDeployed())
    #expect(outcome.status("kubernetes.api") == .pass)
    #expect(outcome.status("kubernetes.namespace") == .fail)
    #expect(outcome.message("kubernetes.namespace") == "namespace monitoring has no objects; is the stack deployed?")
    #expect(outcome.hint("kubernetes.namespace").hasPrefix("mtobs deploy"))
    #expect(outcome.status("workloads.present") == .fail)
    // Reported by role (issue 8), not as deploy/'s workload names: every required role is named.
    #expect(
      outcome.message("workloads.present").hasPrefix(
        "7 parts of the stack not found in 'monitoring': collector (OpenTelemetry Collector), Alloy receiver, "
          + "logs backend (Loki), traces backend (Tempo), metrics backend (Mimir), Grafana, "
          + "profiles backend (Pyroscope); looked for Services and workloads labelled app.kubernetes.io/name"))
    #expect(outcome.hint("workloads.present").hasPrefix("mtobs deploy"))
    #expect(
      outcome.hint("workloads.present").hasSuffix(
        "collector.service, alloy.service, loki.service, tempo.service, mimir.service, grafana.service, pyroscope.service"
      ))
    #expect(outcome.result("workloads.present")?.objects == [], "nothing exists to point at")
    #expect(outcome.recoverable("workloads.present") == false, "missing objects do not appear by waiting")
    for id in ["workloads.ready", "workloads.pods", "collector.ready", "backends.loki", "grafana.health"] {
      #expect(outcome.status(id) == .skip, "\(id)")
      #expect(outcome.message(id) == "skipped: kubernetes.namespace failed", "\(id)")
    }
    #expect(
      outcome.message("collector.exporters") == "skipped: kubernetes.namespace failed", "the root cause, not the link")
    #expect(outcome.status("dapr.configuration") == .fail)
    #expect(!outcome.results.contains { $0.id != "kubernetes.api" && $0.status == .pass })
  }

  @Test func aNamespaceThatDoesNotExist() {
    var snapshot = S.nothingDeployed()
    snapshot.namespaceExists = .success(false)
    let outcome = Outcome(snapshot)
    #expect(outcome.status("kubernetes.namespace") == .fail)
    #expect(outcome.message("kubernetes.namespace") == "namespace 'monitoring' does not exist")
    #expect(outcome.hint("kubernetes.namespace").contains("kubectl get namespaces"))
  }

  @Test func anAPIServerThatIsDownSkipsEverythingElse() {
    let outcome = Outcome(S.apiDown())
    #expect(outcome.status("kubernetes.api") == .fail)
    #expect(
      outcome.message("kubernetes.api")
        == "API server: cannot reach the API server of context 'dev': dial tcp 127.0.0.1:6443: connect: connection refused"
    )
    #expect(outcome.hint("kubernetes.api").contains("kubectl cluster-info"))
    for result in outcome.results where result.id != "kubernetes.api" {
      #expect(result.status == .skip, "\(result.id)")
      #expect(result.message == "skipped: kubernetes.api failed", "\(result.id): \(result.message)")
    }
  }

  @Test func aForbiddenNamespaceSaysWhichPermissionIsMissing() {
    let outcome = Outcome(S.stackForbidden())
    #expect(outcome.status("kubernetes.namespace") == .fail)
    #expect(outcome.message("kubernetes.namespace").contains("pods is forbidden"))
    #expect(outcome.hint("kubernetes.namespace").hasPrefix("kubectl auth can-i list pods -n monitoring"))
    #expect(outcome.recoverable("kubernetes.namespace") == false)
    #expect(outcome.status("workloads.present") == .skip, "an unreadable stack is not a missing one")
    #expect(outcome.message("workloads.present") == "skipped: kubernetes.namespace failed")
    #expect(outcome.statuses("collector.").allSatisfy { $0 == .skip })
    #expect(outcome.status("dapr.configuration") == .pass, "the app namespace is read separately")
  }

  // MARK: - Workloads and pods

  @Test func workloadReadinessRules() {
    var snapshot = S.healthy()
    snapshot.replace("Deployment", "lgtm-loki-gateway") { _ in
      S.deployment("lgtm-loki-gateway", replicas: 2, updated: 1)
    }
    snapshot.replace("StatefulSet", "pyroscope") { _ in S.statefulSet("pyroscope", ready: 0) }
    snapshot.replace("DaemonSet", "k8s-monitoring-alloy-logs") { _ in
      S.daemonSet("k8s-monitoring-alloy-logs", desired: 3, ready: 2)
    }
    let outcome = Outcome(snapshot)
    #expect(outcome.status("workloads.ready") == .fail)
    #expect(
      outcome.message("workloads.ready")
        == "Deployment/lgtm-loki-gateway rolling out: 1/2 updated; StatefulSet/pyroscope 0/1 ready; "
        + "DaemonSet/k8s-monitoring-alloy-logs 2/3 ready")
    #expect(
      outcome.result("workloads.ready")?.objects == [
        "monitoring/deployment/lgtm-loki-gateway", "monitoring/statefulset/pyroscope",
        "monitoring/daemonset/k8s-monitoring-alloy-logs",
      ])
    #expect(outcome.recoverable("workloads.ready") == true)
  }

  @Test func aMissingWorkloadIsListed() {
    var snapshot = S.healthy()
    snapshot.remove("Deployment", "lgtm-tempo-distributor")
    let outcome = Outcome(snapshot)
    #expect(outcome.status("workloads.present") == .fail)
    #expect(outcome.message("workloads.present") == "1 of 12 missing: Deployment/lgtm-tempo-distributor")
    #expect(outcome.result("workloads.present")?.objects == ["monitoring/deployment/lgtm-tempo-distributor"])
  }

  /// Issue 8: without deploy/'s contract the stack is judged by role, and a complete one passes
  /// (before, this warned "no deploy contract" on every stack not started from the repository).
  @Test func withoutAContractEveryRoleFoundPasses() {
    var snapshot = S.healthy()
    snapshot.expectations.workloads = []
    let outcome = Outcome(snapshot)
    #expect(outcome.status("workloads.present") == .pass)
    #expect(
      outcome.message("workloads.present")
        == "found collector (OpenTelemetry Collector), Alloy receiver, Alloy logs collector, logs backend (Loki), "
        + "traces backend (Tempo), metrics backend (Mimir), Grafana, profiles backend (Pyroscope) (12 workloads)")
    #expect(outcome.status("workloads.ready") == .pass, "every workload found is judged")
    #expect(outcome.message("workloads.ready") == "12 workloads ready")
  }

  @Test func podProblemsCarryNameContainerReasonAndRestarts() {
    var snapshot = S.healthy()
    snapshot.replace("Pod", "lgtm-grafana-7c9d5b0f4-q0z8m") { _ in
      S.pod(
        "lgtm-grafana-7c9d5b0f4-q0z8m", container: "grafana", ready: false,
        waiting: ("ImagePullBackOff", "Back-off pulling image \"grafana/grafana:nope\""))
    }
    snapshot.replace("Pod", "pyroscope-0") { _ in
      S.pod(
        "pyroscope-0", container: "pyroscope", ready: false,
        unschedulable: "0/3 nodes are available: Insufficient memory.")
    }
    let outcome = Outcome(snapshot)
    #expect(outcome.status("workloads.pods") == .fail)
    #expect(
      outcome.message("workloads.pods")
        == "lgtm-grafana-7c9d5b0f4-q0z8m (grafana) ImagePullBackOff; "
        + "pyroscope-0 Unschedulable: 0/3 nodes are available: Insufficient memory.")
    #expect(outcome.hint("workloads.pods").hasPrefix("kubectl describe pod lgtm-grafana-7c9d5b0f4-q0z8m -n monitoring"))
    #expect(outcome.recoverable("workloads.pods") == false, "an image that cannot be pulled does not appear")
    #expect(
      outcome.result("workloads.pods")?.objects == [
        "monitoring/pod/lgtm-grafana-7c9d5b0f4-q0z8m", "monitoring/pod/pyroscope-0",
      ])
  }

  @Test func anUnschedulablePodAloneMayRecover() {
    var snapshot = S.healthy()
    snapshot.replace("Pod", "pyroscope-0") { _ in
      S.pod("pyroscope-0", container: "pyroscope", ready: false, unschedulable: "0/3 nodes are available")
    }
    let outcome = Outcome(snapshot)
    #expect(outcome.status("workloads.pods") == .fail)
    #expect(outcome.recoverable("workloads.pods") == true)
    #expect(outcome.hint("workloads.pods") == "kubectl describe pod pyroscope-0 -n monitoring")
  }

  @Test func startingAndRestartingPodsWarn() {
    var snapshot = S.healthy()
    snapshot.replace("Pod", "pyroscope-0") { _ in
      S.pod("pyroscope-0", container: "pyroscope", ready: false, waiting: ("ContainerCreating", ""))
    }
    let starting = Outcome(snapshot)
    #expect(starting.status("workloads.pods") == .warn)
    #expect(starting.message("workloads.pods") == "starting: pyroscope-0 (pyroscope) ContainerCreating")
    #expect(starting.recoverable("workloads.pods") == true)

    snapshot = S.healthy()
    snapshot.replace("Pod", "pyroscope-0") { _ in
      S.pod("pyroscope-0", container: "pyroscope", restarts: 12, lastExit: (137, "OOMKilled"))
    }
    let restarting = Outcome(snapshot)
    #expect(restarting.status("workloads.pods") == .warn)
    #expect(
      restarting.message("workloads.pods")
        == "restarting: pyroscope-0 (pyroscope) (12 restarts, last exit 137: OOMKilled)")
    #expect(
      restarting.hint("workloads.pods").hasPrefix("kubectl logs pyroscope-0 -c pyroscope -n monitoring --previous"))
    #expect(restarting.recoverable("workloads.pods") == false, "restart counts never go down")
  }

  // MARK: - Collector

  @Test func collectorPodsAreFoundByTheirWorkloadsSelector() {
    var snapshot = S.healthy()
    snapshot.remove("Pod", S.collectorPod)
    snapshot.replace("Pod", "collector-6d9f-x2x2x") { _ in
      S.pod("collector-6d9f-x2x2x", container: "collector", ready: false, labels: S.labels(S.collector))
    }
    let outcome = Outcome(snapshot)
    #expect(outcome.status("collector.ready") == .fail)
    #expect(outcome.message("collector.ready") == "0/1 ready: collector-6d9f-x2x2x (collector) not ready")
    #expect(outcome.recoverable("collector.ready") == true, "a pod that is not ready yet may become ready")
  }

  @Test func aCollectorWithoutPods() {
    var snapshot = S.healthy()
    snapshot.remove("Pod", S.collectorPod)
    let withWorkload = Outcome(snapshot)
    #expect(withWorkload.status("collector.ready") == .fail)
    #expect(withWorkload.message("collector.ready") == "Deployment/\(S.collector) has no pod")
    #expect(withWorkload.hint("collector.ready") == "kubectl describe deployment \(S.collector) -n monitoring")

    snapshot.remove("Deployment", S.collector)
    let without = Outcome(snapshot)
    #expect(without.message("collector.ready") == "no collector pod (\(S.collector)-…) in 'monitoring'")
    #expect(without.hint("collector.ready") == "mtobs deploy")
    #expect(without.recoverable("collector.ready") == false)
  }

  @Test func aCollectorHealthEndpointThatDoesNotAnswer() {
    var snapshot = S.healthy()
    snapshot.setProbe(
      S.failedProbe(
        "collector.health", "pod/\(S.collectorPod):13133", "/", status: 503,
        error: ReadError(
          reason: .serverError, message: "the server is currently unable to handle the request", hint: "")))
    let outcome = Outcome(snapshot)
    #expect(outcome.status("collector.health") == .fail)
    #expect(
      outcome.hint("collector.health").hasPrefix(
        "kubectl get --raw /api/v1/namespaces/monitoring/pods/\(S.collectorPod):13133/proxy/"))
    #expect(outcome.status("collector.receivers") == .skip)
    #expect(outcome.message("collector.exporters") == "skipped: collector.health failed")

    snapshot.setProbe(S.probe("collector.health", "pod/\(S.collectorPod):13133", "/", "{}", status: 500))
    #expect(Outcome(snapshot).message("collector.health").contains("HTTP 500"))
  }

  @Test func unreadableCollectorMetricsFailBothMetricChecks() {
    var snapshot = S.healthy()
    snapshot.setProbe(
      S.failedProbe(
        "collector.metrics", "pod/\(S.collectorPod):8888", "/metrics", status: 404,
        error: ReadError(reason: .notFound, message: "the server could not find the requested resource", hint: "")))
    let outcome = Outcome(snapshot)
    for id in ["collector.receivers", "collector.exporters"] {
      #expect(outcome.status(id) == .fail)
      #expect(
        outcome.hint(id).hasPrefix(
          "kubectl get --raw /api/v1/namespaces/monitoring/pods/\(S.collectorPod):8888/proxy/metrics"))
    }
  }

  @Test func refusedDataWarnsOrFailsNamingTheReceiver() {
    var snapshot = S.healthy()
    snapshot.setProbe(S.collectorMetricsProbe(S.metrics(refusedSpans: 12)))
    let some = Outcome(snapshot)
    #expect(some.status("collector.receivers") == .warn)
    #expect(some.message("collector.receivers") == "zipkin refused 12 spans (accepted 1842)")
    #expect(
      some.hint("collector.receivers").hasPrefix(
        "mtobs logs collector -n monitoring --grep '(?i)refused'"))
    #expect(some.result("collector.receivers")?.objects == ["monitoring/pod/\(S.collectorPod)"])

    snapshot.setProbe(S.collectorMetricsProbe(S.metrics(refusedSpans: 12, acceptedSpans: 0)))
    #expect(Outcome(snapshot).status("collector.receivers") == .fail, "a receiver that refuses everything is broken")
  }

  @Test func aCollectorThatHasSeenNoDataWarns() {
    var snapshot = S.healthy()
    // A collector always exposes its own process metrics, even before any data arrived.
    snapshot.setProbe(
      S.collectorMetricsProbe(
        "# TYPE otelcol_process_uptime_seconds_total counter\n"
          + "otelcol_process_uptime_seconds_total{service_name=\"otelcol-k8s\"} 12.5\n"))
    let outcome = Outcome(snapshot)
    #expect(outcome.status("collector.receivers") == .warn)
    #expect(outcome.message("collector.receivers") == "no receiver has accepted anything yet")
    #expect(outcome.recoverable("collector.receivers") == true, "data may arrive")
    #expect(outcome.status("collector.exporters") == .pass)
  }

  @Test func aFullQueueFailsAndMayRecover() {
    var snapshot = S.healthy()
    snapshot.setProbe(S.collectorMetricsProbe(S.metrics(queueSize: 1000, queueCapacity: 1000)))
    let outcome = Outcome(snapshot)
    #expect(outcome.status("collector.exporters") == .fail)
    #expect(outcome.message("collector.exporters") == "otlp_grpc/alloy queue full (1000/1000)")
    #expect(outcome.recoverable("collector.exporters") == true, "a queue drains once the next hop is back")
  }

  @Test func olderCollectorsWithoutTotalSuffixesAreRead() {
    var snapshot = S.healthy()
    let old = S.metrics(failedLogRecords: 3).replacingOccurrences(of: "_total{", with: "{")
    snapshot.setProbe(S.collectorMetricsProbe(old))
    let outcome = Outcome(snapshot)
    #expect(outcome.status("collector.receivers") == .pass)
    #expect(outcome.message("collector.exporters").hasPrefix("otlp_grpc/alloy failed to send 3 log records"))
  }

  // MARK: - Selection

  @Test func skipGlobsMarkChecksSkippedByTheUser() {
    let outcome = Outcome(S.collectorCrashLooping(), skip: ["collector.*", "workloads.p?ds"])
    #expect(outcome.ids == HealthChecks.all.map(\.id), "skipped checks are still listed")
    for id in ["collector.ready", "collector.health", "collector.receivers", "collector.exporters", "workloads.pods"] {
      #expect(outcome.status(id) == .skip, "\(id)")
      #expect(outcome.message(id) == "skipped by --skip", "\(id)")
    }
    #expect(outcome.status("workloads.ready") == .fail)
  }

  @Test func skippingADependencySaysSoInItsDependents() {
    let outcome = Outcome(S.healthy(), skip: ["collector.ready"])
    #expect(outcome.message("collector.health") == "skipped: collector.ready was skipped by --skip")
    #expect(outcome.message("collector.exporters") == "skipped: collector.ready was skipped by --skip")
  }

  @Test func categoriesKeepOnlyThoseAndDoNotChangeVerdicts() {
    let snapshot = S.daprWrongHostAndPath()
    let all = Outcome(snapshot).results
    let dapr = Outcome(snapshot, categories: ["dapr"]).results
    #expect(dapr.map(\.id) == ["dapr.configuration", "dapr.zipkin-endpoint", "dapr.sampling"])
    #expect(dapr == all.filter { $0.category == "dapr" })
    // A kept check whose dependency is in another category still sees that dependency's verdict.
    let collector = Outcome(S.apiDown(), categories: ["collector"]).results
    #expect(collector.allSatisfy { $0.message == "skipped: kubernetes.api failed" })
  }

  // MARK: - Properties of every scenario

  @Test(arguments: HealthSnapshots.all.map(\.name))
  func everyProblemHasACommandToRunAndObjectReferences(name: String) throws {
    let snapshot = try #require(HealthSnapshots.all.first { $0.name == name }?.snapshot)
    for result in HealthChecks.evaluate(snapshot) where result.status == .fail || result.status == .warn {
      let hint = try #require(result.hint, "\(name): \(result.id) has a hint")
      #expect(hint.contains("mtobs ") || hint.contains("kubectl "), "\(name): \(result.id): \(hint)")
      for object in result.objects {
        let parts = object.split(separator: "/")
        #expect(parts.count == 3 || (parts.count == 2 && parts[0] == "namespace"), "\(name): \(result.id): \(object)")
        #expect(parts.dropLast().allSatisfy { $0 == $0.lowercased() }, "\(name): \(result.id): \(object)")
      }
    }
  }

  @Test(arguments: HealthSnapshots.all.map(\.name))
  func everyCheckIsReportedOnceInEveryScenario(name: String) throws {
    let snapshot = try #require(HealthSnapshots.all.first { $0.name == name }?.snapshot)
    #expect(HealthChecks.evaluate(snapshot).map(\.id) == Self.requiredIDs)
  }
}
