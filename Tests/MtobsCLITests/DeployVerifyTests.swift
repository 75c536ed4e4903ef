import Foundation
import KubeStandIn
import Testing

/// `mtobs deploy --verify`: after the health report, verify's report, waiting within the deploy's
/// deadline until data flows.
@Suite("deploy --verify against the stand-in API server", requires("kubectl"))
struct DeployVerifyTests {
  @Test func aVerifiedDeployEndsWithTheVerifyReport() async throws {
    let scratch = try TemporaryDirectory()
    let healthy = try String(contentsOf: StackScenario.healthyState, encoding: .utf8)
    let cluster = try await StandInCluster(stateYAML: healthy, in: scratch, context: "dev")
    defer { Task { await cluster.stop() } }
    let telemetry = TelemetryStandIn()
    telemetry.install(
      on: cluster.server.state, namespace: "monitoring", loki: ("loki", 3100), tempo: ("tempo", 3200),
      mimir: ("mimir", 9009), pyroscope: ("pyroscope", 4040), collector: (VerifyFixture.collector, 4318, 9411))
    telemetry.update { contents in
      contents.logs = [.init(labels: ["namespace": "mathtrail"], line: "ready", time: Date())]
      contents.traces = [
        .init(traceID: "ab" + String(repeating: "0", count: 30), service: "api", name: "x", time: Date())
      ]
      contents.metrics = [#"up{job="otel-collector"}"#: [(["job": "otel-collector"], "1")]]
      contents.profileServices = ["api"]
    }
    let fixture = try DeployFixture(server: cluster.server.url)
    let result = try fixture.cli().run(["deploy", "--timeout", "20s", "--verify"])
    #expect(result.status == 0, "\(result)")
    // Verify waits within what is left of --timeout, never beyond it.
    let announced = result.standardError.split(separator: "\n").first { $0.hasPrefix("→ mtobs verify --wait ") }
    let waited = announced?.split(separator: " ").dropFirst(4).first.flatMap { Int($0.dropLast()) }
    #expect(waited.map { $0 >= 1 && $0 <= 20 } == true, "\(result)")
    #expect(result.standardOutput.contains("✔ Pyroscope knows at least one service: 1 service: api"), "\(result)")
    #expect(result.standardOutput.contains("✔ Loki has the app namespace's logs: 1 line for"), "\(result)")

    // Data that stops flowing makes the deploy fail (exit 1) once verify's wait is over.
    telemetry.update { $0.profileServices = [] }
    let failing = try fixture.cli().run(["deploy", "--timeout", "1s", "--verify"], timeout: .seconds(120))
    #expect(failing.status == 1, "\(failing)")
    #expect(failing.standardError.contains("data does not flow yet"), "\(failing)")
  }

  @Test func verifyWithNoWaitIsRefusedNotSkipped() throws {
    let scratch = try TemporaryDirectory()
    let result = try CLI(home: scratch.url).run(["deploy", "--verify", "--no-wait"])
    #expect(result.status == 64, "\(result)")
    #expect(result.standardError.contains("--verify cannot be used with --no-wait"), "\(result)")
  }
}
