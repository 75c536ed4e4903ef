import Foundation
import KubeStandIn
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `mtobs logs` against the stand-in through the real `kubectl proxy`: every container of every
/// matching pod over one proxy, whole lines, filters, JSON, following new pods and restarts,
/// a failing stream beside working ones, one timeline, Loki, and a reader that goes away.
@Suite("mtobs logs", requires("kubectl"))
struct LogsLiveTests {
  let home: TemporaryDirectory
  let cli: CLI

  init() throws {
    home = try TemporaryDirectory()
    cli = CLI(home: home.url)
  }

  /// A Running pod in `monitoring` with these containers, labelled `app.kubernetes.io/name`.
  static func pod(_ name: String, app: String, containers: [String], node: String = "node-1") -> JSONValue {
    [
      "apiVersion": "v1", "kind": "Pod",
      "metadata": [
        "name": .string(name), "namespace": "monitoring", "labels": ["app.kubernetes.io/name": .string(app)],
      ],
      "spec": [
        "nodeName": .string(node),
        "containers": .array(containers.map { ["name": .string($0), "image": .string("example/\($0):1")] }),
      ],
      "status": [
        "phase": "Running", "podIP": "10.244.0.9",
        "conditions": [["type": "Ready", "status": "True"]],
        "containerStatuses": .array(
          containers.map { ["name": .string($0), "ready": true, "restartCount": 0, "state": ["running": [:]]] }),
      ],
    ]
  }

  /// Three components, one with two containers; one line each, a second apart.
  private func startStack() async throws -> StandInCluster {
    let cluster = try await StandInCluster(in: home)
    let state = cluster.server.state
    try state.add(Self.pod("otel-collector-abc", app: "opentelemetry-collector", containers: ["collector"]))
    try state.add(Self.pod("loki-0", app: "loki", containers: ["loki", "config-reloader"], node: "node-2"))
    try state.add(Self.pod("lgtm-grafana-xyz", app: "grafana", containers: ["grafana"]))
    let base = Date(timeIntervalSince1970: 1_790_000_000)
    state.appendLog(
      namespace: "monitoring", pod: "otel-collector-abc", container: "collector",
      lines: [
        LogLine(time: base, text: "collector started"),
        LogLine(time: base + 3, text: "level=error exporter failed"),
      ])
    state.appendLog(
      namespace: "monitoring", pod: "loki-0", container: "loki",
      lines: [LogLine(time: base + 1, text: "loki ready"), LogLine(time: base + 4, text: "level=error ingester")])
    state.appendLog(
      namespace: "monitoring", pod: "loki-0", container: "config-reloader", line: "reloaded", time: base + 2)
    state.appendLog(namespace: "monitoring", pod: "lgtm-grafana-xyz", container: "grafana", line: "HTTP Server Listen")
    return cluster
  }

  private func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

