import Foundation

/// What a plugin is given (PRODUCT.md §5): the user's environment with mtobs's own keys first
/// removed, so an inherited value can never pose as mtobs's, then set to what this run resolved.
public struct PluginLaunch: Sendable, Equatable {
  public var executable: String
  public var arguments: [String]
  public var environment: [String: String]

  /// The keys mtobs owns in a plugin's environment.
  public static let ownedKeys = [
    "MTOBS_BIN", "MTOBS_PLUGIN_NAME", "MTOBS_PLUGIN_DIR", "MTOBS_CONTEXT", "MTOBS_NAMESPACE", "MTOBS_KUBECONFIG",
    "MTOBS_ROOT", "MTOBS_COLOR",
  ]

  /// The target and surroundings the run resolved before handing over.
  public struct Resolved: Sendable, Equatable {
    public var mtobsBinary: String
    public var context: String?
    public var namespace: String
    public var kubeconfig: String?
    public var repositoryRoot: String?
    public var color: Bool
    /// `--config FILE` as an absolute path, when given: passed on as MTOBS_CONFIG so the
    /// plugin's own `$MTOBS_BIN …` calls read the same configuration.
    public var configFile: String?

    public init(
      mtobsBinary: String, context: String?, namespace: String, kubeconfig: String?, repositoryRoot: String?,
      color: Bool, configFile: String? = nil
    ) {
      self.configFile = configFile
      self.mtobsBinary = mtobsBinary
      self.context = context
      self.namespace = namespace
      self.kubeconfig = kubeconfig
      self.repositoryRoot = repositoryRoot
      self.color = color
    }
  }

  public init(plugin: Plugin, arguments: [String], inherited: [String: String], resolved: Resolved) {
    var environment = inherited
    for key in Self.ownedKeys { environment.removeValue(forKey: key) }
    environment["MTOBS_BIN"] = resolved.mtobsBinary
    environment["MTOBS_PLUGIN_NAME"] = plugin.name
    environment["MTOBS_PLUGIN_DIR"] = plugin.directory.path
    environment["MTOBS_CONTEXT"] = resolved.context
    environment["MTOBS_NAMESPACE"] = resolved.namespace
    environment["MTOBS_KUBECONFIG"] = resolved.kubeconfig
    environment["MTOBS_ROOT"] = resolved.repositoryRoot
    environment["MTOBS_COLOR"] = resolved.color ? "always" : "never"
    // Not an owned key: without --config, the user's own MTOBS_CONFIG still applies.
    if let configFile = resolved.configFile { environment["MTOBS_CONFIG"] = configFile }
    self.executable = plugin.path
    self.arguments = arguments
    self.environment = environment
  }

  /// Replaces this process with the plugin, so its exit status, signals and terminal are the
  /// plugin's own. Returns only when `execve` fails, with the reason.
  public func exec() -> String {
    let argv = [executable] + arguments
    let envp = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    let cArguments = argv.map { strdup($0) } + [nil]
    let cEnvironment = envp.map { strdup($0) } + [nil]
    defer {
      for pointer in cArguments { free(pointer) }
      for pointer in cEnvironment { free(pointer) }
    }
    fflush(nil)  // whatever stdio buffered would be lost with this process image
    execve(executable, cArguments, cEnvironment)
    return String(cString: strerror(errno))
  }

  /// The running mtobs's own absolute path, for MTOBS_BIN.
  public static func currentExecutable() -> String? {
    #if os(Linux)
      var buffer = [CChar](repeating: 0, count: 4097)
      let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
      if count > 0 { return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
    #endif
    return Bundle.main.executablePath.map { PluginDirectories.resolved($0) }
  }
}
