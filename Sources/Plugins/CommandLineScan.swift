/// Finds the command name in an argument list without parsing it fully: the first word that is
/// not a global option or a global option's value. This lets `mtobs --context dev NAME` reach a
/// plugin while built-ins keep the argument parser's full treatment.
///
/// It does not keep its own list of global options: `acceptsGlobalOptions` answers whether some
/// leading words are global options only, and the executable answers it with the argument
/// parser's own `GlobalOptions`, so a new global option can never be missed here.
public struct CommandLineScan: Sendable {
  /// ArgumentParser's completion protocol (`mtobs ---completion health -- --ou`): never a command
  /// name, and the arguments must reach the parser untouched.
  public static let completionMarker = "---completion"

  /// Whether `words` (all before the command name) parse as global options alone.
  public let acceptsGlobalOptions: @Sendable ([String]) -> Bool

  public init(acceptsGlobalOptions: @escaping @Sendable ([String]) -> Bool) {
    self.acceptsGlobalOptions = acceptsGlobalOptions
  }

  /// The command name, or nil when there is none (`mtobs`, `mtobs --help`) or the arguments are
  /// the completion protocol's.
  public func commandName(in arguments: [String]) -> (name: String, index: Int)? {
    if arguments.first == Self.completionMarker { return nil }
    for (index, word) in arguments.enumerated() {
      if word == "--" {
        guard index + 1 < arguments.count, acceptsGlobalOptions(Array(arguments[..<index])) else { return nil }
        return (arguments[index + 1], index + 1)
      }
      // A word that does not start with "-" is the command unless it is the value of the option
      // before it; the parser tells which (nothing before it: no need to ask, which saves the
      // parser's reflection of the options at the start of `mtobs NAME`).
      if !word.hasPrefix("-"), index == 0 || acceptsGlobalOptions(Array(arguments[..<index])) { return (word, index) }
    }
    return nil
  }

  /// Moves global options written before the command name to after it (`mtobs --context dev
  /// health` → `mtobs health --context dev`), where the argument parser accepts them. They go
  /// before a `--` terminator, if any, so they never become a child's arguments.
  public func globalOptionsAfterCommand(_ arguments: [String]) -> [String] {
    guard let command = commandName(in: arguments), command.index > 0 else { return arguments }
    let leading = Array(arguments[..<command.index]).filter { $0 != "--" }
    var rest = Array(arguments[(command.index + 1)...])
    let insertion = rest.firstIndex(of: "--") ?? rest.endIndex
    rest.insert(contentsOf: leading, at: insertion)
    return [command.name] + rest
  }
}
