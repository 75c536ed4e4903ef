import Foundation
import KubeStandIn
import Testing

/// The collector's wiring as `mtobs health` reads it from a cluster: the built binary, the real
/// kubectl, and the stand-in API server serving the collector's ConfigMap and RBAC.
@Suite("collector wiring against the stand-in API server", requires("kubectl"))
struct CollectorWiringLiveTests {
  let home: TemporaryDirectory
  let cli: CLI

  static let wiringIDs = [
    "collector.config", "collector.pipelines", "collector.zipkin-receiver", "collector.exporter-endpoints",
    "collector.rbac",
  ]

  init() throws {
    home = try TemporaryDirectory()
    cli = CLI(home: home.url)
  }

  struct Outcome {
    let result: CLI.Result
    let checks: [[String: Any]]

    func check(_ id: String) -> [String: Any]? { checks.first { $0["id"] as? String == id } }
    func status(_ id: String) -> String? { check(id)?["status"] as? String }
    func message(_ id: String) -> String { check(id)?["message"] as? String ?? "" }
    var failing: [String] { checks.filter { $0["status"] as? String == "fail" }.compactMap { $0["id"] as? String } }
  }

  private func health(_ arguments: [String]) throws -> Outcome {
    let result = try cli.run(["health", "-o", "json"] + arguments, timeout: .seconds(60))
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any], "\(result)")
    return Outcome(result: result, checks: report["checks"] as? [[String: Any]] ?? [])
  }

  @Test func theExampleStacksWiringPasses() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    let outcome = try health(stack.cluster.flags)
    #expect(outcome.result.status == 0, "\(outcome.result)")
    for id in Self.wiringIDs {
      #expect(outcome.status(id) == "pass", "\(id): \(outcome.check(id) ?? [:])")
    }
    #expect(
      outcome.message("collector.exporter-endpoints")
        == "otlp_grpc/alloy → k8s-monitoring-alloy-receiver:4317 (1 ready pod)")
    #expect(outcome.message("collector.rbac").contains("ClusterRoleBinding \(StackScenario.collector) → ClusterRole"))
  }

  @Test func theSeedsExporterFailsNamingTheServiceThatExists() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    try stack.collectorExportsToTheSeedsReceiver()
    let outcome = try health(stack.cluster.flags)
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.failing == ["collector.exporter-endpoints"], "\(outcome.failing)")
    let message = outcome.message("collector.exporter-endpoints")
    #expect(
      message.hasPrefix(
        "exporter otlp_grpc/alloy sends to lgtm-alloy-receiver.monitoring.svc.cluster.local:4317, but Service "
          + "lgtm-alloy-receiver does not exist in 'monitoring'"), "\(message)")
    #expect(message.hasSuffix("did you mean k8s-monitoring-alloy-receiver?"), "\(message)")
  }

  @Test func zipkinDroppedFromTracesFails() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    try stack.dropZipkinFromTraces()
    let outcome = try health(stack.cluster.flags)
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.failing == ["collector.zipkin-receiver"], "\(outcome.failing)")
  }

  @Test func missingRBACFails() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    stack.removeCollectorRBAC()
    let outcome = try health(stack.cluster.flags)
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.failing == ["collector.rbac"], "\(outcome.failing)")
    #expect(
      outcome.message("collector.rbac").hasSuffix("(no binding names it)"), "\(outcome.message("collector.rbac"))")
  }

  @Test func aBundleKeepsTheWiringWithoutItsCredentials() async throws {
    let stack = try await StackScenario.start(in: home)
    try stack.collectorExportsToTheSeedsReceiver()
    try stack.editCollectorConfig {
      $0.replacingOccurrences(
        of: "    tls:\n      insecure: true\n",
        with: "    tls:\n      insecure: true\n    headers: {authorization: \"Basic c2VjcmV0LWJhc2lj\"}\n")
    }
    let live = try health(stack.cluster.flags)
    #expect(live.failing == ["collector.exporter-endpoints"], "the header keeps the config valid: \(live.failing)")
    let bundle = home.url.appendingPathComponent("wiring.json").path
    let made = try cli.run(["bundle", "-o", bundle] + stack.cluster.flags)
    #expect(made.status == 0, "\(made)")
    await stack.cluster.stop()

    let text = try String(contentsOfFile: bundle, encoding: .utf8)
    #expect(!text.contains("c2VjcmV0LWJhc2lj"), "the exporter's credentials are removed")
    #expect(text.contains("lgtm-alloy-receiver.monitoring.svc.cluster.local:4317"), "the configuration is kept")
    let offline = try health(["--from", bundle])
    func verdicts(_ outcome: Outcome) -> [String] {
      outcome.checks.map { "\($0["id"] ?? "") \($0["status"] ?? "") \($0["message"] ?? "")" }
    }
    #expect(verdicts(offline) == verdicts(live))
  }
}
