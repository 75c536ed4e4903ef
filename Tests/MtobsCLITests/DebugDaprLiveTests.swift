import Foundation
import KubeStandIn
import Testing

/// `mtobs debug-dapr` as a user runs it: the built binary, the real kubectl, and the stand-in API
/// server holding the healthy stack plus Dapr's control plane and one Dapr app, broken in the
/// ways the seeds broke it.
@Suite("debug-dapr against the stand-in API server", requires("kubectl"))
struct DebugDaprLiveTests {
  let home: TemporaryDirectory
  let cli: CLI

  init() throws {
    home = try TemporaryDirectory()
    cli = CLI(home: home.url)
  }

  struct Outcome {
    let result: CLI.Result
    let report: [String: Any]
    var checks: [[String: Any]] { report["checks"] as? [[String: Any]] ?? [] }

    func status(_ id: String) -> String? { check(id)?["status"] as? String }
    func message(_ id: String) -> String { check(id)?["message"] as? String ?? "" }
    func hint(_ id: String) -> String { check(id)?["hint"] as? String ?? "" }
    func check(_ id: String) -> [String: Any]? { checks.first { $0["id"] as? String == id } }
    var failing: [String] { checks.filter { $0["status"] as? String == "fail" }.compactMap { $0["id"] as? String } }
  }

  private func debugDapr(_ cluster: StandInCluster, _ extra: [String] = []) throws -> Outcome {
    let result = try cli.run(["debug-dapr", "-o", "json"] + extra + cluster.flags)
    let document = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
    let report = try #require(document as? [String: Any], "stdout is one JSON object: \(result)")
    return Outcome(result: result, report: report)
  }

  private func configuration(_ app: DaprApp, namespace: String = "mathtrail") -> JSONValue? {
    app.state.objects(kind: "Configuration", namespace: namespace).first {
      $0[path: "metadata", "name"]?.string == DaprApp.configuration
    }
  }

