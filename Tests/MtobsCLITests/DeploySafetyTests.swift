import Foundation
import KubeStandIn
import Testing

/// `mtobs deploy` goes where it says, asks where it must, keeps every record and answers Ctrl-C
/// at once: the built binary, stand-in tools, the real kubectl, stand-in API servers.
@Suite("deploy safety against the stand-in API server", requires("kubectl"))
struct DeploySafetyTests {
  static let state = "namespaces: [default, kube-system, monitoring, mathtrail]\nobjects: []\n"

  /// The stored history entries of a cluster, newest first (nil when there is no ConfigMap).
  private func stored(in cluster: StandInCluster, namespace: String = "monitoring") throws -> [[String: Any]]? {
    guard
      let configMap = cluster.server.state.object(kind: "ConfigMap", name: "mtobs-deployments", namespace: namespace)
    else { return nil }
    let text = try #require(configMap["data"]?["deployments.json"]?.string)
    return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
  }

  private func daprConfiguration(in cluster: StandInCluster) -> KubeStandIn.JSONValue? {
    cluster.server.state.object(kind: "Configuration", name: "mathtrail-observability", namespace: "mathtrail")
  }

  // MARK: The target is fixed once

  @Test func switchingTheCurrentContextMidDeployMovesNothing() async throws {
    let scratch = try TemporaryDirectory()
    let first = try await StandInCluster(stateYAML: Self.state, in: scratch, context: "dev")
    let other = try await StandInCluster(stateYAML: Self.state, in: scratch, context: "other")
    defer { Task { await first.stop() } }
    defer { Task { await other.stop() } }
    let fixture = try DeployFixture(server: first.server.url, otherContext: ("prod-eu", other.server.url))

    let result = try fixture.cli().run(["deploy", "--no-wait"])
    #expect(result.status == 0, "\(result)")
    #expect(fixture.recordedCommands.count == 1)
    #expect(fixture.recordedCommands.first?.contains("--kube-context dev") == true, "\(fixture.recordedCommands)")
    #expect(daprConfiguration(in: first) != nil, "the Dapr Configuration lands on the cluster announced")
    #expect(try stored(in: first)?.first?["context"] as? String == "dev")
    #expect(daprConfiguration(in: other) == nil)
    #expect(try stored(in: other) == nil)
    #expect(other.apiRequests.isEmpty, "the other cluster was asked: \(other.apiRequests.map(\.path))")
  }

  @Test func theHealthCheckAfterTheDeployStaysOnTheClusterDeployedToAndFailsWithExit1() async throws {
    let scratch = try TemporaryDirectory()
    let first = try await StandInCluster(stateYAML: Self.state, in: scratch, context: "dev")
    let healthy = try String(contentsOf: StackScenario.healthyState, encoding: .utf8)
    let other = try await StandInCluster(stateYAML: healthy, in: scratch, context: "other")
    defer { Task { await first.stop() } }
    defer { Task { await other.stop() } }
    let fixture = try DeployFixture(server: first.server.url, otherContext: ("healthy-elsewhere", other.server.url))

    // The first cluster has no stack: a health check that drifted to the healthy one would pass.
    let result = try fixture.cli().run(["deploy", "--timeout", "1s"])
    #expect(result.status == 1, "deployed but unhealthy is exit 1: \(result)")
    #expect(result.standardError.contains("deployed, but the stack is not healthy yet"), "\(result)")
    #expect(other.apiRequests.isEmpty, "the other cluster was asked: \(other.apiRequests.map(\.path))")
    #expect(try stored(in: first)?.first?["outcome"] as? String == "succeeded")
  }

  // MARK: Protection

  @Test func aProtectedContextMatchesWhateverItsCase() throws {
    let fixture = try DeployFixture(context: "Prod-EU")
    let result = try fixture.cli().run(["deploy", "--no-wait"])
    #expect(result.status == 2, "\(result)")
    #expect(result.standardError.contains("context 'Prod-EU' is protected (matches '*prod*')"), "\(result)")
    #expect(fixture.recordedCommands.isEmpty)
  }

