import KubeStandIn
import Testing

/// `kubectl get --raw …/services|pods/NAME:PORT/proxy/PATH` against canned answers and the defaults.
@Suite(.enabled(if: Kubectl.isAvailable, Kubectl.missingReason), .timeLimit(.minutes(2)))
struct KubectlProxyTests {
  static let base = "/api/v1/namespaces/monitoring"

  @Test func cannedAnswerThroughTheServiceProxy() async throws {
    let state = try Scenario.state()
    let body = #"{"status":"success","data":{"result":[]}}"#
    state.setProxyAnswer(
      namespace: "monitoring", kind: .service, name: "prometheus", port: 9090, path: "/api/v1/query", body: body)
    try await StandInFixture.with(state: state) { fixture in
      let result = try await fixture.kubectl([
        "get", "--raw", "\(Self.base)/services/prometheus:9090/proxy/api/v1/query",
      ])
      #expect(result.succeeded, "\(result.stderr)")
      #expect(result.stdout == body)

      let withScheme = try await fixture.kubectl([
        "get", "--raw", "\(Self.base)/services/http:prometheus:9090/proxy/api/v1/query",
      ])
      #expect(withScheme.stdout == body)

      let request = try #require(fixture.kubectlRequests.last)
      #expect(request.subresource == "proxy")
      #expect(request.name == "http:prometheus:9090")
    }
  }

  @Test func podProxyAndPortlessForms() async throws {
    let state = try Scenario.state()
    state.setProxyAnswer(
      namespace: "monitoring", kind: .pod, name: "prometheus-7d9f", path: "/metrics", body: "up 1\n",
      contentType: "text/plain")
    try await StandInFixture.with(state: state) { fixture in
      let withPort = try await fixture.kubectl(["get", "--raw", "\(Self.base)/pods/prometheus-7d9f:9090/proxy/metrics"])
      #expect(withPort.succeeded, "\(withPort.stderr)")
      #expect(withPort.stdout == "up 1\n")
      let portless = try await fixture.kubectl(["get", "--raw", "\(Self.base)/pods/prometheus-7d9f/proxy/metrics"])
      #expect(portless.stdout == "up 1\n")
    }
  }

  @Test func withoutACannedAnswerTheServerHasNoEndpoints() async throws {
    try await StandInFixture.with(state: try Scenario.state()) { fixture in
      let unavailable = try await fixture.kubectl([
        "get", "--raw", "\(Self.base)/services/prometheus:9090/proxy/api/v1/query",
      ])
      #expect(!unavailable.succeeded)
      #expect(unavailable.stderr.contains("ServiceUnavailable"))
      #expect(unavailable.stderr.contains("no endpoints available for service \"prometheus\""))

      let missing = try await fixture.kubectl(["get", "--raw", "\(Self.base)/services/grafana:3000/proxy/"])
      #expect(!missing.succeeded)
      #expect(missing.stderr.contains("services \"grafana\" not found"))
    }
  }

  @Test func cannedFailureAndDelay() async throws {
    let state = try Scenario.state()
    state.setProxyAnswer(
      namespace: "monitoring", name: "prometheus", port: "9090", path: "/-/ready", status: 500, body: "not ready yet",
      contentType: "text/plain")
    state.setProxyAnswer(
      namespace: "monitoring", name: "prometheus", port: "9090", path: "/slow", body: "{}", delay: .milliseconds(700))
    try await StandInFixture.with(state: state) { fixture in
      let failed = try await fixture.kubectl(["get", "--raw", "\(Self.base)/services/prometheus:9090/proxy/-/ready"])
      #expect(!failed.succeeded)
      #expect(failed.stderr.contains("not ready yet"))

      let slow = try await fixture.kubectl(["get", "--raw", "\(Self.base)/services/prometheus:9090/proxy/slow"])
      #expect(slow.succeeded, "\(slow.stderr)")
      #expect(slow.elapsed >= .milliseconds(700))
    }
  }

  @Test func forbiddenProxy() async throws {
    let state = try Scenario.state()
    state.setProxyAnswer(namespace: "monitoring", name: "prometheus", body: "{}")
    let behavior = StandInBehavior(rules: [.forbidden(subresource: "proxy")])
    try await StandInFixture.with(state: state, behavior: behavior) { fixture in
      let result = try await fixture.kubectl([
        "get", "--raw", "\(Self.base)/services/prometheus:9090/proxy/api/v1/query",
      ])
      #expect(!result.succeeded)
      #expect(result.stderr.contains("Forbidden"))
      #expect(result.stderr.contains("cannot get resource \"services/proxy\""))
    }
  }
}
