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
    if let user = userConfigPath(), FileManager.default.fileExists(atPath: user) {
      files.append(try ConfigFile.load(path: user))
    }
    if let root = repositoryRoot {
      let repoFile = (root as NSString).appendingPathComponent("mtobs.yaml")
      if FileManager.default.fileExists(atPath: repoFile) { files.append(try ConfigFile.load(path: repoFile)) }
    }
    let explicit = explicitFile ?? environment["MTOBS_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
    if let explicit {
      let path = absolute(explicit)
      guard FileManager.default.fileExists(atPath: path) else {
        throw ConfigError(
          path: path, line: nil, key: nil,
          message: "no such file (given by \(explicitFile == nil ? "MTOBS_CONFIG" : "--config"))")
      }
      files.append(try ConfigFile.load(path: path))
    }
    return try Configuration.resolve(flags: flags, environment: environment, files: files)
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