  @Test func aCorrectSetupPasses() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    let outcome = try debugDapr(app.cluster)
    #expect(outcome.result.status == 0, "\(outcome.result)")
    #expect(outcome.report["command"] as? String == "debug-dapr")
    for id in [
      "kubernetes.api", "dapr.installed", "dapr.control-plane", "dapr.app-namespaces", "dapr.configuration",
      "dapr.zipkin-endpoint", "dapr.sampling", "dapr.sidecars", "dapr.pod-config", "dapr.restarts",
      "dapr.sidecar-logs", "dapr.collector-receiver", "dapr.collector-spans",
    ] {
      #expect(outcome.status(id) == "pass", "\(id): \(outcome.check(id) ?? [:])")
    }
    #expect(
      outcome.status("dapr.otel-endpoint") == "skip", "no otel block: \(outcome.check("dapr.otel-endpoint") ?? [:])")
    #expect(outcome.message("dapr.collector-spans").contains("1842"), "\(outcome.check("dapr.collector-spans") ?? [:])")
  }

  @Test func theSeedsHostIsNamedAndTheRealCollectorSuggested() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    try app.setEndpoint("http://otel-collector.monitoring.svc.cluster.local:9411/api/v2/spans")
    let outcome = try debugDapr(app.cluster)
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.failing == ["dapr.zipkin-endpoint"], "\(outcome.result)")
    let message = outcome.message("dapr.zipkin-endpoint")
    #expect(message.contains("no Service 'otel-collector' in namespace 'monitoring'"), "\(message)")
    #expect(
      message.contains(
        "the collector's Service is otel-collector-opentelemetry-collector.monitoring.svc.cluster.local"),
      "\(message)")
    #expect(!message.contains("path"), "only the host is wrong: \(message)")
  }

  @Test func theV1PathIsNamed() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    try app.setEndpoint("http://otel-collector-opentelemetry-collector.monitoring.svc.cluster.local:9411/v1/spans")
    let outcome = try debugDapr(app.cluster)
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.failing == ["dapr.zipkin-endpoint"], "\(outcome.result)")
    #expect(outcome.message("dapr.zipkin-endpoint").contains("path /v1/spans"), "\(outcome.result)")
  }

  @Test func anEndpointThatIsNotAURLIsNamed() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    try app.setEndpoint("otel-collector:9411")
    let outcome = try debugDapr(app.cluster)
    #expect(outcome.status("dapr.zipkin-endpoint") == "fail", "\(outcome.result)")
    #expect(outcome.message("dapr.zipkin-endpoint").contains("is not a URL"), "\(outcome.result)")
  }

  @Test func aMissingSamplingRateWarns() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    try app.state.modify(kind: "Configuration", name: DaprApp.configuration, namespace: "mathtrail") {
      guard case .object(var tracing)? = $0[path: "spec", "tracing"] else { return }
      tracing["samplingRate"] = nil
      $0[path: "spec", "tracing"] = .object(tracing)
    }
    let outcome = try debugDapr(app.cluster)
    #expect(outcome.result.status == 0, "a warning only: \(outcome.result)")
    #expect(outcome.status("dapr.sampling") == "warn", "\(outcome.result)")
    #expect(outcome.message("dapr.sampling").contains("1 trace in 10,000"), "\(outcome.result)")
    let strict = try debugDapr(app.cluster, ["--fail-on", "warning"])
    #expect(strict.result.status == 1, "\(strict.result)")
  }

  @Test func aPodWithoutTheConfigAnnotationFails() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    try app.state.modify(kind: "Pod", name: DaprApp.pod, namespace: "mathtrail") {
      guard case .object(var annotations)? = $0[path: "metadata", "annotations"] else { return }
      annotations["dapr.io/config"] = nil
      $0[path: "metadata", "annotations"] = .object(annotations)
    }
    let outcome = try debugDapr(app.cluster)
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.failing == ["dapr.pod-config"], "\(outcome.result)")
    #expect(
      outcome.message("dapr.pod-config").contains("mathtrail/\(DaprApp.pod) has no dapr.io/config annotation"),
      "\(outcome.result)")
  }

  @Test func aConfigurationOnlyInTheStackNamespaceDoesNothingForTheApps() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    #expect(app.state.remove(kind: "Configuration", name: DaprApp.configuration, namespace: "mathtrail") != nil)
    try app.state.load(
      yaml: """
        apiVersion: dapr.io/v1alpha1
        kind: Configuration
        metadata: {name: \(DaprApp.configuration), namespace: monitoring}
        spec:
          tracing:
            samplingRate: "1"
            zipkin:
              endpointAddress: http://otel-collector-opentelemetry-collector.monitoring.svc.cluster.local:9411/api/v2/spans
        """)
    let outcome = try debugDapr(app.cluster)
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(Set(outcome.failing) == ["dapr.configuration", "dapr.pod-config"], "\(outcome.result)")
    #expect(outcome.message("dapr.configuration").contains("exists only in 'monitoring'"), "\(outcome.result)")
    #expect(outcome.message("dapr.pod-config").contains("only in monitoring"), "\(outcome.result)")
    #expect(outcome.status("dapr.zipkin-endpoint") == "skip", "\(outcome.result)")
  }

  @Test func daprNotInstalledIsOneFinding() async throws {
    let app = try await DaprApp.start(in: home, daprInstalled: false)
    defer { Task { await app.stop() } }
    let outcome = try debugDapr(app.cluster)
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.failing == ["dapr.installed"], "\(outcome.result)")
    #expect(outcome.message("dapr.installed").hasPrefix("Dapr is not installed"), "\(outcome.result)")
    for id in ["dapr.control-plane", "dapr.configuration", "dapr.zipkin-endpoint", "dapr.sidecars", "dapr.pod-config"] {
      #expect(outcome.status(id) == "skip", "\(id): \(outcome.check(id) ?? [:])")
      #expect(outcome.message(id).contains("dapr.installed failed"), "\(id): \(outcome.check(id) ?? [:])")
    }
    #expect(outcome.result.standardError.isEmpty, "no stack trace, no error text: \(outcome.result)")
  }

  @Test func aControlPlaneThatIsNotReadyIsNamed() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    try app.state.modify(kind: "Deployment", name: "dapr-sidecar-injector", namespace: "dapr-system") {
      $0[path: "status", "readyReplicas"] = .int(0)
    }
    let outcome = try debugDapr(app.cluster)
    #expect(outcome.status("dapr.control-plane") == "fail", "\(outcome.result)")
    #expect(outcome.message("dapr.control-plane") == "deployment/dapr-sidecar-injector 0/1 ready", "\(outcome.result)")
  }

  @Test func anOTLPBlockIsJudgedLikeTheZipkinOne() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    try app.state.modify(kind: "Configuration", name: DaprApp.configuration, namespace: "mathtrail") {
      $0[path: "spec", "tracing", "otel"] = [
        "endpointAddress": "otel-collector-opentelemetry-collector.monitoring.svc.cluster.local:4317",
        "protocol": "http", "isSecure": true,
      ]
    }
    let outcome = try debugDapr(app.cluster)
    #expect(outcome.status("dapr.otel-endpoint") == "fail", "\(outcome.result)")
    let message = outcome.message("dapr.otel-endpoint")
    #expect(message.contains("isSecure is true"), "\(message)")
    #expect(
      message.contains("expected otel-collector-opentelemetry-collector.monitoring.svc.cluster.local:4318"),
      "\(message)")
  }

  @Test func theCollectorsZipkinSideIsJudged() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    let stack = StackScenario(cluster: app.cluster)
    for pod in stack.collectorPods {
      app.state.setProxyAnswer(
        namespace: "monitoring", kind: .pod, name: pod, port: 8888, path: "/metrics",
        body: StackScenario.collectorMetrics(failedLogRecords: 0).replacingOccurrences(
          of: "otelcol_receiver_refused_spans_total{receiver=\"zipkin\",transport=\"http\"} 0",
          with: "otelcol_receiver_refused_spans_total{receiver=\"zipkin\",transport=\"http\"} 17"),
        contentType: "text/plain; version=0.0.4")
    }
    let refused = try debugDapr(app.cluster)
    #expect(refused.status("dapr.collector-spans") == "warn", "\(refused.result)")
    #expect(refused.message("dapr.collector-spans") == "zipkin refused 17 spans (accepted 1842)", "\(refused.result)")
    try stack.dropZipkinFromTraces()
    let dropped = try debugDapr(app.cluster)
    #expect(dropped.status("dapr.collector-receiver") == "fail", "\(dropped.result)")
  }

  @Test func aMissingAppNamespaceIsNamed() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    let outcome = try debugDapr(app.cluster, ["--app-namespace", "nosuch"])
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.status("dapr.app-namespaces") == "fail", "\(outcome.result)")
    #expect(outcome.message("dapr.app-namespaces").contains("'nosuch' does not exist"), "\(outcome.result)")
  }

  @Test func allNamespacesFindsTheAppNamespace() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    let outcome = try debugDapr(app.cluster, ["--all-namespaces"])
    #expect(outcome.result.status == 0, "\(outcome.result)")
    #expect(outcome.message("dapr.app-namespaces") == "mathtrail", "\(outcome.result)")
  }

  @Test func sidecarExporterErrorsAreQuoted() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    let line =
      #"level=error msg="traces export: Post \"http://otel-collector.monitoring.svc.cluster.local:9411/api/v2/spans\": "#
      + #"dial tcp: lookup otel-collector.monitoring.svc.cluster.local: no such host""#
    app.state.appendLog(namespace: "mathtrail", pod: DaprApp.pod, container: "daprd", line: line)
    let outcome = try debugDapr(app.cluster)
    #expect(outcome.status("dapr.sidecar-logs") == "warn", "\(outcome.result)")
    #expect(outcome.message("dapr.sidecar-logs").contains("no such host"), "\(outcome.result)")
    // Bounded: the log request asks for a tail and a byte limit.
    let logRequests = app.cluster.apiRequests.filter { $0.path.hasSuffix("/pods/\(DaprApp.pod)/log") }
    #expect(logRequests.count == 1, "\(logRequests.map(\.path))")
    #expect(
      logRequests.first?.queryItems["tailLines"] == "200" && logRequests.first?.queryItems["limitBytes"] == "65536")
  }

  @Test func podsStartedBeforeTheConfigurationChangedAreNamed() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    try app.state.modify(kind: "Configuration", name: DaprApp.configuration, namespace: "mathtrail") {
      $0[path: "metadata", "managedFields"] = [
        ["manager": "kubectl", "operation": "Update", "time": "2026-09-01T00:00:00Z"]
      ]
    }
    let outcome = try debugDapr(app.cluster)
    #expect(outcome.status("dapr.restarts") == "warn", "\(outcome.result)")
    #expect(outcome.message("dapr.restarts").contains("mathtrail/\(DaprApp.pod)"), "\(outcome.result)")
    #expect(
      outcome.hint("dapr.restarts") == "kubectl rollout restart deployment/orders -n mathtrail", "\(outcome.result)")
  }

  // MARK: - --fix

  @Test func fixPrintsTheCorrectedConfigurationAndApplyCommand() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    try app.setEndpoint("http://otel-collector.monitoring.svc.cluster.local:9411/api/v1/spans")
    let result = try cli.run(["debug-dapr", "--fix"] + app.cluster.flags)
    #expect(result.status == 1, "the report still fails: \(result)")
    #expect(
      result.standardOutput.contains(
        "kubectl --kubeconfig \(app.cluster.kubeconfig.path) --context standin apply -f - <<'EOF'\n"
          + "apiVersion: \"dapr.io/v1alpha1\"\nkind: \"Configuration\""), "\(result)")
    #expect(
      result.standardOutput.contains(
        #"endpointAddress: "http://otel-collector-opentelemetry-collector.monitoring.svc.cluster.local:9411/api/v2/spans""#
      ),
      "\(result)")
    // The restart is pinned to the same context as the apply, or it could restart another cluster's pods.
    #expect(
      result.standardOutput.contains(
        "kubectl --kubeconfig \(app.cluster.kubeconfig.path) --context standin rollout restart deployment/orders -n mathtrail"
      ), "\(result)")
    // Printing changes nothing.
    #expect(
      configuration(app)?[path: "spec", "tracing", "zipkin", "endpointAddress"]?.string
        == "http://otel-collector.monitoring.svc.cluster.local:9411/api/v1/spans")
  }

  @Test func fixApplyCorrectsTheConfiguration() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    try app.setEndpoint("http://otel-collector.monitoring.svc.cluster.local:9411/api/v1/spans")
    let result = try cli.run(["debug-dapr", "--fix", "--apply"] + app.cluster.flags)
    #expect(result.status == 0, "\(result)")
    #expect(
      result.standardOutput.contains(
        #"-       endpointAddress: "http://otel-collector.monitoring.svc.cluster.local:9411/api/v1/spans""#),
      "the diff is shown: \(result)")
    #expect(result.standardOutput.contains("applied mathtrail/configuration/\(DaprApp.configuration)"), "\(result)")
    #expect(
      result.standardOutput.contains(
        "kubectl --kubeconfig \(app.cluster.kubeconfig.path) --context standin rollout restart deployment/orders -n mathtrail"
      ), "\(result)")
    let applied = configuration(app)
    #expect(
      applied?[path: "spec", "tracing", "zipkin", "endpointAddress"]?.string
        == "http://otel-collector-opentelemetry-collector.monitoring.svc.cluster.local:9411/api/v2/spans")
    #expect(applied?[path: "spec", "tracing", "samplingRate"]?.string == "1", "kept: \(String(describing: applied))")
    let after = try debugDapr(app.cluster)
    #expect(after.status("dapr.zipkin-endpoint") == "pass", "\(after.result)")
  }

  @Test func fixNeverPrintsTheConfigurationsSecretsAndApplyKeepsThem() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    try app.state.modify(kind: "Configuration", name: DaprApp.configuration, namespace: "mathtrail") {
      $0[path: "spec", "tracing", "otel"] = [
        "endpointAddress": "otel-collector.monitoring.svc.cluster.local:4317", "protocol": "grpc",
        "headers": [
          ["name": "Authorization", "value": "Basic TOKENABC"],
          ["name": "x-honeycomb-team", "value": "SUPERSECRET123"],
        ],
      ]
    }
    let printed = try cli.run(["debug-dapr", "--fix"] + app.cluster.flags)
    #expect(
      printed.standardOutput.contains("otel-collector-opentelemetry-collector.monitoring.svc.cluster.local:4317"),
      "\(printed)")
    #expect(
      !printed.standardOutput.contains("TOKENABC") && !printed.standardOutput.contains("SUPERSECRET123"), "\(printed)")
    #expect(printed.standardOutput.contains("# secret values are shown redacted"), "\(printed)")
    let applied = try cli.run(["debug-dapr", "--fix", "--apply"] + app.cluster.flags)
    #expect(applied.status == 0, "\(applied)")
    #expect(
      !applied.standardOutput.contains("TOKENABC") && !applied.standardOutput.contains("SUPERSECRET123"), "\(applied)")
    let headers = configuration(app)?[path: "spec", "tracing", "otel", "headers"]?.array ?? []
    #expect(headers.compactMap { $0["value"]?.string } == ["Basic TOKENABC", "SUPERSECRET123"], "\(headers)")
  }

  @Test func fixApplyWithDryRunChangesNothing() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    try app.setEndpoint("http://otel-collector.monitoring.svc.cluster.local:9411/api/v1/spans")
    let result = try cli.run(["debug-dapr", "--fix", "--apply", "--dry-run"] + app.cluster.flags)
    #expect(result.status == 0, "\(result)")
    #expect(result.standardOutput.contains("apply -f -"), "the command is printed: \(result)")
    #expect(!result.standardOutput.contains("applied "), "\(result)")
    #expect(
      configuration(app)?[path: "spec", "tracing", "zipkin", "endpointAddress"]?.string
        == "http://otel-collector.monitoring.svc.cluster.local:9411/api/v1/spans")
    #expect(
      !app.cluster.apiRequests.contains {
        $0.method == "PATCH" || $0.method == "POST" && $0.path.contains("configurations")
      })
  }

  @Test func fixApplyAsksOnAProtectedContext() async throws {
    let app = try await DaprApp.start(in: home, context: "prod-eu")
    defer { Task { await app.stop() } }
    try app.setEndpoint("http://otel-collector.monitoring.svc.cluster.local:9411/api/v1/spans")
    let refused = try cli.run(["debug-dapr", "--fix", "--apply"] + app.cluster.flags)
    #expect(refused.status == 2, "no terminal to ask on: \(refused)")
    #expect(refused.standardError.contains("prod-eu"), "\(refused)")
    #expect(
      configuration(app)?[path: "spec", "tracing", "zipkin", "endpointAddress"]?.string
        == "http://otel-collector.monitoring.svc.cluster.local:9411/api/v1/spans")
    let confirmed = try cli.run(["debug-dapr", "--fix", "--apply", "--yes"] + app.cluster.flags)
    #expect(confirmed.status == 0, "\(confirmed)")
    #expect(
      configuration(app)?[path: "spec", "tracing", "zipkin", "endpointAddress"]?.string
        == "http://otel-collector-opentelemetry-collector.monitoring.svc.cluster.local:9411/api/v2/spans")
  }

  // MARK: - bundle and --from

  @Test func aBundleGivesTheSameVerdictsOffline() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    try app.setEndpoint("http://otel-collector.monitoring.svc.cluster.local:9411/v1/spans")
    let live = try debugDapr(app.cluster)
    let path = home.url.appendingPathComponent("bundle.json").path
    let bundled = try cli.run(["bundle", "-o", path] + app.cluster.flags)
    #expect(bundled.status == 0, "\(bundled)")
    await app.stop()
    let written = try String(contentsOfFile: path, encoding: .utf8)
    #expect(written.contains(DaprApp.pod), "the bundle holds the Dapr pod")
    #expect(!written.contains("s3cr3t-orders"), "the Dapr pods' secret-looking env values are removed")
    let offline = try cli.run(["debug-dapr", "-o", "json", "--from", path])
    let document = try JSONSerialization.jsonObject(with: Data(offline.standardOutput.utf8))
    let report = try #require(document as? [String: Any], "\(offline)")
    let outcome = Outcome(result: offline, report: report)
    #expect(offline.status == live.result.status, "\(offline)")
    for check in live.checks {
      let id = check["id"] as? String ?? ""
      #expect(
        outcome.status(id) == check["status"] as? String, "\(id): live \(check), offline \(outcome.check(id) ?? [:])")
      #expect(outcome.message(id) == check["message"] as? String, "\(id)")
    }
  }
}

