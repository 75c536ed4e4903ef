import KubeStandIn
import Testing

/// `kubectl get --raw …/services|pods/NAME:PORT/proxy/PATH`: canned backend answers once the server has
/// checked what a real one checks (the Service or Pod, the port, ready endpoints, a pod address), and
/// the real server's errors when something is missing.
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

      let otherPath = try await fixture.kubectl(["get", "--raw", "\(Self.base)/services/prometheus:9090/proxy/nope"])
      #expect(otherPath.status == 1)
      #expect(otherPath.stderr.contains("NotFound"), "the backend's own 404: \(otherPath.stderr)")
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

  @Test func aMissingServiceIsNotFoundEvenWithACannedAnswer() async throws {
    let state = try Scenario.state()
    state.setProxyAnswer(namespace: "monitoring", name: "missing", port: 80, path: "/ready", body: "ready")
    try await StandInFixture.with(state: state) { fixture in
      let result = try await fixture.kubectl(["get", "--raw", "\(Self.base)/services/missing:80/proxy/ready"])
      #expect(result.status == 1)
      #expect(
        result.stderr.contains("Error from server (NotFound): services \"missing\" not found"), "\(result.stderr)")
      #expect(!result.stdout.contains("ready"))
    }
  }

  @Test func aPortTheServiceDoesNotHaveIsUnavailable() async throws {
    let state = try Scenario.state()
    state.setProxyAnswer(namespace: "monitoring", name: "prometheus", body: "{}")
    try await StandInFixture.with(state: state) { fixture in
      let result = try await fixture.kubectl(["get", "--raw", "\(Self.base)/services/prometheus:9999/proxy/"])
      #expect(result.status == 1)
      #expect(
        result.stderr.contains(
          "Error from server (ServiceUnavailable): no service port 9999 found for service \"prometheus\""),
        "\(result.stderr)")
    }
  }

  @Test func aServiceWithoutReadyPodsHasNoEndpoints() async throws {
    let state = try Scenario.state()
    state.setProxyAnswer(namespace: "monitoring", name: "prometheus", body: "{}")
    try state.modify(kind: "Pod", name: "prometheus-7d9f", namespace: "monitoring") { pod in
      pod[path: "status", "conditions"] = [["type": "Ready", "status": "False"]]
    }
    try await StandInFixture.with(state: state) { fixture in
      // A pod that is not ready is among the Endpoints' notReadyAddresses: the real server names the
      // Service as the URL did.
      let notReady = try await fixture.kubectl(["get", "--raw", "\(Self.base)/services/prometheus:9090/proxy/"])
      #expect(notReady.status == 1)
      #expect(
        notReady.stderr.contains(
          "Error from server (ServiceUnavailable): no endpoints available for service \"prometheus:9090\""),
        "\(notReady.stderr)")

      // No pod matches the selector at all: the Endpoints have no subsets.
      fixture.state.remove(kind: "Pod", name: "prometheus-7d9f", namespace: "monitoring")
      let none = try await fixture.kubectl(["get", "--raw", "\(Self.base)/services/prometheus:9090/proxy/"])
      #expect(none.status == 1)
      #expect(
        none.stderr.contains(
          "Error from server (ServiceUnavailable): no endpoints available for service \"prometheus\""),
        "\(none.stderr)")
    }
  }

  @Test func aBackendWithoutAListenerRefusesTheConnection() async throws {
    try await StandInFixture.with(state: try Scenario.state()) { fixture in
      let service = try await fixture.kubectl(["get", "--raw", "\(Self.base)/services/prometheus:9090/proxy/-/ready"])
      #expect(service.status == 1)
      #expect(
        service.stderr.contains(
          "Error from server (ServiceUnavailable): error trying to reach service: dial tcp 10.1.0.5:9090: connect: connection refused"
        ), "\(service.stderr)")
    }
  }

  @Test func aCrashLoopingPodRefusesTheConnection() async throws {
    let state = try Scenario.state()
    state.setProxyAnswer(namespace: "monitoring", kind: .pod, name: "prometheus-7d9f", body: "up 1\n")
    try state.modify(kind: "Pod", name: "prometheus-7d9f", namespace: "monitoring") { pod in
      pod[path: "status", "containerStatuses"] = [
        ["name": "prometheus", "ready": false, "state": ["waiting": ["reason": "CrashLoopBackOff"]]]
      ]
    }
    try await StandInFixture.with(state: state) { fixture in
      let result = try await fixture.kubectl(["get", "--raw", "\(Self.base)/pods/prometheus-7d9f:8888/proxy/metrics"])
      #expect(result.status == 1)
      #expect(
        result.stderr.contains("error trying to reach service: dial tcp 10.1.0.5:8888: connect: connection refused"),
        "\(result.stderr)")
    }
  }

  @Test func aPodThatHasNotStartedHasNoAddress() async throws {
    let state = try Scenario.state()
    state.setProxyAnswer(namespace: "shop", kind: .pod, name: "cart-0", body: "{}")
    try await StandInFixture.with(state: state) { fixture in
      let pending = try await fixture.kubectl(["get", "--raw", "/api/v1/namespaces/shop/pods/cart-0:8080/proxy/"])
      #expect(pending.status == 1)
      #expect(pending.stderr.contains("Error from server (BadRequest): address not allowed"), "\(pending.stderr)")

      let missing = try await fixture.kubectl(["get", "--raw", "/api/v1/namespaces/shop/pods/cart-9:8080/proxy/"])
      #expect(missing.status == 1)
      #expect(missing.stderr.contains("Error from server (NotFound): pods \"cart-9\" not found"), "\(missing.stderr)")
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
