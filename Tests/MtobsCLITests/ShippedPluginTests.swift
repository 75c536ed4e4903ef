import Foundation
import KubeStandIn
import Testing

/// The plugins shipped in `plugins.d/` (PRODUCT.md §5), run through the built `mtobs` the way an
/// installed copy finds them, with the real kubectl against the stand-in API server.
@Suite("shipped plugins")
struct ShippedPluginTests {
  let home: TemporaryDirectory
  let cli: CLI
  /// `<prefix>/bin/mtobs` of an install layout whose `<prefix>/libexec/mtobs/plugins.d` holds the
  /// repository's shipped plugins.
  let mtobs: String

  static let shippedDirectory = CLI.packageRoot.appendingPathComponent("plugins.d")
  static let summaries = [
    "traces": "Recent traces from Tempo: trace ids, root span and durations",
    "events": "Recent Warning events of the stack and app namespaces, by object",
  ]

  init() throws {
    home = try TemporaryDirectory()
    cli = CLI(home: home.url)
    // mtobs looks for shipped plugins beside its resolved executable, so the built binary is
    // linked (copied on another filesystem) into a prefix; the plugins are copied with the modes
    // scripts/install (`make install`) gives them whatever the umask, which InstallTests checks.
    let prefix = home.url.appendingPathComponent("prefix")
    let bin = prefix.appendingPathComponent("bin")
    let plugins = prefix.appendingPathComponent("libexec/mtobs/plugins.d")
    let files = FileManager.default
    try files.createDirectory(at: bin, withIntermediateDirectories: true)
    try files.createDirectory(at: plugins, withIntermediateDirectories: true)
    mtobs = bin.appendingPathComponent("mtobs").path
    do {
      try files.linkItem(atPath: CLI.mtobsPath, toPath: mtobs)
    } catch {
      try files.copyItem(atPath: CLI.mtobsPath, toPath: mtobs)
    }
    for name in Self.summaries.keys {
      let target = plugins.appendingPathComponent("mtobs-" + name).path
      try files.copyItem(atPath: Self.shippedDirectory.appendingPathComponent("mtobs-" + name).path, toPath: target)
      try files.setAttributes([.posixPermissions: 0o755], ofItemAtPath: target)
    }
    for directory in [plugins, plugins.deletingLastPathComponent()] {
      try files.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
    }
  }

  /// Runs the installed mtobs. The environment's KUBECONFIG names a file that does not exist, so a
  /// plugin's kubectl reaches the stand-in only if it passes on `--kubeconfig` and `--context`.
  func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> CLI.Result {
    try CLI.run(
      executable: mtobs, arguments, environment: cli.environment.merging(extra) { $1 }, in: home.url)
  }

  func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

  // MARK: help and listing

  @Test func helpExitsZeroAndStartsWithTheSummary() throws {
    for (name, summary) in Self.summaries {
      let script = try String(
        contentsOf: Self.shippedDirectory.appendingPathComponent("mtobs-" + name), encoding: .utf8)
      #expect(lines(script).prefix(10).contains("# mtobs-summary: " + summary), "\(name)")
      for arguments in [[name, "--help"], ["help", name], [name, "-h"]] {
        let result = try run(arguments)
        #expect(result.status == 0, "\(arguments): \(result)")
        #expect(lines(result.standardOutput).first == summary, "\(arguments)")
        #expect(result.standardOutput.contains("Usage: mtobs \(name)"), "\(arguments)")
      }
      let wrong = try run([name, "--no-such-flag"])
      #expect(wrong.status == 1, "\(wrong)")
      #expect(wrong.standardError.contains("unknown argument '--no-such-flag'"))
    }
  }