/// Several app namespaces: `shop` with the seed's Configuration (wrong host, /v1/spans, no
/// samplingRate), `billing` with a Dapr pod and no Configuration at all.
extension DebugDaprLiveTests {
  private func startWithShopAndBilling() async throws -> DaprApp {
    let app = try await DaprApp.start(in: home)
    try app.addNamespace("shop", zipkinEndpoint: "http://otel-collector.monitoring.svc.cluster.local:9411/v1/spans")
    try app.addNamespace("billing")
    try app.state.load(
      yaml: """
        \(DaprApp.podYAML(name: "cart-7d9f8c6b5-abcde", namespace: "shop", owner: "cart-7d9f8c6b5"))
        ---
        \(DaprApp.podYAML(name: "invoice-5c4b3a291-fghij", namespace: "billing", owner: "invoice-5c4b3a291"))
        """)
    return app
  }

  @Test func eachAppNamespaceIsJudgedAndOneFailingNamespaceHidesNoOther() async throws {
    let app = try await startWithShopAndBilling()
    defer { Task { await app.stop() } }
    let outcome = try debugDapr(
      app.cluster, ["--app-namespace", "mathtrail", "--app-namespace", "shop", "--app-namespace", "billing"])
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(
      outcome.message("dapr.configuration").contains("no Configuration '\(DaprApp.configuration)' in 'billing'"),
      "\(outcome.result)")
    // billing's missing Configuration does not hide shop's wrong endpoint and sampling.
    #expect(outcome.status("dapr.zipkin-endpoint") == "fail", "\(outcome.result)")
    #expect(outcome.message("dapr.zipkin-endpoint").hasPrefix("shop/\(DaprApp.configuration): "), "\(outcome.result)")
    #expect(outcome.message("dapr.zipkin-endpoint").contains("/v1/spans"), "\(outcome.result)")
    #expect(outcome.status("dapr.sampling") == "warn", "\(outcome.result)")
    #expect(outcome.message("dapr.sampling").hasPrefix("shop/"), "\(outcome.result)")
    #expect(outcome.message("dapr.pod-config").contains("billing/invoice-5c4b3a291-fghij"), "\(outcome.result)")

    // A namespace that does not exist is named, and the others are still judged.
    let missing = try debugDapr(app.cluster, ["--app-namespace", "nosuch", "--app-namespace", "shop"])
    #expect(missing.status("dapr.app-namespaces") == "fail", "\(missing.result)")
    #expect(missing.status("dapr.zipkin-endpoint") == "fail", "\(missing.result)")
    #expect(missing.message("dapr.zipkin-endpoint").hasPrefix("shop/"), "\(missing.result)")

    // Naming a namespace twice judges it once.
    let twice = try debugDapr(app.cluster, ["--app-namespace", "shop", "--app-namespace", "shop"])
    #expect(twice.message("dapr.configuration") == "shop/\(DaprApp.configuration)", "\(twice.result)")
  }

