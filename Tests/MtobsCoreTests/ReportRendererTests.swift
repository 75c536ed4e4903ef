import Foundation
import Testing

@testable import MtobsCore

/// Table, short and JSON renderings of one report model (PRODUCT.md §4).
@Suite("reports render as table, short and JSON")
struct ReportRendererTests {
  static func check(
    _ id: String, _ status: CheckStatus, _ message: String, hint: String? = nil, objects: [String] = []
  ) -> CheckResult {
    CheckResult(
      id: id, category: String(id.split(separator: ".")[0]), title: "title of \(id)", status: status, message: message,
      hint: hint, objects: objects, durationMs: 3)
  }

  static let report = Report(
    command: "health", context: "dev", namespace: "monitoring", startedAt: "2026-11-22T10:00:00Z", durationMs: 412,
    checks: [
      check("kubernetes.api", .pass, "Kubernetes v1.32.4"),
      check(
        "collector.ready", .fail, "0/1 ready: otel-collector-x CrashLoopBackOff (7 restarts)",
        hint: "mtobs logs collector --previous", objects: ["monitoring/pod/otel-collector-x"]),
      check("collector.health", .skip, "skipped: collector.ready failed"),
      check("backends.loki", .warn, "slow", hint: "mtobs logs loki"),
      check("grafana.datasources", .skip, "not checked: needs credentials", hint: "mtobs grafana"),
    ])