  @Test func pluginListShowsThemAsShippedWithTheirSummaries() throws {
    struct Listed: Decodable {
      let name: String
      let summary: String?
      let version: String?
      let origin: String
      let runnable: Bool
      let warnings: [String]
    }
    struct Document: Decodable { let plugins: [Listed] }
    let result = try run(["plugin", "list", "-o", "json"])
    #expect(result.status == 0, "\(result)")
    let listed = try JSONDecoder().decode(Document.self, from: Data(result.standardOutput.utf8)).plugins
    #expect(Set(listed.map(\.name)) == Set(Self.summaries.keys), "\(result)")
    for plugin in listed {
      #expect(plugin.origin == "shipped", "\(plugin.name)")
      #expect(plugin.summary == Self.summaries[plugin.name])
      #expect(plugin.version == "1.0.0")
      #expect(plugin.runnable && plugin.warnings.isEmpty, "\(plugin.name): \(plugin.warnings)")
    }
    // Root help lists them (summaries read from the files, the plugins not run).
    let help = try run(["--help"])
    for summary in Self.summaries.values { #expect(help.standardOutput.contains(summary), "\(help)") }
  }

  // MARK: mtobs traces

  static let tempoSearch = """
    {"traces": [
      {"traceID": "2f3e0cee77ae5dc9c17ade3689eb2e54", "rootServiceName": "shop-backend",
       "rootTraceName": "update-billing", "startTimeUnixNano": "1764410400000000000", "durationMs": 557},
      {"traceID": "7a1d2dd4deaf177e0acf55b3c49032aa", "rootServiceName": "shop-backend",
       "rootTraceName": "GET /cart", "startTimeUnixNano": "1764410460000000000"}
    ], "metrics": {"inspectedTraces": 2}}
    """

  /// The first column of the table's rows (the header dropped).
  func traceIDs(_ result: CLI.Result) -> [String] {
    lines(result.standardOutput).dropFirst().compactMap { $0.split(separator: " ").first.map(String.init) }
  }

  func searches(_ cluster: StandInCluster) -> [RecordedRequest] {
    cluster.apiRequests.filter { $0.path.hasSuffix("/proxy/api/search") }
  }

  @Test(requires("python3")) func tracesListsAServicesNewestTracesFromTempo() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    stack.state.setProxyAnswer(
      namespace: "monitoring", name: "tempo", port: 3200, path: "/api/search", body: Self.tempoSearch)

    let result = try run(
      stack.cluster.flags + ["traces", "--service", "shop-backend", "--since", "2h", "--limit=5"])
    #expect(result.status == 0, "\(result)")
    // Newest first; a trace under a millisecond has no durationMs in Tempo's answer.
    #expect(traceIDs(result) == ["7a1d2dd4deaf177e0acf55b3c49032aa", "2f3e0cee77ae5dc9c17ade3689eb2e54"], "\(result)")
    let billing = try #require(lines(result.standardOutput).first { $0.hasPrefix("2f3e0cee") })
    #expect(billing.contains("update-billing") && billing.contains("557ms") && billing.contains("2025-11-29 10:00:00"))

    let search = try #require(searches(stack.cluster).first)
    #expect(search.path == "/api/v1/namespaces/monitoring/services/tempo:3200/proxy/api/search")
    #expect(search.queryItems["q"] == #"{resource.service.name="shop-backend"}"#)
    #expect(search.queryItems["limit"] == "5")
    let start = try #require(search.queryItems["start"].flatMap { Int($0) })
    let end = try #require(search.queryItems["end"].flatMap { Int($0) })
    #expect(end - start == 7200)
  }

  @Test(requires("python3")) func tracesAsksTempoWhereMtobsFindsItOrWhereTheUserSays() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    // Without the runbook's `tempo` Service, mtobs's discovery picks the chart's query frontend
    // by its labels and port name.
    _ = stack.state.remove(kind: "Service", name: "tempo", namespace: "monitoring")
    stack.state.setProxyAnswer(
      namespace: "monitoring", name: "lgtm-tempo-query-frontend", port: 8080, path: "/api/search",
      body: Self.tempoSearch)
    let discovered = try run(stack.cluster.flags + ["traces"])
    #expect(discovered.status == 0, "\(discovered)")
    #expect(traceIDs(discovered).count == 2)
    #expect(searches(stack.cluster).last?.path.contains("/services/lgtm-tempo-query-frontend:8080/") == true)
    #expect(searches(stack.cluster).last?.queryItems["q"] == "{}")

    // A Tempo that fails: the plugin says which Service it asked, and exits 1.
    stack.state.setProxyAnswer(
      namespace: "monitoring", name: "lgtm-tempo-query-frontend", port: 8080, path: "/api/search", status: 500,
      body: "too many requests\n", contentType: "text/plain")
    let failing = try run(stack.cluster.flags + ["traces"])
    #expect(failing.status == 1, "\(failing)")
    #expect(failing.standardError.contains("Tempo (monitoring/lgtm-tempo-query-frontend:8080) did not answer"))

    // The user's configuration names it; --tempo overrides everything.
    try home.write("tempo:\n  service: traces-query\n  port: 3300\n", to: ".config/mtobs/config.yaml")
    let configured = try run(stack.cluster.flags + ["traces"])
    #expect(configured.status == 1, "\(configured)")
    #expect(configured.standardError.contains(#"services "traces-query" not found"#), "\(configured)")
    #expect(searches(stack.cluster).last?.path.contains("/services/traces-query:3300/") == true)

