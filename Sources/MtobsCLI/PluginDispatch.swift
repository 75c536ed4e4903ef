import ArgumentParser
import Foundation
import Git
import MtobsCore
import Plugins

/// The CLI's side of plugins: finds them for this run, hands a command line over to one with the
/// resolved target in its environment, and lists them under the root help.
enum PluginDispatch {
  /// The built-in names a plugin can never take (`help` included).
  static var builtins: Set<String> { Set(RootCommand.builtinNames) }

  /// The plugins visible from the current directory (never runs one).
  static func catalog(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    workingDirectory: String = FileManager.default.currentDirectoryPath,
    readMetadata: Bool = true
  ) -> PluginCatalog {
    let directories = PluginDirectories.list(
      environment: environment, repositoryRoot: GitRepository.root(containing: workingDirectory),
      executablePath: PluginLaunch.currentExecutable())
    return PluginCatalog(
      directories: directories, builtins: builtins,
      trust: directories.contains { $0.origin == .repository }
        ? TrustStore.load(environment: environment) : TrustStore(),
      readMetadata: readMetadata)
  }

  /// `mtobs [GLOBAL OPTIONS] NAME ARGS…` for a NAME that is not a built-in: replaces mtobs with the
  /// plugin, or exits with why it cannot.
  static func run(_ name: String, globalWords: [String], arguments: [String]) -> Never {
    let environment = ProcessInfo.processInfo.environment
    let global = (try? GlobalOptions.parse(globalWords.filter { $0 != "--" })) ?? GlobalOptions()
    let console = Console(noColorFlag: global.noColor, environment: environment)
    let outcome = CommandDispatch(
      builtins: RootCommand.builtinNames.filter { $0 != "help" }, catalog: catalog(readMetadata: false)
    ).dispatch(name: name)
    switch outcome {
    case .unknown(let message, let hint):
      console.error(message, hint: hint)
      exit(ExitStatus.usage.rawValue)
    case .refused(let message, let hint):
      console.error(message, hint: hint)
      exit(ExitStatus.couldNotRun.rawValue)
    case .run(let plugin):
      let resolved: PluginLaunch.Resolved
      do {
        resolved = try resolve(global: global, environment: environment, console: console)
      } catch {
        // A broken mtobs.yaml is reported, not silently ignored: the plugin would otherwise run
        // against a target the user did not mean.
        console.error(error.errorMessage, hint: error.errorHint)
        exit(error.exitStatus.rawValue)
      }
      let launch = PluginLaunch(plugin: plugin, arguments: arguments, inherited: environment, resolved: resolved)
      let reason = launch.exec()
      console.error("could not run plugin '\(name)' (\(plugin.path)): \(reason)", hint: "see 'mtobs plugin list'")
      exit(ExitStatus.couldNotRun.rawValue)
    }
  }

  /// The target in effect for this command line: flags, environment, configuration files, then
  /// the kubeconfig's current context, as a built-in would use it.
  static func resolve(
    global: GlobalOptions, environment: [String: String], console: Console
  ) throws(ConfigError) -> PluginLaunch.Resolved {
    let workingDirectory = FileManager.default.currentDirectoryPath
    let settings = global.settings
    let (configuration, root, kubeconfig, context) = try target(global: global, environment: environment)
    return PluginLaunch.Resolved(
      mtobsBinary: PluginLaunch.currentExecutable() ?? CommandLine.arguments[0], context: context,
      namespace: configuration.text(.namespace), kubeconfig: kubeconfig, repositoryRoot: root,
      color: console.colorOnStandardOutput,
      configFile: settings.configFile.map { $0.hasPrefix("/") ? $0 : workingDirectory + "/" + $0 })
  }

  /// The configuration, kubeconfig and context a command line's global options select, as a
  /// built-in resolves them (also what TAB asks the cluster about).
  static func target(
    global: GlobalOptions, environment: [String: String]
  ) throws(ConfigError) -> (configuration: Configuration, root: String?, kubeconfig: String?, context: String?) {
    let workingDirectory = FileManager.default.currentDirectoryPath
    let root = GitRepository.root(containing: workingDirectory)
    let settings = global.settings
    let configuration = try ConfigLoader(environment: environment, workingDirectory: workingDirectory).load(
      flags: settings.configurationFlags, explicitFile: settings.configFile, repositoryRoot: root)
    let kubeconfig = configuration.string(.kubeconfig)
    let context =
      configuration.string(.context)
      ?? KubeconfigCurrentContext.read(kubeconfig: kubeconfig, environment: environment)
    return (configuration, root, kubeconfig, context)
  }

  /// The "PLUGIN COMMANDS" block of the root help (empty without plugins): names and summaries,
  /// read from the files, never by running them.
  static func helpSection(catalog: PluginCatalog) -> String {
    let plugins = catalog.runnable
    guard !plugins.isEmpty else { return "" }
    let width = max(24, (plugins.map(\.name.count).max() ?? 0) + 2)  // the parser's column
    var lines = ["PLUGIN COMMANDS:"]
    for plugin in plugins {
      // Padded by hand: Foundation's padding bridges an NSString per line.
      let padded = plugin.name + String(repeating: " ", count: max(0, width - plugin.name.count))
      lines.append("  " + padded + (plugin.metadata.summary ?? "(no summary)"))
    }
    if catalog.plugins.contains(where: { !$0.warnings.isEmpty }) {
      lines.append("")
      lines.append("  Some plugin files are not run: see 'mtobs plugin list'.")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// `mtobs`, `mtobs --help`, `mtobs -h` and `mtobs help`: the parser's root help plus the
  /// plugins. Other help requests go to the parser unchanged.
  static func isRootHelpRequest(_ arguments: [String], commandName: String?, topics: [String]) -> Bool {
    if arguments.contains(CommandLineScan.completionMarker) || arguments.contains("--experimental-dump-help") {
      return false
    }
    switch commandName {
    case nil: return arguments.isEmpty || arguments.contains("--help") || arguments.contains("-h")
    case "help": return topics.isEmpty
    default: return false
    }
  }

  static func printRootHelp() -> Never {
    var text = RootCommand.helpMessage()
    if !text.hasSuffix("\n") { text += "\n" }
    let section = helpSection(catalog: catalog())
    if !section.isEmpty { text += "\n" + section }
    StandardStreams().write(text, to: .standardOutput)
    exit(0)
  }
}
