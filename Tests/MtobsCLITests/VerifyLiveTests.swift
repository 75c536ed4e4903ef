import Foundation
import KubeStandIn
import Testing

/// `mtobs verify` (and health's `grafana.datasources`) as a user runs them: the built binary, the
/// real kubectl behind the stand-in kubectl's port-forward, and the stand-in API server whose
/// service proxy plays Loki, Tempo, Mimir, Pyroscope and the collector (`VerifyFixture`).
@Suite("verify against the stand-in API server", .serialized, requires("kubectl"), requires("python3"))
struct VerifyLiveTests {
  struct Outcome {
    let result: CLI.Result
    let report: [String: Any]
    var checks: [[String: Any]] { report["checks"] as? [[String: Any]] ?? [] }

    func status(_ id: String) -> String? { check(id)?["status"] as? String }
    func message(_ id: String) -> String { check(id)?["message"] as? String ?? "" }
    func hint(_ id: String) -> String { check(id)?["hint"] as? String ?? "" }
    func check(_ id: String) -> [String: Any]? { checks.first { $0["id"] as? String == id } }
  }

  static let steps = ["verify.datasources", "verify.logs", "verify.traces", "verify.metrics", "verify.profiles"]

  private func json(_ fixture: VerifyFixture, _ arguments: [String]) throws -> Outcome {
    let result = try fixture.mtobs(arguments + ["-o", "json"])
    let document = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
    let report = try #require(document as? [String: Any], "stdout is one JSON object: \(result)")
    return Outcome(result: result, report: report)
  }

  @Test func everyStepPassesOnAHealthyStack() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    let outcome = try json(fixture, ["verify", "-v"])
    #expect(outcome.result.status == 0, "\(outcome.result)")
    #expect(outcome.report["command"] as? String == "verify")
    #expect(outcome.checks.compactMap { $0["id"] as? String } == Self.steps)
    for id in Self.steps { #expect(outcome.status(id) == "pass", "\(id): \(outcome.message(id))") }
    #expect(outcome.message("verify.datasources") == "4 healthy: Loki, Tempo, Mimir, Pyroscope")
    #expect(outcome.message("verify.logs").hasPrefix("3 lines for {namespace=\"mathtrail\"} in the last 15m"))
    #expect(outcome.message("verify.traces").hasSuffix("services: api, solver"))
    #expect(outcome.message("verify.metrics") == #"up{job="otel-collector"} = 1 (1 series)"#)
    #expect(outcome.message("verify.profiles") == "2 services: api, solver")
    // Grafana was asked with the Secret's credentials; the password shows nowhere.
    let expected = "Basic " + Data("admin:\(fixture.password)".utf8).base64EncodedString()
    #expect(!fixture.authorizations.isEmpty && fixture.authorizations.allSatisfy { $0 == expected })
    #expect(!outcome.result.standardOutput.contains(fixture.password))
    #expect(!outcome.result.standardError.contains(fixture.password), "-v echoes no secret")
    // The queries went through the API server's service proxy.
    let paths = fixture.stack.cluster.apiRequests.map(\.path)
    #expect(paths.contains("/api/v1/namespaces/monitoring/services/loki:3100/proxy/loki/api/v1/query_range"))
    #expect(paths.contains("/api/v1/namespaces/monitoring/services/mimir:9009/proxy/prometheus/api/v1/query"))
  }