  @Test func everyContainerOfTheNamedComponentsWithAPrefixEach() async throws {
    let cluster = try await startStack()
    defer { Task { await cluster.stop() } }
    let result = try cli.run(["logs", "collector", "loki"] + cluster.flags)
    #expect(result.status == 0, "\(result)")
    #expect(
      Set(lines(result.standardOutput)) == [
        "otel-collector-abc/collector collector started", "otel-collector-abc/collector level=error exporter failed",
        "loki-0/loki loki ready", "loki-0/loki level=error ingester", "loki-0/config-reloader reloaded",
      ], "\(result)")
    // Each stream's own order holds in arrival order.
    let output = lines(result.standardOutput)
    let ready = try #require(output.firstIndex(of: "loki-0/loki loki ready"))
    let error = try #require(output.firstIndex(of: "loki-0/loki level=error ingester"))
    #expect(ready < error)
    // One kubectl (the proxy): no kubectl per container.
    let agents = Set(cluster.apiRequests.map(\.userAgent)).filter { $0.hasPrefix("kubectl") }
    #expect(cluster.apiRequests.filter { $0.path.hasSuffix("/log") }.count == 3)
    #expect(cluster.apiRequests.filter { $0.path.hasSuffix("/log") }.allSatisfy { $0.userAgent.hasPrefix("mtobs/") })
    #expect(agents.count <= 1, "\(agents)")
    // A plain read does not ask for the timestamps it would not use (a third fewer bytes).
    #expect(cluster.apiRequests.filter { $0.path.hasSuffix("/log") && $0.queryItems["timestamps"] != nil }.isEmpty)
  }

  @Test func filtersByPatternContainerNodeGrepAndExclude() async throws {
    let cluster = try await startStack()
    defer { Task { await cluster.stop() } }
    let grep = try cli.run(["logs", "all", "--grep", "level=error", "--exclude", "ingester"] + cluster.flags)
    #expect(lines(grep.standardOutput) == ["otel-collector-abc/collector level=error exporter failed"], "\(grep)")
    let container = try cli.run(["logs", "^loki-", "--container", "reloader"] + cluster.flags)
    #expect(lines(container.standardOutput) == ["loki-0/config-reloader reloaded"], "\(container)")
    let node = try cli.run(["logs", "all", "--node", "node-2", "-c", "^loki$", "--tail", "1"] + cluster.flags)
    #expect(lines(node.standardOutput) == ["loki-0/loki level=error ingester"], "\(node)")
    let selector = try cli.run(["logs", "-l", "app.kubernetes.io/name=grafana"] + cluster.flags)
    #expect(lines(selector.standardOutput) == ["lgtm-grafana-xyz/grafana HTTP Server Listen"], "\(selector)")
    let none = try cli.run(["logs", "tempo"] + cluster.flags)
    #expect(none.status == 1, "\(none)")
    #expect(none.standardOutput.isEmpty)
  }

  @Test func appNamespaceWithDaprSidecarsAndSince() async throws {
    let cluster = try await startStack()
    defer { Task { await cluster.stop() } }
    let state = cluster.server.state
    var pod = Self.pod("checkout-1", app: "checkout", containers: ["app", "daprd"])
    pod[path: "metadata", "namespace"] = "mathtrail"
    try state.add(pod)
    state.appendLog(
      namespace: "mathtrail", pod: "checkout-1", container: "daprd", line: "old sidecar line",
      time: Date(timeIntervalSinceNow: -7200))
    state.appendLog(namespace: "mathtrail", pod: "checkout-1", container: "daprd", line: "error sending spans")
    state.appendLog(namespace: "mathtrail", pod: "checkout-1", container: "app", line: "app line")
    let result = try cli.run(["logs", "--app", "--container", "daprd", "--since", "1h"] + cluster.flags)
    #expect(result.status == 0, "\(result)")
    #expect(lines(result.standardOutput) == ["checkout-1/daprd error sending spans"], "\(result)")
  }

  @Test func previousInstanceAndTimestamps() async throws {
    let cluster = try await startStack()
    defer { Task { await cluster.stop() } }
    try cluster.server.state.restartContainer(
      namespace: "monitoring", pod: "otel-collector-abc", container: "collector", reason: "OOMKilled", exitCode: 137)
    let previous = try cli.run(["logs", "collector", "--previous", "--timestamps", "--tail", "1"] + cluster.flags)
    #expect(previous.status == 0, "\(previous)")
    #expect(
      lines(previous.standardOutput) == [
        "otel-collector-abc/collector 2026-09-21T14:13:23.000000000Z level=error exporter failed"
      ], "\(previous)")
    // Only containers that ran before have a previous instance: the other pods are not asked.
    #expect(cluster.apiRequests.filter { $0.path.hasSuffix("/log") }.count == 1)
    #expect(cluster.apiRequests.filter { $0.path.hasSuffix("/log") }.map { $0.queryItems["timestamps"] } == ["true"])
  }

  @Test func jsonOutputIsOneObjectPerLineWithEveryField() async throws {
    let cluster = try await startStack()
    defer { Task { await cluster.stop() } }
    let result = try cli.run(["logs", "loki", "-o", "json", "-c", "^loki$"] + cluster.flags)
    #expect(result.status == 0, "\(result)")
    let objects = try lines(result.standardOutput).map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String])
    }
    #expect(objects.count == 2)
    let first = try #require(objects.first)
    #expect(first["pod"] == "loki-0")
    #expect(first["container"] == "loki")
    #expect(first["node"] == "node-2")
    #expect(first["namespace"] == "monitoring")
    #expect(first["message"] == "loki ready")
    #expect(first["timestamp"]?.hasPrefix("2026-09-21T") == true, "\(first)")
    #expect(
      cluster.apiRequests.filter { $0.path.hasSuffix("/log") }.allSatisfy { $0.queryItems["timestamps"] == "true" })
  }

  @Test func timeOrderMergesThreePodsIntoOneTimeline() async throws {
    let cluster = try await StandInCluster(in: home)
    defer { Task { await cluster.stop() } }
    let state = cluster.server.state
    let base = Date(timeIntervalSince1970: 1_790_000_000)
    for (index, name) in ["a-0", "b-0", "c-0"].enumerated() {
      try state.add(Self.pod(name, app: "tempo", containers: ["tempo"]))
      // Pod i writes at i, i+3, i+6, …: the timeline interleaves all three.
      state.appendLog(
        namespace: "monitoring", pod: name, container: "tempo",
        lines: (0..<50).map {
          LogLine(time: base + Double(index + 3 * $0) / 1000, text: "t\(String(format: "%03d", index + 3 * $0))")
        })
    }
    let result = try cli.run(["logs", "tempo", "--order", "time"] + cluster.flags)
    #expect(result.status == 0, "\(result)")
    let messages = lines(result.standardOutput).compactMap { $0.split(separator: " ").last.map(String.init) }
    #expect(messages.count == 150)
    #expect(messages == (0..<150).map { "t\(String(format: "%03d", $0))" }, "\(messages.prefix(12))")
  }

  @Test func oneFailingStreamDoesNotStopTheOthers() async throws {
    let cluster = try await startStack()
    defer { Task { await cluster.stop() } }
    cluster.server.updateBehavior {
      $0.rules = [.init(pathContains: "/pods/loki-0/log", action: .status(500, message: "kubelet unreachable"))]
    }
    let result = try cli.run(["logs", "all"] + cluster.flags)
    #expect(result.status == 0, "\(result)")
    #expect(lines(result.standardOutput).count == 3, "\(result)")
    #expect(result.standardOutput.contains("otel-collector-abc/collector collector started"))
    let warnings = lines(result.standardError).filter { $0.hasPrefix("warning: loki-0/") }
    #expect(warnings.count == 2, "\(result)")
  }

  @Test func lokiQueryThroughTheServiceProxy() async throws {
    let cluster = try await startStack()
    defer { Task { await cluster.stop() } }
    let state = cluster.server.state
    try state.add([
      "apiVersion": "v1", "kind": "Service",
      "metadata": ["name": "loki", "namespace": "monitoring", "labels": ["app.kubernetes.io/name": "loki"]],
      "spec": [
        "selector": ["app.kubernetes.io/name": "loki"],
        "ports": [["name": "http-metrics", "port": 3100, "targetPort": 3100]],
      ],
    ])
    let body = """
      {"status":"success","data":{"resultType":"streams","result":[
        {"stream":{"namespace":"mathtrail","pod":"checkout-1","container":"daprd"},
         "values":[["1790000002000000000","second"],["1790000000000000000","first"]]},
        {"stream":{"namespace":"mathtrail","pod":"cart-1","container":"app"},
         "values":[["1790000001000000000","middle"]]}]}}
      """
    state.setProxyAnswer(
      namespace: "monitoring", name: "loki", port: 3100, path: "/loki/api/v1/query_range", body: body)
    let result = try cli.run(["logs", "--loki", #"{namespace="mathtrail"}"#, "--since", "1h"] + cluster.flags)
    #expect(result.status == 0, "\(result)")
    #expect(
      lines(result.standardOutput) == ["checkout-1/daprd first", "cart-1/app middle", "checkout-1/daprd second"],
      "\(result)")
    let query = try #require(cluster.apiRequests.first { $0.path.hasSuffix("/query_range") })
    #expect(query.path == "/api/v1/namespaces/monitoring/services/loki:3100/proxy/loki/api/v1/query_range")

    state.setProxyAnswer(
      namespace: "monitoring", name: "loki", port: 3100, path: "/loki/api/v1/query_range", status: 400,
      body: "parse error at line 1, col 1: syntax error: unexpected IDENTIFIER\n", contentType: "text/plain")
    let failed = try cli.run(["logs", "--loki", "namespace=mathtrail"] + cluster.flags)
    #expect(failed.status == 1, "\(failed)")
    #expect(
      failed.standardError.contains(
        "Loki answered 400: parse error at line 1, col 1: syntax error: unexpected IDENTIFIER"), "\(failed)")
  }

  @Test func lokiFollowPollsAndPrintsNoLineTwice() async throws {
    let cluster = try await startStack()
    defer { Task { await cluster.stop() } }
    let state = cluster.server.state
    try state.add([
      "apiVersion": "v1", "kind": "Service", "metadata": ["name": "loki", "namespace": "monitoring"],
      "spec": ["selector": ["app.kubernetes.io/name": "loki"], "ports": [["port": 3100, "targetPort": 3100]]],
    ])
    // Every poll answers the same window edge again: none of it may be printed twice.
    state.setProxyAnswer(
      namespace: "monitoring", name: "loki", port: 3100, path: "/loki/api/v1/query_range",
      body: #"{"status":"success","data":{"resultType":"streams","result":[{"stream":{"pod":"p","container":"c"},"#
        + #""values":[["1790000001000000000","edge a"],["1790000001000000000","edge b"],["1790000000000000000","x"]]}]}}"#
    )
    cluster.server.clearRequests()
    let follower = try Follower(
      ["logs", "--loki", #"{namespace="mathtrail"}"#, "-f"] + cluster.flags, cli: cli, home: home)
    let polled = try await ProcessTable.wait(upTo: .seconds(30)) {
      cluster.apiRequests.filter { $0.path.hasSuffix("/query_range") }.count >= 3
    }
    #expect(polled, "\(follower.errorText)")
    let status = try await follower.interrupt()
    #expect(status == 130)
    #expect(follower.lines == ["p/c x", "p/c edge a", "p/c edge b"], "\(follower.lines) \(follower.errorText)")
    let directions = cluster.apiRequests.filter { $0.path.hasSuffix("/query_range") }.map { $0.queryItems["direction"] }
    #expect(directions.first == "backward")
    #expect(directions.dropFirst().allSatisfy { $0 == "forward" })
  }

  // MARK: Following

  /// A running `mtobs logs … -f` whose output is read from files.
  final class Follower {
    let process = Process()
    let output: URL
    let error: URL

    init(_ arguments: [String], cli: CLI, home: TemporaryDirectory) throws {
      output = home.url.appendingPathComponent("follow-out-\(UUID().uuidString)")
      error = home.url.appendingPathComponent("follow-err-\(UUID().uuidString)")
      _ = FileManager.default.createFile(atPath: output.path, contents: nil)
      _ = FileManager.default.createFile(atPath: error.path, contents: nil)
      process.executableURL = URL(fileURLWithPath: CLI.mtobsPath)
      process.arguments = arguments
      process.environment = cli.environment
      process.currentDirectoryURL = home.url
      process.standardOutput = try FileHandle(forWritingTo: output)
      process.standardError = try FileHandle(forWritingTo: error)
      process.standardInput = FileHandle.nullDevice
      try process.run()
    }

    var lines: [String] {
      ((try? String(contentsOf: output, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
    var errorText: String { (try? String(contentsOf: error, encoding: .utf8)) ?? "" }

    func waitFor(_ line: String) async throws -> Bool {
      try await ProcessTable.wait(upTo: .seconds(30)) { self.lines.contains(line) }
    }

    /// Ctrl-C; returns the exit status.
    func interrupt() async throws -> Int32 {
      kill(process.processIdentifier, SIGINT)
      let ended = try await ProcessTable.wait(upTo: .seconds(30)) { !self.process.isRunning }
      if !ended { kill(process.processIdentifier, SIGKILL) }
      process.waitUntilExit()
      return process.terminationStatus
    }
  }

  @Test func followPicksUpAPodAddedLater() async throws {
    let cluster = try await startStack()
    defer { Task { await cluster.stop() } }
    let follower = try Follower(["logs", "loki", "-f", "-c", "^loki$"] + cluster.flags, cli: cli, home: home)
    #expect(try await follower.waitFor("loki-0/loki level=error ingester"), "\(follower.errorText)")
    let state = cluster.server.state
    try state.add(Self.pod("loki-1", app: "loki", containers: ["loki"]))
    state.appendLog(namespace: "monitoring", pod: "loki-1", container: "loki", line: "second replica up")
    #expect(try await follower.waitFor("loki-1/loki second replica up"), "\(follower.lines) \(follower.errorText)")
    state.appendLog(namespace: "monitoring", pod: "loki-0", container: "loki", line: "still here")
    #expect(try await follower.waitFor("loki-0/loki still here"))
    let status = try await follower.interrupt()
    #expect(status == 130, "\(follower.errorText)")
    #expect(follower.errorText.isEmpty, "Ctrl-C ends quietly: \(follower.errorText)")
    #expect(follower.lines.count == Set(follower.lines).count, "duplicates: \(follower.lines)")
  }

  @Test func aRestartedOrDroppedStreamResumesWithoutDuplicates() async throws {
    let cluster = try await startStack()
    defer { Task { await cluster.stop() } }
    let state = cluster.server.state
    let second = Date(timeIntervalSince1970: (Date().timeIntervalSince1970).rounded(.down))
    // Several lines within one second: sinceTime (whole seconds) brings them back on resume.
    state.appendLog(
      namespace: "monitoring", pod: "otel-collector-abc", container: "collector",
      lines: [
        LogLine(time: second + 0.1, text: "same second 1"), LogLine(time: second + 0.2, text: "same second 2"),
      ])
    let follower = try Follower(["logs", "collector", "-f"] + cluster.flags, cli: cli, home: home)
    #expect(try await follower.waitFor("otel-collector-abc/collector same second 2"), "\(follower.errorText)")
    // The kubelet drops the stream: mtobs reconnects from the last second and skips what it printed.
    state.endLogFollows(namespace: "monitoring", pod: "otel-collector-abc")
    state.appendLog(
      namespace: "monitoring", pod: "otel-collector-abc", container: "collector", line: "after the drop",
      time: second + 0.3)
    #expect(try await follower.waitFor("otel-collector-abc/collector after the drop"), "\(follower.errorText)")
    // The container crashes and restarts: the new instance's lines follow, the notice comes once.
    try state.restartContainer(
      namespace: "monitoring", pod: "otel-collector-abc", container: "collector", reason: "OOMKilled", exitCode: 137)
    state.appendLog(
      namespace: "monitoring", pod: "otel-collector-abc", container: "collector", line: "restarted",
      time: second + 0.5)
    #expect(try await follower.waitFor("otel-collector-abc/collector restarted"), "\(follower.errorText)")
    let restartNotices = try await ProcessTable.wait(upTo: .seconds(10)) {
      follower.errorText.contains("OOMKilled")
    }
    _ = try await follower.interrupt()
    #expect(restartNotices, "\(follower.errorText)")
    #expect(follower.errorText.components(separatedBy: "OOMKilled").count == 2, "\(follower.errorText)")
    let lines = follower.lines
    #expect(lines.count == Set(lines).count, "duplicates: \(lines)")
    #expect(lines.filter { $0.hasPrefix("otel-collector-abc/") }.count == 6, "\(lines)")
  }

  @Test func aStreamThatGoesSilentIsReopenedFromItsLastLineWithoutDuplicates() async throws {
    let cluster = try await startStack()
    defer { Task { await cluster.stop() } }
    let state = cluster.server.state
    let follower = try Follower(
      ["logs", "collector", "-f", "--stall-timeout", "1s", "-v"] + cluster.flags, cli: cli, home: home)
    #expect(
      try await follower.waitFor("otel-collector-abc/collector level=error exporter failed"), "\(follower.errorText)")
    // The stream stays open but passes nothing on while the container goes on writing.
    state.stallLogFollows(namespace: "monitoring", pod: "otel-collector-abc")
    state.appendLog(
      namespace: "monitoring", pod: "otel-collector-abc", container: "collector", line: "written while silent")
    #expect(
      try await follower.waitFor("otel-collector-abc/collector written while silent"),
      "\(follower.lines) \(follower.errorText)")
    let reopened = follower.errorText.contains("otel-collector-abc/collector: nothing for 1s; reopened")
    _ = try await follower.interrupt()
    #expect(reopened, "\(follower.errorText)")
    let lines = follower.lines
    #expect(lines.count == Set(lines).count, "duplicates: \(lines)")
    #expect(lines.count == 3, "\(lines)")
  }

  @Test func aClosedPipeEndsTheRunAtOnce() async throws {
    let cluster = try await startStack()
    defer { Task { await cluster.stop() } }
    let bash = try #require(which("bash"))
    let command =
      ([CLI.mtobsPath, "logs", "all", "-f"] + cluster.flags).map { "'\($0)'" }.joined(separator: " ")
      + " | head -1; echo \"status=${PIPESTATUS[0]}\" >&2"
    let result = try CLI.run(
      executable: bash, ["-c", command], environment: cli.environment, in: home.url, timeout: .seconds(30))
    #expect(lines(result.standardOutput).count == 1, "\(result)")
    #expect(result.standardError.contains("status=0"), "\(result)")
    #expect(!result.standardError.contains("error"), "\(result)")
  }
}
