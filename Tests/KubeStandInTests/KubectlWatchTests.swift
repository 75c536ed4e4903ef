import KubeStandIn
import Testing

/// Watches: `kubectl get -w`, `kubectl rollout status`, `kubectl wait`.
@Suite(.enabled(if: Kubectl.isAvailable, Kubectl.missingReason), .timeLimit(.minutes(2)))
struct KubectlWatchTests {
  @Test func watchSeesAChangeMadeThroughTheSwiftAPI() async throws {
    try await StandInFixture.with(state: try Scenario.state()) { fixture in
      let watcher = try fixture.startKubectl(
        ["get", "pods", "-n", "monitoring", "-l", "app=prometheus", "-w", "-o", "json", "--output-watch-events"])
      #expect(await watcher.waitForOutput { $0.contains("\"ADDED\"") }, "\(watcher.stderr)")
      #expect(await eventually { fixture.state.openStreamCount == 1 })

      try fixture.state.modify(kind: "Pod", name: "prometheus-7d9f", namespace: "monitoring") { pod in
        pod[path: "status", "phase"] = "Failed"
      }
      #expect(
        await watcher.waitForOutput { $0.contains("\"MODIFIED\"") && $0.contains("\"Failed\"") },
        "got: \(watcher.stdout)")

      // A pod outside the selector is not sent; one inside it is.
      try fixture.state.add([
        "apiVersion": "v1", "kind": "Pod",
        "metadata": ["name": "other", "namespace": "monitoring", "labels": ["app": "x"]],
      ])
      fixture.state.remove(kind: "Pod", name: "prometheus-7d9f", namespace: "monitoring")
      #expect(await watcher.waitForOutput { $0.contains("\"DELETED\"") }, "got: \(watcher.stdout)")
      #expect(!watcher.stdout.contains("\"other\""))

      let watch = try #require(fixture.kubectlRequests.first { $0.verb == "watch" })
      #expect(watch.queryItems["labelSelector"] == "app=prometheus")
      #expect(watch.queryItems["resourceVersion"]?.isEmpty == false)

      watcher.terminate()
      _ = await watcher.wait(timeout: .seconds(10))
      #expect(await eventually { fixture.state.openStreamCount == 0 })
    }
  }

  @Test func rolloutStatusOfACompleteDeployment() async throws {
    try await StandInFixture.with(state: try Scenario.state()) { fixture in
      let result = try await fixture.kubectl([
        "rollout", "status", "deployment/prometheus", "-n", "monitoring", "--timeout=5s",
      ])
      #expect(result.succeeded, "\(result.stderr)")
      #expect(result.stdout.contains("deployment \"prometheus\" successfully rolled out"))
      #expect(result.elapsed < .seconds(5))
    }
  }

  @Test func rolloutStatusWaitsForTheDeploymentToComplete() async throws {
    let state = try Scenario.state()
    try state.modify(kind: "Deployment", name: "prometheus", namespace: "monitoring") { deployment in
      deployment[path: "spec", "replicas"] = 2
      deployment[path: "status", "updatedReplicas"] = 1
      deployment[path: "status", "availableReplicas"] = 1
    }
    try await StandInFixture.with(state: state) { fixture in
      let rollout = try fixture.startKubectl([
        "rollout", "status", "deployment/prometheus", "-n", "monitoring", "--timeout=30s",
      ])
      // Changing spec.replicas bumped metadata.generation past status.observedGeneration.
      #expect(
        await rollout.waitForOutput { $0.contains("Waiting for deployment spec update to be observed") },
        "\(rollout.stderr)")
      #expect(rollout.isRunning)
      try fixture.state.modify(kind: "Deployment", name: "prometheus", namespace: "monitoring") { deployment in
        deployment[path: "status"] = [
          "observedGeneration": deployment[path: "metadata", "generation"] ?? 1, "replicas": 2, "readyReplicas": 2,
          "updatedReplicas": 2, "availableReplicas": 2,
        ]
      }
      let status = await rollout.wait(timeout: .seconds(20))
      #expect(status == 0, "\(rollout.stderr)")
      #expect(rollout.stdout.contains("successfully rolled out"))
    }
  }

  @Test func waitForACondition() async throws {
    try await StandInFixture.with(state: try Scenario.state()) { fixture in
      let met = try await fixture.kubectl([
        "wait", "--for=condition=Available", "deployment/prometheus", "-n", "monitoring", "--timeout=5s",
      ])
      #expect(met.succeeded, "\(met.stderr)")
      #expect(met.stdout.contains("condition met"))

      let timedOut = try await fixture.kubectl([
        "wait", "--for=condition=Ready", "pod/cart-0", "-n", "shop", "--timeout=1s",
      ])
      #expect(!timedOut.succeeded)
      #expect(timedOut.stderr.contains("timed out"))
      // The watch ended with kubectl.
      #expect(await eventually { fixture.state.openStreamCount == 0 })
    }
  }
}
