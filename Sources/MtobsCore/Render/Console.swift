import Foundation

/// Where mtobs writes for people and machines, and whether it may use colour: the run's output
/// sink plus its terminal facts, decided once for stdout and stderr separately.
public struct Console: Sendable {
  public let sink: any OutputSink
  public let terminal: TerminalFacts

  public init(sink: any OutputSink = StandardStreams(), terminal: TerminalFacts) {
    self.sink = sink
    self.terminal = terminal
  }

  /// The live console: the real streams and the real terminal.
  public init(noColorFlag: Bool, environment: [String: String]) {
    self.init(terminal: .detect(noColorFlag: noColorFlag, environment: environment))
  }

  public init(colorOnStandardOutput: Bool, colorOnStandardError: Bool, sink: any OutputSink = StandardStreams()) {
    self.init(
      sink: sink,
      terminal: TerminalFacts(
        standardOutputIsTerminal: colorOnStandardOutput, standardErrorIsTerminal: colorOnStandardError,
        colorAllowed: colorOnStandardOutput || colorOnStandardError))
  }

  public var colorOnStandardOutput: Bool { terminal.colorOnStandardOutput }
  public var colorOnStandardError: Bool { terminal.colorOnStandardError }

  /// What plugins are told through `MTOBS_COLOR`.
  public var colorSetting: String { colorOnStandardOutput ? "always" : "never" }

  public func print(_ text: String) {
    sink.write(text + "\n", to: .standardOutput)
  }

  /// Bytes as they are (a bundle on stdout).
  public func write(_ bytes: [UInt8]) {
    sink.write(bytes, to: .standardOutput)
  }

  public func printError(_ text: String) {
    sink.write(text + "\n", to: .standardError)
  }

  /// A progress line: on a terminal one line that updates in place, elsewhere one line each.
  /// Returns whether the line was left open (call `endStatusLine()` before other output).
  @discardableResult
  public func statusLine(_ text: String) -> Bool {
    if terminal.standardErrorIsTerminal {
      sink.write("\r\u{1B}[2K" + text, to: .standardError)
      return true
    }
    printError(text)
    return false
  }

  /// Ends a status line left open, keeping its text.
  public func endStatusLine() {
    sink.write("\n", to: .standardError)
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
