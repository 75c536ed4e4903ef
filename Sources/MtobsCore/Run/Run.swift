import Foundation
import Git

/// The per-run services every command gets, built once per run: settings, configuration,
/// output (console: sink and terminal facts), clock, process runner and (on demand) the cluster
/// client. Tests build their own with fakes. ("Context" is a kubeconfig context to every user,
/// so this is a `Run`.)
public struct Run: Sendable {
  public let settings: GlobalSettings
  public let configuration: Configuration
  public let environment: [String: String]
  public let workingDirectory: String
  /// Root of the git repository holding the working directory, if any.
  public let repositoryRoot: String?
  public let console: Console
  public let runner: any ProcessRunning
  public let locator: ExecutableLocator
  /// What was wrong with the configuration, for the commands that run without it (`config`
  /// shows it, `version --client` warns); empty for every other command, which stops instead.
  public var configurationProblems: [ConfigError] = []
  /// Elapsed time, waiting and timestamps (a fake in tests).
  public var clock: any RunClock = SystemClock()
  /// The run's one connection to the API server (a `kubectl proxy`, started at the first read).
  /// Whoever runs the command shuts it down (`shutdown()`), however the command ends.
  public var transport: KubeTransport

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
    self.transport = KubeTransport(environment: environment)
  }

  /// Ends what the run started and kept open: the API connection and its `kubectl proxy`.
  public func shutdown() async {
    await transport.shutdown()
  }

  /// The live run: real environment, files, processes. Throws `ConfigError` for a bad configuration.
  /// With `skippingConfigurationProblems`, a broken file or value is left out and recorded in
  /// `configurationProblems` instead.
  public static func live(
    settings: GlobalSettings, skippingConfigurationProblems: Bool = false
  ) throws(ConfigError) -> Run {
    let environment = ProcessInfo.processInfo.environment
    let workingDirectory = FileManager.default.currentDirectoryPath
    let repositoryRoot = GitRepository.root(containing: workingDirectory)
    let loader = ConfigLoader(environment: environment, workingDirectory: workingDirectory)
    let configuration: Configuration
    var problems: [ConfigError] = []
    if skippingConfigurationProblems {
      (configuration, problems) = loader.loadSkippingProblems(
        flags: settings.configurationFlags, explicitFile: settings.configFile, repositoryRoot: repositoryRoot)
    } else {
      configuration = try loader.load(
        flags: settings.configurationFlags, explicitFile: settings.configFile, repositoryRoot: repositoryRoot)
    }
    let console = Console(noColorFlag: settings.noColor, environment: environment)
    let locator = ExecutableLocator(environment: environment)
    let echo: (@Sendable (String) -> Void)? =
      settings.verbose
      ? { @Sendable line in console.printError(Style.dim("+ " + line, console.colorOnStandardError)) } : nil
    var run = Run(
      settings: settings, configuration: configuration, environment: environment, workingDirectory: workingDirectory,
      repositoryRoot: repositoryRoot, console: console, runner: SubprocessRunner(locator: locator, echo: echo),
      locator: locator)
    run.configurationProblems = problems
    // `-v` shows each API request with its status and time (paths only: no credential is in them).
    run.transport = KubeTransport(
      environment: environment,
      trace: settings.verbose
        ? { @Sendable line in console.printError(Style.dim(line, console.colorOnStandardError)) } : nil)
    return run
  }

  /// The cluster the global options and configuration select.
  public var target: KubeTarget {
    KubeTarget(
      context: configuration.string(.context), kubeconfig: configuration.string(.kubeconfig),
      namespace: configuration.text(.namespace))
  }

  /// A cluster client; throws when kubectl cannot be found, with install advice.
  /// The cluster client; `runner` replaces the run's (to count or record the calls).
  /// Throws `ConfigError` when a namespace in the configuration is not a valid name.
  public func kube(runner: (any ProcessRunning)? = nil) throws -> KubeClient {
    try validateNamespaces()
    let kubectlSetting = configuration.text(.kubectl)
    guard let kubectl = locator.locate(kubectlSetting, relativeTo: workingDirectory) else {
      throw KubeError.kubectlMissing(kubectlSetting)
    }
    let console = console
    return KubeClient(
      kubectl: kubectl, target: target, runner: runner ?? self.runner, timeout: configuration.duration(.timeout),
      dryRunPrinter: settings.dryRun ? { @Sendable line in console.print(line) } : nil, transport: transport)
  }

  /// The namespaces go into API paths: a value from a file or variable that is not a valid name
  /// is a configuration error naming where it came from (flags are checked by the parser).
  func validateNamespaces() throws(ConfigError) {
    // Namespaces and Service names are labels; a Configuration or Secret name may have dots.
    let labels: [ConfigKey] = [
      .namespace, .appNamespace, .grafanaService, .pyroscopeService, .lokiService, .tempoService, .mimirService,
      .collectorService,
    ]
    let subdomains: [ConfigKey] = [.daprConfiguration, .grafanaSecret]
    for key in labels + subdomains {
      let setting = configuration.setting(key)
      guard case .string(let name)? = setting.value else { continue }
      let valid = subdomains.contains(key) ? KubeName.isSubdomain(name) : KubeName.isLabel(name)
      guard !valid else { continue }
      let problem =
        KubeName.labelProblem(name, what: key.name)
        ?? "\(key.name) '\(name)' is not a valid Kubernetes name: use lower-case letters, digits, '-' and '.'"
      switch setting.origin {
      case .file(let path, let line): throw ConfigError(path: path, line: line, key: key.name, message: problem)
      default: throw ConfigError(path: setting.origin.description, line: nil, key: key.name, message: problem)
      }
    }
  }
}