  @Test func fixCreatesTheMissingConfigurationAndRestartsItsPods() async throws {
    let app = try await startWithShopAndBilling()
    defer { Task { await app.stop() } }
    let result = try cli.run(["debug-dapr", "--fix", "--app-namespace", "billing"] + app.cluster.flags)
    #expect(result.status == 1, "\(result)")
    let kubectl = "kubectl --kubeconfig \(app.cluster.kubeconfig.path) --context standin"
    #expect(
      result.standardOutput.contains("# billing/\(DaprApp.configuration): the corrected Configuration"), "\(result)")
    // Its pods started without the Configuration: they read it only when they start again.
    #expect(
      result.standardOutput.contains("\(kubectl) rollout restart deployment/invoice -n billing"), "\(result)")
    // The way to apply it names the same namespace, or it would apply nothing.
    #expect(
      result.standardOutput.hasSuffix(
        "# or apply it with: mtobs debug-dapr --fix --apply --kubeconfig \(app.cluster.kubeconfig.path) --context standin "
          + "--app-namespace billing\n"),
      "\(result)")
    // With nothing to apply, --apply does not claim success: the report's status stands.
    let nothing = try cli.run(["debug-dapr", "--fix", "--apply", "--app-namespace", "nosuch"] + app.cluster.flags)
    #expect(nothing.status == 1, "\(nothing)")
    #expect(nothing.standardOutput.contains("Nothing to fix in the Configurations."), "\(nothing)")
  }

  @Test func aNamespaceWhosePodsCannotBeListedIsNamedAndTheOthersJudged() async throws {
    let app = try await startWithShopAndBilling()
    defer { Task { await app.stop() } }
    app.cluster.server.updateBehavior { $0.rules = [.forbidden(resource: "pods", verb: "list", namespace: "billing")] }
    try app.state.modify(kind: "Pod", name: "cart-7d9f8c6b5-abcde", namespace: "shop") {
      $0[path: "metadata", "annotations", "dapr.io/config"] = nil
    }
    let outcome = try debugDapr(app.cluster, ["--app-namespace", "shop", "--app-namespace", "billing"])
    #expect(outcome.status("dapr.sidecars") == "fail", "\(outcome.result)")
    #expect(outcome.message("dapr.sidecars").hasPrefix("cannot read the pods of 'billing': "), "\(outcome.result)")
    #expect(outcome.status("dapr.pod-config") == "fail", "\(outcome.result)")
    #expect(
      outcome.message("dapr.pod-config").hasPrefix("shop/cart-7d9f8c6b5-abcde has no dapr.io/config annotation"),
      "\(outcome.result)")
  }

  @Test func sidecarsWhoseLogWasNotReadAreNotCalledAbsent() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    app.cluster.server.updateBehavior { $0.rules = [.forbidden(subresource: "log")] }
    let outcome = try debugDapr(app.cluster)
    #expect(outcome.status("dapr.sidecar-logs") == "skip", "\(outcome.result)")
    #expect(
      outcome.message("dapr.sidecar-logs")
        == "skipped: no daprd log was read (1 running sidecar's log not read: mtobs reads at most 16 a run, or it was refused)",
      "\(outcome.result)")
  }

  @Test func withoutDaprFixWritesNoConfiguration() async throws {
    let app = try await DaprApp.start(in: home, daprInstalled: false)
    defer { Task { await app.stop() } }
    let printed = try cli.run(["debug-dapr", "--fix"] + app.cluster.flags)
    #expect(printed.status == 1, "\(printed)")
    #expect(printed.standardOutput.contains("No Configuration to write: Dapr is not installed"), "\(printed)")
    #expect(!printed.standardOutput.contains("apply -f -"), "\(printed)")
    let applied = try cli.run(["debug-dapr", "--fix", "--apply"] + app.cluster.flags)
    #expect(applied.status == 2, "\(applied)")
    #expect(applied.standardError.contains("nothing applied: Dapr is not installed"), "\(applied)")
    #expect(!app.cluster.apiRequests.contains { $0.method == "POST" || $0.method == "PATCH" })
  }

  @Test func aBundleJudgesAnyNamespaceOfflineAsLive() async throws {
    let app = try await startWithShopAndBilling()
    defer { Task { await app.stop() } }
    let scopes: [[String]] = [["--app-namespace", "shop", "--app-namespace", "billing"], ["--all-namespaces"]]
    let live = try scopes.map { try debugDapr(app.cluster, $0) }
    let path = home.url.appendingPathComponent("bundle.json").path
    let bundled = try cli.run(["bundle", "-o", path] + app.cluster.flags)
    #expect(bundled.status == 0, "\(bundled)")
    await app.stop()
    for (scope, live) in zip(scopes, live) {
      let offline = try cli.run(["debug-dapr", "-o", "json", "--from", path] + scope)
      let document = try JSONSerialization.jsonObject(with: Data(offline.standardOutput.utf8))
      let outcome = Outcome(result: offline, report: try #require(document as? [String: Any], "\(offline)"))
      #expect(offline.status == live.result.status, "\(scope): \(offline)")
      for check in live.checks where !(check["id"] as? String ?? "").hasPrefix("dapr.probe") {
        let id = check["id"] as? String ?? ""
        #expect(outcome.status(id) == check["status"] as? String, "\(scope) \(id): offline \(outcome.check(id) ?? [:])")
        #expect(outcome.message(id) == check["message"] as? String, "\(scope) \(id)")
      }
    }
  }
}

