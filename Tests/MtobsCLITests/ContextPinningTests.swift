import Foundation
import KubeStandIn
import MtobsCore
import Testing

/// `health` and `bundle` make many calls: the context is resolved once, at the start, so a
/// `kubectl config use-context` while they run cannot send the rest to another cluster.
@Suite("the target is fixed once", requires("kubectl"))
struct ContextPinningTests {
  /// Two stand-in clusters in one kubeconfig (current: `first`), and a kubectl wrapper that
  /// switches the current context to `second` right after the first call it serves.
  private func twoClusters(
    in home: TemporaryDirectory
  ) async throws -> (
    first: StackScenario, second: StackScenario, kubeconfig: URL, wrapper: URL
  ) {
    let first = try await StackScenario.start(in: home, context: "first")
    let second = try await StackScenario.start(in: home, context: "second")
    let kubeconfig = try home.write(
      """
      apiVersion: v1
      kind: Config
      clusters:
      - {name: first, cluster: {server: "\(first.cluster.server.url)"}}
      - {name: second, cluster: {server: "\(second.cluster.server.url)"}}
      users: [{name: u, user: {token: \(StandInAPIServer.defaultToken)}}]
      contexts:
      - {name: first, context: {cluster: first, user: u, namespace: monitoring}}
      - {name: second, context: {cluster: second, user: u, namespace: monitoring}}
      current-context: first
      """, to: "kubeconfig-two")
    let kubectl = try #require(which("kubectl"))
    let mark = home.url.appendingPathComponent("switched").path
    let wrapper = try home.write(
      """
      #!/bin/sh
      "\(kubectl)" "$@"
      status=$?
      if [ ! -e "\(mark)" ]; then
        touch "\(mark)"
        "\(kubectl)" --kubeconfig "\(kubeconfig.path)" config use-context second >/dev/null
      fi
      exit $status
      """, to: "bin/kubectl", executable: true)
    first.cluster.server.clearRequests()
    second.cluster.server.clearRequests()
    return (first, second, kubeconfig, wrapper)
  }

  @Test func switchingTheCurrentContextDuringHealthMovesNothing() async throws {
    let home = try TemporaryDirectory()
    let setup = try await twoClusters(in: home)
    defer { Self.stop(setup.first, setup.second) }
    let cli = CLI(home: home.url)
    let result = try cli.run(
      ["health", "-o", "json", "--kubeconfig", setup.kubeconfig.path],
      environment: ["MTOBS_KUBECTL": setup.wrapper.path])
    let report = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
    #expect(report?["context"] as? String == "first", "\(result)")
    #expect(result.status == 0, "\(result)")
    #expect(!setup.first.cluster.apiRequests.isEmpty)
    #expect(setup.second.cluster.apiRequests.isEmpty, "\(setup.second.cluster.apiRequests.map(\.path))")
  }

  @Test func switchingTheCurrentContextDuringBundleMovesNothing() async throws {
    let home = try TemporaryDirectory()
    let setup = try await twoClusters(in: home)
    defer { Self.stop(setup.first, setup.second) }
    let cli = CLI(home: home.url)
    let path = home.url.appendingPathComponent("b.json").path
    let result = try cli.run(
      ["bundle", "-o", path, "--kubeconfig", setup.kubeconfig.path], environment: ["MTOBS_KUBECTL": setup.wrapper.path])
    #expect(result.status == 0, "\(result)")
    #expect(try BundleFile.load(path: path).context == "first")
    #expect(setup.second.cluster.apiRequests.isEmpty, "\(setup.second.cluster.apiRequests.map(\.path))")
  }

  private static func stop(_ stacks: StackScenario...) {
    let clusters = stacks.map(\.cluster)
    Task { for cluster in clusters { await cluster.stop() } }
  }
}
