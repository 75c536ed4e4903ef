import Foundation
import KubeStandIn
import Synchronization
import Testing

/// `mtobs debug-dapr --probe` against the stand-in, which has no kubelet: the test plays it,
/// finishing (or never starting) the probe pod mtobs creates. Whatever happens, the pod is gone
/// when mtobs has ended.
@Suite("debug-dapr --probe against the stand-in API server", requires("kubectl"))
struct DebugDaprProbeTests {
  let home: TemporaryDirectory
  let cli: CLI

  init() throws {
    home = try TemporaryDirectory()
    cli = CLI(home: home.url)
  }

  static func probePods(_ state: ClusterState, namespace: String = "mathtrail") -> [String] {
    state.objects(kind: "Pod", namespace: namespace).filter {
      $0[path: "metadata", "labels", "mtobs.dev/probe"]?.string == "dapr"
    }.compactMap { $0[path: "metadata", "name"]?.string }
  }

  /// Plays the kubelet: each probe pod that appears is handed to `act` once.
  static func kubelet(
    _ app: DaprApp, namespace: String = "mathtrail", _ act: @escaping @Sendable (ClusterState, String) throws -> Void
  ) -> Task<Void, Never> {
    let state = app.state
    // The stand-in tells of each pod as it is created (a watch); acting happens here, off its lock.
    let (arrivals, continuation) = AsyncStream.makeStream(of: String.self)
    let watch = try? state.onPodArrival(namespace: namespace) { continuation.yield($0) }
    continuation.onTermination = { _ in if let watch { state.stopPodArrivals(watch) } }
    return Task {
      var handled = Set<String>()
      for await pod in arrivals
      where probePods(state, namespace: namespace).contains(pod) && handled.insert(pod).inserted {
        try? act(state, pod)
      }
    }
  }

  /// The pod ran: it printed what busybox would, and the collector counted one more span (the
  /// `accepted`-th since 1842 when several probes share one counter).
  static func succeed(
    dns: Bool = true, http: Int = 202, namespace: String = "mathtrail", accepted: SpanCounter? = nil
  ) -> @Sendable (ClusterState, String) throws -> Void {
    { state, pod in
      state.appendLog(
        namespace: namespace, pod: pod, container: "probe",
        lines: [
          LogLine(time: Date(), text: "mtobs-probe dns=\(dns ? "ok" : "fail")"),
          LogLine(time: Date(), text: "mtobs-probe tcp=\(dns ? "ok" : "fail")"),
          LogLine(time: Date(), text: "mtobs-probe http=\(dns ? String(http) : "none")"),
        ])
      if http == 202 {
        let collectors = state.objects(kind: "Pod", namespace: "monitoring").compactMap {
          $0[path: "metadata", "name"]?.string
        }.filter { $0.hasPrefix(StackScenario.collector) }
        let count = accepted?.spans.withLock { count in
          count += 1
          return count
        }
        for collector in collectors {
          state.setProxyAnswer(
            namespace: "monitoring", kind: .pod, name: collector, port: 8888, path: "/metrics",
            body: StackScenario.collectorMetrics(failedLogRecords: 0).replacingOccurrences(
              of: "receiver=\"zipkin\",transport=\"http\"} 1842",
              with: "receiver=\"zipkin\",transport=\"http\"} \(1842 + (count ?? 1))"),
            contentType: "text/plain; version=0.0.4")
        }
      }
      try state.modify(kind: "Pod", name: pod, namespace: namespace) {
        $0[path: "status", "phase"] = "Succeeded"
      }
    }
  }

  private func debugDapr(_ app: DaprApp, _ extra: [String]) throws -> DebugDaprLiveTests.Outcome {
    let result = try cli.run(["debug-dapr", "-o", "json", "--probe"] + extra + app.cluster.flags)
    let document = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
    let report = try #require(document as? [String: Any], "stdout is one JSON object: \(result)")
    return DebugDaprLiveTests.Outcome(result: result, report: report)
  }

