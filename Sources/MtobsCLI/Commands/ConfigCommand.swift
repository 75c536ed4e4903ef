import ArgumentParser
import MtobsCore

struct ConfigCommand: MtobsCommand {
  static let configuration = CommandConfiguration(
    commandName: "config",
    abstract: "Show the effective configuration and where each value comes from.",
    discussion: """
      Precedence, highest first: flags; environment (MTOBS_CONTEXT,
      MTOBS_NAMESPACE, MTOBS_KUBECTL, MTOBS_SKAFFOLD, MTOBS_HELM); the file named
      by --config or MTOBS_CONFIG; mtobs.yaml at the root of the git repository
      holding the current directory; $XDG_CONFIG_HOME/mtobs/config.yaml
      (~/.config/mtobs/config.yaml); built-in defaults.

      Keys are dotted; in YAML the dots are nesting:
        namespace: monitoring
        grafana:
          port: 80

      The Service and port of each part of the stack (loki.service, tempo.port,
      alloy.service, …) are found in the cluster by their labels unless set here;
      the ORIGIN column says "discovered (…)" and how, or why not.

      Examples:
        mtobs config
        mtobs config -o json
        mtobs -n observability config
      """
  )

  @OptionGroup var global: GlobalOptions

  @Option(name: [.customShort("o", allowingJoined: true), .long], help: "Output format: table or json.")
  var output: OutputFormat = .table

  var wantsJSON: Bool { output == .json }
  /// `config` is where people look when the configuration is broken: it shows the problem
  /// (file:line: key) above everything else that is in effect, then exits 2.
  var runsWithBrokenConfiguration: Bool { true }

  func execute(in run: Run) async throws {
    async let target = EffectiveTarget.resolve(run: run)
    async let discovery = DiscoveryOutcome.read(run: run)
    let view = ConfigView(
      configuration: run.configuration, problems: run.configurationProblems.map(\.description),
      effectiveTarget: await target, discovery: await discovery)
    switch output {
    case .json: run.console.print(try view.json())
    case .table:
      for problem in run.configurationProblems {
        run.console.error(problem.description, hint: "the rest of the configuration is shown without it")
      }
      run.console.print(view.table())
    }
    if !run.configurationProblems.isEmpty { throw ExitCode(ExitStatus.couldNotRun.rawValue) }
  }
}
