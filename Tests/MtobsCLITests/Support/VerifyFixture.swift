import Foundation
import KubeStandIn
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The healthy stack (`examples/clusters/healthy.yaml`) on the stand-in API server, with a
/// stand-in LGTM stack behind its service proxy (`TelemetryStandIn`: Loki, Tempo, Mimir and
/// Pyroscope answer from what they hold; the collector's receivers record every POST), and
/// Grafana's pod played by Tests/StandInTools/grafana-pod-server behind the stand-in kubectl's
/// port-forward (Tests/StandInTools/kubectl-forward), with its admin credentials in the Secret.
final class VerifyFixture {
  static let tools = CLI.packageRoot.appendingPathComponent("Tests/StandInTools")
  static let collector = "otel-collector-opentelemetry-collector"

  let home: TemporaryDirectory
  let cli: CLI
  let stack: StackScenario
  let telemetry = TelemetryStandIn()
  let grafana: Process
  let forwardDirectory: URL
  let grafanaConfig: URL
  let password = "pw-\(UUID().uuidString.prefix(12))"

  static let healthySources: [[String: String]] = [
    ["uid": "loki", "name": "Loki", "type": "loki", "status": "OK", "message": "Data source is working"],
    ["uid": "tempo", "name": "Tempo", "type": "tempo", "status": "OK", "message": "Data source is working"],
    ["uid": "prom", "name": "Mimir", "type": "prometheus", "status": "OK", "message": "Successfully queried"],
    [
      "uid": "pyroscope", "name": "Pyroscope", "type": "grafana-pyroscope-datasource", "status": "OK",
      "message": "Data source is working",
    ],
  ]

  init(secret: Bool = true) async throws {
    home = try TemporaryDirectory()
    cli = CLI(home: home.url)
    stack = try await StackScenario.start(in: home)
    forwardDirectory = home.url.appendingPathComponent("forward")
    try FileManager.default.createDirectory(at: forwardDirectory, withIntermediateDirectories: true)
    grafanaConfig = home.url.appendingPathComponent("grafana.json")
    if secret {
      let user = Data("admin".utf8).base64EncodedString()
      let encoded = Data(password.utf8).base64EncodedString()
      try stack.state.load(
        yaml: """
          apiVersion: v1
          kind: Secret
          metadata: {name: lgtm-grafana, namespace: monitoring}
          type: Opaque
          data: {admin-user: \(user), admin-password: \(encoded)}
          """)
    }
    try Self.writeConfig(password: password, sources: Self.healthySources, to: grafanaConfig)
    grafana = Process()
    grafana.executableURL = Self.tools.appendingPathComponent("grafana-pod-server")
    grafana.arguments = [grafanaConfig.path]
    let output = Pipe()
    grafana.standardOutput = output
    grafana.standardError = FileHandle.nullDevice
    try grafana.run()
    let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
    guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
      kill(grafana.processIdentifier, SIGKILL)
      throw ForwardFixture.FixtureError(message: "the Grafana stand-in printed no port: '\(line)'")
    }
    try "127.0.0.1:\(port)".write(
      to: forwardDirectory.appendingPathComponent("target"), atomically: true, encoding: .utf8)
    telemetry.install(
      on: stack.state, namespace: "monitoring", loki: ("loki", 3100), tempo: ("tempo", 3200), mimir: ("mimir", 9009),
      pyroscope: ("pyroscope", 4040), collector: (Self.collector, 4318, 9411))
    seedHealthyData()
  }

  /// Recent data in every backend, as a stack in use has.
  func seedHealthyData() {
    let now = Date()
    telemetry.update { contents in
      contents.logs = (0..<3).map { index in
        TelemetryStandIn.LogLine(
          labels: ["namespace": "mathtrail", "pod": "api-0"], line: "GET /solve 200 (\(index))",
          time: now.addingTimeInterval(-Double(10 + index)))
      }
      contents.traces = [
        .init(traceID: "1f" + String(repeating: "0", count: 30), service: "api", name: "GET /solve", time: now),
        .init(traceID: "2f" + String(repeating: "0", count: 30), service: "solver", name: "solve", time: now),
      ]
      contents.metrics = [
        #"up{job="otel-collector"}"#: [(["job": "otel-collector", "instance": "10.0.0.7:8888"], "1")]
      ]
      contents.profileServices = ["api", "solver"]
    }
  }

  func setDatasources(_ sources: [[String: String]]) throws {
    try Self.writeConfig(password: password, sources: sources, to: grafanaConfig)
  }

  static func writeConfig(password: String, sources: [[String: String]], to file: URL) throws {
    let config: [String: Any] = ["user": "admin", "password": password, "datasources": sources]
    try JSONSerialization.data(withJSONObject: config).write(to: file)
  }

  /// The Authorization headers Grafana's stand-in received.
  var authorizations: [String] {
    ((try? String(contentsOf: URL(fileURLWithPath: grafanaConfig.path + ".auth"), encoding: .utf8)) ?? "")
      .split(separator: "\n").map(String.init)
  }

  /// The stand-in port-forwards started so far.
  var tunnelPIDs: [Int32] {
    let text = (try? String(contentsOf: forwardDirectory.appendingPathComponent("children"), encoding: .utf8)) ?? ""
    return text.split(separator: "\n").compactMap { $0.split(separator: " ").first.flatMap { Int32($0) } }
  }

  var environment: [String: String] {
    [
      "MTOBS_KUBECTL": Self.tools.appendingPathComponent("kubectl-forward").path,
      "MTOBS_FORWARD_DIR": forwardDirectory.path,
      "MTOBS_REAL_KUBECTL": which("kubectl") ?? "/usr/bin/kubectl",
    ]
  }

  func mtobs(_ arguments: [String], timeout: Duration = .seconds(90)) throws -> CLI.Result {
    try cli.run(arguments + stack.cluster.flags, environment: environment, timeout: timeout)
  }

  /// Ends Grafana's stand-in now and the stand-in API server in the background.
  func stop() {
    // SIGKILL: a child of the test process may start with SIGTERM blocked (the spawning thread's mask).
    kill(grafana.processIdentifier, SIGKILL)
    grafana.waitUntilExit()
    let cluster = stack.cluster
    Task { await cluster.stop() }
  }

  /// The stand-in API server stops now (the cluster is unreachable).
  func stopCluster() async {
    await stack.cluster.stop()
  }
}
