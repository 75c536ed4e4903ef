import Foundation
import Testing

@testable import MtobsCore

@Suite struct DurationTextTests {
  @Test(arguments: [
    ("10s", Duration.seconds(10)), ("500ms", .milliseconds(500)), ("2m", .seconds(120)), ("1m30s", .seconds(90)),
    ("1h", .seconds(3600)), ("1.5s", .milliseconds(1500)),
  ])
  func parses(text: String, expected: Duration) {
    #expect(DurationText.parse(text) == expected)
  }

  @Test(arguments: ["", "10", "s", "10x", "-1s", "1m30"])
  func rejects(text: String) {
    #expect(DurationText.parse(text) == nil)
  }

  @Test func formats() {
    #expect(DurationText.format(.seconds(10)) == "10s")
    #expect(DurationText.format(.seconds(90)) == "1m30s")
    #expect(DurationText.format(.milliseconds(250)) == "250ms")
    #expect(DurationText.format(.seconds(3600)) == "1h")
  }
}

@Suite struct ShellQuotingTests {
  @Test func quotesOnlyWhatNeedsIt() {
    #expect(ShellQuoting.quote("kubectl") == "kubectl")
    #expect(ShellQuoting.quote("--selector=app=x,tier=y") == "--selector=app=x,tier=y")
    #expect(ShellQuoting.quote("two words") == "'two words'")
    #expect(ShellQuoting.quote("it's") == "'it'\\''s'")
    #expect(ShellQuoting.quote("") == "''")
    #expect(ShellQuoting.quote("$(rm -rf /)") == "'$(rm -rf /)'")
  }

  @Test func invocationMasksSecrets() {
    let invocation = Invocation(
      "kubectl", ["--token", "abc123", "--password=hunter2", "create", "secret", "--from-literal=pw=s3cret"],
      environment: ["GF_PASSWORD": "s3cret"], secrets: ["s3cret"])
    #expect(
      invocation.display
        == "GF_PASSWORD='***' kubectl --token '***' '--password=***' create secret '--from-literal=pw=***'")
    #expect(!invocation.display.contains("abc123"))
    #expect(!invocation.display.contains("hunter2"))
  }
}

@Suite struct SuggestionTests {
  @Test func findsCloseNames() {
    let commands = ["deploy", "grafana", "pyroscope", "health", "logs", "version", "config"]
    #expect(Suggestions.closest(to: "helath", among: commands) == ["health"])
    #expect(Suggestions.closest(to: "grafna", among: commands) == ["grafana"])
    #expect(Suggestions.closest(to: "vers", among: commands) == ["version"])
    #expect(Suggestions.closest(to: "zzzzzz", among: commands).isEmpty)
  }
}

/// Records, reports and bundles carry RFC 3339 UTC time stamps, to the second.
@Suite struct TimestampTests {
  @Test func rfc3339InUTC() {
    #expect(Timestamp.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
    #expect(Timestamp.string(from: Date(timeIntervalSince1970: 1_795_960_522.75)) == "2026-11-29T13:55:22Z")
    #expect(Timestamp.now().wholeMatch(of: #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/#) != nil)
  }
}
