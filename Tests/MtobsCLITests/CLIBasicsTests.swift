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
    for command in [
      "deploy", "health", "debug-dapr", "verify", "logs", "grafana", "pyroscope", "forward", "bundle", "version",
      "config",
      "completion", "plugin",
    ] {
      #expect(result.standardOutput.contains("\n  \(command) "), "missing \(command) in:\n\(result.standardOutput)")
    }
  }

  @Test func unknownCommandSuggestsAndExits64() throws {
    let result = try cli.run(["verison"])
    #expect(result.status == 64)
    #expect(result.standardError.contains("unknown command 'verison'"))
    #expect(result.standardError.contains("did you mean 'mtobs version'?"))
    #expect(result.standardOutput.isEmpty)
  }

  /// The checkers share one report option group: each refuses an unknown category with its own list.
  @Test func everyCheckerRefusesAnUnknownCategoryWithItsOwnList() throws {
    for (command, categories) in [
      ("health", "kubernetes, workloads, collector, backends, grafana, dapr"),
      ("debug-dapr", "kubernetes, dapr, configuration, pods, collector, probe"),
      ("verify", "datasources, logs, traces, metrics, profiles, roundtrip"),
    ] {
      let result = try cli.run([command, "--category", "nope"])
      #expect(result.status == 64, "\(command): \(result)")
      #expect(
        result.standardError.contains("unknown category 'nope'; the categories are: \(categories)"),
        "\(command): \(result.standardError)")
    }
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
    // version still prints what it knows; the kubectl row says it is missing, and the server
    // could not be asked: exit 2 with the install advice.
    let kubectlRow = result.standardOutput.split(separator: "\n").first { $0.hasPrefix("kubectl ") }
    #expect(kubectlRow.map { $0.contains("not found") } == true, "\(result)")
    #expect(result.status == 2, "\(result)")
    #expect(result.standardError.contains("kubectl not found (looked for '/nonexistent/kubectl')"), "\(result)")
    #expect(result.standardError.contains("install kubectl"), "\(result)")
  }

  @Test func missingKubectlIsAJSONErrorDocumentInEveryReportCommand() throws {
    for arguments in [["health", "-o", "json"], ["version", "-o", "json"]] {
      let result = try cli.run(arguments, environment: ["MTOBS_KUBECTL": "/nonexistent/kubectl"])
      #expect(result.status == 2, "\(arguments): \(result)")
      let json = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
      if arguments[0] == "health" {
        #expect(json?["kind"] as? String == "Error", "\(result)")
        #expect(json?["error"] as? String == "kubectl not found (looked for '/nonexistent/kubectl')")
      } else {
        // version prints what it knows, with the server's error in the document.
        let server = json?["server"] as? [String: Any]
        #expect(server?["error"] as? String == "kubectl not found (looked for '/nonexistent/kubectl')", "\(result)")
      }
    }
    let bundle = try cli.run(["bundle", "-o", "-"], environment: ["MTOBS_KUBECTL": "/nonexistent/kubectl"])
    #expect(bundle.status == 2, "\(bundle)")
    #expect(bundle.standardOutput.isEmpty, "\(bundle)")
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
    // Role keys are looked up in the cluster first (issue 8); with no kubectl the default stands
    // and the origin says why nothing was discovered.
    #expect(
      lines.contains { Array($0.prefix(5)) == ["grafana.port", "80", "default", "(not", "discovered:"] },
      "\(result)")
    #expect(lines.contains(["app-namespace", "mathtrail", "default"]))
  }

  @Test func malformedConfigStopsTheCommandsThatNeedIt() throws {
    let file = try home.write("namespace: monitoring\ncollector:\n  zipkin-port: lots\n", to: "bad.yaml")
    let result = try cli.run(["--config", file.path, "health"])
    #expect(result.status == 2)
    #expect(
      result.standardError.contains(
        "\(file.path):3: collector.zipkin-port: expected a port number (1-65535), got 'lots'"))
    #expect(result.standardOutput.isEmpty)
  }

  @Test func aBrokenConfigDoesNotStopVersionClientHelpOrCompletion() throws {
    _ = try home.write("namespace: [oops\n", to: ".config/mtobs/config.yaml")
    let version = try cli.run(["version", "--client"])
    #expect(version.status == 0, "\(version)")
    #expect(
      version.standardError.contains("warning: configuration ignored: \(home.url.path)/.config/mtobs/config.yaml:"))
    #expect(try cli.run(["help", "health"]).status == 0)
    let completion = try cli.run(["completion", "bash"])
    #expect(completion.status == 0)
    #expect(completion.standardOutput.contains("complete -o filenames -F _mtobs_dynamic mtobs"))
  }

  @Test func configShowsABrokenFileWithItsLineAndEverythingElse() throws {
    let path = "\(home.url.path)/.config/mtobs/config.yaml"
    _ = try home.write("grafana:\n  port: 80\ntimeout: soon\n", to: ".config/mtobs/config.yaml")
    let result = try cli.run(["config", "--context", "dev"])
    #expect(result.status == 2, "\(result)")
    #expect(result.standardError.contains("error: \(path):3: timeout:"))
    let lines = result.standardOutput.split(separator: "\n").map {
      $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    }
    #expect(lines.contains(["context", "dev", "flag", "--context"]))
    #expect(lines.contains(["timeout", "10s", "default"]))
  }

  @Test func configShowsTheEffectiveContextAndKubeconfigWhenMtobsLeavesThemToKubectl() throws {
    let kubeconfig = try home.write(
      """
      apiVersion: v1
      kind: Config
      clusters: [{name: c1, cluster: {server: "https://127.0.0.1:1"}}]
      users: [{name: u1, user: {token: abc}}]
      contexts: [{name: staging-eu, context: {cluster: c1, user: u1}}]
      current-context: staging-eu
      """, to: "kubeconfig")
    let result = try cli.run(["config"], environment: ["KUBECONFIG": kubeconfig.path])
    #expect(result.status == 0, "\(result)")
    let lines = result.standardOutput.split(separator: "\n").map {
      $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    }
    #expect(lines.contains(["context", "staging-eu", "current-context", "of", "the", "kubeconfig"]))
    #expect(lines.contains(["kubeconfig", kubeconfig.path, "env", "KUBECONFIG"]))
  }

  @Test func helpForAnUnknownTopicIsAUsageError() throws {
    let result = try cli.run(["help", "helth"])
    #expect(result.status == 64)
    #expect(result.standardError.contains("did you mean 'mtobs help health'?"))
    #expect(result.standardOutput.isEmpty)
    #expect(try cli.run(["help", "nosuch"]).status == 64)
  }

  @Test func kubectlHabitsWork() throws {
    let result = try cli.run(["config", "-nobservability", "-ojson"])
    #expect(result.status == 0, "\(result)")
    let json = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
    let settings = json?["settings"] as? [[String: Any]] ?? []
    let namespace = settings.first { $0["key"] as? String == "namespace" }
    #expect(namespace?["value"] as? String == "observability")
    #expect(namespace?["origin"] as? String == "flag --namespace")
  }

  @Test func namespacesThatAreNotNamesAreRefused() throws {
    let flag = try cli.run(["health", "-n", "../kube-system"])
    #expect(flag.status == 64, "\(flag)")
    #expect(flag.standardError.contains("namespace '../kube-system' is not a valid Kubernetes name"))
    _ = try home.write("app-namespace: Apps/X\n", to: ".config/mtobs/config.yaml")
    let file = try cli.run(["health", "-o", "json"])
    #expect(file.status == 2, "\(file)")
    let json = try JSONSerialization.jsonObject(with: Data(file.standardOutput.utf8)) as? [String: Any]
    #expect(json?["kind"] as? String == "Error")
    #expect(
      (json?["error"] as? String)?.hasPrefix("\(home.url.path)/.config/mtobs/config.yaml:1: app-namespace:") == true)
    // A Service name goes into a proxy path just the same.
    _ = try home.write("loki:\n  service: loki/../../secrets\n", to: ".config/mtobs/config.yaml")
    let service = try cli.run(["health"])
    #expect(service.status == 2, "\(service)")
    #expect(
      service.standardError.contains("config.yaml:2: loki.service: loki.service 'loki/../../secrets' is not a valid"),
      "\(service)")
  }

  @Test func everyReportCommandPrintsAJSONErrorDocumentWhenItCannotRun() throws {
    for arguments in [["health", "-o", "json"], ["version", "-o", "json"], ["deploy", "--history", "-o", "json"]] {
      let result = try cli.run(arguments, environment: ["MTOBS_CONFIG": "/nonexistent/mtobs.yaml"])
      #expect(result.status == 2, "\(arguments): \(result)")
      let json = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
      #expect(json?["kind"] as? String == "Error", "\(arguments)")
      #expect(json?["command"] as? String == arguments[0])
    }
    // `config` is the one that shows a broken configuration instead: its problems, then exit 2.
    let config = try cli.run(["config", "-o", "json"], environment: ["MTOBS_CONFIG": "/nonexistent/mtobs.yaml"])
    #expect(config.status == 2)
    let json = try JSONSerialization.jsonObject(with: Data(config.standardOutput.utf8)) as? [String: Any]
    #expect((json?["problems"] as? [String])?.count == 1)
  }
}
