import Foundation
import TestSupport
import Testing

/// A TAB that runs out of time leaves nothing running: not the helper it started (kubectl, a
/// plugin's completion command), nor what that helper started in turn.
@Suite("completion teardown")
struct CompletionTeardownTests {
  let home: TemporaryDirectory
  let cli: CLI
  /// Where the hanging process writes its pid before it sleeps.
  var pidFile: String { home.url.appendingPathComponent("sleeper.pid").path }
  /// A shell line that records its pid, then hangs far longer than TAB waits. The `sleep` is the
  /// hang under test (a credential plugin or completion that never answers), not a wait of the
  /// test's: the test waits on the process table, with a deadline.
  var sleeper: String { "echo $$ > '\(pidFile)'; exec sleep 37" }

  /// The sleeper's pid, once it has written it (within a deadline; nil if it never did).
  func sleeperPID() async throws -> Int32? {
    var pid: Int32?
    _ = try await ProcessTable.wait(upTo: .seconds(5)) {
      pid = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap {
        Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
      }
      return pid != nil
    }
    return pid
  }

  init() throws {
    home = try TemporaryDirectory()
    cli = CLI(home: home.url)
  }

  /// The sleeper started while TAB waited (or the test proves nothing), and is gone after it.
  func expectNoSleeperAfter(_ tab: () throws -> CLI.Result) async throws {
    try #require(ProcessTable.isReadable, Comment(rawValue: ProcessTable.unreadableReason))
    let result = try tab()
    #expect(result.status == 0, "\(result)")
    #expect(result.standardOutput.isEmpty, "\(result)")
    #expect(result.duration < .seconds(5), "TAB waited \(result.duration)")
    let pid = try #require(try await sleeperPID(), "the sleeper never started")
    let gone = try await ProcessTable.wait(upTo: .seconds(3)) { !ProcessTable.isRunning(pid) }
    if !gone {
      Issue.record("the sleeper (pid \(pid)) outlived the TAB")
      kill(pid, SIGKILL)
    }
  }

  /// kubectl runs the user's credential plugin (here one that hangs) before it asks the cluster.
  @Test(requires("kubectl")) func aHangingCredentialPluginIsStoppedWithKubectl() async throws {
    let kubeconfig = try home.write(
      """
      apiVersion: v1
      kind: Config
      current-context: slow
      clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
      users:
        - name: u
          user:
            exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: sh, args: ["-c", "\(sleeper)"],
              interactiveMode: Never}
      contexts: [{name: slow, context: {cluster: c, user: u}}]
      """, to: "slow.yaml")
    let words = ["mtobs", "health", "--kubeconfig", kubeconfig.path, "-n", ""]
    try await expectNoSleeperAfter {
      try cli.run(
        ["---completion", "health", "--", "--namespace", "\(words.count - 1)", "0"] + words,
        environment: ["SAP_SHELL": "bash"])
    }
  }

  /// A plugin whose completion command hangs in a child of its own.
  @Test func aHangingPluginCompletionIsStoppedWithItsChildren() async throws {
    try home.writePlugin(
      "slow", in: "plugins",
      script: PluginScript.text(
        body: """
          if [ "$1" = "__complete" ]; then sleep 37 & echo $! > '\(pidFile)'; wait; fi
          """))
    _ = try home.write("completion: __complete\n", to: "plugins/mtobs-slow.yaml")
    try await expectNoSleeperAfter {
      try cli.run(
        ["---mtobs-complete", "arguments", "bash", "slow", ""],
        environment: ["MTOBS_PLUGIN_PATH": home.url.appendingPathComponent("plugins").path])
    }
  }
}
