import Foundation
import KubeStandIn
import Testing

/// What the user sees when the cluster cannot be used: a one-line reason, a hint, exit code 2,
/// and never a hang.
@Suite("Cluster errors", requires("kubectl"))
struct ClusterErrorTests {
  let home: TemporaryDirectory
  let cli: CLI

  init() throws {
    home = try TemporaryDirectory()
    cli = CLI(home: home.url)
  }

  /// A kubeconfig whose only cluster is `server`.
  private func kubeconfig(server: String, context: String = "dev") throws -> URL {
    try home.write(
      """
      apiVersion: v1
      kind: Config
      clusters:
      - name: c
        cluster: {server: "\(server)"}
      users:
      - name: u
        user: {token: not-a-real-token}
      contexts:
      - name: \(context)
        context: {cluster: c, user: u, namespace: monitoring}
      current-context: \(context)
      """, to: "kubeconfig-\(UUID().uuidString).yaml")
  }

  @Test func unreachableServerFailsFastWithAdvice() throws {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    let config = try kubeconfig(server: "http://127.0.0.1:1")
    let result = try cli.run(["version", "--kubeconfig", config.path])
    #expect(result.status == 2, "\(result)")
    #expect(result.standardError.contains("cannot reach the API server of the current context"), "\(result)")
    #expect(result.standardError.contains("hint:"))
    #expect(result.duration < .seconds(15))
  }

  @Test func missingContextIsNamed() throws {
    let config = try kubeconfig(server: "http://127.0.0.1:1")
    let result = try cli.run(["version", "--kubeconfig", config.path, "--context", "staging"])
    #expect(result.status == 2, "\(result)")
    #expect(result.standardError.contains("context 'staging' is not in the kubeconfig"), "\(result)")
    #expect(result.standardError.contains("kubectl config get-contexts"))
  }

  @Test func verboseEchoesTheCommandsItRuns() throws {
    let config = try kubeconfig(server: "http://127.0.0.1:1")
    let result = try cli.run(["-v", "version", "--client", "--kubeconfig", config.path])
    #expect(result.status == 0, "\(result)")
    #expect(result.standardError.contains("+ \(which("kubectl")!) version -o json --client"), "\(result)")
  }

  @Test func verboseMasksTheToken() throws {
    let config = try kubeconfig(server: "http://127.0.0.1:1")
    let result = try cli.run(["-v", "version", "--kubeconfig", config.path])
    #expect(result.standardError.contains("--kubeconfig \(config.path)"), "\(result)")
    #expect(!result.standardError.contains("not-a-real-token"))
  }

  // MARK: - Diagnoses from the real status and body (issue 7 §3)

  /// `health -o json` against `cluster`; the check `id`'s message and hint.
  private func healthCheck(
    _ id: String, _ cluster: StandInCluster, _ extra: [String] = []
  ) throws -> (
    status: String?, message: String, hint: String, result: CLI.Result
  ) {
    let result = try cli.run(["health", "-o", "json"] + extra + cluster.flags)
    let document = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
    let checks = document?["checks"] as? [[String: Any]] ?? []
    let check = try #require(checks.first { $0["id"] as? String == id }, "\(id) in \(result)")
    return (check["status"] as? String, check["message"] as? String ?? "", check["hint"] as? String ?? "", result)
  }

  @Test func aServiceWithoutEndpointsIsNamed() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    // A selector that matches no pod: the API server answers 503 "no endpoints available for service".
    try stack.state.modify(kind: "Service", name: "loki", namespace: "monitoring") { service in
      service[path: "spec", "selector"] = .object(["app.kubernetes.io/name": .string("nothing-matches")])
    }
    let loki = try healthCheck("backends.loki", stack.cluster)
    #expect(loki.status == "fail", "\(loki.result)")
    #expect(loki.message.contains("HTTP 503: no ready endpoints behind Service loki"), "\(loki.message)")
  }

  @Test func aPodThatRefusesIsNamedWithItsPort() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    let pod = try #require(stack.collectorPods.first)
    // The stand-in answers a pod without a canned answer like the API server whose dial is refused.
    stack.state.removeProxyAnswers(namespace: "monitoring", kind: .pod, name: pod)
    let health = try healthCheck("collector.health", stack.cluster)
    #expect(health.status == "fail", "\(health.result)")
    #expect(health.message.contains("pod \(pod) does not accept connections on port 13133"), "\(health.message)")
    #expect(!health.message.contains("cannot reach the API server"), "\(health.message)")
  }

  @Test func throttlingIsNotATimeout() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    // Retry-After 0: kubectl retries at once (ten times) instead of sleeping, then gives up.
    stack.state.setProxyAnswer(
      namespace: "monitoring", kind: .service, name: "tempo", port: 3200, path: "/ready", status: 429,
      body: #"{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"TooManyRequests","#
        + #""message":"the server has received too many requests and has asked us to try again later","code":429}"#,
      headers: ["Retry-After": "0"])
    let tempo = try healthCheck("backends.tempo", stack.cluster)
    #expect(tempo.status == "fail", "\(tempo.result)")
    #expect(tempo.message.contains("the API server is throttling requests (429), retry after 0 s"), "\(tempo.message)")
  }

  @Test func aServerErrorSaysWhatTheServerAnswered() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    stack.cluster.server.updateBehavior {
      $0.rules = [.init(resource: "pods", action: .status(500, message: "etcdserver: leader changed"))]
    }
    let result = try cli.run(["health", "-o", "json"] + stack.cluster.flags)
    #expect(result.standardOutput.contains("the API server answered 500: etcdserver: leader changed"), "\(result)")
    #expect(!result.standardOutput.contains("memcache.go"), "\(result)")
  }

  @Test func requestTimeoutBoundsEachCall() async throws {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    stack.cluster.server.updateBehavior { $0.rules = [.hang(subresource: "proxy")] }
    let loki = try healthCheck("backends.loki", stack.cluster, ["--request-timeout", "1s"])
    #expect(loki.status == "fail", "\(loki.result)")
    #expect(loki.result.duration < .seconds(9), "\(loki.result)")
    #expect(!loki.hint.contains("raise --timeout"))
    let bad = try cli.run(["version", "--request-timeout", "soon"])
    #expect(bad.status == 64, "\(bad)")
    #expect(bad.standardError.contains("--request-timeout takes a duration"), "\(bad)")
  }
}
