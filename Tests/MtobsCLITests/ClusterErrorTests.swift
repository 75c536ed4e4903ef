import Foundation
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
}