extension DebugDaprLiveTests {
  @Test func aBundleWithoutDebugDaprReadsIsRefused() throws {
    // A bundle as versions before debug-dapr wrote it: the example one without its Dapr reads.
    let example = CLI.packageRoot.appendingPathComponent("examples/bundles/healthy.json")
    var document = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: example)) as? [String: Any])
    document["daprDebug"] = nil
    let bundle = home.url.appendingPathComponent("old-bundle.json").path
    try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: bundle))
    let result = try cli.run(["debug-dapr", "--from", bundle])
    #expect(result.status == 2, "\(result)")
    #expect(result.standardError.contains("holds no debug-dapr reads"), "\(result)")
  }

  @Test func fixWithJSONIsAUsageError() throws {
    let result = try cli.run(["debug-dapr", "--fix", "-o", "json"])
    #expect(result.status == 64, "\(result)")
  }

  @Test func theProbeCreatesNoPodUnderDryRun() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    let outcome = try debugDapr(app.cluster, ["--probe", "--dry-run"])
    #expect(outcome.result.status == 0, "\(outcome.result)")
    #expect(
      outcome.message("dapr.probe-dns") == "skipped: the probe did not run: --dry-run creates no pod",
      "\(outcome.result)")
    #expect(!app.cluster.apiRequests.contains { $0.method == "POST" && $0.path.hasSuffix("/pods") })
  }
}

