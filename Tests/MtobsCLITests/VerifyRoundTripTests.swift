import Foundation
import KubeStandIn
import MtobsCore
import Testing

/// `verify --send` when a hop is missing: the report blames the hop that really failed, in words
/// (not the API server's raw Status), and its latencies carry the poll interval's resolution.
@Suite("verify --send: which hop, and how exact", .serialized, requires("kubectl"), requires("python3"))
struct VerifyRoundTripTests {
  private func json(_ fixture: VerifyFixture, _ arguments: [String]) throws -> VerifyLiveTests.Outcome {
    let result = try fixture.mtobs(arguments + ["-o", "json"])
    let document = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
    let report = try #require(document as? [String: Any], "stdout is one JSON object: \(result)")
    return VerifyLiveTests.Outcome(result: result, report: report)
  }

  @Test func aTempoThatCannotBeAskedIsNamedNotBlamedOnIngestion() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    // Service `tempo` is gone: Tempo is found by its labels on lgtm-tempo-query-frontend, whose pod
    // refuses the connection (the API server answers 503 with a Status).
    _ = fixture.stack.state.remove(kind: "Service", name: "tempo", namespace: "monitoring")
    let outcome = try json(fixture, ["verify", "--send", "--wait", "3s", "--category", "roundtrip"])
    #expect(outcome.result.status == 1, "\(outcome.result)")
    for id in ["span-otlp", "span-zipkin"] {
      let message = outcome.message("verify.send.\(id)")
      #expect(outcome.status("verify.send.\(id)") == "fail")
      #expect(message.hasPrefix("accepted by the collector, but Tempo could not be asked for trace "), "\(message)")
      #expect(
        message.contains(" polls, none reached it): the pod behind Service lgtm-tempo-query-frontend "), "\(message)")
      #expect(!message.contains("the hop after the collector"), "\(message)")
      #expect(!message.contains("\"apiVersion\""), "\(message)")
      #expect(!outcome.hint("verify.send.\(id)").contains("alloy-receiver"), "\(outcome.hint("verify.send.\(id)"))")
    }
    #expect(outcome.status("verify.send.log") == "pass")
  }

  /// A backend Service that is not there (404 from the API server) is not polled until the deadline.
  @Test func aBackendServiceThatDoesNotExistEndsThePollsAtOnce() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    let (kube, transport) = Self.client(fixture)
    let trip = await SignalRoundTrip(
      kube: kube,
      endpoints: .init(
        collector: VerifyFixture.collector, otlpHTTPPort: 4318, zipkinPort: 9411, tempo: ("no-such-tempo", 3200),
        loki: ("loki", 3100), mimir: ("mimir", 9009))
    ).run(deadline: .now + .seconds(30))
    await transport.shutdown()
    for id in ["span-otlp", "span-zipkin"] {
      let signal = try #require(trip.signal(id))
      #expect(signal.polls == 1, "\(signal)")
      #expect(signal.lookupUnreached?.reason == .notFound, "\(signal)")
      #expect(signal.lookupUnreached?.message == #"services "no-such-tempo" not found"#, "\(signal)")
    }
    #expect(trip.signal("log")?.foundAfterMs != nil)
  }

  /// A client of the fixture's stand-in API server, over the real kubectl proxy, in this process.
  static func client(_ fixture: VerifyFixture) -> (KubeClient, KubeTransport) {
    let transport = KubeTransport(environment: ProcessInfo.processInfo.environment)
    let kube = KubeClient(
      kubectl: which("kubectl") ?? "/usr/bin/kubectl",
      target: KubeTarget(
        context: fixture.stack.cluster.context, kubeconfig: fixture.stack.cluster.kubeconfig.path,
        namespace: "monitoring"),
      runner: SubprocessRunner(locator: ExecutableLocator(environment: ProcessInfo.processInfo.environment)),
      timeout: .seconds(10), transport: transport)
    return (kube, transport)
  }

  @Test func aTempoWithoutEndpointsIsNamedWithTheAPIServersReasonInWords() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    // Service `tempo` exists, but no pod is behind it: the API server answers 503 for it.
    _ = fixture.stack.state.remove(kind: "Service", name: "tempo", namespace: "monitoring")
    try fixture.stack.state.load(
      yaml: """
        apiVersion: v1
        kind: Service
        metadata: {name: tempo, namespace: monitoring}
        spec:
          selector: {app.kubernetes.io/name: no-such-pods}
          ports: [{name: http, port: 3200, targetPort: 3200, protocol: TCP}]
        """)
    let outcome = try json(fixture, ["verify", "--send", "--wait", "3s", "--category", "roundtrip"])
    let message = outcome.message("verify.send.span-otlp")
    #expect(outcome.status("verify.send.span-otlp") == "fail")
    #expect(message.contains("Tempo could not be asked"), "\(message)")
    #expect(message.hasSuffix("): no ready endpoints behind Service tempo"), "\(message)")
    #expect(!message.contains("HTTP 503"), "\(message)")
    #expect(!outcome.hint("verify.send.span-otlp").contains("alloy-receiver"))
  }

  @Test func aMissingCollectorServiceIsSaidInWordsNotAsRawStatus() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    _ = fixture.stack.state.remove(kind: "Service", name: VerifyFixture.collector, namespace: "monitoring")
    let outcome = try json(fixture, ["verify", "--send", "--wait", "3s", "--category", "roundtrip"])
    #expect(outcome.result.status == 1, "\(outcome.result)")
    let message = outcome.message("verify.send.span-otlp")
    #expect(
      message
        == "the collector could not be reached at service/\(VerifyFixture.collector):4318/v1/traces: "
        + "services \"\(VerifyFixture.collector)\" not found", "\(message)")
    #expect(fixture.telemetry.posts.isEmpty)
  }

  @Test func dryRunDoesNotSayItWaitsForSignals() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    let outcome = try json(fixture, ["verify", "--send", "--dry-run"])
    #expect(outcome.status("verify.send.log") == "skip", "\(outcome.result)")
    #expect(!outcome.result.standardError.contains("waiting for the signals"), "\(outcome.result)")
  }

  @Test func eachRunSendsItsOwnMarker() async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    func markers(_ posts: ArraySlice<TelemetryStandIn.Post>) -> Set<String> {
      Set(
        posts.compactMap { post -> String? in
          let text = String(decoding: post.body, as: UTF8.self)
          guard let range = text.range(of: "mtobs-verify-") else { return nil }
          return String(text[range.lowerBound...].prefix("mtobs-verify-".count + 12))
        })
    }
    let first = try json(fixture, ["verify", "--send", "--category", "roundtrip"])
    #expect(first.result.status == 0, "\(first.result)")
    let sentFirst = fixture.telemetry.posts.count
    let second = try json(fixture, ["verify", "--send", "--category", "roundtrip"])
    #expect(second.result.status == 0, "\(second.result)")
    let posts = fixture.telemetry.posts
    let one = markers(posts[..<sentFirst])
    let two = markers(posts[sentFirst...])
    #expect(one.count == 1 && two.count == 1, "one marker per run: \(one), \(two)")
    #expect(one.isDisjoint(with: two), "\(one) \(two)")
  }

  /// The latency is reported with the poll interval's resolution: the poll before the one that
  /// found a signal missed it, and that poll was at most one interval (or one slow request)
  /// earlier. Asserted on the poll times the round trip records, so a loaded machine's slow
  /// requests widen the bound only by what they measurably took.
  @Test(arguments: [0.3, 1.1])
  func latencyHasThePollIntervalsResolution(ingestDelay: Double) async throws {
    let fixture = try await VerifyFixture()
    defer { fixture.stop() }
    fixture.telemetry.update { $0.ingestDelay = ingestDelay }
    let (kube, transport) = Self.client(fixture)
    let interval = 250
    let trip = await SignalRoundTrip(
      kube: kube,
      endpoints: .init(
        collector: VerifyFixture.collector, otlpHTTPPort: 4318, zipkinPort: 9411, tempo: ("tempo", 3200),
        loki: ("loki", 3100), mimir: ("mimir", 9009)),
      pollInterval: .milliseconds(interval)
    ).run(deadline: .now + .seconds(15))
    await transport.shutdown()
    let delay = Int(ingestDelay * 1000)
    #expect(trip.signals.count == 4)
    for signal in trip.signals {
      let found = try #require(signal.foundAfterMs, "\(signal.id) never found: \(signal)")
      let missedAt = try #require(signal.missedAtMs, "\(signal.id): the first poll comes before the delay")
      let missedTook = try #require(signal.missedTookMs)
      let askedAt = try #require(signal.foundAskedAtMs)
      let post = try #require(signal.postMs)
      // Not earlier than the stand-in made it visible (it starts counting when the POST arrives).
      #expect(found >= delay, "\(signal.id): \(found) ms < \(delay) ms")
      // The poll that missed was asked before the signal became visible.
      #expect(missedAt < delay + post, "\(signal.id): missed at \(missedAt) ms")
      // Polls follow each other by the interval, or by the slow request before them.
      let gap = askedAt - missedAt
      #expect(gap <= max(interval, missedTook) + 60, "\(signal.id): polls \(gap) ms apart")
      // So the reported latency is above the true one by at most one interval (or slow poll),
      // plus the finding request's own time and the POST's.
      let bound = max(interval, missedTook) + 60 + (found - askedAt) + post
      #expect(found - delay <= bound, "\(signal.id): \(found) ms for a \(delay) ms delay (bound \(bound) ms)")
    }
  }
}
