import ArgumentParser
import MtobsCore

/// The options every built-in command accepts (PRODUCT.md §1).
struct GlobalOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The kubeconfig context to use.", discussion: "Default: MTOBS_CONTEXT, then the kubeconfig's current context."),
    completion: CompletionValues.contexts)
  var context: String?

  @Option(help: ArgumentHelp("The kubeconfig file to use.", valueName: "file"), completion: .file())
  var kubeconfig: String?

  // `-nNS` as kubectl users type it.
  @Option(
    name: [.customShort("n", allowingJoined: true), .long],
    help: "The namespace of the observability stack (default: monitoring).", completion: CompletionValues.namespaces)
  var namespace: String?

  @Option(
    help: ArgumentHelp("A configuration file read above the repository's mtobs.yaml.", valueName: "file"),
    completion: .file(extensions: ["yaml", "yml"]))
  var config: String?

  @Flag(name: [.short, .long], help: "Echo every external command, shell-quoted, with secrets masked.")
  var verbose = false

  @Flag(help: "Print the commands that would change something instead of running them.")
  var dryRun = false

  @Flag(help: "Never colour the output (also NO_COLOR).")
  var noColor = false

  // A global option, as in kubectl: every command that talks to the cluster honours it, so a
  // hint that says "raise --request-timeout" is true wherever it is printed.
  @Option(
    help: ArgumentHelp(
      "Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).", valueName: "duration"))
  var requestTimeout: String?

  /// Names that go into API paths are checked before anything runs (a usage error, 64).
  func validate() throws {
    if let requestTimeout, DurationText.parse(requestTimeout).map({ $0 > .zero }) != true {
      throw ValidationError("--request-timeout takes a duration such as 10s, 30s or 2m, not '\(requestTimeout)'")
    }
    if let namespace, let problem = KubeName.labelProblem(namespace, what: "namespace") {
      throw ValidationError(problem)
    }
  }

  var settings: GlobalSettings {
    GlobalSettings(
      context: context, kubeconfig: kubeconfig, namespace: namespace, configFile: config, verbose: verbose,
      dryRun: dryRun, noColor: noColor, requestTimeout: requestTimeout)
  }
}
