import Foundation
import Testing

@testable import MtobsCore

/// The collector's own wiring, judged on snapshots: its configuration, exporter endpoints, the
/// zipkin receiver in the traces pipeline, and the RBAC `k8sattributes` needs.
@Suite("collector wiring checks")
struct CollectorWiringTests {
  typealias S = HealthSnapshots
  typealias Outcome = HealthChecksTests.Outcome

  static let wiringIDs = [
    "collector.config", "collector.pipelines", "collector.zipkin-receiver", "collector.exporter-endpoints",
    "collector.rbac",
  ]

  @Test func theHealthyStacksWiringPasses() {
    let outcome = Outcome(S.healthy())
    for id in Self.wiringIDs {
      #expect(outcome.status(id) == .pass, "\(id): \(outcome.message(id))")
    }
    #expect(
      outcome.message("collector.config")
        == "ConfigMap \(S.collector) key relay: 3 receivers, 3 processors, 2 exporters, 3 pipelines")
    #expect(
      outcome.message("collector.exporter-endpoints")
        == "otlp_grpc/alloy → k8s-monitoring-alloy-receiver:4317 (1 ready pod)")
    #expect(outcome.message("collector.zipkin-receiver") == "pipeline traces receives with zipkin on :9411")
    #expect(outcome.result("collector.rbac")?.objects == ["monitoring/serviceaccount/\(S.collector)"])
  }

  @Test func theSeedsExporterToAServiceThatDoesNotExist() {
    let outcome = Outcome(S.seedExporterMistake())
    #expect(outcome.status("collector.exporter-endpoints") == .fail)
    let message = outcome.message("collector.exporter-endpoints")
    #expect(
      message.hasPrefix(
        "exporter otlp_grpc/alloy sends to lgtm-alloy-receiver.monitoring.svc.cluster.local:4317, but Service "
          + "lgtm-alloy-receiver does not exist in 'monitoring' (Services there: "))
    #expect(message.contains("k8s-monitoring-alloy-receiver, "))
    #expect(message.hasSuffix("did you mean k8s-monitoring-alloy-receiver?"))
    #expect(outcome.hint("collector.exporter-endpoints").hasPrefix("kubectl get services -n monitoring"))
    #expect(outcome.recoverable("collector.exporter-endpoints") == false)
    // Only that check: the rest of the wiring is fine.
    for id in Self.wiringIDs where id != "collector.exporter-endpoints" {
      #expect(outcome.status(id) == .pass, "\(id): \(outcome.message(id))")
    }
  }

  @Test func anExporterPortTheServiceDoesNotExpose() {
    let outcome = Outcome(
      S.collectorConfigured(
        S.collectorRelay(exporterEndpoint: "k8s-monitoring-alloy-receiver.monitoring.svc.cluster.local:4318")))
    #expect(outcome.status("collector.exporter-endpoints") == .fail)
    #expect(
      outcome.message("collector.exporter-endpoints")
        == "exporter otlp_grpc/alloy sends to k8s-monitoring-alloy-receiver.monitoring.svc.cluster.local:4318, "
        + "but Service k8s-monitoring-alloy-receiver exposes only 12345 (http), 4317 (otlp-grpc), not 4318")
  }

  @Test func aServiceWithoutReadyPodsMayRecover() {
    var snapshot = S.healthy()
    snapshot.replace("Pod", "k8s-monitoring-alloy-receiver-7c9d5b0f4-q0z8m") { _ in
      S.pod(
        "k8s-monitoring-alloy-receiver-7c9d5b0f4-q0z8m", container: "receiver", ready: false,
        labels: S.labels("k8s-monitoring-alloy-receiver"))
    }
    let outcome = Outcome(snapshot)
    #expect(outcome.status("collector.exporter-endpoints") == .fail)
    #expect(
      outcome.message("collector.exporter-endpoints").hasSuffix(
        "has no ready endpoint: none of its 1 pod(s) is running and ready"))
    #expect(outcome.recoverable("collector.exporter-endpoints") == true)
  }

  @Test(arguments: [
    ("k8s-monitoring-alloy-receiver:4317", true),
    ("k8s-monitoring-alloy-receiver.monitoring:4317", true),
    ("k8s-monitoring-alloy-receiver.monitoring.svc:4317", true),
    ("http://k8s-monitoring-alloy-receiver.monitoring.svc.cluster.local:4317/v1/traces", true),
    ("dns:///k8s-monitoring-alloy-receiver.monitoring.svc.cluster.local:4317", true),
    ("http://k8s-monitoring-alloy-receiver.monitoring.svc.cluster.local/v1/traces", false),  // port 80
    ("tempo.example.com:4317", true),  // outside the cluster: not checked
    ("10.0.0.7:4317", true),
    ("${env:ALLOY_ENDPOINT}", true),
    ("alloy.other-namespace.svc:4317", true),  // another namespace: not read
    ("k8s-monitoring-alloy-receiver:http", false),
  ])
  func endpointSpellings(endpoint: String, passes: Bool) {
    let outcome = Outcome(S.collectorConfigured(S.collectorRelay(exporterEndpoint: endpoint)))
    #expect(
      outcome.status("collector.exporter-endpoints") == (passes ? .pass : .fail),
      "\(endpoint): \(outcome.message("collector.exporter-endpoints"))")
  }

  @Test(arguments: [
    "", ":", "::::", "http://", "http://:4317", "[::1]:4317", "[::1", "a:99999999999999999999", "http://h:99999999999",
    "h:0", "h:-1", "h:65536", "https://h", "dns:///", "...:1", "a..b.svc:1", "💥:4317", "h:4317/extra/path",
  ])
  func oddEndpointsNeverTrap(address: String) {
    let target = ExporterEndpoints.target(
      of: address, namespace: "monitoring", knownNamespaces: ["monitoring"])
    if case .service(_, _, let port?) = target { #expect((1...65535).contains(port), "\(address)") }
    let outcome = Outcome(S.collectorConfigured(S.collectorRelay(exporterEndpoint: "'\(address)'")))
    #expect(outcome.status("collector.exporter-endpoints") != nil)
  }

  @Test func outsideTheClusterIsSaidNotChecked() {
    let outcome = Outcome(S.collectorConfigured(S.collectorRelay(exporterEndpoint: "tempo.example.com:4317")))
    #expect(
      outcome.message("collector.exporter-endpoints")
        == "otlp_grpc/alloy → tempo.example.com:4317 (not checked: outside the cluster)")
  }

  @Test func zipkinDroppedFromTheTracesPipeline() {
    let outcome = Outcome(S.zipkinDroppedFromTraces())
    #expect(outcome.status("collector.zipkin-receiver") == .fail)
    #expect(
      outcome.message("collector.zipkin-receiver").hasPrefix(
        "the traces pipeline does not list the zipkin receiver (traces [otlp]): Dapr sends spans to :9411"))
    #expect(outcome.recoverable("collector.zipkin-receiver") == false)
    #expect(outcome.status("collector.pipelines") == .pass)
  }

  @Test func aZipkinReceiverOnAnotherPort() {
    let relay = S.collectorRelay().replacingOccurrences(
      of: "endpoint: ${env:MY_POD_IP}:9411", with: "endpoint: ${env:MY_POD_IP}:9412")
    let outcome = Outcome(S.collectorConfigured(relay))
    #expect(outcome.status("collector.zipkin-receiver") == .fail)
    #expect(
      outcome.message("collector.zipkin-receiver")
        == "receiver zipkin listens on ${env:MY_POD_IP}:9412, but Dapr sends to port 9411 (collector.zipkin-port)")
  }

  @Test func aCollectorServiceWithoutTheZipkinPort() {
    var snapshot = S.healthy()
    snapshot.replace("Service", S.collector) { _ in S.service(S.collector, ports: [("otlp", 4317)]) }
    let outcome = Outcome(snapshot)
    #expect(outcome.status("collector.zipkin-receiver") == .fail)
    #expect(
      outcome.message("collector.zipkin-receiver").hasPrefix(
        "receiver zipkin listens on :9411, but Service \(S.collector) does not expose it (ports: 4317)"))
  }

  @Test func aPipelineNamingAnUndefinedExporter() {
    let outcome = Outcome(S.pipelineNamesUndefinedExporter())
    #expect(outcome.status("collector.pipelines") == .fail)
    #expect(
      outcome.message("collector.pipelines")
        == "pipeline logs names exporter loki, which is not defined under exporters (defined: debug, otlp_grpc/alloy)")
    #expect(outcome.hint("collector.pipelines").hasPrefix("kubectl get configmap \(S.collector) -n monitoring -o yaml"))
  }

  @Test func aPipelineWithoutExporters() {
    let relay = S.collectorRelay(logsExporters: [])
    let outcome = Outcome(S.collectorConfigured(relay))
    #expect(outcome.status("collector.pipelines") == .fail)
    #expect(outcome.message("collector.pipelines") == "pipeline logs has no exporter: its data goes nowhere")
  }

  @Test func connectorsCountAsReceiversAndExporters() {
    let relay = S.collectorRelay(logsExporters: ["spanmetrics"]).replacingOccurrences(
      of: "processors:\n  batch: {}", with: "connectors:\n  spanmetrics: {}\nprocessors:\n  batch: {}")
    #expect(relay.contains("connectors:"))
    #expect(Outcome(S.collectorConfigured(relay)).status("collector.pipelines") == .pass)
  }

  @Test func noRBACForK8sAttributes() {
    let outcome = Outcome(S.collectorWithoutRBAC())
    #expect(outcome.status("collector.rbac") == .fail)
    #expect(
      outcome.message("collector.rbac")
        == "service account monitoring/\(S.collector) may not get/list/watch pods, get/list/watch namespaces, "
        + "get/list/watch replicasets.apps cluster-wide, which k8sattributes needs: it adds no Kubernetes attributes "
        + "and logs 'forbidden' (no binding names it)")
    #expect(
      outcome.hint("collector.rbac").hasPrefix(
        "kubectl auth can-i list pods --all-namespaces --as=system:serviceaccount:monitoring:\(S.collector)"))
    #expect(outcome.recoverable("collector.rbac") == false)
  }

  @Test func aRoleWithoutReplicaSetsAndABindingToAMissingRole() {
    var snapshot = S.healthy()
    var objects = S.collectorClusterRBAC()
    objects[0] = S.object([
      "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": ["name": S.collector],
      "rules": [["apiGroups": [""], "resources": ["pods", "namespaces"], "verbs": ["get", "watch", "list"]]],
    ])
    objects.append(
      S.object([
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": ["name": "extra"],
        "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "gone"],
        "subjects": [["kind": "ServiceAccount", "name": S.collector, "namespace": "monitoring"]],
      ]))
    snapshot.collectorClusterRBAC = .success(objects)
    let outcome = Outcome(snapshot)
    #expect(outcome.status("collector.rbac") == .fail)
    let message = outcome.message("collector.rbac")
    #expect(message.contains("may not get/list/watch replicasets.apps cluster-wide"))
    #expect(!message.contains("pods,"))
    #expect(message.contains("ClusterRoleBinding extra refers to ClusterRole gone, which does not exist"))
  }

  @Test func aBindingToAnotherNamespacesAccountDoesNotCount() {
    var snapshot = S.healthy()
    var objects = S.collectorClusterRBAC()
    objects[1] = S.object([
      "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": ["name": S.collector],
      "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": S.collector],
      "subjects": [["kind": "ServiceAccount", "name": S.collector, "namespace": "default"]],
    ])
    snapshot.collectorClusterRBAC = .success(objects)
    #expect(Outcome(snapshot).status("collector.rbac") == .fail)
  }

  @Test func rbacIsNotJudgedWithoutK8sAttributes() {
    let relay = S.collectorRelay().replacingOccurrences(of: "[k8s_attributes, ", with: "[")
    var snapshot = S.collectorConfigured(relay)
    snapshot.collectorClusterRBAC = .success([])
    let outcome = Outcome(snapshot)
    #expect(outcome.status("collector.rbac") == .skip)
    #expect(outcome.message("collector.rbac").contains("no pipeline uses the k8sattributes processor"))
  }

  @Test func unreadableClusterRolesWarnWithTheCommandToAsk() {
    var snapshot = S.healthy()
    snapshot.collectorClusterRBAC = .failure(
      ReadError(reason: .forbidden, message: "clusterroles is forbidden", hint: "ask for access"))
    let outcome = Outcome(snapshot)
    #expect(outcome.status("collector.rbac") == .warn)
    #expect(outcome.hint("collector.rbac").hasPrefix("kubectl auth can-i list pods"))
  }

  @Test func badYAMLIsAFindingNeverATrap() {
    let outcome = Outcome(S.collectorConfigNotYAML())
    #expect(outcome.status("collector.config") == .fail)
    #expect(
      outcome.message("collector.config").hasPrefix("ConfigMap \(S.collector) key relay is not valid YAML: line "))
    #expect(outcome.result("collector.config")?.objects == ["monitoring/configmap/\(S.collector)"])
    for id in Self.wiringIDs.dropFirst() {
      #expect(outcome.status(id) == .skip)
      #expect(outcome.message(id) == "skipped: collector.config failed")
    }
  }

  @Test(arguments: ["", "just text", "- a\n- b", "{}", "exporters: 3\nservice: [1]"])
  func configurationsOfTheWrongShape(relay: String) {
    let outcome = Outcome(S.collectorConfigured(relay))
    // Never a trap, never a pass of the pipelines on something that is not a configuration.
    #expect(outcome.status("collector.pipelines") != .pass, "\(relay)")
  }

  @Test func aMissingConfigMap() {
    var snapshot = S.healthy()
    snapshot.collectorConfigMaps = .success([])
    let outcome = Outcome(snapshot)
    #expect(outcome.status("collector.config") == .fail)
    #expect(
      outcome.message("collector.config")
        == "the collector mounts ConfigMap \(S.collector), which does not exist in 'monitoring'")
  }

  /// One unreadable configuration is one finding: the checks that need it are skipped, naming
  /// it, instead of repeating its warning four times.
  @Test func aPodSpecWithoutConfigMapWarnsOnce() {
    var snapshot = S.healthy()
    func withoutVolumes(_ value: JSONValue) -> JSONValue {
      guard case .object(var fields) = value else { return value }
      fields["volumes"] = nil
      return .object(fields.mapValues(withoutVolumes))
    }
    snapshot.stack = .success((snapshot.stack.value ?? []).map { KubeObject(withoutVolumes($0.raw)) })
    let outcome = Outcome(snapshot)
    #expect(outcome.status("collector.config") == .warn)
    #expect(
      outcome.message("collector.config")
        == "the collector's pod spec mounts no ConfigMap, so mtobs cannot read its configuration")
    for id in Self.wiringIDs.dropFirst() {
      #expect(outcome.status(id) == .skip, "\(id)")
      #expect(outcome.message(id) == "skipped: the collector's configuration was not read (collector.config)")
    }
  }

  @Test func otherKeysAndNamesAreFound() {
    var snapshot = S.healthy()
    snapshot.collectorConfigMaps = .success([
      S.object([
        "apiVersion": "v1", "kind": "ConfigMap", "metadata": S.metadata(S.collector),
        "data": ["README": "not: [yaml", "collector.yaml": S.collectorRelay()],
      ])
    ])
    let outcome = Outcome(snapshot)
    #expect(outcome.status("collector.config") == .pass, "\(outcome.message("collector.config"))")
    #expect(outcome.message("collector.config").hasPrefix("ConfigMap \(S.collector) key collector.yaml: "))
  }

  @Test func anOlderBundleSkipsSayingWhy() {
    let outcome = Outcome(S.olderBundle())
    for id in Self.wiringIDs {
      #expect(outcome.status(id) == .skip)
      #expect(outcome.message(id).contains("the bundle was made by an older mtobs"), "\(id): \(outcome.message(id))")
    }
  }

  @Test func anOlderBundleStillDecodes() throws {
    let data = try BundleFile.encode(S.healthy())
    var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    json["collectorConfigMaps"] = nil
    json["collectorClusterRBAC"] = nil
    json["collectorNamespaceRBAC"] = nil
    let old = try JSONSerialization.data(withJSONObject: json)
    let snapshot = try BundleFile.decode(old, path: "old.json")
    #expect(snapshot.collectorConfigMaps == nil)
    #expect(snapshot.collectorClusterRBAC == nil)
  }

  // MARK: - Reading

  @Test func configMapsAndServiceAccountComeFromThePodSpec() {
    #expect(CollectorWiring.configMapNames(S.healthy()) == [S.collector])
    #expect(CollectorWiring.serviceAccounts(S.healthy()) == [S.collector])
  }

  @Test func onlyTheCollectorsRBACIsKept() {
    let unrelated = S.object([
      "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": ["name": "admin"],
      "roleRef": ["kind": "ClusterRole", "name": "cluster-admin"],
      "subjects": [["kind": "User", "name": "alice"]],
    ])
    let adminRole = S.object(["kind": "ClusterRole", "metadata": ["name": "cluster-admin"]])
    let kept = CollectorRBAC.relevant(
      S.collectorClusterRBAC() + [unrelated, adminRole], serviceAccounts: [S.collector], namespace: "monitoring")
    #expect(kept.map(\.name).sorted() == [S.collector, S.collector])
  }

  // MARK: - Bundles do not leak the collector's credentials

  @Test func exporterCredentialsAreRedactedInBundles() throws {
    let relay =
      S.collectorRelay()
        + """
        extra:
          otlphttp/cloud:
            endpoint: https://otlp.example.com
            headers: {authorization: "Basic c2VjcmV0LWJhc2ljLWF1dGg=", x-scope-orgid: tenant-1}
            api_key: sk-live-0123456789
          datadog:
            api:
              key: dd-0123456789abcdef
          basicauth/client:
            client_auth:
              username: collector
              password: hunter2-in-config
          headers:
            Authorization: Bearer eyJhbGciOi.token.part

        """
    let bundle = try BundleFile.encode(S.collectorConfigured(relay))
    let text = String(decoding: bundle, as: UTF8.self)
    for secret in [
      "c2VjcmV0LWJhc2ljLWF1dGg=", "sk-live-0123456789", "dd-0123456789abcdef", "hunter2-in-config", "eyJhbGciOi",
    ] {
      #expect(!text.contains(secret), "\(secret) leaked")
    }
    #expect(text.contains("tenant-1"))
    #expect(text.contains("lgtm-alloy-receiver") == false)
    #expect(text.contains("k8s-monitoring-alloy-receiver.monitoring.svc.cluster.local:4317"))
    // The redacted configuration still parses and gives the same verdicts.
    let decoded = try BundleFile.decode(bundle, path: "b.json")
    #expect(
      HealthChecks.evaluate(decoded).map(\.status) == HealthChecks.evaluate(S.collectorConfigured(relay)).map(\.status))
  }
}