/// The healthy stack of `StackScenario` plus Dapr's control plane in `dapr-system` and one Dapr
/// app in `mathtrail` (Deployment `orders`: a pod with a daprd sidecar, annotated to use the
/// stack's Configuration, started after it).
struct DaprApp {
  static let configuration = "mathtrail-observability"
  static let pod = "orders-6f7c9d8b5-x2x4z"

  let cluster: StandInCluster
  var state: ClusterState { cluster.server.state }

  static func start(
    in directory: TemporaryDirectory, daprInstalled: Bool = true, context: String = "standin"
  ) async throws -> DaprApp {
    var yaml = try String(contentsOf: StackScenario.healthyState, encoding: .utf8)
    if !daprInstalled { yaml = withoutDapr(yaml) }
    let cluster = try await StandInCluster(
      stateYAML: yaml, in: directory, context: context, daprInstalled: daprInstalled)
    if daprInstalled {
      try cluster.server.state.load(yaml: controlPlane)
      // A known creation time, before the pod started.
      try cluster.server.state.modify(kind: "Configuration", name: configuration, namespace: "mathtrail") {
        $0[path: "metadata", "creationTimestamp"] = "2026-01-01T00:00:00Z"
      }
    }
    try cluster.server.state.load(yaml: appPod)
    cluster.server.state.appendLog(
      namespace: "mathtrail", pod: pod, container: "daprd", line: #"level=info msg="dapr initialized. Status: Running""#
    )
    return DaprApp(cluster: cluster)
  }

