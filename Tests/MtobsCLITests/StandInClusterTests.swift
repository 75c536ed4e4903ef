import Foundation
import KubeStandIn
import Testing

/// The cluster access layer against a live (stand-in) API server: real kubectl, real HTTP, faults
/// injected by the server. Each failure must be one clear line, exit 2, and bounded in time.
@Suite("Cluster access against the stand-in API server", requires("kubectl"))
struct StandInClusterTests {
  let home: TemporaryDirectory
  let cli: CLI

  init() throws {
    home = try TemporaryDirectory()
    cli = CLI(home: home.url)
  }

  @Test func versionReportsTheServersVersion() async throws {
    let cluster = try await StandInCluster(stateYAML: "serverVersion: v1.31.7\nobjects: []\n", in: home)
    defer { Task { await cluster.stop() } }
    let result = try cli.run(["version", "-o", "json"] + cluster.flags)
    #expect(result.status == 0, "\(result)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    let server = try #require(json["server"] as? [String: Any], "\(result)")
    #expect(server["version"] as? String == "v1.31.7", "\(result)")
    #expect(server["context"] as? String == "standin", "\(result)")
  }

  @Test func rejectedCredentialsAreOneLineWithAdvice() async throws {
    let cluster = try await StandInCluster(in: home)
    defer { Task { await cluster.stop() } }
    cluster.server.updateBehavior { $0.rules = [.unauthorized()] }
    let result = try cli.run(["deploy", "--history"] + cluster.flags)
    #expect(result.status == 2, "\(result)")
    #expect(
      result.standardError.contains("rejected the credentials of context 'standin' (401 Unauthorized)"), "\(result)")
    #expect(result.standardError.contains("kubectl auth whoami"), "\(result)")
  }

  @Test func forbiddenReadsNameWhatWasRefused() async throws {
    let cluster = try await StandInCluster(in: home)
    defer { Task { await cluster.stop() } }
    cluster.server.updateBehavior { $0.rules = [.forbidden(resource: "configmaps")] }
    let result = try cli.run(["deploy", "--history"] + cluster.flags)
    #expect(result.status == 2, "\(result)")
    #expect(result.standardError.contains("not allowed: configmaps"), "\(result)")
    #expect(result.standardError.contains("kubectl auth can-i --list -n monitoring"), "\(result)")
  }

  @Test func aHangingServerIsBoundedByTheTimeout() async throws {
    let cluster = try await StandInCluster(in: home)
    defer { Task { await cluster.stop() } }
    cluster.server.updateBehavior { $0.rules = [.hang(pathPrefix: "/api/v1/namespaces")] }
    let config = try home.write("timeout: 2s\n", to: "mtobs-timeout.yaml")
    let result = try cli.run(["deploy", "--history", "--config", config.path] + cluster.flags, timeout: .seconds(30))
    #expect(result.status == 2, "\(result)")
    #expect(result.standardError.contains("did not answer"), "\(result)")
    #expect(result.duration < .seconds(10), "a 2 s timeout must not take \(result.duration)")
  }

  @Test func aServerThatWentAwayIsUnreachable() async throws {
    let cluster = try await StandInCluster(in: home)
    await cluster.stop()
    let result = try cli.run(["version"] + cluster.flags)
    #expect(result.status == 2, "\(result)")
    #expect(result.standardError.contains("cannot reach the API server of context 'standin'"), "\(result)")
  }

  @Test func everyCallCarriesTheChosenContext() async throws {
    let cluster = try await StandInCluster(in: home)
    defer { Task { await cluster.stop() } }
    let result = try cli.run(["-v", "deploy", "--history"] + cluster.flags)
    #expect(result.status == 0, "\(result)")
    let echoed = result.standardError.split(separator: "\n").filter { $0.hasPrefix("+ ") }
    #expect(!echoed.isEmpty, "\(result)")
    for line in echoed where line.contains("kubectl") {
      #expect(line.contains("--context standin") && line.contains("--kubeconfig \(cluster.kubeconfig.path)"), "\(line)")
    }
    #expect(cluster.apiRequests.contains { $0.resource == "configmaps" }, "mtobs read the history ConfigMap")
  }
}
