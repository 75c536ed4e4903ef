import Foundation
import KubeStandIn
import MtobsCore
import TestSupport
import Testing

/// The values completion asks the binary for at TAB time, through the same protocol the scripts
/// use (`mtobs ---completion COMMAND -- OPTION INDEX CURSOR WORDS…` and `---mtobs-complete`).
@Suite("completion values")
struct CompletionValueTests {
  let home: TemporaryDirectory
  let cli: CLI

  init() throws {
    home = try TemporaryDirectory()
    cli = CLI(home: home.url)
  }

  /// One custom completion as bash asks it: the words of the line, the last being completed.
  func complete(_ option: String, of command: String, words: [String]) throws -> CLI.Result {
    try cli.run(
      ["---completion", command, "--", option, "\(words.count - 1)", "0"] + words, environment: ["SAP_SHELL": "bash"])
  }

  func lines(_ result: CLI.Result) -> [String] {
    result.standardOutput.split(separator: "\n").map(String.init).filter {
      !$0.trimmingCharacters(in: .whitespaces).isEmpty
    }
  }

  @Test(requires("kubectl")) func namespacesComeFromTheCluster() async throws {
    let cluster = try await StandInCluster(
      stateYAML: "namespaces: [default, kube-system, monitoring, mathtrail]\nobjects: []\n", in: home, context: "dev")
    defer { Task { await cluster.stop() } }
    let result = try complete(
      "--namespace", of: "health", words: ["mtobs", "health", "--kubeconfig", cluster.kubeconfig.path, "-n", ""])
    #expect(result.status == 0, "\(result)")
    #expect(Set(lines(result)) == ["default", "kube-system", "monitoring", "mathtrail"], "\(result)")
  }

  /// The namespaces of the cluster the command would target: MTOBS_CONTEXT counts, as it does
  /// for the command, so TAB never lists another cluster's namespaces.
  @Test(requires("kubectl")) func namespacesComeFromTheContextTheCommandUses() async throws {
    let cluster = try await StandInCluster(
      stateYAML: "namespaces: [default, monitoring]\nobjects: []\n", in: home, context: "dev")
    defer { Task { await cluster.stop() } }
    let words = ["mtobs", "health", "--kubeconfig", cluster.kubeconfig.path, "-n", ""]
    let chosen = try cli.run(
      ["---completion", "health", "--", "--namespace", "\(words.count - 1)", "0"] + words,
      environment: ["SAP_SHELL": "bash", "MTOBS_CONTEXT": "dev"])
    #expect(Set(lines(chosen)) == ["default", "monitoring"], "\(chosen)")
    // A context the kubeconfig does not have: the command would fail, so TAB offers nothing.
    let dead = try cli.run(
      ["---completion", "health", "--", "--namespace", "\(words.count - 1)", "0"] + words,
      environment: ["SAP_SHELL": "bash", "MTOBS_CONTEXT": "dead"])
    #expect(dead.status == 0, "\(dead)")
    #expect(lines(dead).isEmpty, "\(dead)")
    // --context typed on the line wins over MTOBS_CONTEXT.
    let typed = try cli.run(
      ["---completion", "health", "--", "--namespace", "\(words.count)", "0"] + words.dropLast(2)
        + ["--context=dev", "-n", ""],
      environment: ["SAP_SHELL": "bash", "MTOBS_CONTEXT": "dead"])
    #expect(Set(lines(typed)) == ["default", "monitoring"], "\(typed)")
  }

  /// fish shows a value's description, or else the option's help beside every value: contexts
  /// say what they are instead; a category of one check says "1 check".
  @Test func fishDescriptionsFitTheValue() throws {
    let kubeconfig = try home.write("contexts: [{name: dev}, {name: staging}]\n", to: "fish.yaml")
    let contexts = try cli.run(
      ["---completion", "health", "--", "--context", "2", "0", "mtobs", "health", ""],
      environment: ["SAP_SHELL": "fish", "KUBECONFIG": kubeconfig.path])
    #expect(lines(contexts) == ["dev\tkubeconfig context", "staging\tkubeconfig context"], "\(contexts)")
    let categories = try cli.run(
      ["---completion", "verify", "--", "--category", "2", "0", "mtobs", "verify", ""],
      environment: ["SAP_SHELL": "fish"])
    #expect(lines(categories).contains("logs\t1 check"), "\(categories)")
    #expect(lines(categories).contains("roundtrip\t4 checks"), "\(categories)")
  }

  /// `logs` offers the component words its help documents: `all` and `alloy-receiver`, not the
  /// role name `alloy`.
  @Test func logsOffersTheDocumentedComponentNames() throws {
    let result = try complete("positional@0", of: "logs", words: ["mtobs", "logs", ""])
    #expect(result.status == 0, "\(result)")
    #expect(Set(lines(result)) == Set(LogSelection.componentNames), "\(result)")
    #expect(lines(result).contains("all") && lines(result).contains("alloy-receiver"), "\(result)")
    #expect(!lines(result).contains("alloy"), "\(result)")
  }