  func stop() async { await cluster.stop() }

  func setEndpoint(_ address: String) throws {
    try state.modify(kind: "Configuration", name: Self.configuration, namespace: "mathtrail") {
      $0[path: "spec", "tracing", "zipkin", "endpointAddress"] = .string(address)
    }
  }

  /// The state file's objects without Dapr's CustomResourceDefinitions and Configuration.
  static func withoutDapr(_ yaml: String) -> String {
    var kept: [String] = []
    var entry: [String] = []
    var inObjects = false
    func flush() {
      if !entry.contains(where: { $0.contains("dapr.io") }) { kept += entry }
      entry = []
    }
    for line in yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if line.hasPrefix("objects:") {
        inObjects = true
        kept.append(line)
        continue
      }
      if inObjects, line.hasPrefix("- ") {
        flush()
        entry = [line]
      } else if inObjects, !line.hasPrefix(" "), !line.isEmpty {
        flush()
        inObjects = false
        kept.append(line)
      } else if inObjects {
        entry.append(line)
      } else {
        kept.append(line)
      }
    }
    flush()
    return kept.joined(separator: "\n")
  }

  static let controlPlane = """
    apiVersion: v1
    kind: Namespace
    metadata: {name: dapr-system}
    ---
    \(["dapr-operator", "dapr-sidecar-injector", "dapr-sentry"].map { name in
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: \(name), namespace: dapr-system, labels: {app: \(name)}}
      spec: {replicas: 1}
      status: {replicas: 1, readyReplicas: 1, updatedReplicas: 1, availableReplicas: 1, observedGeneration: 1}
      """
    }.joined(separator: "\n---\n"))
    ---
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: dapr-placement-server, namespace: dapr-system, labels: {app: dapr-placement-server}}
    spec: {replicas: 1}
    status: {replicas: 1, readyReplicas: 1, currentReplicas: 1, updatedReplicas: 1, observedGeneration: 1}
    """

  /// A namespace, with the stack's Configuration name when `zipkinEndpoint` is given (and
  /// `samplingRate` when that is too).
  func addNamespace(_ name: String, zipkinEndpoint: String? = nil, samplingRate: String? = nil) throws {
    try state.load(yaml: "apiVersion: v1\nkind: Namespace\nmetadata: {name: \(name)}\n")
    guard let zipkinEndpoint else { return }
    try state.load(
      yaml: """
        apiVersion: dapr.io/v1alpha1
        kind: Configuration
        metadata: {name: \(Self.configuration), namespace: \(name), creationTimestamp: "2026-01-01T00:00:00Z"}
        spec:
          tracing:
            \(samplingRate.map { "samplingRate: \"\($0)\"" } ?? "")
            zipkin:
              endpointAddress: \(zipkinEndpoint)
        """)
  }

  /// A running Dapr pod of a Deployment (owned by ReplicaSet `owner`) that names the stack's
  /// Configuration, its sidecar started in June 2026.
  static func podYAML(name: String, namespace: String, owner: String) -> String {
    """
    apiVersion: v1
    kind: Pod
    metadata:
      name: \(name)
      namespace: \(namespace)
      annotations: {dapr.io/enabled: "true", dapr.io/app-id: \(owner), dapr.io/config: \(configuration)}
      ownerReferences:
      - {apiVersion: apps/v1, kind: ReplicaSet, name: \(owner), uid: 0b0c0d0e-0000-4000-8000-0000000000\(namespace.count), controller: true}
    spec:
      containers:
      - {name: app, image: "ghcr.io/mathtrail/app:1.0.0"}
      - {name: daprd, image: "daprio/daprd:1.14.4"}
    status:
      phase: Running
      startTime: "2026-06-01T10:00:00Z"
      containerStatuses:
      - {name: daprd, ready: true, restartCount: 0, state: {running: {startedAt: "2026-06-01T10:00:03Z"}}}
    """
  }

  static let appPod = """
    apiVersion: v1
    kind: Pod
    metadata:
      name: \(pod)
      namespace: mathtrail
      labels: {app: orders}
      annotations:
        dapr.io/enabled: "true"
        dapr.io/app-id: orders
        dapr.io/config: \(configuration)
      ownerReferences:
      - {apiVersion: apps/v1, kind: ReplicaSet, name: orders-6f7c9d8b5, uid: 0b0c0d0e-0000-4000-8000-000000000001, controller: true}
    spec:
      containers:
      - {name: orders, image: "ghcr.io/mathtrail/orders:1.4.2", env: [{name: ORDERS_API_TOKEN, value: s3cr3t-orders}]}
      - {name: daprd, image: "daprio/daprd:1.14.4"}
    status:
      phase: Running
      podIP: 10.244.1.23
      startTime: "2026-06-01T10:00:00Z"
      conditions: [{type: Ready, status: "True"}]
      containerStatuses:
      - {name: orders, ready: true, restartCount: 0, state: {running: {startedAt: "2026-06-01T10:00:05Z"}}}
      - {name: daprd, ready: true, restartCount: 0, state: {running: {startedAt: "2026-06-01T10:00:03Z"}}}
    """
}