  @Test func yesDeploysToAProtectedContextWithoutAsking() async throws {
    let scratch = try TemporaryDirectory()
    let cluster = try await StandInCluster(stateYAML: Self.state, in: scratch, context: "prod-eu")
    defer { Task { await cluster.stop() } }
    let fixture = try DeployFixture(context: "prod-eu", server: cluster.server.url)
    let result = try fixture.cli().run(["deploy", "--yes", "--no-wait"])
    #expect(result.status == 0, "\(result)")
    #expect(!result.standardError.contains("Type its name"), "\(result)")
    #expect(fixture.recordedCommands.count == 1)
    #expect(try stored(in: cluster)?.first?["context"] as? String == "prod-eu")
  }

  @Test(.enabled("needs util-linux `script` for a terminal") { which("script") != nil })
  func typingTheContextNameOnATerminalConfirms() async throws {
    let scratch = try TemporaryDirectory()
    let cluster = try await StandInCluster(stateYAML: Self.state, in: scratch, context: "prod-eu")
    defer { Task { await cluster.stop() } }
    let fixture = try DeployFixture(context: "prod-eu", server: cluster.server.url)
    let cli = try fixture.cli()
    // `script` gives mtobs a terminal on stdin and stderr; what we write reaches it as typed.
    let declined = try CLI.run(
      executable: which("script") ?? "/usr/bin/script",
      ["-qec", "\(CLI.mtobsPath) deploy --no-wait", "/dev/null"], environment: cli.environment,
      in: cli.workingDirectory, input: "prod\n")
    #expect(declined.standardOutput.contains("Type its name to deploy"), "\(declined)")
    #expect(declined.standardOutput.contains("deploy to 'prod-eu' not confirmed"), "\(declined)")
    #expect(fixture.recordedCommands.isEmpty)

    let confirmed = try CLI.run(
      executable: which("script") ?? "/usr/bin/script",
      ["-qec", "\(CLI.mtobsPath) deploy --no-wait", "/dev/null"], environment: cli.environment,
      in: cli.workingDirectory, input: "prod-eu\n")
    #expect(confirmed.status == 0, "\(confirmed)")
    #expect(fixture.recordedCommands.count == 1, "\(confirmed)")
    #expect(try stored(in: cluster)?.first?["context"] as? String == "prod-eu")
  }

  // MARK: -n means what it says