    let named = try run(stack.cluster.flags + ["traces", "--tempo", "lgtm-tempo-query-frontend:8080"])
    #expect(named.status == 1, "\(named)")
    #expect(named.standardError.contains("Tempo (monitoring/lgtm-tempo-query-frontend:8080) did not answer"))
    #expect(named.standardError.contains("name its query Service with --tempo"))
  }

  @Test func tracesRejectsBadValuesBeforeAskingTheCluster() throws {
    for (arguments, problem) in [
      (["--since", "yesterday"], "--since: 'yesterday' is not a duration"),
      (["--limit", "0"], "--limit: '0' is not a number"),
      (["--service", #"a"}|{"#], "is not a service name"),
      (["--service"], "--service needs a value"),
    ] {
      let result = try run(["traces"] + arguments)
      #expect(result.status == 1, "\(arguments): \(result)")
      #expect(result.standardError.contains(problem), "\(arguments): \(result)")
    }
  }

  @Test func tracesSaysWhatIsMissingWithoutPython() throws {
    // A PATH with bash only: `command -v python3` fails before any kubectl call.
    let bin = home.url.appendingPathComponent("bash-only")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: bin.appendingPathComponent("bash").path, withDestinationPath: try #require(which("bash")))
    let result = try run(["traces"], environment: ["PATH": bin.path])
    #expect(result.status == 1, "\(result)")
    #expect(result.standardError.contains("python3 is needed to read Tempo's answer"), "\(result)")
  }

  // MARK: mtobs events

  static func event(
    _ name: String, namespace: String, type: String = "Warning", object: String, reason: String, count: Int,
    message: String, time: String
  ) -> String {
    let parts = object.split(separator: "/")
    return """
      apiVersion: v1
      kind: Event
      metadata: {name: \(name), namespace: \(namespace)}
      type: \(type)
      reason: \(reason)
      count: \(count)
      message: "\(message)"
      lastTimestamp: "\(time)"
      involvedObject: {kind: \(parts[0]), name: \(parts[1]), namespace: \(namespace)}
      """
  }

  static let events = [
    event(
      "ingester.1", namespace: "monitoring", object: "Pod/lgtm-tempo-ingester-0", reason: "BackOff", count: 12,
      message: "Back-off restarting failed container\\nsecond line", time: "2026-11-29T10:05:00Z"),
    event(
      "ingester.2", namespace: "monitoring", object: "Pod/lgtm-tempo-ingester-0", reason: "Unhealthy", count: 3,
      message: "Readiness probe failed: HTTP probe failed with statuscode: 503", time: "2026-11-29T10:01:00Z"),
    event(
      "ingester.3", namespace: "monitoring", type: "Normal", object: "Pod/lgtm-tempo-ingester-0", reason: "Pulled",
      count: 1, message: "Container image pulled", time: "2026-11-29T10:09:00Z"),
    event(
      "web.1", namespace: "mathtrail", object: "Deployment/web", reason: "FailedCreate", count: 1,
      message: "quota exceeded", time: "2026-11-29T10:07:00Z"),
    event(
      "web.2", namespace: "mathtrail", object: "Pod/web-6d4f-abcde", reason: "FailedMount", count: 4,
      message: "secret web-tls not found", time: "2026-11-29T09:58:00Z"),
    event(
      "other.1", namespace: "other", object: "Pod/elsewhere", reason: "BackOff", count: 1, message: "not ours",
      time: "2026-11-29T10:08:00Z"),
  ].joined(separator: "\n---\n")

  /// The block headers: one line per object, "NAMESPACE  Kind/name: N warning(s)".
  func objectHeaders(_ result: CLI.Result) -> [String] {
    lines(result.standardOutput).filter { !$0.hasPrefix(" ") }
  }

  @Test func eventsGroupsWarningsByObjectNewestFirst() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    try stack.state.load(yaml: Self.events)

    let result = try run(stack.cluster.flags + ["events"])
    #expect(result.status == 0, "\(result)")
    #expect(
      objectHeaders(result) == [
        "mathtrail  Deployment/web: 1 warning",
        "monitoring  Pod/lgtm-tempo-ingester-0: 2 warnings",
        "mathtrail  Pod/web-6d4f-abcde: 1 warning",
      ], "\(result)")
    let details = lines(result.standardOutput).filter { $0.hasPrefix("  ") }
    #expect(details.count == 4)
    // Within an object, newest first; a multi-line message stays on its line.
    #expect(
      details[1] == #"  2026-11-29T10:05:00Z  BackOff (x12)  Back-off restarting failed container\nsecond line"#,
      "\(result)")
    #expect(details[2].hasPrefix("  2026-11-29T10:01:00Z  Unhealthy (x3)  Readiness probe failed"))
    #expect(!result.standardOutput.contains("Pulled") && !result.standardOutput.contains("not ours"))

    // The stack namespace is mtobs's -n; the app namespace is the plugin's flag.
    let other = try run(stack.cluster.flags + ["-n", "other", "events", "--app-namespace", "nothing-here"])
    #expect(other.status == 0, "\(other)")
    #expect(objectHeaders(other) == ["other  Pod/elsewhere: 1 warning"], "\(other)")
  }

  @Test func eventsSaysSoWhenThereAreNoWarnings() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    let result = try run(stack.cluster.flags + ["events", "--app-namespace=apps"])
    #expect(result.status == 0, "\(result)")
    #expect(result.standardOutput.isEmpty)
    #expect(result.standardError.contains("No Warning events in monitoring or apps."), "\(result)")

    stack.cluster.server.updateBehavior { $0.rules = [.forbidden(resource: "events")] }
    let forbidden = try run(stack.cluster.flags + ["events"])
    #expect(forbidden.status == 1, "\(forbidden)")
    #expect(forbidden.standardError.contains("cannot list the events of namespace monitoring"), "\(forbidden)")
  }
}
