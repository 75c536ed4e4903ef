import Foundation

/// Where mtobs writes for people and machines, and whether it may use colour.
///
/// Colour only on a terminal, never with `--no-color` or a non-empty `NO_COLOR`
/// (https://no-color.org), decided here once for stdout and stderr separately.
public struct Console: Sendable {
  public let colorOnStandardOutput: Bool
  public let colorOnStandardError: Bool

  public init(noColorFlag: Bool, environment: [String: String]) {
    let allowed = !noColorFlag && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    colorOnStandardOutput = allowed && isatty(STDOUT_FILENO) == 1
    colorOnStandardError = allowed && isatty(STDERR_FILENO) == 1
  }

  public init(colorOnStandardOutput: Bool, colorOnStandardError: Bool) {
    self.colorOnStandardOutput = colorOnStandardOutput
    self.colorOnStandardError = colorOnStandardError
  }

  /// What plugins are told through `MTOBS_COLOR`.
  public var colorSetting: String { colorOnStandardOutput ? "always" : "never" }

  public func print(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
  }

  public func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }

  /// An error for people: `error: …` and an indented hint on stderr.
  public func error(_ message: String, hint: String? = nil) {
    printError(Style.red("error:", colorOnStandardError) + " " + message)
    if let hint, !hint.isEmpty { printError(Style.dim("  hint: ", colorOnStandardError) + hint) }
  }

  public func warning(_ message: String) {
    printError(Style.yellow("warning:", colorOnStandardError) + " " + message)
  }
}

/// ANSI styles, applied only when the stream allows colour.
public enum Style {
  public static func red(_ text: String, _ enabled: Bool) -> String { wrap(text, "31", enabled) }
  public static func green(_ text: String, _ enabled: Bool) -> String { wrap(text, "32", enabled) }
  public static func yellow(_ text: String, _ enabled: Bool) -> String { wrap(text, "33", enabled) }
  public static func bold(_ text: String, _ enabled: Bool) -> String { wrap(text, "1", enabled) }
  public static func dim(_ text: String, _ enabled: Bool) -> String { wrap(text, "2", enabled) }

  private static func wrap(_ text: String, _ code: String, _ enabled: Bool) -> String {
    enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}