  @Test func theProbeSendsASpanAndThePodIsDeleted() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    let kubelet = Self.kubelet(app, Self.succeed())
    defer { kubelet.cancel() }
    let outcome = try debugDapr(app, [])
    #expect(outcome.result.status == 0, "\(outcome.result)")
    #expect(outcome.status("dapr.probe-dns") == "pass", "\(outcome.result)")
    #expect(outcome.status("dapr.probe-http") == "pass", "\(outcome.result)")
    #expect(outcome.status("dapr.probe-accepted") == "pass", "\(outcome.result)")
    #expect(outcome.message("dapr.probe-accepted") == "zipkin accepted spans 1842 → 1843", "\(outcome.result)")
    #expect(Self.probePods(app.state).isEmpty, "the probe pod is deleted")
    let created = app.cluster.apiRequests.filter {
      $0.method == "POST" && $0.path == "/api/v1/namespaces/mathtrail/pods"
    }
    #expect(created.count == 1)
    #expect(created.first?.body.contains(#""image":"busybox:1.36""#) == true, "\(created.first?.body ?? "")")
    #expect(created.first?.body.contains("/api/v2/spans") == true, "the configured endpoint is probed")
  }

  @Test func aWrongHostFailsToResolve() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    try app.setEndpoint("http://otel-collector.monitoring.svc.cluster.local:9411/api/v2/spans")
    let kubelet = Self.kubelet(app, Self.succeed(dns: false))
    defer { kubelet.cancel() }
    let outcome = try debugDapr(app, [])
    #expect(outcome.status("dapr.probe-dns") == "fail", "\(outcome.result)")
    #expect(
      outcome.message("dapr.probe-dns") == "otel-collector.monitoring.svc.cluster.local does not resolve in 'mathtrail'"
    )
    #expect(outcome.status("dapr.probe-http") == "skip", "\(outcome.result)")
    #expect(Self.probePods(app.state).isEmpty)
  }

  @Test func withoutPermissionToCreatePodsTheProbeIsSkippedWithTheReason() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    app.cluster.server.updateBehavior { $0.rules = [.forbidden(resource: "pods", verb: "create")] }
    let outcome = try debugDapr(app, [])
    #expect(outcome.result.status == 0, "\(outcome.result)")
    #expect(outcome.status("dapr.probe-dns") == "skip", "\(outcome.result)")
    #expect(
      outcome.message("dapr.probe-dns").hasPrefix(
        "skipped: the probe did not run: no permission to create pods in 'mathtrail'"),
      "\(outcome.result)")
    // The dependents name the same reason.
    #expect(outcome.message("dapr.probe-http").hasPrefix("skipped: the probe did not run: no permission"))
  }

  @Test func aPodThatNeverStartsIsReportedAndDeleted() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    let kubelet = Self.kubelet(app) { state, pod in
      try state.modify(kind: "Pod", name: pod, namespace: "mathtrail") {
        $0[path: "status", "phase"] = "Pending"
        $0[path: "status", "containerStatuses"] = [
          [
            "name": "probe", "ready": false, "restartCount": .int(0),
            "state": ["waiting": ["reason": "ImagePullBackOff", "message": "Back-off pulling image \"nosuch:1\""]],
          ]
        ]
      }
    }
    defer { kubelet.cancel() }
    let outcome = try debugDapr(app, ["--probe-image", "nosuch:1"])
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.status("dapr.probe-dns") == "fail", "\(outcome.result)")
    #expect(
      outcome.message("dapr.probe-dns").hasPrefix("the probe pod never started: ImagePullBackOff"), "\(outcome.result)")
    #expect(outcome.result.duration < .seconds(20), "not the whole time limit: \(outcome.result.duration)")
    #expect(Self.probePods(app.state).isEmpty)
  }

  @Test func aPodThatNeverEndsIsBoundedAndDeleted() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    let outcome = try debugDapr(app, ["--probe-timeout", "2s"])
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(
      outcome.message("dapr.probe-dns") == "the probe pod did not finish within 2s (phase Pending)", "\(outcome.result)"
    )
    #expect(Self.probePods(app.state).isEmpty)
  }

  @Test func aLeftoverOfAKilledRunIsDeleted() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    try app.state.load(
      yaml: """
        apiVersion: v1
        kind: Pod
        metadata:
          name: mtobs-dapr-probe-old
          namespace: mathtrail
          labels: {mtobs.dev/probe: dapr}
          creationTimestamp: "2026-01-01T00:00:00Z"
        spec: {containers: [{name: probe, image: busybox}]}
        """)
    let kubelet = Self.kubelet(app) { state, pod in
      if pod != "mtobs-dapr-probe-old" { try Self.succeed()(state, pod) }
    }
    defer { kubelet.cancel() }
    let outcome = try debugDapr(app, [])
    #expect(outcome.status("dapr.probe-http") == "pass", "\(outcome.result)")
    #expect(Self.probePods(app.state).isEmpty, "\(Self.probePods(app.state))")
    #expect(
      app.cluster.apiRequests.contains {
        $0.method == "DELETE" && $0.path == "/api/v1/namespaces/mathtrail/pods/mtobs-dapr-probe-old"
      })
  }

  @Test func anotherRunsProbeAtWorkIsLeftAlone() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    let now = Date().formatted(.iso8601)
    try app.state.load(
      yaml: """
        apiVersion: v1
        kind: Pod
        metadata:
          name: mtobs-dapr-probe-mate
          namespace: mathtrail
          labels: {mtobs.dev/probe: dapr}
          creationTimestamp: "\(now)"
        spec: {containers: [{name: probe, image: busybox}]}
        status: {phase: Running}
        """)
    let kubelet = Self.kubelet(app) { state, pod in
      if pod != "mtobs-dapr-probe-mate" { try Self.succeed()(state, pod) }
    }
    defer { kubelet.cancel() }
    let outcome = try debugDapr(app, [])
    #expect(outcome.status("dapr.probe-http") == "pass", "\(outcome.result)")
    #expect(Self.probePods(app.state) == ["mtobs-dapr-probe-mate"], "\(Self.probePods(app.state))")
    #expect(!app.cluster.apiRequests.contains { $0.method == "DELETE" && $0.path.hasSuffix("/mtobs-dapr-probe-mate") })
  }

  @Test func eachAppNamespaceIsProbedFromItself() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    try app.addNamespace(
      "shop", zipkinEndpoint: "http://otel-collector.monitoring.svc.cluster.local:9411/api/v2/spans", samplingRate: "1")
    let accepted = SpanCounter()
    let kubelets = [
      Self.kubelet(app, Self.succeed(accepted: accepted)),
      Self.kubelet(app, namespace: "shop", Self.succeed(dns: false, namespace: "shop", accepted: accepted)),
    ]
    defer { for kubelet in kubelets { kubelet.cancel() } }
    let outcome = try debugDapr(app, ["--app-namespace", "mathtrail", "--app-namespace", "shop"])
    let created = app.cluster.apiRequests.filter { $0.method == "POST" && $0.path.hasSuffix("/pods") }.map(\.path)
    #expect(
      Set(created) == ["/api/v1/namespaces/mathtrail/pods", "/api/v1/namespaces/shop/pods"] && created.count == 2,
      "one probe pod in each app namespace: \(created)")
    // Each probe posts to its own namespace's endpoint: shop's names the seed's host.
    #expect(outcome.status("dapr.probe-dns") == "fail", "\(outcome.result)")
    #expect(
      outcome.message("dapr.probe-dns") == "otel-collector.monitoring.svc.cluster.local does not resolve in 'shop'",
      "\(outcome.result)")
    // shop's failure does not hide mathtrail's span: it was posted and counted.
    #expect(outcome.status("dapr.probe-http") == "pass", "\(outcome.result)")
    #expect(outcome.message("dapr.probe-http").hasPrefix("'mathtrail': POST "), "\(outcome.result)")
    #expect(outcome.status("dapr.probe-accepted") == "pass", "\(outcome.result)")
    #expect(Self.probePods(app.state).isEmpty && Self.probePods(app.state, namespace: "shop").isEmpty)
  }

  @Test func aProbePodThatCannotBeDeletedIsNamedWithTheCommand() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    app.cluster.server.updateBehavior { $0.rules = [.forbidden(resource: "pods", verb: "delete")] }
    let kubelet = Self.kubelet(app, Self.succeed())
    defer { kubelet.cancel() }
    let outcome = try debugDapr(app, [])
    let left = Self.probePods(app.state)
    #expect(left.count == 1, "\(left)")
    #expect(outcome.status("dapr.probe-dns") == "warn", "\(outcome.result)")
    #expect(
      outcome.message("dapr.probe-dns").contains(
        "the probe pod \(left.first ?? "?") could not be deleted"), "\(outcome.result)")
    #expect(
      outcome.message("dapr.probe-dns").contains(
        "kubectl --kubeconfig \(app.cluster.kubeconfig.path) --context standin delete pod \(left.first ?? "?") -n mathtrail"
      ),
      "\(outcome.result)")
  }

  @Test func aProbeWhoseChecksAreLeftOutStartsNoPod() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    for extra in [["--skip", "dapr.probe*"], ["--category", "collector"]] {
      let outcome = try debugDapr(app, extra)
      #expect(outcome.result.status == 0, "\(extra): \(outcome.result)")
    }
    #expect(!app.cluster.apiRequests.contains { $0.method == "POST" && $0.path.hasSuffix("/pods") })
  }

  @Test func ctrlCDeletesTheProbePod() async throws {
    let app = try await DaprApp.start(in: home)
    defer { Task { await app.stop() } }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLI.mtobsPath)
    process.arguments = ["debug-dapr", "--probe"] + app.cluster.flags
    process.environment = cli.environment
    process.currentDirectoryURL = home.url
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let created = try await ProcessTable.wait(upTo: .seconds(30)) { !Self.probePods(app.state).isEmpty }
    #expect(created, "mtobs never created the probe pod")
    kill(process.processIdentifier, SIGINT)
    let ended = try await ProcessTable.wait(upTo: .seconds(30)) { !process.isRunning }
    #expect(ended, "mtobs did not stop after SIGINT")
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    #expect(process.terminationStatus == 130)
    #expect(Self.probePods(app.state).isEmpty, "left behind: \(Self.probePods(app.state))")
  }
}

/// The collector's zipkin counter shared by several probes' kubelets.
final class SpanCounter: Sendable {
  let spans = Mutex(0)
}
