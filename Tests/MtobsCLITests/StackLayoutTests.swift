import Foundation
import KubeStandIn
import Testing

/// Issue 8: `mtobs health` finds the stack by role on the layouts people run — deploy/'s own
/// (lgtm-distributed), the seed's (k8s-monitoring and Grafana as `lgtm`, loki/tempo/mimir/pyroscope
/// releases), and a monolithic one (release `obs`) — and names the role that is broken.
@Suite("stack layouts found by role", requires("kubectl"))
struct StackLayoutTests {
  let home: TemporaryDirectory
  let cli: CLI

  init() throws {
    home = try TemporaryDirectory()
    cli = CLI(home: home.url)
  }

  static func state(_ name: String) throws -> String {
    try String(
      contentsOf: CLI.packageRoot.appendingPathComponent("examples/clusters/\(name).yaml"), encoding: .utf8)
  }

  struct Outcome {
    let result: CLI.Result
    let checks: [[String: Any]]
    func check(_ id: String) -> [String: Any] { checks.first { $0["id"] as? String == id } ?? [:] }
    func status(_ id: String) -> String? { check(id)["status"] as? String }
    func message(_ id: String) -> String { check(id)["message"] as? String ?? "" }
    func hint(_ id: String) -> String { check(id)["hint"] as? String ?? "" }
    var failing: [String] { checks.filter { $0["status"] as? String == "fail" }.compactMap { $0["id"] as? String } }
  }

  private func health(_ cluster: StandInCluster, _ extra: [String] = []) throws -> Outcome {
    let result = try cli.run(["health", "-o", "json"] + extra + cluster.flags)
    let document = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
    let report = try #require(document, "stdout is one JSON object: \(result)")
    return Outcome(result: result, checks: report["checks"] as? [[String: Any]] ?? [])
  }

  static let everyCheck = [
    "kubernetes.api", "kubernetes.namespace", "workloads.present", "workloads.ready", "workloads.pods",
    "collector.ready", "collector.health", "collector.receivers", "collector.exporters", "backends.loki",
    "backends.tempo", "backends.mimir", "backends.pyroscope", "backends.alloy", "grafana.health",
    "dapr.configuration", "dapr.zipkin-endpoint", "dapr.sampling",
  ]

  @Test(arguments: ["healthy", "seed-healthy", "monolithic-healthy"])
  func aHealthyStackOfEachLayoutPasses(layout: String) async throws {
    let cluster = try await StandInCluster(stateYAML: try Self.state(layout), in: home)
    defer { Task { await cluster.stop() } }
    let outcome = try health(cluster)
    #expect(outcome.result.status == 0, "\(layout): \(outcome.failing) \(outcome.result)")
    for id in Self.everyCheck {
      #expect(outcome.status(id) == "pass", "\(layout) \(id): \(outcome.check(id))")
    }
  }

  @Test func theSeedLayoutProbesTheServicesItFound() async throws {
    let cluster = try await StandInCluster(stateYAML: try Self.state("seed-healthy"), in: home)
    defer { Task { await cluster.stop() } }
    let outcome = try health(cluster)
    // No Service is named `mimir` there: the query frontend of mimir-distributed answers on 8080.
    #expect(outcome.message("backends.mimir").hasPrefix("service/mimir-query-frontend:8080/ready"))
    #expect(outcome.message("backends.alloy").hasPrefix("service/lgtm-alloy-receiver:12345/-/ready"))
    #expect(outcome.message("workloads.present").contains("Alloy logs collector, Alloy metrics collector"))
  }

