import ArgumentParser
import Foundation
import MtobsCore
import Plugins

struct PluginCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plugin",
    abstract: "List, trust, install, upgrade and remove plugins (mtobs-NAME executables).",
    discussion: """
      `mtobs NAME` runs the plugin mtobs-NAME from, first match wins: each absolute
      entry of MTOBS_PLUGIN_PATH (when set, only these); plugins.d at the root of
      the current repository, once trusted; $XDG_DATA_HOME/mtobs/plugins.d (where
      'mtobs plugin install' puts them); the plugins.d shipped with mtobs.
      MTOBS_NO_PLUGINS=1 turns them all off. Built-in commands always win.

      Examples:
        mtobs plugin list
        mtobs plugin trust
        mtobs plugin install https://git.example.com/obs/mtobs-kafka-lag --ref v1.2.0
        mtobs plugin upgrade --all
      """,
    subcommands: [
      PluginListCommand.self, PluginTrustCommand.self, PluginUntrustCommand.self, PluginInstallCommand.self,
      PluginUpgradeCommand.self, PluginRemoveCommand.self,
    ]
  )
}

struct PluginListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List the plugins found, with their origin and anything that stops them from running.",
    discussion: """
      Plugins are never run to list them: the summary and version come from a
      '# mtobs-summary:' / '# mtobs-version:' line in a script's first lines or
      from a mtobs-NAME.yaml manifest beside the file.

      Examples:
        mtobs plugin list
        mtobs plugin list -o json | jq -r '.plugins[] | select(.runnable | not) | .name'
      """
  )

  @OptionGroup var global: GlobalOptions

  @Option(name: [.customShort("o", allowingJoined: true), .long], help: "Output format: table or json.")
  var output: OutputFormat = .table

  /// No `Run`: listing needs neither the configuration nor the cluster, and stays as cheap as
  /// `mtobs --help` (the listing benchmark of issue 13).
  func run() async throws {
    try Self.list(output: output, noColor: global.noColor)
  }

  static func list(output: OutputFormat, noColor: Bool) throws {
    let environment = ProcessInfo.processInfo.environment
    let console = Console(noColorFlag: noColor, environment: environment)
    let catalog = PluginDispatch.catalog(environment: environment)
    let listing = PluginListing(catalog: catalog)
    switch output {
    case .json: console.print(try listing.json())
    case .table: console.print(listing.text(directories: catalog.directories))
    }
  }

  /// `mtobs plugin list` as typed, with no option: listed without the argument parser, whose
  /// reflection of the command tree costs more than the listing itself (about 4 ms of 18 with 200
  /// plugins, docs/benchmarks.md, "Plugins"). Anything else goes through the parser.
  static func isPlainRequest(_ arguments: [String]) -> Bool {
    arguments == ["plugin", "list"]
  }
}

/// The directory argument `trust` and `untrust` share.
struct RepositoryPluginDirectory: ParsableArguments {
  @Argument(
    help: ArgumentHelp("The directory (default: plugins.d at the repository root).", valueName: "dir"),
    completion: .directory)
  var directory: String?

  /// The one named, else the current repository's plugins.d.
  func path(in run: Run) throws -> String {
    if let directory {
      return directory.hasPrefix("/") ? directory : run.workingDirectory + "/" + directory
    }
    guard let root = run.repositoryRoot else {
      throw CommandFailure(
        "not inside a git repository, so there is no repository plugins.d to trust",
        hint: "name the directory: mtobs plugin trust DIR", status: .usage)
    }
    return root + "/plugins.d"
  }
}

struct PluginTrustCommand: MtobsCommand {
  static let configuration = CommandConfiguration(
    commandName: "trust",
    abstract: "Allow the plugins in a repository's plugins.d to run, as they are now.",
    discussion: """
      Records the directory and the SHA-256 of each file in it (direnv-style): a
      file that changes or appears later is not run until you trust again.
      Read the plugins first: trusting them lets them run as you.

      Examples:
        mtobs plugin trust                   # the current repository's plugins.d
        mtobs plugin trust ~/src/team-tools/plugins.d
      """
  )

  @OptionGroup var global: GlobalOptions

  @OptionGroup var directory: RepositoryPluginDirectory

  var runsWithBrokenConfiguration: Bool { true }

  func execute(in run: Run) async throws {
    let path = try directory.path(in: run)
    var store = TrustStore.load(environment: run.environment)
    let count: Int
    do {
      count = try store.trust(directory: path)
    } catch {
      throw CommandFailure("cannot read \(path): \(error.localizedDescription)", hint: "check the path")
    }
    try store.save(environment: run.environment)
    run.console.print("trusted \(count) file\(count == 1 ? "" : "s") in \(path)")
  }
}

struct PluginUntrustCommand: MtobsCommand {
  static let configuration = CommandConfiguration(
    commandName: "untrust",
    abstract: "Stop running the plugins of a repository's plugins.d.",
    discussion: """
      Examples:
        mtobs plugin untrust                 # the current repository's plugins.d
        mtobs plugin untrust ~/src/team-tools/plugins.d
      """
  )

  @OptionGroup var global: GlobalOptions

  @OptionGroup var directory: RepositoryPluginDirectory

  var runsWithBrokenConfiguration: Bool { true }

  func execute(in run: Run) async throws {
    let path = try directory.path(in: run)
    var store = TrustStore.load(environment: run.environment)
    if store.untrust(directory: path) {
      try store.save(environment: run.environment)
      run.console.print("no longer trusted: \(path)")
    } else {
      run.console.print("\(path) was not trusted")
    }
  }
}
