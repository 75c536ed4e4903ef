import Foundation
import KubeStandIn
import Testing

/// `mtobs health` and `mtobs bundle` as a user runs them: the built binary, the real kubectl, and
/// the stand-in API server holding the stack in various states.
@Suite("health against the stand-in API server", requires("kubectl"))
struct HealthLiveTests {
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

  /// Runs `health -o json` and parses the one document it must print.
  private func health(
    _ scenario: StandInCluster, _ extra: [String] = [], timeout: Duration = .seconds(60)
  ) throws -> Outcome {
    let result = try cli.run(["health", "-o", "json"] + extra + scenario.flags, timeout: timeout)
    let document = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
    let report = try #require(document as? [String: Any], "stdout is one JSON object: \(result)")
    return Outcome(result: result, report: report)
  }

  @Test func aHealthyStackPasses() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    let outcome = try health(stack.cluster)
    #expect(outcome.result.status == 0, "\(outcome.result)")
    #expect(
      outcome.report["status"] as? String == "pass",
      "\(outcome.result)")
    #expect(outcome.failing.isEmpty, "\(outcome.failing)")
    for id in [
      "kubernetes.api", "workloads.present", "workloads.ready", "workloads.pods", "collector.ready", "collector.health",
      "collector.receivers", "collector.exporters", "backends.loki", "backends.tempo", "backends.mimir",
      "backends.pyroscope", "backends.alloy", "grafana.health", "dapr.configuration", "dapr.zipkin-endpoint",
      "dapr.sampling",
    ] {
      #expect(outcome.status(id) == "pass", "\(id): \(outcome.check(id) ?? [:])")
    }
    #expect(outcome.report["apiVersion"] as? String == "mtobs/v1")
    #expect(outcome.report["kind"] as? String == "Report")
    #expect(outcome.report["context"] as? String == "standin")
  }

  @Test func theTableShowsCategoriesAndASummary() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    try stack.crashLoopCollector()
    let result = try cli.run(["health"] + stack.cluster.flags)
    #expect(result.status == 1, "\(result)")
    // Each category is a heading line of its own, underlined, in report order (not a word that
    // also appears in a message).
    let lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let headings = lines.indices.dropLast().filter { index in
      !lines[index].isEmpty && lines[index + 1] == String(repeating: "-", count: lines[index].count)
    }.map { lines[$0] }
    #expect(headings == ["kubernetes", "workloads", "collector", "backends", "grafana", "dapr"], "\(result)")
    #expect(result.standardOutput.contains("✖"), "\(result)")
    #expect(
      result.standardOutput.contains(
        "mtobs logs collector -n monitoring --previous"),
      "the hint is under the failure: \(result)")
    #expect(!result.standardOutput.contains("\u{1B}["), "no colour when stdout is not a terminal")
  }

  @Test func aCrashLoopingCollectorFailsAndSkipsWhatDependsOnIt() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    try stack.crashLoopCollector(restarts: 7)
    let outcome = try health(stack.cluster)
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.report["status"] as? String == "fail")
    #expect(outcome.status("collector.ready") == "fail")
    #expect(outcome.message("collector.ready").contains("CrashLoopBackOff"), "\(outcome.message("collector.ready"))")
    #expect(outcome.message("collector.ready").contains("7 restarts"), "\(outcome.message("collector.ready"))")
    #expect(
      outcome.hint("collector.ready")
        == "mtobs logs collector -n monitoring --previous")
    #expect(outcome.status("workloads.pods") == "fail")
    for dependent in ["collector.health", "collector.receivers", "collector.exporters"] {
      #expect(outcome.status(dependent) == "skip", "\(dependent): \(outcome.check(dependent) ?? [:])")
    }
    #expect(outcome.status("backends.loki") == "pass")
  }

  @Test func lokiNotReadyWhileTheLogExporterFails() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    stack.lokiNotReadyAndLogExportFailing()
    let outcome = try health(stack.cluster)
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.status("backends.loki") == "fail")
    // kubectl get --raw does not show the body of a non-2xx answer; the status is what is known.
    #expect(outcome.message("backends.loki").contains("503"), "\(outcome.message("backends.loki"))")
    #expect(outcome.status("collector.exporters") == "fail")
    #expect(outcome.message("collector.exporters").contains("otlp"), "\(outcome.message("collector.exporters"))")
    #expect(outcome.message("collector.exporters").contains("log"), "\(outcome.message("collector.exporters"))")
    #expect(outcome.status("backends.tempo") == "pass")
    #expect(outcome.status("collector.receivers") == "pass")
  }

  @Test func daprPointingAtTheWrongHostAndPath() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    try stack.daprPointsAtTheWrongPlace()
    let outcome = try health(stack.cluster, ["--category", "dapr"])
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.checks.allSatisfy { $0["category"] as? String == "dapr" }, "--category keeps only dapr checks")
    #expect(outcome.status("dapr.zipkin-endpoint") == "fail")
    let message = outcome.message("dapr.zipkin-endpoint")
    #expect(message.contains("otel-collector-opentelemetry-collector"), "names the expected host: \(message)")
    #expect(message.contains("/api/v2/spans"), "names the expected path: \(message)")
    #expect(outcome.status("dapr.sampling") == "pass")
  }

  @Test func nothingDeployedIsAFailureNeverAPass() async throws {
    let cluster = try await StandInCluster(
      stateYAML: "namespaces: [default, kube-system, monitoring, mathtrail]\nobjects: []\n", in: home)
    defer { Task { await cluster.stop() } }
    let outcome = try health(cluster)
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.status("kubernetes.api") == "pass")
    #expect(outcome.status("workloads.present") == "fail", "\(outcome.check("workloads.present") ?? [:])")
    #expect(outcome.hint("workloads.present").contains("mtobs deploy"), "\(outcome.hint("workloads.present"))")
    #expect(outcome.status("dapr.configuration") == "fail")
    #expect(
      !outcome.checks.contains {
        ($0["id"] as? String)?.hasPrefix("backends.") == true && $0["status"] as? String == "pass"
      })
  }

  @Test func anAPIServerThatIsDownStillGivesAReport() async throws {
    let stack = try await StackScenario.start(in: home)
    await stack.cluster.stop()
    let outcome = try health(stack.cluster)
    // mtobs could not reach the cluster, so nothing of the stack was judged: 2, as for every
    // other command (README's exit codes), with the report still on stdout.
    #expect(outcome.result.status == 2, "\(outcome.result)")
    #expect(outcome.status("kubernetes.api") == "fail")
    #expect(
      outcome.message("kubernetes.api").contains("cannot reach the API server"), "\(outcome.message("kubernetes.api"))")
    let others = outcome.checks.filter { $0["id"] as? String != "kubernetes.api" }
    #expect(!others.isEmpty)
    #expect(others.allSatisfy { $0["status"] as? String == "skip" }, "\(others)")
  }

  @Test func aHangingAPIServerIsBoundedByTheTimeout() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    stack.cluster.server.updateBehavior { $0.rules = [.hang()] }
    let config = try home.write("timeout: 2s\n", to: "short-timeout.yaml")
    let outcome = try health(stack.cluster, ["--config", config.path], timeout: .seconds(40))
    #expect(outcome.result.status == 2, "\(outcome.result)")
    #expect(outcome.result.duration < .seconds(12), "took \(outcome.result.duration)")
    #expect(outcome.status("kubernetes.api") == "fail")
  }

  @Test func aSlowAPIServerIsStillHealthy() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    stack.cluster.server.updateBehavior { $0.delay = .milliseconds(300) }
    let outcome = try health(stack.cluster)
    #expect(outcome.result.status == 0, "\(outcome.result)")
    #expect(outcome.failing.isEmpty)
  }

  @Test func rbacForbiddingTheProxySaysSoHonestly() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    stack.cluster.server.updateBehavior { $0.rules = [.forbidden(subresource: "proxy")] }
    let outcome = try health(stack.cluster)
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.status("workloads.ready") == "pass")
    #expect(outcome.status("backends.loki") == "fail")
    #expect(outcome.message("backends.loki").contains("forbidden"), "\(outcome.message("backends.loki"))")
  }

  @Test func aNamespaceThatDoesNotExist() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    let outcome = try health(stack.cluster, ["-n", "observability"])
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.status("kubernetes.namespace") == "fail", "\(outcome.check("kubernetes.namespace") ?? [:])")
    #expect(outcome.message("kubernetes.namespace").contains("observability"))
  }

  @Test func skipAndFailOnWarning() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    try stack.crashLoopCollector()
    let skipped = try health(stack.cluster, ["--skip", "collector.*", "--skip", "workloads.*"])
    #expect(
      skipped.checks.allSatisfy {
        ($0["id"] as? String)?.hasPrefix("collector.") == false || $0["status"] as? String == "skip"
      })
    #expect(skipped.result.status == 0, "with the failing checks skipped nothing fails: \(skipped.result)")
  }

  @Test func failOnWarningCountsWarnings() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    // A running, ready pod that has restarted often is a warning, not a failure.
    let pod = try #require(stack.collectorPods.first)
    try stack.state.modify(kind: "Pod", name: pod, namespace: "monitoring") { pod in
      if var statuses = pod[path: "status", "containerStatuses"]?.array, !statuses.isEmpty {
        statuses[0]["restartCount"] = 9
        pod[path: "status", "containerStatuses"] = .array(statuses)
      }
    }
    let lenient = try health(stack.cluster)
    #expect(lenient.status("workloads.pods") == "warn", "\(lenient.check("workloads.pods") ?? [:])")
    #expect(lenient.result.status == 0, "\(lenient.result)")
    let strict = try health(stack.cluster, ["--fail-on", "warning"])
    #expect(strict.result.status == 1, "\(strict.result)")
  }

  @Test func aBundleForAFolderThatDoesNotExistFailsBeforeReading() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    let result = try cli.run(
      ["bundle", "-o", home.url.appendingPathComponent("no/such/folder/b.json").path] + stack.cluster.flags)
    #expect(result.status == 2, "\(result)")
    #expect(result.standardError.contains("its folder does not exist or is not writable"), "\(result)")
    #expect(stack.cluster.apiRequests.isEmpty, "nothing was read from the cluster")
  }

  @Test func waitRetriesUntilTheCollectorBecomesReady() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    try stack.setCollectorReady(false)
    let server = stack
    let recovery = Task {
      try await Task.sleep(for: .seconds(3))
      try server.setCollectorReady(true)
    }
    let outcome = try health(stack.cluster, ["--wait", "40s", "--category", "collector", "--category", "workloads"])
    _ = try await recovery.value
    #expect(outcome.result.status == 0, "\(outcome.result)")
    #expect(outcome.result.duration >= .seconds(3), "it waited for the recovery")
    #expect(
      outcome.result.standardError.contains("waiting for"), "plain progress lines without a terminal: \(outcome.result)"
    )
  }

  @Test func waitStopsAtOnceOnACrashLoop() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    try stack.crashLoopCollector()
    let outcome = try health(stack.cluster, ["--wait", "5m"])
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.result.duration < .seconds(30), "a crash loop does not heal by waiting: \(outcome.result.duration)")
    #expect(outcome.result.standardError.contains("will not recover"), "\(outcome.result)")
  }

  @Test func kubectlCallsDoNotGrowWithPods() async throws {
    let small = try await StackScenario.start(in: home)
    let smallRun = try cli.run(["-v", "health"] + small.cluster.flags)
    // Resource and proxy requests only: kubectl's discovery requests depend on its disk cache.
    func resourceRequests(_ cluster: StandInCluster) -> Int { cluster.apiRequests.filter { $0.resource != nil }.count }
    let smallRequests = resourceRequests(small.cluster)
    await small.cluster.stop()
    let big = try await StackScenario.start(in: home, context: "big")
    defer { Task { await big.cluster.stop() } }
    for index in 0..<25 {
      try big.state.load(
        yaml: """
          apiVersion: v1
          kind: Pod
          metadata: {name: extra-\(index), namespace: monitoring}
          spec: {containers: [{name: app, image: example/app:1}]}
          status: {phase: Running, containerStatuses: [{name: app, ready: true, restartCount: 0, state: {running: {}}}]}
          """)
    }
    big.cluster.server.clearRequests()
    let bigRun = try cli.run(["-v", "health"] + big.cluster.flags)
    func calls(_ result: CLI.Result) -> String? {
      result.standardError.split(separator: "\n").first { $0.hasPrefix("health: ") && $0.hasSuffix(" API requests") }
        .map(String.init)
    }
    #expect(calls(smallRun) != nil, "\(smallRun)")
    #expect(calls(smallRun)?.hasPrefix("health: 1 kubectl process, ") == true, "one kubectl proxy: \(smallRun)")
    #expect(
      calls(smallRun) == calls(bigRun), "\(String(describing: calls(smallRun))) vs \(String(describing: calls(bigRun)))"
    )
    #expect(smallRequests > 0)
    #expect(
      resourceRequests(big.cluster) == smallRequests,
      "API requests: \(smallRequests) vs \(resourceRequests(big.cluster))")
  }

  // MARK: - Bundles

  @Test func aBundleEvaluatesOfflineExactlyAsLive() async throws {
    let stack = try await StackScenario.start(in: home)
    try stack.daprPointsAtTheWrongPlace()
    try stack.cluster.server.state.load(
      yaml: """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: leaky, namespace: monitoring}
        spec:
          template:
            spec:
              containers:
              - name: app
                env:
                - {name: DB_PASSWORD, value: hunter2-very-secret}
                - {name: LOG_LEVEL, value: debug}
        """)
    let live = try health(stack.cluster)
    let bundle = home.url.appendingPathComponent("incident.json").path
    let made = try cli.run(["bundle", "-o", bundle] + stack.cluster.flags)
    #expect(made.status == 0, "\(made)")
    #expect(made.standardError.contains("mtobs health --from \(bundle)"), "\(made)")
    await stack.cluster.stop()

    let text = try String(contentsOfFile: bundle, encoding: .utf8)
    #expect(!text.contains("hunter2-very-secret"), "secret values are removed")
    #expect(text.contains("debug"), "ordinary values stay")
    #expect(text.contains("Everything is ready"), "log tails are captured")

    let offline = try cli.run(["health", "-o", "json", "--from", bundle])
    #expect(offline.status == live.result.status, "\(offline)")
    let offlineReport = try #require(
      try JSONSerialization.jsonObject(with: Data(offline.standardOutput.utf8)) as? [String: Any])
    func verdicts(_ report: [String: Any]) -> [String] {
      (report["checks"] as? [[String: Any]] ?? []).map {
        "\($0["id"] ?? "") \($0["status"] ?? "") \($0["message"] ?? "")"
      }
    }
    #expect(verdicts(offlineReport) == verdicts(live.report))
  }

  @Test func aCorruptOrForeignBundleIsRefused() throws {
    let corrupt = try home.write(
      "{\"apiVersion\": \"mtobs/v1\", \"kind\": \"Bundle\", \"namespace\": 3", to: "corrupt.json")
    let foreign = try home.write("apiVersion: v1\nkind: ConfigMap\n", to: "foreign.yaml")
    let damaged = try home.write("{\"apiVersion\": \"mtobs/v1\", \"kind\": \"Bundle\"}", to: "damaged.json")
    for file in [corrupt, foreign, damaged] {
      let result = try cli.run(["health", "--from", file.path])
      #expect(result.status == 2, "\(result)")
      #expect(result.standardError.contains(file.path), "names the file: \(result)")
      #expect(result.standardOutput.isEmpty)
    }
    let json = try cli.run(["health", "-o", "json", "--from", foreign.path])
    #expect(json.status == 2)
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
    #expect(document["kind"] as? String == "Error", "\(json)")
    let missing = try cli.run(["health", "--from", home.url.appendingPathComponent("nope.json").path])
    #expect(missing.status == 2)
    #expect(missing.standardError.contains("cannot read bundle"), "\(missing)")
  }

  @Test func theShippedExampleBundlesEvaluate() throws {
    let healthy = CLI.packageRoot.appendingPathComponent("examples/bundles/healthy.json").path
    let broken = CLI.packageRoot.appendingPathComponent("examples/bundles/broken.json").path
    let good = try cli.run(["health", "--from", healthy])
    #expect(good.status == 0, "\(good)")
    let bad = try cli.run(["health", "--from", broken])
    #expect(bad.status == 1, "\(bad)")
    #expect(bad.standardOutput.contains("✖"), "\(bad)")
    // verify's five steps are in them too: data flows in the healthy one, not in the broken one.
    let flowing = try cli.run(["verify", "--from", healthy, "-o", "json"])
    #expect(flowing.status == 0, "\(flowing)")
    let stalled = try cli.run(["verify", "--from", broken, "-o", "json"])
    #expect(stalled.status == 1, "\(stalled)")
    #expect(stalled.standardOutput.contains(#""id" : "verify.logs""#), "\(stalled)")
  }
}
