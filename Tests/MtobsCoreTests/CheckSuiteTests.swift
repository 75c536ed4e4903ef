import Testing

@testable import MtobsCore

/// The check engine on an input that is not health's: a second suite is data, not a copy.
@Suite struct CheckSuiteTests {
  struct Ports: Sendable { var open: Set<Int> }

  static let suite = CheckSuite<Ports>(
    command: "debug-demo", categories: ["net", "app"],
    checks: [
      Check(id: "net.http", category: "net", title: "port 80 open", dependencies: []) { input in
        input.open.contains(80)
          ? .pass("80 open") : Verdict(status: .fail, message: "80 closed", hint: "start the server")
      },
      Check(id: "net.tls", category: "net", title: "port 443 open", dependencies: ["net.http"]) { input in
        input.open.contains(443) ? .pass("443 open") : Verdict(status: .warn, message: "443 closed", hint: "add TLS")
      },
      Check(id: "app.ready", category: "app", title: "app answers", dependencies: ["net.tls"]) { _ in
        .pass("ready")
      },
    ])

  @Test func aFailureSkipsItsDependentsNamingTheRootCause() {
    let results = Self.suite.assess(Ports(open: [])).map(\.result)
    #expect(results.map(\.status) == [.fail, .skip, .skip])
    #expect(results[2].message == "skipped: net.http failed")
    #expect(results[0].hint == "start the server")
  }

  @Test func aWarningDoesNotBlockAndTheReportIsTheSuites() {
    let assessments = Self.suite.assess(Ports(open: [80]))
    #expect(assessments.map(\.result.status) == [.pass, .warn, .pass])
    let report = Self.suite.report(
      assessments: assessments, context: "dev", namespace: "ns", startedAt: "2026-11-29T10:00:00Z", durationMs: 5)
    #expect(report.command == "debug-demo")
    #expect(report.status == .warn)
    #expect(report.summary.warn == 1)
  }

  @Test func skipGlobsAndCategoriesFilterTheReportButNotTheEvaluation() {
    let skipped = Self.suite.assess(Ports(open: [80, 443]), skip: ["net.*"]).map(\.result)
    #expect(skipped.map(\.status) == [.skip, .skip, .skip])
    #expect(skipped[2].message == "skipped: net.tls was skipped by --skip")
    // Only `app` is reported, but it still depends on the `net` checks that were evaluated.
    let appOnly = Self.suite.assess(Ports(open: [443]), categories: ["app"]).map(\.result)
    #expect(appOnly.map(\.id) == ["app.ready"])
    #expect(appOnly[0].status == .skip)
  }

  @Test func healthIsASuiteOfTheEngine() {
    #expect(HealthChecks.suite.command == "health")
    #expect(Set(HealthChecks.suite.checks.map(\.category)) == Set(HealthChecks.categories))
  }
}
