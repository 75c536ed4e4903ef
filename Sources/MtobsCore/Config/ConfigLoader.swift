import Foundation
import Git

/// Finds the configuration files on disk and resolves the effective configuration (the
/// imperative shell around `Configuration.resolve`).
public struct ConfigLoader: Sendable {
  public var environment: [String: String]
  public var workingDirectory: String

  public init(environment: [String: String], workingDirectory: String) {
    self.environment = environment
    self.workingDirectory = workingDirectory
  }

  /// `explicitFile` is `--config FILE`; `MTOBS_CONFIG` stands in for it when the flag is absent.
  public func load(
    flags: [Configuration.FlagValue], explicitFile: String?, repositoryRoot: String?
  )
    throws(ConfigError) -> Configuration
  {
    var files: [ConfigFile] = []
    for path in try filePaths(explicitFile: explicitFile, repositoryRoot: repositoryRoot) {
      files.append(try ConfigFile.load(path: path))
    }
    return try Configuration.resolve(flags: flags, environment: environment, files: files)
  }

  /// The configuration without whatever is broken, and what was: for `mtobs config`, which must
  /// show a broken file's problem (file:line) next to everything else rather than only fail, and
  /// for the commands that need no configuration (`version --client`).
  public func loadSkippingProblems(
    flags: [Configuration.FlagValue], explicitFile: String?, repositoryRoot: String?
  ) -> (Configuration, [ConfigError]) {
    var problems: [ConfigError] = []
    var files: [ConfigFile] = []
    do {
      for path in try filePaths(explicitFile: explicitFile, repositoryRoot: repositoryRoot) {
        do { files.append(try ConfigFile.load(path: path)) } catch { problems.append(error) }
      }
    } catch {
      problems.append(error)
    }
    // A bad flag or variable value: drop the flags and variables one at a time until it resolves.
    var usableFlags = flags
    var usableEnvironment = environment
    while true {
      do {
        let configuration = try Configuration.resolve(flags: usableFlags, environment: usableEnvironment, files: files)
        return (configuration, problems)
      } catch {
        problems.append(error)
        let before = usableFlags.count + usableEnvironment.count
        usableFlags.removeAll { $0.key.name == error.key && $0.flag == error.path }
        usableEnvironment[error.path] = nil
        // Nothing left to drop: the defaults alone always resolve.
        if usableFlags.count + usableEnvironment.count == before {
          let defaults = (try? Configuration.resolve(flags: [], environment: [:], files: []))
          if let defaults { return (defaults, problems) }
          preconditionFailure("the built-in defaults must resolve")
        }
      }
    }
  }

  /// The configuration files that apply, lowest precedence first.
  func filePaths(explicitFile: String?, repositoryRoot: String?) throws(ConfigError) -> [String] {
    var paths: [String] = []
    if let user = userConfigPath(), FileManager.default.fileExists(atPath: user) { paths.append(user) }
    if let root = repositoryRoot {
      let repoFile = (root as NSString).appendingPathComponent("mtobs.yaml")
      if FileManager.default.fileExists(atPath: repoFile) { paths.append(repoFile) }
    }
    let explicit = explicitFile ?? environment["MTOBS_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
    if let explicit {
      let path = absolute(explicit)
      guard FileManager.default.fileExists(atPath: path) else {
        throw ConfigError(
          path: path, line: nil, key: nil,
          message: "no such file (given by \(explicitFile == nil ? "MTOBS_CONFIG" : "--config"))")
      }
      paths.append(path)
    }
    return paths
  }

  /// `$XDG_CONFIG_HOME/mtobs/config.yaml`, or `~/.config/mtobs/config.yaml`.
  public func userConfigPath() -> String? {
    if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
      return xdg + "/mtobs/config.yaml"
    }
    guard let home = environment["HOME"], !home.isEmpty else { return nil }
    return home + "/.config/mtobs/config.yaml"
  }

  private func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : (workingDirectory as NSString).appendingPathComponent(path)
  }
}