  @Test func theSeedLayoutBrokenNamesTempoAndMimir() async throws {
    let cluster = try await StandInCluster(stateYAML: try Self.state("seed-broken"), in: home)
    defer { Task { await cluster.stop() } }
    let outcome = try health(cluster)
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.status("workloads.present") == "fail")
    #expect(
      outcome.message("workloads.present").hasPrefix(
        "no traces backend (Tempo) found in 'monitoring': looked for Services and workloads labelled "
          + "app.kubernetes.io/name=tempo"), "\(outcome.message("workloads.present"))")
    #expect(outcome.hint("workloads.present").hasSuffix("pin it in mtobs.yaml: tempo.service"))
    #expect(outcome.status("backends.tempo") == "fail")
    #expect(outcome.status("backends.mimir") == "fail")
    #expect(outcome.message("backends.mimir").contains("mimir-query-frontend:8080/ready: HTTP 503"))
    #expect(Set(outcome.failing) == ["workloads.present", "backends.tempo", "backends.mimir"], "\(outcome.failing)")
  }

  @Test func theMonolithicLayoutBrokenNamesLoki() async throws {
    let cluster = try await StandInCluster(stateYAML: try Self.state("monolithic-broken"), in: home)
    defer { Task { await cluster.stop() } }
    let outcome = try health(cluster)
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.message("workloads.ready") == "StatefulSet/obs-loki 0/1 ready")
    #expect(outcome.status("backends.loki") == "fail")
    #expect(outcome.message("backends.loki").hasPrefix("service/obs-loki:3100/ready"))
    #expect(outcome.status("backends.tempo") == "pass")
    #expect(outcome.status("workloads.present") == "pass")
  }

  /// Two Services claim Tempo equally: mtobs says so and names both, instead of probing one.
  @Test func twoServicesClaimingTempoAreReportedNotGuessed() async throws {
    let cluster = try await StandInCluster(stateYAML: try Self.state("monolithic-healthy"), in: home)
    defer { Task { await cluster.stop() } }
    try cluster.server.state.load(
      yaml: """
        apiVersion: v1
        kind: Service
        metadata: {name: obs-tempo-v2, namespace: monitoring, labels: {app: tempo}}
        spec: {selector: {app: tempo}, ports: [{name: http, port: 3200, targetPort: 3200}]}
        """)
    cluster.server.state.setProxyAnswer(
      namespace: "monitoring", kind: .service, name: "obs-tempo-v2", port: 3200, path: "/ready", body: "ready\n",
      contentType: "text/plain")
    let outcome = try health(cluster)
    #expect(outcome.status("backends.tempo") == "warn", "\(outcome.check("backends.tempo"))")
    #expect(outcome.message("backends.tempo").contains("obs-tempo, obs-tempo-v2"))
    #expect(outcome.hint("backends.tempo").hasPrefix("pin one in mtobs.yaml: tempo.service: obs-tempo"))
    // Pinned by name, the same stack passes and probes the pinned Service.
    let file = try home.write("tempo:\n  service: obs-tempo-v2\n", to: "pinned.yaml")
    let pinned = try health(cluster, ["--config", file.path])
    #expect(pinned.status("backends.tempo") == "pass", "\(pinned.check("backends.tempo"))")
    #expect(pinned.message("backends.tempo").hasPrefix("service/obs-tempo-v2:3200/ready"))
  }

  @Test func configShowsWhereEachServiceCameFrom() async throws {
    let cluster = try await StandInCluster(stateYAML: try Self.state("seed-healthy"), in: home)
    defer { Task { await cluster.stop() } }
    let result = try cli.run(["config", "-o", "json"] + cluster.flags)
    #expect(result.status == 0, "\(result)")
    let document = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
    let settings = try #require(document?["settings"] as? [[String: Any]], "\(result)")
    func setting(_ key: String) -> (String?, String?) {
      let entry = settings.first { $0["key"] as? String == key }
      return (entry?["value"] as? String, entry?["origin"] as? String)
    }
    #expect(setting("mimir.service").0 == "mimir-query-frontend")
    #expect(setting("mimir.port").0 == "8080")
    #expect(
      setting("mimir.service").1
        == "discovered (labelled app.kubernetes.io/name=mimir, component query-frontend)")
    #expect(setting("loki.service").1 == "discovered (Service named loki)")
    #expect(setting("alloy.service").0 == "lgtm-alloy-receiver")
  }

  @Test func configWithoutAClusterSaysWhyNothingWasDiscovered() throws {
    let kubeconfig = try home.write(
      """
      apiVersion: v1
      kind: Config
      clusters: [{name: gone, cluster: {server: "http://127.0.0.1:9"}}]
      contexts: [{name: gone, context: {cluster: gone, user: u}}]
      users: [{name: u, user: {}}]
      current-context: gone
      """, to: "gone-kubeconfig")
    let result = try cli.run(["config", "-o", "json", "--kubeconfig", kubeconfig.path])
    #expect(result.status == 0, "\(result)")
    let document = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
    let settings = try #require(document?["settings"] as? [[String: Any]], "\(result)")
    let loki = settings.first { $0["key"] as? String == "loki.service" }
    #expect(loki?["value"] as? String == "loki")
    #expect((loki?["origin"] as? String)?.hasPrefix("default (not discovered: ") == true, "\(loki ?? [:])")
  }
}
