import Foundation
import KubeStandIn
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The run's one `kubectl proxy` (PRODUCT.md §3): the real kubectl serves a private socket, every
/// read goes over it, and it is gone when mtobs is — whatever happened on the way.
@Suite(
  "API transport over kubectl proxy", requires("kubectl"),
  .enabled(if: ProcessTable.isReadable, Comment(rawValue: ProcessTable.unreadableReason)))
struct TransportTests {
  let home: TemporaryDirectory
  let cli: CLI
  /// The socket's parent, private to each test, so a test can see what is left in it.
  let runtime: URL

  init() throws {
    home = try TemporaryDirectory()
    runtime = home.url.appendingPathComponent("run")
    try FileManager.default.createDirectory(at: runtime, withIntermediateDirectories: true)
    var cli = CLI(home: home.url)
    cli.environment["XDG_RUNTIME_DIR"] = runtime.path
    self.cli = cli
  }

  private func health(_ cluster: StandInCluster, _ extra: [String] = []) throws -> (CLI.Result, [String: Any]) {
    let result = try cli.run(["health", "-o", "json"] + extra + cluster.flags)
    let document = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
    return (result, try #require(document as? [String: Any], "stdout is one JSON object: \(result)"))
  }

  private func check(_ id: String, in report: [String: Any]) -> [String: Any]? {
    (report["checks"] as? [[String: Any]])?.first { $0["id"] as? String == id }
  }

  private var leftInRuntime: [String] { (try? FileManager.default.contentsOfDirectory(atPath: runtime.path)) ?? [] }

  @Test func oneKubectlProcessServesAWholeHealthRun() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    stack.cluster.server.clearRequests()
    let result = try cli.run(["-v", "health"] + stack.cluster.flags)
    #expect(result.status == 0, "\(result)")
    let count = result.standardError.split(separator: "\n").first { $0.hasPrefix("health: ") }
    #expect(count?.hasPrefix("health: 1 kubectl process, ") == true, "\(result)")
    // The proxy command, echoed once; no other kubectl command ran.
    let commands = result.standardError.split(separator: "\n").filter { $0.contains("+ ") && $0.contains("kubectl") }
    #expect(commands.count == 1, "\(commands)")
    #expect(commands.first?.contains(" proxy --unix-socket \(runtime.path)/mtobs-proxy-") == true, "\(commands)")
    // Each kubectl process costs the dispatcher's version probe (where kubectl is that dispatcher).
    #expect(stack.cluster.server.requests.filter(\.isDispatcherProbe).count <= 1)
    // Every read came over the proxy, none from a kubectl command of its own.
    let reads = stack.cluster.apiRequests
    #expect(reads.count > 5, "\(reads.count) requests")
    #expect(reads.allSatisfy { $0.userAgent.hasPrefix("mtobs/") }, "\(reads.map(\.userAgent))")
  }

