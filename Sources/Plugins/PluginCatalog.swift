import Foundation

/// One `mtobs-NAME` file found in a plugin directory.
public struct Plugin: Sendable, Equatable {
  public enum Warning: Sendable, Equatable, CustomStringConvertible {
    case notExecutable
    case shadowedByBuiltin
    case shadowedBy(path: String)
    case unsafe(reason: String)
    case untrusted(TrustStore.Verdict)
    case manifest(problem: String)

    public var description: String {
      switch self {
      case .notExecutable: "not executable (chmod +x it)"
      case .shadowedByBuiltin: "shadowed by the built-in command of the same name: never run"
      case .shadowedBy(let path): "shadowed by \(path), found earlier"
      case .unsafe(let reason): "unsafe permissions: \(reason); refused"
      case .untrusted(.directoryNotTrusted):
        "repository plugins are not trusted: run 'mtobs plugin trust' to allow them"
      case .untrusted(.changedSinceTrusted): "changed since 'mtobs plugin trust': review it and run that again"
      case .untrusted(.newSinceTrusted): "added since 'mtobs plugin trust': review it and run that again"
      case .untrusted(.trusted): "trusted"
      case .manifest(let problem): "manifest ignored: \(problem)"
      }
    }

    /// Whether this warning stops the plugin from running (a manifest problem does not).
    var refuses: Bool {
      if case .manifest = self { return false }
      return true
    }
  }

  public var name: String
  public var path: String
  public var directory: PluginDirectory
  public var metadata: PluginMetadata
  public var warnings: [Warning]

  /// The plugin `mtobs NAME` runs: nothing stops it.
  public var isRunnable: Bool { !warnings.contains(where: \.refuses) }
}

/// Every plugin file in the plugin directories, with what stops each from running (pure apart from
/// reading the directories, file modes and the first bytes of each file; never runs a plugin).
public struct PluginCatalog: Sendable {
  public var plugins: [Plugin]
  public var directories: [PluginDirectory]

  public init(directories: [PluginDirectory], builtins: Set<String>, trust: TrustStore, readMetadata: Bool = true) {
    self.directories = directories
    var plugins: [Plugin] = []
    var winners: [String: String] = [:]
    for directory in directories {
      guard let names = DirectoryScan.names(in: directory.path) else { continue }
      let directoryProblem = FileSafety.problem(at: directory.path)
      let manifests = Set(names.filter { $0.hasSuffix(".yaml") })
      for fileName in names.sorted() {
        guard let name = PluginName.fromFileName(fileName) else { continue }
        let path = directory.path + "/" + fileName
        guard FileSafety.isRegularFile(path) else { continue }
        var warnings: [Plugin.Warning] = []
        if builtins.contains(name) { warnings.append(.shadowedByBuiltin) }
        if directory.origin == .repository {
          let verdict = trust.verdict(directory: directory.path, fileName: fileName)
          if verdict != .trusted { warnings.append(.untrusted(verdict)) }
        }
        if let directoryProblem {
          warnings.append(.unsafe(reason: "its directory \(directory.path) \(directoryProblem)"))
        } else if let problem = FileSafety.problem(at: path) {
          warnings.append(.unsafe(reason: "it \(problem)"))
        }
        if !FileSafety.isExecutable(path) { warnings.append(.notExecutable) }
        // The first file of a name is the plugin, whatever its warnings, so a refused plugin is
        // reported as refused instead of a later one running in its place; only a repository file
        // the user has not trusted steps aside.
        let stepsAside = warnings.contains { if case .untrusted = $0 { true } else { false } }
        if let earlier = winners[name] {
          warnings.append(.shadowedBy(path: earlier))
        } else if !stepsAside {
          winners[name] = path
        }
        let metadata =
          readMetadata
          ? PluginMetadata.read(pluginPath: path, hasManifest: manifests.contains(fileName + ".yaml"))
          : PluginMetadata()
        if let problem = metadata.manifestProblem { warnings.append(.manifest(problem: problem)) }
        plugins.append(Plugin(name: name, path: path, directory: directory, metadata: metadata, warnings: warnings))
      }
    }
    self.plugins = plugins
  }

  /// The plugin `mtobs NAME` means: the first file of that name that is not an untrusted
  /// repository file. It may carry warnings that refuse it.
  public func plugin(named name: String) -> Plugin? {
    plugins.first { plugin in
      plugin.name == name
        && !plugin.warnings.contains { if case .untrusted = $0 { true } else { false } }
    }
  }

  /// The plugins that run, one per name, in name order: what help lists.
  public var runnable: [Plugin] {
    var seen: Set<String> = []
    return plugins.filter { $0.isRunnable && seen.insert($0.name).inserted }.sorted { $0.name < $1.name }
  }
}