  @Test func aNamespaceTheReleasesDoNotUseIsRefusedBeforeAnythingRuns() async throws {
    let scratch = try TemporaryDirectory()
    let cluster = try await StandInCluster(
      stateYAML: "namespaces: [default, monitoring, observability, mathtrail]\nobjects: []\n", in: scratch,
      context: "dev")
    defer { Task { await cluster.stop() } }
    let fixture = try DeployFixture(server: cluster.server.url)
    let result = try fixture.cli().run(["deploy", "-n", "observability", "--no-wait"])
    #expect(result.status == 2, "\(result)")
    #expect(
      result.standardError.contains("namespace 'observability' was asked for, but")
        && result.standardError.contains("release otel-collector to 'monitoring'"), "\(result)")
    #expect(!result.standardError.contains("Deploying profile"), "never announced: \(result)")
    #expect(fixture.recordedCommands.isEmpty)
    #expect(try stored(in: cluster, namespace: "observability") == nil)
    #expect(try stored(in: cluster) == nil)
  }

  @Test func theNamespaceAnnouncedIsTheOneSkaffoldAndTheRecordUse() async throws {
    let scratch = try TemporaryDirectory()
    let cluster = try await StandInCluster(stateYAML: Self.state, in: scratch, context: "dev")
    defer { Task { await cluster.stop() } }
    let fixture = try DeployFixture(server: cluster.server.url)
    let result = try fixture.cli().run(["deploy", "-n", "monitoring", "--no-wait"])
    #expect(result.status == 0, "\(result)")
    #expect(result.standardError.contains("namespace 'monitoring'"), "\(result)")
    #expect(fixture.recordedCommands.first?.contains("--kube-context dev --namespace monitoring") == true)
    #expect(try stored(in: cluster)?.first?["namespace"] as? String == "monitoring")
  }

  // MARK: History never loses a record

  static var newerRecord: [String: Any] {
    [
      "time": "2025-06-02T10:00:00Z", "user": "bo", "context": "dev", "namespace": "monitoring", "profile": "all-infra",
      "tool": "skaffold", "source": "/repo/skaffold.yaml", "outcome": "rolled-back", "mtobsVersion": "9.0.0",
      "undoneBy": "ana",
    ]
  }
  static var olderRecord: [String: Any] {
    [
      "time": "2025-06-01T09:00:00Z", "user": "ana", "context": "dev", "namespace": "monitoring",
      "profile": "infra-observability", "tool": "helm", "source": "/repo/skaffold.yaml", "outcome": "succeeded",
      "mtobsVersion": "1.0.0",
    ]
  }

  @Test func aRecordFromANewerVersionIsShownAndKept() async throws {
    let scratch = try TemporaryDirectory()
    let cluster = try await StandInCluster(stateYAML: Self.state, in: scratch, context: "dev")
    defer { Task { await cluster.stop() } }
    let data = String(
      decoding: try JSONSerialization.data(
        withJSONObject: [Self.newerRecord, Self.olderRecord], options: [.sortedKeys]),
      as: UTF8.self)
    try cluster.server.state.add(
      .object([
        "apiVersion": .string("v1"), "kind": .string("ConfigMap"),
        "metadata": .object(["name": .string("mtobs-deployments"), "namespace": .string("monitoring")]),
        "data": .object(["deployments.json": .string(data)]),
      ]))
    let fixture = try DeployFixture(server: cluster.server.url)
    let cli = try fixture.cli()

    let history = try cli.run(["deploy", "--history"])
    #expect(history.status == 0, "\(history)")
    #expect(history.standardOutput.contains("rolled-back (unknown)"), "\(history)")
    #expect(history.standardOutput.contains("2025-06-01T09:00:00Z"), "\(history)")

    let deployed = try cli.run(["deploy", "--no-wait"])
    #expect(deployed.status == 0, "\(deployed)")
    let entries = try #require(try stored(in: cluster))
    #expect(entries.count == 3, "\(entries)")
    #expect(entries.first?["outcome"] as? String == "succeeded")
    #expect(NSDictionary(dictionary: entries[1]).isEqual(to: Self.newerRecord), "kept as stored: \(entries[1])")
    #expect(entries[2]["time"] as? String == "2025-06-01T09:00:00Z")

    let json = try cli.run(["deploy", "--history", "-o", "json"])
    let listed = try #require(
      try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: Any]])
    #expect(listed.count == 3)
    #expect(listed[1]["outcome"] as? String == "rolled-back")
  }

  @Test func twoConcurrentDeploysAreBothRecorded() async throws {
    let scratch = try TemporaryDirectory()
    // The Dapr Configuration exists already, so both deploys patch it rather than race to create it.
    let state = Self.state.replacingOccurrences(
      of: "objects: []",
      with:
        "objects:\n  - {apiVersion: dapr.io/v1alpha1, kind: Configuration, metadata: {name: mathtrail-observability, namespace: mathtrail}, spec: {}}"
    )
    let cluster = try await StandInCluster(stateYAML: state, in: scratch, context: "dev")
    defer { Task { await cluster.stop() } }
    // Slow ConfigMap answers widen the window between reading the history and writing it.
    cluster.server.updateBehavior {
      $0.rules = [.init(resource: "configmaps", action: .delay(.milliseconds(400)))]
    }
    let fixture = try DeployFixture(server: cluster.server.url)
    let cli = try fixture.cli()
    async let one = Task.detached { try cli.run(["deploy", "--no-wait"]) }.value
    async let two = Task.detached { try cli.run(["deploy", "--no-wait"]) }.value
    let results = try await [one, two]
    for result in results { #expect(result.status == 0, "\(result)") }
    #expect(try stored(in: cluster)?.count == 2, "both deploys are in the history")
  }

  // MARK: Ctrl-C

  @Test func anInterruptIsRecordedReadablyAndNamesTheRealRelease() async throws {
    let scratch = try TemporaryDirectory()
    let cluster = try await StandInCluster(stateYAML: Self.state, in: scratch, context: "dev")
    defer { Task { await cluster.stop() } }
    let fixture = try DeployFixture(server: cluster.server.url, toolHangs: true)
    let running = try RunningMtobs(["deploy", "--no-wait"], cli: try fixture.cli(), scratch: scratch)
    try await running.waitUntil { fixture.toolChildPID != nil }
    running.signal(SIGINT)
    let status = try #require(running.waitForExit(within: .seconds(10)), "mtobs did not stop after Ctrl-C")

    #expect(status == 130, "\(running.standardError)")
    #expect(running.standardError.contains("recording the interrupted deploy"), "\(running.standardError)")
    #expect(
      running.standardError.contains("`helm status otel-collector --namespace monitoring --kube-context dev`"),
      "\(running.standardError)")
    #expect(!running.standardError.contains("<release>"), "\(running.standardError)")
    let record = try #require(try stored(in: cluster)?.first)
    #expect(record["outcome"] as? String == "interrupted")
    #expect(record["message"] as? String == "interrupted by SIGINT during skaffold run -p infra-observability")
  }

  @Test func aSlowRecordAfterAnInterruptGivesUpWithinSeconds() async throws {
    let scratch = try TemporaryDirectory()
    let cluster = try await StandInCluster(stateYAML: Self.state, in: scratch, context: "dev")
    defer { Task { await cluster.stop() } }
    cluster.server.updateBehavior { $0.rules = [.hang(resource: "configmaps")] }
    let fixture = try DeployFixture(server: cluster.server.url, toolHangs: true)
    let running = try RunningMtobs(["deploy", "--no-wait"], cli: try fixture.cli(), scratch: scratch)
    try await running.waitUntil { fixture.toolChildPID != nil }
    let interrupted = ContinuousClock.now
    running.signal(SIGINT)
    // The record gets 3 s; kubectl's own timeouts alone would take far longer against a silent server.
    let status = try #require(running.waitForExit(within: .seconds(20)), "mtobs did not stop after Ctrl-C")
    #expect(ContinuousClock.now - interrupted < .seconds(6), "\(running.standardError)")
    #expect(status == 130, "\(running.standardError)")
    #expect(running.standardError.contains("the deploy was not recorded"), "\(running.standardError)")
  }

  @Test func aSecondCtrlCSkipsTheRecord() async throws {
    let scratch = try TemporaryDirectory()
    let cluster = try await StandInCluster(stateYAML: Self.state, in: scratch, context: "dev")
    defer { Task { await cluster.stop() } }
    cluster.server.updateBehavior { $0.rules = [.hang(resource: "configmaps")] }
    let fixture = try DeployFixture(server: cluster.server.url, toolHangs: true)
    let running = try RunningMtobs(["deploy", "--no-wait"], cli: try fixture.cli(), scratch: scratch)
    try await running.waitUntil { fixture.toolChildPID != nil }
    running.signal(SIGINT)
    try await running.waitUntil { running.standardError.contains("Ctrl-C again to skip") }
    let again = ContinuousClock.now
    running.signal(SIGINT)
    let status = try #require(running.waitForExit(within: .seconds(10)), "mtobs did not stop after a second Ctrl-C")
    #expect(ContinuousClock.now - again < .seconds(1), "\(running.standardError)")
    #expect(status == 130, "\(running.standardError)")
  }
}

