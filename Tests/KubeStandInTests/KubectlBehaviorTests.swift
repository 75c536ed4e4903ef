import KubeStandIn
import Testing

/// Failure behaviours: forced answers, authorization, delays, hangs, a stopped server.
@Suite(.enabled(if: Kubectl.isAvailable, Kubectl.missingReason), .timeLimit(.minutes(2)))
struct KubectlBehaviorTests {
  @Test func authCanI() async throws {
    let behavior = StandInBehavior(rules: [.forbidden(resource: "secrets", verb: "get")])
    try await StandInFixture.with(state: try Scenario.state(), behavior: behavior) { fixture in
      let allowed = try await fixture.kubectl(["auth", "can-i", "list", "pods", "-n", "monitoring"])
      #expect(allowed.succeeded, "\(allowed.stderr)")
      #expect(allowed.stdout == "yes\n")

      let denied = try await fixture.kubectl(["auth", "can-i", "get", "secrets", "-n", "shop"])
      #expect(denied.status == 1)
      #expect(denied.stdout == "no\n")

      let review = try #require(fixture.kubectlRequests.last { $0.resource == "selfsubjectaccessreviews" })
      #expect(review.method == "POST")
    }
  }

  @Test func forbiddenSecrets() async throws {
    var behavior = StandInBehavior(rules: [.forbidden(resource: "secrets")])
    behavior.user = "alice"
    try await StandInFixture.with(state: try Scenario.state(), behavior: behavior) { fixture in
      let result = try await fixture.kubectl(["get", "secrets", "-n", "shop", "-o", "json"])
      #expect(result.status != 0)
      #expect(result.stderr.contains("Forbidden"))
      #expect(
        result.stderr.contains(
          "secrets is forbidden: User \"alice\" cannot list resource \"secrets\" in API group \"\" in the namespace \"shop\""
        ))

      let pods = try await fixture.kubectl(["get", "pods", "-n", "shop", "-o", "json"])
      #expect(pods.succeeded, "\(pods.stderr)")
    }
  }

  @Test func unauthorized() async throws {
    try await StandInFixture.with(behavior: StandInBehavior(rules: [.unauthorized()])) { fixture in
      let rejected = try await fixture.kubectl(["get", "namespaces", "-o", "json"])
      #expect(!rejected.succeeded)
      #expect(rejected.stderr.contains("error: You must be logged in to the server"), "\(rejected.stderr)")
    }
  }

  /// kubectl uses kubeconfig credentials only over TLS: against `http://` it sends no token at all.
  /// (If a kubectl release changes that, this test says so.)
  @Test func kubectlSendsNoTokenToAPlainHTTPServer() async throws {
    try await StandInFixture.with { fixture in
      let result = try await fixture.kubectl(["get", "namespaces", "-o", "json"])
      #expect(result.succeeded, "\(result.stderr)")
      #expect(!fixture.kubectlRequests.isEmpty)
      #expect(fixture.kubectlRequests.allSatisfy { $0.authorization == nil })

      fixture.server.updateBehavior { $0.requiredToken = StandInAPIServer.defaultToken }
      let rejected = try await fixture.kubectl(["get", "namespaces", "-o", "json"])
      #expect(!rejected.succeeded)
      #expect(rejected.stderr.contains("You must be logged in to the server"))
    }
  }

  @Test func forcedServerErrorForTheFirstRequestOnly() async throws {
    let behavior = StandInBehavior(rules: [
      StandInBehavior.Rule(
        method: "GET", pathPrefix: "/api/v1/namespaces/shop/pods", action: .status(500, message: "etcd is sad"),
        limit: 1)
    ])
    try await StandInFixture.with(state: try Scenario.state(), behavior: behavior) { fixture in
      let first = try await fixture.kubectl(["get", "pods", "-n", "shop", "-o", "json"])
      #expect(!first.succeeded)
      #expect(first.stderr.contains("etcd is sad"))
      let second = try await fixture.kubectl(["get", "pods", "-n", "shop", "-o", "json"])
      #expect(second.succeeded, "\(second.stderr)")
      #expect(try itemNames(second.stdout) == ["cart-0"])
    }
  }

  @Test func stoppedServerFailsFastWithConnectionRefused() async throws {
    try await StandInFixture.with(state: try Scenario.state()) { fixture in
      let port = fixture.server.port
      try await fixture.server.stop()
      let result = try await fixture.kubectl(["get", "pods", "-A", "--request-timeout=5s"])
      #expect(!result.succeeded)
      #expect(result.stderr.contains("refused"), "\(result.stderr)")
      #expect(result.elapsed < .seconds(5))

      try await fixture.server.start(port: port)
      let back = try await fixture.kubectl(["get", "pods", "-n", "shop", "-o", "json"])
      #expect(back.succeeded, "\(back.stderr)")
    }
  }

  @Test func delayIsAddedToEveryRequest() async throws {
    try await StandInFixture.with(state: try Scenario.state()) { fixture in
      fixture.server.updateBehavior { $0.delay = .milliseconds(400) }
      let result = try await fixture.kubectl(["get", "--raw", "/api/v1/namespaces/shop/pods"])
      #expect(result.succeeded, "\(result.stderr)")
      // kubectl (and the gcloud dispatcher's /version probe, if present) ask one after the other.
      let count = fixture.server.requests.count
      #expect(count >= 1)
      #expect(result.elapsed >= .milliseconds(400 * count), "\(count) requests in \(result.elapsed)")

      fixture.server.behavior = StandInBehavior()
      fixture.server.clearRequests()
      let fast = try await fixture.kubectl(["get", "--raw", "/api/v1/namespaces/shop/pods"])
      #expect(fast.elapsed < result.elapsed)
    }
  }

  @Test func hangingRequestsTimeOutInKubectl() async throws {
    let behavior = StandInBehavior(rules: [.hang(pathPrefix: "/api/v1/namespaces/shop/pods")])
    try await StandInFixture.with(state: try Scenario.state(), behavior: behavior) { fixture in
      let hung = try await fixture.kubectl(["get", "--raw", "/api/v1/namespaces/shop/pods", "--request-timeout=2s"])
      #expect(!hung.succeeded)
      #expect(hung.elapsed >= .seconds(2))
      #expect(hung.elapsed < .seconds(15))
      #expect(hung.stderr.lowercased().contains("timeout") || hung.stderr.contains("deadline"), "\(hung.stderr)")

      let other = try await fixture.kubectl(["get", "--raw", "/api/v1/namespaces/shop/secrets"])
      #expect(other.succeeded, "\(other.stderr)")
    }
  }
}