  @Test func aBrokenDataSourceIsReportedInGrafanasWords() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    var sources = VerifyFixture.healthySources
    let grafanasWords =
      #"Post "http://mimir:9009/prometheus/api/v1/query": dial tcp 10.0.0.9:9009: connect: connection refused"#
    sources[2] = ["uid": "prom", "name": "Mimir", "type": "prometheus", "status": "ERROR", "message": grafanasWords]
    try fixture.setDatasources(sources)
    let outcome = try json(fixture, ["verify"])
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.status("verify.datasources") == "fail")
    #expect(outcome.message("verify.datasources") == "Mimir: \(grafanasWords)")
    #expect(outcome.status("verify.logs") == "pass")
  }

  @Test func noLogsForTheNamespaceNamesItAndTheLogsCollector() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    fixture.telemetry.update { $0.logs = [] }
    let outcome = try json(fixture, ["verify", "--app-namespace", "shop"])
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.status("verify.logs") == "fail")
    #expect(outcome.message("verify.logs").hasPrefix(#"no log lines for {namespace="shop"} in the last 15m"#))
    #expect(outcome.hint("verify.logs").hasPrefix("mtobs logs alloy-logs -n monitoring"))
    let query = try #require(fixture.stack.cluster.apiRequests.first { $0.path.hasSuffix("/query_range") })
    #expect(query.queryItems["query"] == #"{namespace="shop"}"#)
  }

  @Test func mimirWithoutTheMetricFails() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    fixture.telemetry.update { $0.metrics = [:] }
    let outcome = try json(fixture, ["verify"])
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.status("verify.metrics") == "fail")
    #expect(outcome.message("verify.metrics") == #"Mimir has no series for up{job="otel-collector"}"#)
    // The query is configurable.
    fixture.telemetry.update { $0.metrics = [#"up{job="alloy"}"#: [(["job": "alloy"], "1")]] }
    let custom = try json(fixture, ["verify", "--metrics-query", #"up{job="alloy"}"#])
    #expect(custom.status("verify.metrics") == "pass", "\(custom.result)")
  }

  @Test func anUnreachableClusterIsExitTwo() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    await fixture.stopCluster()
    let result = try fixture.mtobs(["verify", "--request-timeout", "3s"])
    #expect(result.status == 2, "\(result)")
  }

  @Test func anUnreadableSecretSkipsTheDataSourcesWithTheReason() async throws {
    let fixture = try await VerifyFixture(secret: false)
    defer { fixture.stop() }
    let outcome = try json(fixture, ["verify"])
    #expect(outcome.result.status == 0, "\(outcome.result)")
    #expect(outcome.status("verify.datasources") == "skip")
    #expect(outcome.message("verify.datasources").contains("no Secret 'lgtm-grafana' in namespace 'monitoring'"))
  }

  @Test func healthAsksGrafanaForItsDataSources() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    var sources = VerifyFixture.healthySources
    sources[0] = [
      "uid": "loki", "name": "Loki", "type": "loki", "status": "ERROR", "message": "Unable to connect with Loki",
    ]
    try fixture.setDatasources(sources)
    let result = try fixture.mtobs(["health", "-o", "json", "-v"])
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any], "\(result)")
    let check = (report["checks"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "grafana.datasources" }
    #expect(check?["status"] as? String == "fail", "\(result)")
    #expect(check?["message"] as? String == "Loki: Unable to connect with Loki")
    #expect(!result.standardError.contains(fixture.password) && !result.standardOutput.contains(fixture.password))
    // No tunnel is left behind.
    for tunnel in fixture.tunnelPIDs {
      #expect(kill(tunnel, 0) != 0, "port-forward \(tunnel) still runs")
    }
  }

  @Test func sendFindsEachSignalByWhatWasSent() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    fixture.telemetry.update { $0.ingestDelay = 0.6 }
    let outcome = try json(fixture, ["verify", "--send", "--wait", "20s"])
    #expect(outcome.result.status == 0, "\(outcome.result)")
    let posts = fixture.telemetry.posts
    #expect(posts.map(\.path).sorted() == ["/api/v2/spans", "/v1/logs", "/v1/metrics", "/v1/traces"])
    #expect(posts.first { $0.path == "/api/v2/spans" }?.receiver == "zipkin")
    // The trace ids looked up in Tempo are the ones sent.
    let otlp = try #require(posts.first { $0.path == "/v1/traces" })
    let zipkin = try #require(posts.first { $0.path == "/api/v2/spans" })
    let sentIDs = [otlp, zipkin].compactMap { post -> String? in
      let text = String(decoding: post.body, as: UTF8.self)
      guard let range = text.range(of: #""traceId":""#) else { return nil }
      return String(text[range.upperBound...].prefix(32))
    }
    #expect(sentIDs.count == 2 && Set(sentIDs).count == 2)
    let looked = Set(
      fixture.stack.cluster.apiRequests.map(\.path).filter { $0.contains("/proxy/api/traces/") }.compactMap {
        $0.split(separator: "/").last.map(String.init)
      })
    #expect(looked == Set(sentIDs))
    for id in ["span-otlp", "span-zipkin", "log", "metric"] {
      #expect(outcome.status("verify.send.\(id)") == "pass", "\(id): \(outcome.message("verify.send.\(id)"))")
      // At least the ingest delay, measured with the poll interval's resolution.
      let message = outcome.message("verify.send.\(id)")
      let seconds = message.split(separator: " ").dropFirst(4).first.flatMap { Double($0) }
      #expect(seconds.map { $0 >= 0.5 && $0 < 5 } ?? false, "\(message)")
    }
  }

  @Test func aSignalThatNeverArrivesNamesTheHop() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    fixture.telemetry.update {
      $0.refusing = ["zipkin": 503]
      $0.forwardReceived = false
    }
    let outcome = try json(fixture, ["verify", "--send", "--wait", "2s"])
    #expect(outcome.result.status == 1, "\(outcome.result)")
    #expect(outcome.status("verify.send.span-zipkin") == "fail")
    #expect(outcome.message("verify.send.span-zipkin").hasPrefix("the collector did not accept it at service/"))
    #expect(outcome.hint("verify.send.span-zipkin").hasPrefix("mtobs logs collector -n monitoring"))
    #expect(outcome.status("verify.send.log") == "fail")
    #expect(outcome.message("verify.send.log").hasPrefix("accepted by the collector but not in Loki after"))
    // The collector's own counters (the example stack's pod metrics: no exporter failures) put the
    // loss after the collector.
    #expect(
      outcome.message("verify.send.log").hasSuffix(
        "; the collector's exporters report no failures (9120 log records sent on): the hop after the collector lost it"
      ), "\(outcome.message("verify.send.log"))")
    #expect(outcome.hint("verify.send.log").hasPrefix("mtobs logs alloy-receiver -n monitoring; mtobs logs loki"))
  }

  @Test func sendHonoursDryRun() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    let outcome = try json(fixture, ["verify", "--send", "--dry-run"])
    #expect(fixture.telemetry.posts.isEmpty, "nothing was sent")
    #expect(outcome.status("verify.send.span-otlp") == "skip")
    let printed = outcome.result.standardError.split(separator: "\n").filter { $0.hasPrefix("would run: POST ") }
    #expect(printed.count == 4, "\(outcome.result)")
  }

  @Test func aBundleKeepsWhatVerifyReadForVerifyFrom() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    fixture.telemetry.update { $0.metrics = [:] }
    let path = fixture.home.url.appendingPathComponent("bundle.json").path
    let bundle = try fixture.mtobs(["bundle", "-o", path])
    #expect(bundle.status == 0, "\(bundle)")
    #expect(!((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").contains(fixture.password))
    await fixture.stopCluster()
    let result = try fixture.cli.run(["verify", "--from", path, "-o", "json"])
    #expect(result.status == 1, "\(result)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any], "\(result)")
    let statuses = Dictionary(
      uniqueKeysWithValues: (report["checks"] as? [[String: Any]] ?? []).compactMap { check in
        (check["id"] as? String).map { ($0, check["status"] as? String ?? "") }
      })
    #expect(statuses["verify.metrics"] == "fail")
    #expect(statuses["verify.logs"] == "pass")
    #expect(statuses["verify.datasources"] == "pass")
  }
}
