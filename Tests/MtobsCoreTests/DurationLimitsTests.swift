import Testing

@testable import MtobsCore

/// Durations too long to hold are refused with a reason, never a trap (they used to overflow
/// `Int64` and crash every command reading them, `mtobs config` included).
@Suite("durations have limits")
struct DurationLimitsTests {
  @Test(arguments: [
    "2562047788016h", "9999999999999999h", "2562048h", "1h2562047h", String(repeating: "9", count: 400) + "s",
    String(repeating: "9", count: 40) + "ms", "99999999999999999999999999999999m",
  ])
  func tooLongIsTooLarge(text: String) {
    #expect(DurationText.read(text) == .failure(.tooLarge))
    #expect(DurationText.parse(text) == nil)
  }

  @Test func theMaximumIsGosLimitInWholeHours() {
    #expect(DurationText.read("2562047h") == .success(.seconds(2_562_047 * 3600)))
    #expect(DurationText.format(DurationText.maximum) == "2562047h")
    #expect("\(DurationText.Problem.tooLarge)" == "too large: at most 2562047h")
  }

  @Test(arguments: ["", "   ", "10", "1.2.3s", "٣s", "½h", "1e3s", "infs", "nans", "-5s", "5 s"])
  func malformedIsMalformed(text: String) {
    #expect(DurationText.read(text) == .failure(.malformed))
  }

  @Test func hugeDurationsFormatWithoutTrapping() {
    #expect(DurationText.milliseconds(.seconds(Int64.max)) == Int.max)
    #expect(DurationText.milliseconds(.seconds(Int64.min)) == Int.min)
    #expect(DurationText.milliseconds(.seconds(Int64.max / 1000)) == Int(Int64.max / 1000) * 1000)
    #expect(!DurationText.format(.seconds(Int64.max)).isEmpty)
    #expect(DurationText.format(.seconds(-90)) == "-90s")
  }

  @Test func aConfigFileWithAHugeTimeoutIsAConfigErrorWithFileLineAndKey() {
    #expect(throws: ConfigError.self) { try ConfigFile.parse("timeout: 9999999999999999h\n", path: "mtobs.yaml") }
    do {
      _ = try ConfigFile.parse("namespace: monitoring\ntimeout: 9999999999999999h\n", path: "mtobs.yaml")
    } catch {
      #expect(error.line == 2)
      #expect(error.key == "timeout")
      #expect(
        error.description == "mtobs.yaml:2: timeout: too large: at most 2562047h, got '9999999999999999h'")
    }
  }

  @Test func aMalformedTimeoutStillSaysWhatIsExpected() throws {
    do {
      _ = try ConfigFile.parse("timeout: soon\n", path: "mtobs.yaml")
      Issue.record("'soon' was accepted")
    } catch {
      #expect(error.description == "mtobs.yaml:1: timeout: expected a duration such as 10s, 500ms or 2m, got 'soon'")
    }
  }
}
