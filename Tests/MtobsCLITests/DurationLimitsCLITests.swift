import Foundation
import Testing

/// Durations too long to hold are usage errors (64) on the command line and configuration errors
/// (2) in a file, never a crash (they used to trap: exit 132, for every command).
@Suite("duration limits through the binary")
struct DurationLimitsCLITests {
  let home: TemporaryDirectory
  let cli: CLI

  init() throws {
    home = try TemporaryDirectory()
    cli = CLI(home: home.url)
  }

  @Test(arguments: [
    (["health", "--wait", "2562047788016h"], "--wait '2562047788016h' is too large: at most 2562047h"),
    (["deploy", "--timeout", "9999999999999999h"], "--timeout '9999999999999999h' is too large: at most 2562047h"),
    (
      ["debug-dapr", "--probe", "--probe-timeout", "9999999999999999h"],
      "--probe-timeout '9999999999999999h' is too large: at most 2562047h"
    ),
  ])
  func aHugeFlagValueIsAUsageError(arguments: [String], message: String) throws {
    let result = try cli.run(arguments)
    #expect(result.status == 64, "\(result)")
    #expect(result.standardError.contains(message), "\(result)")
  }

  @Test func aHugeTimeoutInTheConfigFileIsAConfigError() throws {
    let file = try home.write("namespace: monitoring\ntimeout: 9999999999999999h\n", to: "mtobs-huge.yaml")
    let expected = "\(file.path):2: timeout: too large: at most 2562047h, got '9999999999999999h'"
    let health = try cli.run(["--config", file.path, "health", "--from", "/nonexistent.json"])
    #expect(health.status == 2, "\(health)")
    #expect(health.standardError.contains(expected), "\(health)")
    // `config` must not crash either; whether it shows the error or stops with it, it names file:line.
    let config = try cli.run(["--config", file.path, "config"])
    #expect(config.status == 0 || config.status == 2, "\(config)")
    #expect((config.standardOutput + config.standardError).contains(expected), "\(config)")
  }
}
