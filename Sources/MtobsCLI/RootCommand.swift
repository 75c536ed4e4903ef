import ArgumentParser
import MtobsCore

struct RootCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mtobs",
    abstract: "Deploy, reach and troubleshoot the MathTrail observability stack.",
    discussion: """
      One command per task of the observability runbook, instead of copy-pasted
      kubectl, curl and helm steps.

      Every command accepts --context, --kubeconfig, -n/--namespace, --config,
      -v/--verbose, --dry-run and --no-color, before or after its name.
      Configuration: flags, MTOBS_* variables, mtobs.yaml at the repository root,
      ~/.config/mtobs/config.yaml (see 'mtobs config').

      Any other NAME runs the plugin mtobs-NAME (see 'mtobs plugin').

      Examples:
        mtobs health                         # what is wrong with the stack, and what to run next
        mtobs --context staging logs collector -f
        mtobs deploy -p all-infra
        mtobs help health
      """,
    version: MtobsVersion.version,
    subcommands: [
      DeployCommand.self, HealthCommand.self, DebugDaprCommand.self, VerifyCommand.self, LogsCommand.self,
      GrafanaCommand.self,
      PyroscopeCommand.self,
      ForwardCommand.self, BundleCommand.self, VersionCommand.self, ConfigCommand.self, CompletionCommand.self,
      PluginCommand.self,
    ]
  )

  /// The names the dispatcher must never hand to a plugin (worked out once: it reads every
  /// command's configuration).
  static let builtinNames: [String] =
    configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
}