  /// A cluster that does not answer costs a bounded wait and offers nothing, with nothing on stderr.
  @Test(requires("kubectl")) func anUnreachableClusterOffersNothingQuickly() throws {
    // A listening socket that never answers: kubectl waits on it until its own or our limit.
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(listener) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
    }
    #expect(bound == 0)
    #expect(listen(listener, 1) == 0)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
    }
    let port = UInt16(bigEndian: address.sin_port)
    let kubeconfig = try home.write(
      """
      apiVersion: v1
      kind: Config
      current-context: hang
      clusters: [{name: c, cluster: {server: "https://127.0.0.1:\(port)", insecure-skip-tls-verify: true}}]
      users: [{name: u, user: {token: x}}]
      contexts: [{name: hang, context: {cluster: c, user: u}}]
      """, to: "hang.yaml")
    let result = try complete(
      "--namespace", of: "health", words: ["mtobs", "health", "--kubeconfig", kubeconfig.path, "-n", ""])
    #expect(result.status == 0, "\(result)")
    #expect(lines(result).isEmpty, "\(result)")
    #expect(result.standardError.isEmpty, "\(result)")
    #expect(result.duration < .seconds(3), "TAB waited \(result.duration)")
  }

  @Test func contextsAreReadFromTheKubeconfigFiles() throws {
    let first = try home.write("contexts: [{name: dev}, {name: 'arn:aws:eks:eu:1:cluster/x'}]\n", to: "a.yaml")
    let second = try home.write("contexts: [{name: staging}, {name: dev}]\n", to: "b.yaml")
    let result = try cli.run(
      ["---completion", "health", "--", "--context", "2", "0", "mtobs", "health", ""],
      environment: ["SAP_SHELL": "zsh", "KUBECONFIG": first.path + ":" + second.path])
    // zsh reads "value:description": a colon in a name is escaped; each name once.
    #expect(lines(result) == ["dev", "arn\\:aws\\:eks\\:eu\\:1\\:cluster/x", "staging"], "\(result)")
  }

  @Test func checkIdsAndCategoriesComeFromTheSuite() throws {
    let skip = try complete("--skip", of: "health", words: ["mtobs", "health", "--skip", ""])
    // Every check id of the suite, and a glob per category that matches exactly its checks.
    let ids = HealthChecks.suite.checks.map(\.id)
    let globs = Set(lines(skip)).subtracting(ids)
    #expect(Set(lines(skip)).isSuperset(of: ids), "\(skip)")
    #expect(globs.contains("collector.*"), "\(skip)")
    for glob in globs {
      let matched = HealthChecks.suite.checks.filter { fnmatch(glob, $0.id, 0) == 0 }
      #expect(Set(matched.map(\.category)).count == 1 && matched.count > 1, "\(glob) matches \(matched.map(\.id))")
    }
    #expect(lines(skip).contains("kubernetes.api"))
    // debug-dapr's ids all start with dapr.: its probe glob is dapr.probe-*, never probe.*, which
    // matches nothing (and so would still start the probe pod).
    let daprSkip = try complete("--skip", of: "debug-dapr", words: ["mtobs", "debug-dapr", "--skip", ""])
    #expect(lines(daprSkip).contains("dapr.probe-*"), "\(daprSkip)")
    #expect(!lines(daprSkip).contains { $0.hasSuffix(".*") && !$0.hasPrefix("dapr.") }, "\(daprSkip)")
    let categories = try complete("--category", of: "health", words: ["mtobs", "health", "--category", ""])
    #expect(lines(categories) == ["kubernetes", "workloads", "collector", "backends", "grafana", "dapr"])
  }

  /// A repository's plugin is asked for completions only once the repository is trusted, like
  /// running it; its output reaches the shell sanitised.
  @Test func aRepositoryPluginCompletesOnlyOnceTrusted() throws {
    let repository = home.url.appendingPathComponent("repo")
    try FileManager.default.createDirectory(at: repository, withIntermediateDirectories: true)
    try git(["init", "-q"], in: repository)
    let marker = home.url.appendingPathComponent("asked").path
    try home.writePlugin(
      "greet", in: "repo/plugins.d",
      script: PluginScript.text(body: "touch '\(marker)'\nprintf 'world\\n\\033[31mred\\n'"))
    _ = try home.write("completion: [__complete]\n", to: "repo/plugins.d/mtobs-greet.yaml")
    var repositoryCLI = cli
    repositoryCLI.workingDirectory = repository
    let untrusted = try repositoryCLI.run(["---mtobs-complete", "arguments", "bash", "greet", ""])
    #expect(untrusted.status == 0)
    #expect(lines(untrusted).isEmpty)
    #expect(!FileManager.default.fileExists(atPath: marker), "an untrusted plugin ran at TAB time")
    #expect(try repositoryCLI.run(["plugin", "trust"]).status == 0)
    let trusted = try repositoryCLI.run(["---mtobs-complete", "arguments", "bash", "greet", ""])
    #expect(lines(trusted) == ["world", "[31mred"], "\(trusted)")
  }

  @Test func pluginsAreListedWithTheirSummaries() throws {
    try home.writePlugin("hello", in: "plugins", script: PluginScript.text(summary: "Say hello.", body: "exit 0"))
    try home.writePlugin("quiet", in: "plugins", script: PluginScript.text(body: "exit 0"))
    // Shadowed by a built-in: never offered.
    try home.writePlugin("health", in: "plugins", script: PluginScript.text(summary: "Not me.", body: "exit 0"))
    let plugins = ["MTOBS_PLUGIN_PATH": home.url.appendingPathComponent("plugins").path]
    let fish = try cli.run(["---mtobs-complete", "plugins", "fish"], environment: plugins)
    #expect(lines(fish) == ["hello\tSay hello.", "quiet"], "\(fish)")
    let bash = try cli.run(["---mtobs-complete", "plugins", "bash"], environment: plugins)
    #expect(lines(bash) == ["hello", "quiet"], "\(bash)")
    let off = try cli.run(
      ["---mtobs-complete", "plugins", "bash"], environment: plugins.merging(["MTOBS_NO_PLUGINS": "1"]) { $1 })
    #expect(lines(off).isEmpty)
  }
}
