import Foundation
import Testing

/// Colour only on a terminal, never with `--no-color` or `NO_COLOR` (https://no-color.org).
/// util-linux `script` gives mtobs a real pseudo-terminal.
@Suite("colour", requires("script"))
struct ColorTests {
  static let bundle = CLI.packageRoot.appendingPathComponent("examples/bundles/broken.json").path

  /// Runs `mtobs ARGS` on a pseudo-terminal and returns what it wrote there.
  private func onTerminal(_ arguments: [String], environment extra: [String: String] = [:]) throws -> String {
    let home = try TemporaryDirectory()
    let cli = CLI(home: home.url)
    let command = ([CLI.mtobsPath] + arguments).map { "'\($0)'" }.joined(separator: " ")
    let result = try CLI.run(
      executable: try #require(which("script")), ["-qec", command, "/dev/null"],
      environment: cli.environment.merging(["TERM": "xterm"].merging(extra) { $1 }) { $1 }, in: home.url)
    #expect(result.status == 1, "the broken bundle fails a check: \(result)")
    return result.standardOutput
  }

  @Test func aTerminalGetsColour() throws {
    let output = try onTerminal(["health", "--from", Self.bundle])
    #expect(output.contains("\u{1B}[31m✖"), "red failures on a terminal: \(output)")
  }

  @Test func noColorFlagAndVariableTurnItOff() throws {
    for (arguments, environment) in [
      (["health", "--from", Self.bundle, "--no-color"], [String: String]()),
      (["health", "--from", Self.bundle], ["NO_COLOR": "1"]),
      (["--no-color", "health", "--from", Self.bundle], [:]),
    ] {
      let output = try onTerminal(arguments, environment: environment)
      #expect(output.contains("✖"), "\(arguments) \(environment): \(output)")
      #expect(!output.contains("\u{1B}["), "\(arguments) \(environment): \(output)")
    }
  }
}