  @Test func theTableGroupsByCategoryWithMarksHintsAndASummary() {
    let table = ReportRenderer.table(Self.report, color: false)
    #expect(
      table == """
        kubernetes
        ----------
        ✔ title of kubernetes.api: Kubernetes v1.32.4

        collector
        ---------
        ✖ title of collector.ready: 0/1 ready: otel-collector-x CrashLoopBackOff (7 restarts)
            hint: mtobs logs collector --previous
        – title of collector.health: skipped: collector.ready failed

        backends
        --------
        ⚠ title of backends.loki: slow
            hint: mtobs logs loki

        grafana
        -------
        – title of grafana.datasources: not checked: needs credentials
            hint: mtobs grafana

        Status: fail — 1 passed, 1 warnings, 1 failed, 2 skipped in 412 ms
        """)
  }

  @Test func categoriesAreGroupedEvenWhenChecksInterleave() {
    let report = Report(
      command: "debug-dapr", context: nil, namespace: "monitoring", startedAt: "", durationMs: 1,
      checks: [
        Self.check("dapr.a", .pass, "a"), Self.check("kubernetes.b", .pass, "b"), Self.check("dapr.c", .pass, "c"),
      ])
    let table = ReportRenderer.table(report, color: false)
    #expect(table.split(separator: "\n").filter { $0 == "dapr" }.count == 1, "\(table)")
    #expect(table.hasPrefix("dapr\n----\n✔ title of dapr.a: a\n✔ title of dapr.c: c\n\nkubernetes"), "\(table)")
  }

  @Test func colourOnlyWhenEnabled() {
    #expect(!ReportRenderer.table(Self.report, color: false).contains("\u{1B}["))
    let coloured = ReportRenderer.table(Self.report, color: true)
    #expect(coloured.contains(Style.red("✖", true)))
    #expect(coloured.contains(Style.green("✔", true)))
    #expect(coloured.contains(Style.yellow("⚠", true)))
    #expect(coloured.contains(Style.bold("collector", true)))
    #expect(!ReportRenderer.short(Self.report).contains("\u{1B}["))
  }

  @Test func anEmptyReportIsJustTheSummary() {
    let report = Report(command: "health", context: nil, namespace: "m", startedAt: "", durationMs: 0, checks: [])
    #expect(
      ReportRenderer.table(report, color: false) == "Status: ok — 0 passed, 0 warnings, 0 failed, 0 skipped in 0 ms")
  }

  @Test func shortListsOnlyWhatIsNotAPass() {
    #expect(
      ReportRenderer.short(Self.report) == """
        FAIL collector.ready: 0/1 ready: otel-collector-x CrashLoopBackOff (7 restarts)
        SKIP collector.health: skipped: collector.ready failed
        WARN backends.loki: slow
        SKIP grafana.datasources: not checked: needs credentials
        Status: fail — 1 passed, 1 warnings, 1 failed, 2 skipped in 412 ms
        """)
  }

  @Test func statusLineFollowsTheWorstCheck() {
    let warn = Report(
      command: "health", context: nil, namespace: "m", startedAt: "", durationMs: 5,
      checks: [Self.check("a.b", .pass, ""), Self.check("a.c", .warn, "w", hint: "mtobs x")])
    #expect(ReportRenderer.short(warn).hasSuffix("Status: warn — 1 passed, 1 warnings, 0 failed, 0 skipped in 5 ms"))
    let skip = Report(
      command: "health", context: nil, namespace: "m", startedAt: "", durationMs: 5,
      checks: [Self.check("a.b", .pass, ""), Self.check("a.c", .skip, "s")])
    #expect(ReportRenderer.short(skip) == "SKIP a.c: s\nStatus: ok — 1 passed, 0 warnings, 0 failed, 1 skipped in 5 ms")
  }

  @Test func jsonIsOneSortedDocumentThatDecodesBack() throws {
    let text = ReportRenderer.json(Self.report)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(object["apiVersion"] as? String == "mtobs/v1")
    #expect(object["kind"] as? String == "Report")
    #expect(object["status"] as? String == "fail")
    #expect((object["summary"] as? [String: Int]) == ["pass": 1, "warn": 1, "fail": 1, "skip": 2])
    let checks = try #require(object["checks"] as? [[String: Any]])
    #expect(checks.count == 5)
    #expect(checks[0]["hint"] == nil, "no null hint on a pass")
    #expect(checks[1]["objects"] as? [String] == ["monitoring/pod/otel-collector-x"])
    #expect(try JSONDecoder().decode(Report.self, from: Data(text.utf8)) == Self.report)
    // Pretty and sorted: the top-level keys appear in alphabetical order, one per line.
    let topLevel = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map {
      String($0.dropFirst(3).prefix { $0 != "\"" })
    }
    #expect(topLevel == topLevel.sorted())
    #expect(topLevel.contains("durationMs"))
    #expect(text.hasPrefix("{\n"))
    #expect(text.hasSuffix("}"), "the caller adds the one newline")
    #expect(!text.contains("\\/"), "slashes are not escaped")
  }

  @Test func aRealEvaluationRendersInEveryFormat() throws {
    let report = HealthRunner.report(
      for: HealthSnapshots.lokiNotReadyAndLogExportFailing(), options: .init(), startedAt: "2026-11-22T10:00:00Z",
      durationMs: 7)
    let table = ReportRenderer.table(report, color: false)
    for heading in HealthChecks.categories {
      #expect(table.contains("\n\(heading)\n") || table.hasPrefix("\(heading)\n"))
    }
    #expect(table.contains("✖ Loki is ready: service/loki:3100/ready: HTTP 503"))
    #expect(table.contains("\n    hint: kubectl get pods -n monitoring -l app.kubernetes.io/name=loki"))
    #expect(table.hasSuffix("Status: fail — 21 passed, 0 warnings, 2 failed, 1 skipped in 7 ms"), "\(table)")
    let short = ReportRenderer.short(report).split(separator: "\n")
    #expect(short.count == 4)
    #expect(short[0].hasPrefix("FAIL collector.exporters: "))
    #expect(short[1].hasPrefix("FAIL backends.loki: "))
    #expect(short[2].hasPrefix("SKIP grafana.datasources: "))
    let decoded = try JSONDecoder().decode(Report.self, from: Data(ReportRenderer.json(report).utf8))
    #expect(decoded == report)
    #expect(report.exitCode(failOnWarning: false) == 1)
  }

  @Test func warningsFailOnlyWithFailOnWarning() {
    let report = Report(
      command: "health", context: "dev", namespace: "monitoring", startedAt: "2026-11-29T10:00:00Z", durationMs: 1,
      checks: [
        CheckResult(id: "a.one", category: "a", title: "one", status: .pass, message: "ok"),
        CheckResult(id: "a.two", category: "a", title: "two", status: .warn, message: "restarted 9 times"),
      ])
    #expect(report.status == .warn)
    #expect(report.exitCode(failOnWarning: false) == 0)
    #expect(report.exitCode(failOnWarning: true) == 1)
  }
}
