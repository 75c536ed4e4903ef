import Foundation
import KubeStandIn
import Testing

/// verify's timing: each step's own timeout, the run's one deadline, `--wait` asking a failing
/// step again (and only it), and the options that choose what is read.
@Suite("verify: timeouts, --wait and what is read", .serialized, requires("kubectl"), requires("python3"))
struct VerifyStepTimingTests {
  private func json(_ fixture: VerifyFixture, _ arguments: [String]) throws -> VerifyLiveTests.Outcome {
    let result = try fixture.mtobs(arguments + ["-o", "json"])
    let document = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
    let report = try #require(document as? [String: Any], "stdout is one JSON object: \(result)")
    return VerifyLiveTests.Outcome(result: result, report: report)
  }

  private func lokiQueries(_ fixture: VerifyFixture) -> Int {
    fixture.stack.cluster.apiRequests.filter { $0.path.hasSuffix("/proxy/loki/api/v1/query_range") }.count
  }

  @Test func aSlowLokiFailsOnlyTheLogsStepAndIsNamedAsSlow() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    fixture.telemetry.update { $0.answerDelay = ["loki": .seconds(8)] }
    let outcome = try json(fixture, ["verify", "--request-timeout", "4s"])
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.status("verify.logs") == "fail")
    #expect(
      outcome.message("verify.logs") == "Loki: service/loki:3100 did not answer within 4s, the per-request limit",
      "\(outcome.message("verify.logs"))")
    #expect(outcome.hint("verify.logs").hasPrefix("mtobs logs loki -n monitoring"), "\(outcome.hint("verify.logs"))")
    #expect(!outcome.hint("verify.logs").contains("cluster-info"))
    for id in ["verify.traces", "verify.metrics", "verify.profiles"] {
      #expect(outcome.status(id) == "pass", "\(id): \(outcome.message(id))")
    }
  }

  @Test func theRunsDeadlineEndsAStepStillWaiting() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    fixture.telemetry.update { $0.answerDelay = ["loki": .seconds(40)] }
    let outcome = try json(fixture, ["verify", "--request-timeout", "30s", "--wait", "3s"])
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.message("verify.logs") == "Loki: no answer before the run's deadline", "\(outcome.result)")
    #expect(outcome.status("verify.metrics") == "pass")
    // The 3 s deadline, plus starting kubectl proxy and the process: far from Loki's 40 s.
    #expect(outcome.result.duration < .seconds(15), "\(outcome.result.duration)")
  }

  @Test func waitAsksAFailingStepAgainUntilItPassesAndGrafanaOnce() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    fixture.telemetry.update { $0.logs = [] }
    // Logs arrive once Loki has answered "none" once.
    let arrived = DispatchSemaphore(value: 0)
    let telemetry = fixture.telemetry
    DispatchQueue.global().async {
      let giveUp = Date().addingTimeInterval(60)
      while telemetry.answered("loki") == 0, Date() < giveUp { usleep(20_000) }
      telemetry.update { contents in
        contents.logs = [.init(labels: ["namespace": "mathtrail"], line: "ready", time: Date())]
      }
      arrived.signal()
    }
    let outcome = try json(fixture, ["verify", "--wait", "20s"])
    arrived.wait()
    #expect(outcome.result.status == 0, "\(outcome.result)")
    #expect(outcome.status("verify.logs") == "pass", "\(outcome.message("verify.logs"))")
    #expect(lokiQueries(fixture) >= 2, "Loki asked \(lokiQueries(fixture)) times")
    // The data sources passed at the first attempt: one tunnel, not one per attempt.
    #expect(fixture.tunnelPIDs.count == 1, "\(fixture.tunnelPIDs)")
    #expect(outcome.status("verify.datasources") == "pass")
    // Mimir passed at once too and was not asked again.
    let mimirQueries = fixture.stack.cluster.apiRequests.filter { $0.path.hasSuffix("/proxy/prometheus/api/v1/query") }
    #expect(mimirQueries.count == 1)
  }

  @Test func theRoundTripCategoryNeedsSendAndReadsNothingElse() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    let refused = try fixture.mtobs(["verify", "--category", "roundtrip"])
    #expect(refused.status == 64, "\(refused)")
    #expect(fixture.stack.cluster.apiRequests.isEmpty)
    let outcome = try json(fixture, ["verify", "--send", "--category", "roundtrip"])
    #expect(outcome.result.status == 0, "\(outcome.result)")
    #expect(
      outcome.checks.compactMap { $0["id"] as? String }
        == ["verify.send.span-otlp", "verify.send.span-zipkin", "verify.send.log", "verify.send.metric"])
    let paths = fixture.stack.cluster.apiRequests.map(\.path)
    #expect(!paths.contains { $0.hasSuffix("/proxy/api/search") || $0.hasSuffix("/LabelValues") }, "\(paths)")
    #expect(!paths.contains { $0.hasSuffix("/secrets/lgtm-grafana") }, "\(paths)")
    #expect(fixture.tunnelPIDs.isEmpty, "no Grafana tunnel: \(fixture.tunnelPIDs)")
  }

  @Test func fromRefusesTheOptionsABundleCannotHonour() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    let path = fixture.home.url.appendingPathComponent("bundle.json").path
    let bundle = try fixture.mtobs(["bundle", "-o", path])
    #expect(bundle.status == 0, "\(bundle)")
    let plain = try fixture.cli.run(["verify", "--from", path, "-o", "short"])
    #expect(plain.status == 0, "\(plain)")
    for extra in [["--app-namespace", "shop"], ["--since", "1h"], ["--metrics-query", #"up{job="x"}"#]] {
      let result = try fixture.cli.run(["verify", "--from", path, "-o", "short"] + extra)
      #expect(result.status == 64, "\(extra): \(result)")
      #expect(result.standardError.contains("\(extra[0]) cannot be used with --from"), "\(result)")
    }
  }
}