  @Test func verboseShowsEachRequestAndNoCredential() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    let token = "mtobs-test-credential-\(UUID().uuidString)"
    try stack.cluster.server.writeKubeconfig(
      to: stack.cluster.kubeconfig.path, context: stack.cluster.context, namespace: "monitoring", token: token)
    let result = try cli.run(["-v", "health"] + stack.cluster.flags)
    #expect(result.status == 0, "\(result)")
    let lines = result.standardError.split(separator: "\n").map(String.init)
    #expect(
      lines.contains { $0.hasPrefix("GET /api/v1/namespaces/monitoring/pods → 200 (") && $0.hasSuffix(" ms)") },
      "\(result)")
    #expect(lines.contains { $0.hasPrefix("GET /version → 200 (") }, "\(result)")
    #expect(!result.standardError.contains(token), "the kubeconfig's token is on stderr")
    #expect(!result.standardOutput.contains(token), "the kubeconfig's token is on stdout")
  }

  @Test func theSocketDirectoryIsPrivateAndRemovedAfterwards() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    // Slow probes keep the run going while the directory is looked at.
    stack.cluster.server.updateBehavior { $0.rules = [.init(subresource: "proxy", action: .delay(.seconds(2)))] }
    let process = try launch(["health", "-o", "json"] + stack.cluster.flags)
    var directories: [String] = []
    let appeared = try await ProcessTable.wait(upTo: .seconds(30)) {
      directories = leftInRuntime.filter { $0.hasPrefix("mtobs-proxy-") }
      return !directories.isEmpty
        && FileManager.default.fileExists(atPath: runtime.appendingPathComponent(directories[0] + "/kube.sock").path)
    }
    try #require(appeared, "no socket appeared under \(runtime.path)")
    let attributes = try FileManager.default.attributesOfItem(
      atPath: runtime.appendingPathComponent(directories[0]).path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
    #expect(try await ProcessTable.wait(upTo: .seconds(60)) { !process.isRunning })
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(leftInRuntime.isEmpty, "left behind: \(leftInRuntime)")
  }

  @Test func aProxyThatCannotStartNamesKubectlsMessage() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    let result = try cli.run(
      ["health", "-o", "json", "--kubeconfig", stack.cluster.kubeconfig.path, "--context", "nope"],
      timeout: .seconds(30))
    #expect(result.status == 2, "\(result)")
    #expect(result.duration < .seconds(15), "\(result)")
    let report = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any] ?? [:]
    let message = check("kubernetes.api", in: report)?["message"] as? String ?? ""
    #expect(message.contains("context 'nope' is not in the kubeconfig"), "\(result)")
    #expect(message.contains(#"context "nope" does not exist"#), "kubectl's own words: \(result)")
    #expect(leftInRuntime.isEmpty, "left behind: \(leftInRuntime)")
  }

  @Test func anUnreachableAPIServerIsReportedWithinTheTimeout() async throws {
    let stack = try await StackScenario.start(in: home)
    // The kubeconfig stays; the server behind it goes away, so the proxy starts and every request fails.
    await stack.cluster.stop()
    let (result, report) = try health(stack.cluster, ["--request-timeout", "3s"])
    #expect(result.status == 2, "\(result)")
    #expect(result.duration < .seconds(20), "\(result)")
    let message = check("kubernetes.api", in: report)?["message"] as? String ?? ""
    #expect(message.contains("cannot reach the API server of context 'standin'"), "\(message)")
    #expect(message.contains("connection refused"), "Go's error text, as kubectl proxy gave it: \(message)")
  }

  @Test func aHugeBackendAnswerIsCutOffAndReported() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    let huge = String(repeating: "x", count: 10_000_000)
    stack.state.setProxyAnswer(
      namespace: "monitoring", kind: .service, name: "loki", port: 3100, path: "/ready", status: 200, body: huge,
      contentType: "text/plain")
    let (result, report) = try health(stack.cluster)
    #expect(result.status == 1, "\(result)")
    let loki = check("backends.loki", in: report)
    #expect(loki?["status"] as? String == "fail", "\(String(describing: loki))")
    let message = loki?["message"] as? String ?? ""
    #expect(message.contains("answered more than 8 MiB"), "\(String(describing: loki))")
    // The rest of the run is unaffected.
    #expect(check("backends.tempo", in: report)?["status"] as? String == "pass")
  }

  @Test func anUnwritableSocketDirectoryIsAClearError() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    let missing = home.url.appendingPathComponent("no-such-dir").path
    let result = try cli.run(
      ["health", "-o", "json"] + stack.cluster.flags, environment: ["XDG_RUNTIME_DIR": missing], timeout: .seconds(30))
    #expect(result.status == 2, "\(result)")
    #expect(
      result.standardOutput.contains("cannot create a private directory for kubectl proxy's socket in \(missing)"))
  }

  @Test func ctrlCLeavesNoKubectlProxyBehind() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    let (process, proxies) = try await healthHangingInAProbe(stack)
    let pid = process.processIdentifier
    kill(pid, SIGINT)
    let ended = try await ProcessTable.wait(upTo: .seconds(15)) { !process.isRunning }
    if !ended { kill(pid, SIGKILL) }
    process.waitUntilExit()
    #expect(ended, "mtobs did not stop on Ctrl-C")
    #expect(process.terminationStatus == 130)
    let groups = Set(proxies.map(\.group))
    var survivors: [ProcessTable.Entry] = []
    _ = try await ProcessTable.wait(upTo: .seconds(10)) {
      survivors = ProcessTable.living(inGroups: groups)
      return survivors.isEmpty
    }
    #expect(survivors.isEmpty, "still running: \(survivors.map(\.pid))")
    for survivor in survivors { kill(survivor.pid, SIGKILL) }
    #expect(leftInRuntime.isEmpty, "left behind: \(leftInRuntime)")
  }

  /// `kill -9` leaves the socket directory (kubectl dies with mtobs, its socket file stays); the
  /// next run that ends normally removes it.
  @Test func aKilledRunsSocketDirectoryIsRemovedByTheNextRun() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    let (process, proxies) = try await healthHangingInAProbe(stack)
    let pid = process.processIdentifier
    kill(pid, SIGKILL)
    process.waitUntilExit()
    let groups = Set(proxies.map(\.group))
    #expect(try await ProcessTable.wait(upTo: .seconds(10)) { ProcessTable.living(inGroups: groups).isEmpty })
    let leftover = leftInRuntime
    #expect(leftover.count == 1 && leftover[0].hasPrefix("mtobs-proxy-"), "\(leftover)")
    #expect(
      FileManager.default.fileExists(atPath: runtime.appendingPathComponent((leftover.first ?? "") + "/kube.sock").path)
    )

    stack.cluster.server.updateBehavior { $0.rules = [] }
    let (result, _) = try health(stack.cluster)
    #expect(result.status == 0, "\(result)")
    #expect(leftInRuntime.isEmpty, "left behind: \(leftInRuntime)")
  }

  @Test func aProxyThatDiesMidRunIsNamedAndDoesNotHang() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    stack.cluster.server.updateBehavior { $0.rules = [.hang(subresource: "proxy")] }
    let output = home.url.appendingPathComponent("report.json")
    let process = try launch(
      ["health", "-o", "json", "--request-timeout", "30s"] + stack.cluster.flags, output: output)
    let pid = process.processIdentifier
    var proxies: [ProcessTable.Entry] = []
    let running = try await ProcessTable.wait(upTo: .seconds(30)) {
      proxies = ProcessTable.living(childrenOf: pid).filter { Self.isKubectlProxy($0.pid) }
      return !proxies.isEmpty && stack.cluster.apiRequests.contains { $0.subresource == "proxy" }
    }
    try #require(running, "no kubectl proxy with a request through it within 30 s")
    for proxy in proxies { kill(proxy.pid, SIGKILL) }
    let ended = try await ProcessTable.wait(upTo: .seconds(15)) { !process.isRunning }
    if !ended { kill(pid, SIGKILL) }
    process.waitUntilExit()
    #expect(ended, "mtobs waited on a dead proxy")
    // Whichever reads were in flight (the probes, perhaps some lists) name the dead proxy.
    let document = try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any] ?? [:]
    let messages = (document["checks"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
    #expect(messages.contains { $0.contains("kubectl proxy ended during the run") }, "\(messages)")
    #expect(leftInRuntime.isEmpty, "left behind: \(leftInRuntime)")
  }

  private func launch(_ arguments: [String], output: URL? = nil) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLI.mtobsPath)
    process.arguments = arguments
    process.environment = cli.environment
    process.currentDirectoryURL = home.url
    if let output {
      _ = FileManager.default.createFile(atPath: output.path, contents: nil)
      process.standardOutput = try FileHandle(forWritingTo: output)
    } else {
      process.standardOutput = FileHandle.nullDevice
    }
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
  }

  /// `health` started with every probe hanging, once its kubectl proxy carries a request.
  private func healthHangingInAProbe(_ stack: StackScenario) async throws -> (Process, [ProcessTable.Entry]) {
    stack.cluster.server.updateBehavior { $0.rules = [.hang(subresource: "proxy")] }
    let process = try launch(["health", "-o", "json"] + stack.cluster.flags)
    var proxies: [ProcessTable.Entry] = []
    let running = try await ProcessTable.wait(upTo: .seconds(30)) {
      proxies = ProcessTable.living(childrenOf: process.processIdentifier).filter { Self.isKubectlProxy($0.pid) }
      return !proxies.isEmpty && stack.cluster.apiRequests.contains { $0.subresource == "proxy" }
    }
    try #require(running, "no kubectl proxy with a request through it within 30 s")
    return (process, proxies)
  }

  private static func isKubectlProxy(_ pid: Int32) -> Bool {
    let data = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
    let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    return words.contains { $0.hasSuffix("/kubectl") } && words.contains("proxy") && words.contains("--unix-socket")
  }
}