/// `mtobs` running in the background, for tests that signal it.
final class RunningMtobs {
  private let process: Process
  private let errorFile: URL
  private let exited = DispatchSemaphore(value: 0)

  init(_ arguments: [String], cli: CLI, scratch: TemporaryDirectory) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLI.mtobsPath)
    process.arguments = arguments
    process.environment = cli.environment
    process.currentDirectoryURL = cli.workingDirectory
    errorFile = scratch.url.appendingPathComponent("stderr-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    process.standardError = try FileHandle(forWritingTo: errorFile)
    process.standardOutput = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    let exited = exited
    process.terminationHandler = { _ in exited.signal() }
    try process.run()
    self.process = process
  }

  var standardError: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

  func signal(_ number: Int32) { kill(process.processIdentifier, number) }

  /// Waits for `condition` (checked every 20 ms), up to 30 s.
  func waitUntil(_ condition: () -> Bool) async throws {
    let started = ContinuousClock.now
    while !condition() {
      guard ContinuousClock.now - started < .seconds(30), process.isRunning else {
        Issue.record("condition not met; stderr: \(standardError)")
        return
      }
      try await Task.sleep(for: .milliseconds(20))
    }
  }

  /// The exit status once the process has ended, or nil (and the process killed) after `limit`.
  func waitForExit(within limit: Duration) -> Int32? {
    let seconds = Double(limit.components.seconds)
    guard exited.wait(timeout: .now() + seconds) == .success else {
      process.terminate()
      return nil
    }
    process.waitUntilExit()
    return process.terminationStatus
  }
}
