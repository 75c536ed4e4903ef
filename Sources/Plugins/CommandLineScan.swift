/// Finds the command name in an argument list without parsing it fully: the first word that is
/// not a global option or a global option's value. This lets `mtobs --context dev NAME` reach a
/// plugin while built-ins keep the argument parser's full treatment.
public enum CommandLineScan {
  /// Global options that take a value in the next word (`--context dev`).
  public static let optionsWithValue: Set<String> = ["--context", "--kubeconfig", "-n", "--namespace", "--config"]

  /// The command name, or nil when there is none (`mtobs`, `mtobs --help`).
  public static func commandName(in arguments: [String]) -> (name: String, index: Int)? {
    var index = 0
    while index < arguments.count {
      let word = arguments[index]
      if word == "--" { return index + 1 < arguments.count ? (arguments[index + 1], index + 1) : nil }
      if optionsWithValue.contains(word) {
        index += 2
        continue
      }
      if word.hasPrefix("-") {
        index += 1
        continue
      }
      return (word, index)
    }
    return nil
  }

  /// Moves global options written before the command name to after it (`mtobs --context dev
  /// health` → `mtobs health --context dev`), where the argument parser accepts them. They go
  /// before a `--` terminator, if any, so they never become a child's arguments.
  public static func globalOptionsAfterCommand(_ arguments: [String]) -> [String] {
    guard let command = commandName(in: arguments), command.index > 0 else { return arguments }
    let leading = Array(arguments[..<command.index])
    var rest = Array(arguments[(command.index + 1)...])
    let insertion = rest.firstIndex(of: "--") ?? rest.endIndex
    rest.insert(contentsOf: leading, at: insertion)
    return [command.name] + rest
  }
}
