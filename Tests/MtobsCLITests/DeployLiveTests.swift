import Foundation
import KubeStandIn
import Testing

/// `mtobs deploy` end to end: stand-in skaffold/helm that record their argv, the real kubectl
/// against the stand-in API server for the Dapr Configuration and the deploy record.
@Suite("deploy against the stand-in API server", requires("kubectl"))
struct DeployLiveTests {
  static let state = "namespaces: [default, kube-system, monitoring, mathtrail]\nobjects: []\n"

  /// The records in the `mtobs-deployments` ConfigMap, newest first.
  private func records(in cluster: StandInCluster) throws -> [[String: Any]] {
    let configMap = try #require(
      cluster.server.state.object(kind: "ConfigMap", name: "mtobs-deployments", namespace: "monitoring"))
    let text = try #require(configMap["data"]?["deployments.json"]?.string)
    return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
  }

  private func headCommit(of fixture: DeployFixture) throws -> String {
    let result = try CLI.run(
      executable: which("git") ?? "/usr/bin/git", ["rev-parse", "HEAD"], environment: ["PATH": "/usr/bin:/bin"],
      in: fixture.root)
    return result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// A live `--with helm` run: one `helm upgrade --install` per release (stand-in helm), the raw
  /// manifests applied by the real kubectl to the stand-in, the Dapr Configuration, the record.
  @Test func helmDeployAppliesTheManifestsForReal() async throws {
    let scratch = try TemporaryDirectory()
    let cluster = try await StandInCluster(stateYAML: Self.state, in: scratch, context: "dev")
    defer { Task { await cluster.stop() } }
    let fixture = try DeployFixture(server: cluster.server.url)
    let result = try fixture.cli().run(["deploy", "--with", "helm", "--no-wait"])
    #expect(result.status == 0, "\(result)")
    let helm = fixture.recordedCommands.filter { $0.hasPrefix("helm ") }
    #expect(helm.count == 1, "\(fixture.recordedCommands)")
    #expect(helm.first?.hasPrefix("helm upgrade --install otel-collector opentelemetry-collector") == true, "\(helm)")
    #expect(helm.first?.contains("--kube-context dev") == true, "\(helm)")
    // The runbook's alias Service was created in the cluster by `kubectl apply`.
    #expect(cluster.server.state.object(kind: "Service", name: "loki", namespace: "monitoring") != nil)
    #expect(
      cluster.server.state.object(kind: "Configuration", name: "mathtrail-observability", namespace: "mathtrail") != nil
    )
    let record = try #require(try records(in: cluster).first)
    #expect(record["tool"] as? String == "helm")
    #expect(record["outcome"] as? String == "succeeded")
  }

  @Test func skaffoldDeployAppliesDaprAndRecordsProvenance() async throws {
    let scratch = try TemporaryDirectory()
    let cluster = try await StandInCluster(stateYAML: Self.state, in: scratch, context: "dev")
    defer { Task { await cluster.stop() } }
    let fixture = try DeployFixture(server: cluster.server.url)
    let cli = try fixture.cli()

    let result = try cli.run(["deploy", "--no-wait"])
    #expect(result.status == 0, "\(result)")
    let root = fixture.root.resolvingSymlinksInPath().path
    #expect(
      fixture.recordedCommands == [
        "skaffold run --filename \(root)/skaffold.yaml --profile infra-observability --kube-context dev --namespace monitoring --status-check=false"
      ], "--no-wait also turns off skaffold's status check: \(fixture.recordedCommands)")
    #expect(result.standardError.contains("skaffold: working on it"), "the tool's output is streamed: \(result)")

    let dapr = try #require(
      cluster.server.state.object(kind: "Configuration", name: "mathtrail-observability", namespace: "mathtrail"))
    #expect(
      dapr["spec"]?["tracing"]?["zipkin"]?["endpointAddress"]?.string
        == "http://otel-collector-opentelemetry-collector.monitoring.svc.cluster.local:9411/api/v2/spans")

    let record = try #require(try records(in: cluster).first)
    #expect(record["outcome"] as? String == "succeeded")
    #expect(record["profile"] as? String == "infra-observability")
    #expect(record["context"] as? String == "dev")
    #expect(record["commit"] as? String == (try headCommit(of: fixture)))
    #expect(record["branch"] as? String == "main")
    #expect(record["dirty"] as? Bool == false)
    #expect(record["tool"] as? String == "skaffold")

    let history = try cli.run(["deploy", "--history"])
    #expect(history.status == 0, "\(history)")
    #expect(history.standardOutput.contains("succeeded"), "\(history)")
    #expect(history.standardOutput.contains(String(try headCommit(of: fixture).prefix(12))), "\(history)")
  }

  @Test func aWaitingDeployEndsWithAHealthReport() async throws {
    let scratch = try TemporaryDirectory()
    let healthy = try String(contentsOf: StackScenario.healthyState, encoding: .utf8)
    let cluster = try await StandInCluster(stateYAML: healthy, in: scratch, context: "dev")
    defer { Task { await cluster.stop() } }
    let fixture = try DeployFixture(server: cluster.server.url)
    let result = try fixture.cli().run(["deploy", "--timeout", "20s"])
    #expect(result.status == 0, "\(result)")
    #expect(result.standardError.contains("mtobs health --wait 20s"), "\(result)")
    #expect(result.standardOutput.contains("Status: ok"), "\(result)")
  }

  @Test func theDaprConfigurationFollowsTheConfiguredAppNamespace() async throws {
    let scratch = try TemporaryDirectory()
    let cluster = try await StandInCluster(
      stateYAML: "namespaces: [default, monitoring, shop]\nobjects: []\n", in: scratch, context: "dev")
    defer { Task { await cluster.stop() } }
    let fixture = try DeployFixture(server: cluster.server.url)
    _ = try fixture.directory.write("app-namespace: shop\n", to: "repo/mtobs.yaml")
    let result = try fixture.cli().run(["deploy", "--no-wait"])
    #expect(result.status == 0, "\(result)")
    #expect(
      cluster.server.state.object(kind: "Configuration", name: "mathtrail-observability", namespace: "shop") != nil)
    #expect(
      cluster.server.state.object(kind: "Configuration", name: "mathtrail-observability", namespace: "mathtrail") == nil
    )
  }

  @Test func aFailingSkaffoldIsSurfacedAndRecorded() async throws {
    let scratch = try TemporaryDirectory()
    let cluster = try await StandInCluster(stateYAML: Self.state, in: scratch, context: "dev")
    defer { Task { await cluster.stop() } }
    let fixture = try DeployFixture(server: cluster.server.url, toolExitCode: 3)
    let result = try fixture.cli().run(["deploy", "--no-wait"])
    #expect(result.status == 1, "\(result)")
    #expect(result.standardError.contains("failed with exit code 3"), "\(result)")
    #expect(result.standardError.contains("Error: UPGRADE FAILED: timed out waiting for the condition"), "\(result)")
    #expect(
      cluster.server.state.object(kind: "Configuration", name: "mathtrail-observability", namespace: "mathtrail") == nil
    )
    let record = try #require(try records(in: cluster).first)
    #expect(record["outcome"] as? String == "failed")
    #expect((record["message"] as? String)?.contains("exit code 3") == true, "\(record)")
  }

  @Test func withoutLibgit2TheDeployRunsAndSaysWhyItsRecordNamesNoCommit() async throws {
    let scratch = try TemporaryDirectory()
    let cluster = try await StandInCluster(stateYAML: Self.state, in: scratch, context: "dev")
    defer { Task { await cluster.stop() } }
    let fixture = try DeployFixture(server: cluster.server.url)
    let missing = scratch.url.appendingPathComponent("no-libgit2.so").path
    let result = try fixture.cli().run(["deploy", "--no-wait"], environment: ["MTOBS_LIBGIT2": missing])
    #expect(result.status == 0, "\(result)")
    #expect(result.standardError.contains("the deploy record will name no commit"), "\(result)")
    #expect(result.standardError.contains("or name its file in MTOBS_LIBGIT2"), "\(result)")
    let record = try #require(try records(in: cluster).first)
    #expect(record["outcome"] as? String == "succeeded")
    #expect(record["commit"] == nil, "\(record)")
  }

  @Test func aDirtyTreeIsRefusedWithRequireClean() async throws {
    let scratch = try TemporaryDirectory()
    let cluster = try await StandInCluster(stateYAML: Self.state, in: scratch, context: "dev")
    defer { Task { await cluster.stop() } }
    let fixture = try DeployFixture(server: cluster.server.url)
    _ = try fixture.directory.write("mode: daemonset\n", to: "repo/values/otel-collector.yaml")
    let refused = try fixture.cli().run(["deploy", "--require-clean"])
    #expect(refused.status == 2, "\(refused)")
    #expect(refused.standardError.contains("has uncommitted changes and --require-clean is set"), "\(refused)")
    #expect(fixture.recordedCommands.isEmpty)

    let warned = try fixture.cli().run(["deploy", "--no-wait"])
    #expect(warned.status == 0, "\(warned)")
    #expect(warned.standardError.contains("has uncommitted changes"), "\(warned)")
    #expect(try records(in: cluster).first?["dirty"] as? Bool == true)
  }

  @Test func interruptingADeployStopsTheToolsAndSaysWhatState() async throws {
    let scratch = try TemporaryDirectory()
    let cluster = try await StandInCluster(stateYAML: Self.state, in: scratch, context: "dev")
    defer { Task { await cluster.stop() } }
    let fixture = try DeployFixture(server: cluster.server.url, toolHangs: true)
    let cli = try fixture.cli()

    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLI.mtobsPath)
    process.arguments = ["deploy", "--no-wait"]
    process.environment = cli.environment
    process.currentDirectoryURL = cli.workingDirectory
    let errorFile = scratch.url.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    process.standardError = try FileHandle(forWritingTo: errorFile)
    process.standardOutput = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()

    // Wait until skaffold's own child exists, then press Ctrl-C.
    let started = ContinuousClock.now
    while fixture.toolChildPID == nil, ContinuousClock.now - started < .seconds(30) {
      try await Task.sleep(for: .milliseconds(50))
    }
    let child = try #require(fixture.toolChildPID, "the stand-in skaffold never started its child")
    kill(process.processIdentifier, SIGINT)
    while process.isRunning, ContinuousClock.now - started < .seconds(60) {
      try await Task.sleep(for: .milliseconds(50))
    }
    #expect(!process.isRunning, "mtobs did not stop after Ctrl-C")
    process.waitUntilExit()

    let stderr = try String(contentsOf: errorFile, encoding: .utf8)
    #expect(process.terminationStatus == 130, "\(stderr)")
    #expect(stderr.contains("deploy interrupted"), "\(stderr)")
    #expect(stderr.contains("helm status"), "the hint says how to check the release: \(stderr)")
    // The grandchild is gone too (or a zombie waiting for its reaper): nothing keeps running.
    #expect(kill(child, 0) != 0 || Self.isZombie(child), "skaffold's child \(child) survived the interrupt")
    let record = try #require(try records(in: cluster).first)
    #expect(record["outcome"] as? String == "interrupted")
  }

  static func isZombie(_ pid: pid_t) -> Bool {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    return status.contains("State:\tZ")
  }
}
