import ArgumentParser
import Foundation
import Plugins

/// The completion scripts' questions that the argument parser cannot answer, because their
/// answers are only known at run time: the plugins at the command position, and a plugin's own
/// arguments. Asked as `mtobs ---mtobs-complete plugins SHELL` and
/// `mtobs ---mtobs-complete arguments SHELL NAME WORD…` (three dashes, like the parser's own
/// `---completion`, so no command line a person types can mean it).
enum DynamicCompletion {
  static let marker = "---mtobs-complete"

  /// How long a plugin's completion command may take before TAB offers nothing.
  static let pluginTimeLimit: Duration = .milliseconds(1500)

  /// The candidates for `arguments` (everything after the marker), one a line; nil when the
  /// request is not one of these.
  static func answer(_ arguments: [String], environment: [String: String]) -> [String]? {
    guard arguments.count >= 2 else { return nil }
    let shell = CompletionShell(rawValue: arguments[1])
    switch arguments[0] {
    case "plugins":
      // Names and summaries come from the files; no plugin runs.
      let plugins = PluginDispatch.catalog(environment: environment, readMetadata: shell != .bash).runnable
      return CompletionValues.formatted(
        plugins.map { .init(value: $0.name, description: $0.metadata.summary) }, shell: shell)
    case "arguments":
      guard arguments.count >= 3 else { return [] }
      return pluginArguments(
        name: arguments[2], words: Array(arguments.dropFirst(3)), shell: shell, environment: environment)
    default:
      return nil
    }
  }

  /// What a plugin that declares a completion command offers for `words` (the last is the word
  /// being completed). Only a runnable plugin is asked, so a repository's plugins run at TAB time
  /// only once the repository is trusted, as when they are run by name.
  static func pluginArguments(
    name: String, words: [String], shell: CompletionShell?, environment: [String: String]
  ) -> [String] {
    let catalog = PluginDispatch.catalog(environment: environment)
    guard !PluginDispatch.builtins.contains(name), let plugin = catalog.runnable.first(where: { $0.name == name }),
      let command = plugin.metadata.completion
    else { return [] }
    // On top of mtobs's own environment, which `environment` is (Entry passes it).
    let childEnvironment = [
      "MTOBS_PLUGIN_NAME": plugin.name, "MTOBS_PLUGIN_DIR": plugin.directory.path,
      "MTOBS_COMPLETION_SHELL": shell?.rawValue ?? "",
    ]
    guard
      let output = BoundedCommand.output(
        of: plugin.path, command + (words.isEmpty ? [""] : words), environment: childEnvironment,
        timeLimit: pluginTimeLimit)
    else { return [] }
    let candidates = output.split(separator: "\n").prefix(1000).compactMap { line -> CompletionValues.Candidate? in
      let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
      // Printable text only: a plugin must not put escape sequences on the command line.
      guard let value = parts.first.flatMap(PluginMetadata.sanitized), !value.contains(" ") else { return nil }
      return .init(value: value, description: parts.count > 1 ? PluginMetadata.sanitized(parts[1]) : nil)
    }
    return CompletionValues.formatted(candidates, shell: shell)
  }
}
