import MtobsCore

/// The one place a command name that is not a built-in arrives (`mtobs NAME …`): finds the
/// plugin, or says why there is none to run.
public struct CommandDispatch: Sendable {
  public let builtins: [String]
  public let catalog: PluginCatalog

  public init(builtins: [String], catalog: PluginCatalog) {
    self.builtins = builtins
    self.catalog = catalog
  }

  public enum Outcome: Sendable, Equatable {
    case run(Plugin)
    /// A plugin of that name exists but is refused (unsafe, not executable): exit 2.
    case refused(message: String, hint: String?)
    /// No such command: print `message` and exit with the usage status (64).
    case unknown(message: String, hint: String?)
  }

  public func dispatch(name: String) -> Outcome {
    if let plugin = catalog.plugin(named: name) {
      if plugin.isRunnable { return .run(plugin) }
      let reasons = plugin.warnings.filter(\.refuses).map(\.description)
      return .refused(
        message: "plugin '\(name)' (\(plugin.path)) is not run: " + reasons.joined(separator: "; "),
        hint: "see 'mtobs plugin list'")
    }
    if let untrusted = catalog.plugins.first(where: { $0.name == name }) {
      let reasons = untrusted.warnings.filter(\.refuses).map(\.description)
      return .refused(
        message: "plugin '\(name)' (\(untrusted.path)) is not run: " + reasons.joined(separator: "; "),
        hint: "see 'mtobs plugin list'")
    }
    let candidates = builtins + catalog.runnable.map(\.name)
    let suggestions = Suggestions.closest(to: name, among: candidates)
    let hint: String? =
      suggestions.isEmpty
      ? "run 'mtobs --help' for the list of commands, 'mtobs plugin list' for plugins"
      : "did you mean " + suggestions.map { "'mtobs \($0)'" }.joined(separator: " or ") + "?"
    return .unknown(message: "unknown command '\(name)'", hint: hint)
  }
}
