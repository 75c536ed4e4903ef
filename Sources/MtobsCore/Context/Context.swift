import Foundation
import Git

/// Everything a command needs, built once per run: configuration, console, process runner and
/// (on demand) the cluster client. Tests build their own with fakes.
public struct Context: Sendable {
  public let settings: GlobalSettings
  public let configuration: Configuration
  public let environment: [String: String]
  public let workingDirectory: String
  /// Root of the git repository holding the working directory, if any.
  public let repositoryRoot: String?
  public let console: Console
  public let runner: any ProcessRunning
  public let locator: ExecutableLocator

  public init(
    settings: GlobalSettings, configuration: Configuration, environment: [String: String], workingDirectory: String,
    repositoryRoot: String?, console: Console, runner: any ProcessRunning, locator: ExecutableLocator
  ) {
    self.settings = settings
    self.configuration = configuration
    self.environment = environment
    self.workingDirectory = workingDirectory
    self.repositoryRoot = repositoryRoot
    self.console = console
    self.runner = runner
    self.locator = locator
  }

  /// The live context: real environment, files, processes. Throws `ConfigError` for a bad configuration.
  public static func live(settings: GlobalSettings) throws(ConfigError) -> Context {
    let environment = ProcessInfo.processInfo.environment
    let workingDirectory = FileManager.default.currentDirectoryPath
    let repositoryRoot = try? GitRepository.root(containing: workingDirectory)
    let configuration = try ConfigLoader(environment: environment, workingDirectory: workingDirectory)
      .load(
        flags: settings.configurationFlags, explicitFile: settings.configFile, repositoryRoot: repositoryRoot ?? nil)
    let console = Console(noColorFlag: settings.noColor, environment: environment)
    let locator = ExecutableLocator(environment: environment)
    let echo: (@Sendable (String) -> Void)? =
      settings.verbose
      ? { @Sendable line in console.printError(Style.dim("+ " + line, console.colorOnStandardError)) } : nil
    return Context(
      settings: settings, configuration: configuration, environment: environment, workingDirectory: workingDirectory,
      repositoryRoot: repositoryRoot ?? nil, console: console, runner: SubprocessRunner(locator: locator, echo: echo),
      locator: locator)
  }

  /// The cluster the global options and configuration select.
  public var target: KubeTarget {
    KubeTarget(
      context: configuration.string(.context), kubeconfig: configuration.string(.kubeconfig),
      namespace: configuration.string(.namespace) ?? "monitoring")
  }

  /// A cluster client; throws when kubectl cannot be found, with install advice.
  /// The cluster client; `runner` replaces the context's (to count or record the calls).
  public func kube(runner: (any ProcessRunning)? = nil) throws(KubeError) -> KubeClient {
    let kubectlSetting = configuration.string(.kubectl) ?? "kubectl"
    guard let kubectl = locator.locate(kubectlSetting, relativeTo: workingDirectory) else {
      throw KubeError.kubectlMissing(kubectlSetting)
    }
    let console = console
    return KubeClient(
      kubectl: kubectl, target: target, runner: runner ?? self.runner, timeout: configuration.duration(.timeout),
      dryRunPrinter: settings.dryRun ? { @Sendable line in console.print(line) } : nil)
  }
}
