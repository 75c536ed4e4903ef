import MtobsCore

/// The one place a command name that is not a built-in arrives (`mtobs NAME …`).
///
/// Today it only explains that the command does not exist; plugin discovery and `exec` of
/// `mtobs-NAME` from the plugin directories will live behind this same entry point.
public struct CommandDispatch: Sendable {
  public let builtins: [String]

  public init(builtins: [String]) {
    self.builtins = builtins
  }

  public enum Outcome: Sendable, Equatable {
    /// No such command: print `message` and exit with the usage status (64).
    case unknown(message: String, hint: String?)
  }

  public func dispatch(name: String, arguments: [String]) -> Outcome {
    let suggestions = Suggestions.closest(to: name, among: builtins)
    let hint: String? =
      suggestions.isEmpty
      ? "run 'mtobs --help' for the list of commands"
      : "did you mean " + suggestions.map { "'mtobs \($0)'" }.joined(separator: " or ") + "?"
    return .unknown(message: "unknown command '\(name)'", hint: hint)
  }
}
