/// The global options every built-in command accepts, as plain values (the executable maps its
/// parsed flags onto this, so the core never depends on the argument parser).
public struct GlobalSettings: Sendable, Equatable {
  public var context: String?
  public var kubeconfig: String?
  public var namespace: String?
  public var configFile: String?
  public var verbose: Bool
  public var dryRun: Bool
  public var noColor: Bool
  /// `--request-timeout` (kubectl's name) of the commands that read the cluster: the `timeout` key.
  public var requestTimeout: String?

  public init(
    context: String? = nil, kubeconfig: String? = nil, namespace: String? = nil, configFile: String? = nil,
    verbose: Bool = false, dryRun: Bool = false, noColor: Bool = false, requestTimeout: String? = nil
  ) {
    self.context = context
    self.kubeconfig = kubeconfig
    self.namespace = namespace
    self.configFile = configFile
    self.verbose = verbose
    self.dryRun = dryRun
    self.noColor = noColor
    self.requestTimeout = requestTimeout
  }

  /// The flags that set configuration keys, with their spelling for `mtobs config`.
  public var configurationFlags: [Configuration.FlagValue] {
    [
      context.map { .init(key: .context, text: $0, flag: "--context") },
      kubeconfig.map { .init(key: .kubeconfig, text: $0, flag: "--kubeconfig") },
      namespace.map { .init(key: .namespace, text: $0, flag: "--namespace") },
      requestTimeout.map { .init(key: .timeout, text: $0, flag: "--request-timeout") },
    ].compactMap { $0 }
  }
}
