import ArgumentParser
import Foundation
import MtobsCore
import Plugins

extension PluginInstaller {
  /// The installer for this run's environment.
  static func forRun(_ run: Run) -> PluginInstaller {
    PluginInstaller(
      environment: run.environment, builtins: PluginDispatch.builtins, workingDirectory: run.workingDirectory)
  }
}

struct PluginInstallCommand: MtobsCommand {
  static let configuration = CommandConfiguration(
    commandName: "install",
    abstract: "Install a plugin from a git repository (https:// URL or local path).",
    discussion: """
      Clones through libgit2 (no git binary needed) into a staging directory,
      checks that the repository holds exactly one executable mtobs-NAME at its
      top (or the one --name picks) that no built-in shadows, then moves it into
      $XDG_DATA_HOME/mtobs/plugins.d and records the source, ref and commit.
      A plugin runs as you: read it before installing it.

      Examples:
        mtobs plugin install https://git.example.com/obs/mtobs-kafka-lag
        mtobs plugin install https://git.example.com/obs/mtobs-kafka-lag --ref v1.2.0
        mtobs plugin install ./my-plugin --name hello
      """
  )

  @OptionGroup var global: GlobalOptions

  @Argument(help: ArgumentHelp("The git repository: an https:// or file:// URL, or a local path.", valueName: "source"))
  var source: String

  @Option(help: ArgumentHelp("The branch, tag or commit to install (default: the default branch).", valueName: "ref"))
  var ref: String?

  @Option(help: ArgumentHelp("The plugin to take, when the repository holds several.", valueName: "name"))
  var name: String?

  var runsWithBrokenConfiguration: Bool { true }

  func execute(in run: Run) async throws {
    let receipt = try PluginInstaller.forRun(run).install(source: source, ref: ref, name: name)
    run.console.print(
      "installed \(receipt.name) from \(receipt.source) at \(receipt.commit.prefix(12)); run it with 'mtobs \(receipt.name)'"
    )
  }
}

struct PluginUpgradeCommand: MtobsCommand {
  static let configuration = CommandConfiguration(
    commandName: "upgrade",
    abstract: "Fast-forward installed plugins to the newest commit of their ref.",
    discussion: """
      Refuses a plugin whose clone was modified locally, or whose history was
      rewritten upstream (the installed commit is no longer an ancestor), unless
      --force. A failed upgrade leaves the installed plugin as it was.

      Examples:
        mtobs plugin upgrade kafka-lag
        mtobs plugin upgrade --all
      """
  )

  @OptionGroup var global: GlobalOptions

  @Argument(help: ArgumentHelp("The plugins to upgrade.", valueName: "name"))
  var names: [String] = []

  @Flag(help: "Upgrade every installed plugin.")
  var all = false

  @Flag(help: "Replace local modifications and accept rewritten history.")
  var force = false

  var runsWithBrokenConfiguration: Bool { true }

  func validate() throws {
    if all == !names.isEmpty {
      throw ValidationError(
        all ? "give either plugin names or --all, not both" : "name the plugins to upgrade, or --all")
    }
  }

  func execute(in run: Run) async throws {
    let installer = PluginInstaller.forRun(run)
    let targets = all ? installer.installedNames() : names
    if targets.isEmpty { run.console.print("no plugins installed by 'mtobs plugin install'") }
    var failures: [PluginInstallError] = []
    for name in targets {
      do {
        switch try installer.upgrade(name: name, force: force) {
        case .upToDate(let receipt):
          run.console.print("\(name): up to date at \(receipt.commit.prefix(12))")
        case .upgraded(let from, let receipt):
          run.console.print("\(name): \(from.prefix(12)) → \(receipt.commit.prefix(12))")
        }
      } catch {
        // One refused plugin does not stop the others; each says why.
        if targets.count == 1 { throw error }
        run.console.error("\(name): \(error.errorMessage)", hint: error.errorHint)
        failures.append(error)
      }
    }
    if !failures.isEmpty {
      throw CommandFailure("\(failures.count) of \(targets.count) plugins not upgraded", hint: "see above")
    }
  }
}

struct PluginRemoveCommand: MtobsCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove",
    abstract: "Remove a plugin installed with 'mtobs plugin install'.",
    discussion: """
      Examples:
        mtobs plugin remove kafka-lag
      """
  )

  @OptionGroup var global: GlobalOptions

  @Argument(help: ArgumentHelp("The plugin to remove.", valueName: "name"))
  var name: String

  var runsWithBrokenConfiguration: Bool { true }

  func execute(in run: Run) async throws {
    try PluginInstaller.forRun(run).remove(name: name)
    run.console.print("removed \(name)")
  }
}
