import Foundation
import Testing

/// The binary's surface with no cluster: help, usage errors, configuration, missing kubectl.
@Suite("mtobs without a cluster")
struct CLIBasicsTests {
  let home: TemporaryDirectory
  let cli: CLI

  init() throws {
    home = try TemporaryDirectory()
    cli = CLI(home: home.url)
  }

  @Test func helpListsOnlyWorkingCommands() throws {
    let result = try cli.run(["--help"])
    #expect(result.status == 0)
    for command in ["deploy", "health", "bundle", "version", "config", "completion"] {
      #expect(result.standardOutput.contains("\n  \(command) "), "missing \(command) in:\n\(result.standardOutput)")
    }
    // Commands of later issues are not listed until they work.
    for unbuilt in ["grafana", "pyroscope", "forward", "logs", "debug-dapr", "plugin"] {
      #expect(!result.standardOutput.contains("\n  \(unbuilt) "), "\(unbuilt) is listed but does not exist yet")
    }
  }

  @Test func unknownCommandSuggestsAndExits64() throws {
    let result = try cli.run(["verison"])
    #expect(result.status == 64)
    #expect(result.standardError.contains("unknown command 'verison'"))
    #expect(result.standardError.contains("did you mean 'mtobs version'?"))
    #expect(result.standardOutput.isEmpty)
  }

  @Test func unknownFlagExits64() throws {
    let result = try cli.run(["version", "--bogus"])
    #expect(result.status == 64)
    #expect(result.standardError.contains("Unknown option '--bogus'"))
  }

  @Test func globalOptionsWorkBeforeTheCommand() throws {
    let result = try cli.run(["-n", "observability", "config", "-o", "json"])
    #expect(result.status == 0, "\(result)")
    #expect(result.standardOutput.contains("\"value\" : \"observability\""))
  }

  @Test func versionClientNeedsNoCluster() throws {
    let result = try cli.run(
      ["version", "--client", "-o", "json"], environment: ["KUBECONFIG": "/nonexistent/kubeconfig"])
    #expect(result.status == 0, "\(result)")
    let json = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
    #expect(json?["mtobs"] as? String == "0.1.0")
    let tools = json?["tools"] as? [[String: Any]] ?? []
    #expect(tools.map { $0["name"] as? String } == ["kubectl", "skaffold", "helm"])
    #expect(json?["server"] == nil)
    // The commit recorded at build time is the package's HEAD.
    let head = try CLI.run(
      executable: which("git") ?? "/usr/bin/git", ["rev-parse", "HEAD"], environment: ["PATH": "/usr/bin:/bin"],
      in: CLI.packageRoot)
    #expect(json?["commit"] as? String == head.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
  }

  @Test func missingKubectlSaysHowToInstallIt() throws {
    let result = try cli.run(["version"], environment: ["MTOBS_KUBECTL": "/nonexistent/kubectl"])
    // version still prints what it knows; the kubectl row says it is missing.
    #expect(result.standardOutput.contains("kubectl"))
    #expect(result.standardOutput.contains("not found"))
  }

  @Test func configShowsOrigins() throws {
    _ = try home.write("namespace: from-user-file\n", to: ".config/mtobs/config.yaml")
    let result = try cli.run(["config", "--context", "dev"], environment: ["MTOBS_KUBECTL": "/opt/kubectl"])
    #expect(result.status == 0, "\(result)")
    let lines = result.standardOutput.split(separator: "\n").map {
      $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    }
    #expect(lines.contains(["context", "dev", "flag", "--context"]))
    #expect(lines.contains(["tools.kubectl", "/opt/kubectl", "env", "MTOBS_KUBECTL"]))
    #expect(lines.contains(["namespace", "from-user-file", "\(home.url.path)/.config/mtobs/config.yaml:1"]))
    #expect(lines.contains(["grafana.port", "80", "default"]))
  }

  @Test func malformedConfigStopsEverything() throws {
    let file = try home.write("namespace: monitoring\ncollector:\n  zipkin-port: lots\n", to: "bad.yaml")
    let result = try cli.run(["--config", file.path, "version", "--client"])
    #expect(result.status == 2)
    #expect(
      result.standardError.contains(
        "\(file.path):3: collector.zipkin-port: expected a port number (1-65535), got 'lots'"))
    #expect(result.standardOutput.isEmpty)
  }
}
