import Foundation

/// The facts about the terminal a run writes to, read once: whether each stream is a TTY, its
/// width, and whether colour is allowed there (only on a TTY, never with `--no-color`, a
/// non-empty `NO_COLOR` (https://no-color.org) or `TERM=dumb`).
public struct TerminalFacts: Sendable, Equatable {
  public var standardInputIsTerminal: Bool
  public var standardOutputIsTerminal: Bool
  public var standardErrorIsTerminal: Bool
  /// Columns of the terminal on stderr, when known.
  public var width: Int?
  public var colorAllowed: Bool

  public init(
    standardInputIsTerminal: Bool = false, standardOutputIsTerminal: Bool = false,
    standardErrorIsTerminal: Bool = false, width: Int? = nil, colorAllowed: Bool = false
  ) {
    self.standardInputIsTerminal = standardInputIsTerminal
    self.standardOutputIsTerminal = standardOutputIsTerminal
    self.standardErrorIsTerminal = standardErrorIsTerminal
    self.width = width
    self.colorAllowed = colorAllowed
  }

  /// No terminal anywhere: what tests and pipes get.
  public static let none = TerminalFacts()

  public var colorOnStandardOutput: Bool { colorAllowed && standardOutputIsTerminal }
  public var colorOnStandardError: Bool { colorAllowed && standardErrorIsTerminal }

  public static func detect(noColorFlag: Bool, environment: [String: String]) -> TerminalFacts {
    var size = winsize()
    let width: Int? =
      ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : nil
    return TerminalFacts(
      standardInputIsTerminal: isatty(STDIN_FILENO) == 1, standardOutputIsTerminal: isatty(STDOUT_FILENO) == 1,
      standardErrorIsTerminal: isatty(STDERR_FILENO) == 1, width: width,
      colorAllowed: colorAllowed(noColorFlag: noColorFlag, environment: environment))
  }

  /// The colour rule without the TTY part (pure).
  public static func colorAllowed(noColorFlag: Bool, environment: [String: String]) -> Bool {
    !noColorFlag && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
  }
}
