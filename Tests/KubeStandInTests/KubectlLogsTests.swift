import Foundation
import KubeStandIn
import Testing

/// `kubectl logs` with --tail, --since, --timestamps, -c, -p and -f.
@Suite(.enabled(if: Kubectl.isAvailable, Kubectl.missingReason), .timeLimit(.minutes(2)))
struct KubectlLogsTests {
  static func state() throws -> ClusterState {
    let state = try Scenario.state()
    let now = Date()
    state.appendLog(
      namespace: "monitoring", pod: "prometheus-7d9f", container: "prometheus",
      lines: [
        LogLine(time: now.addingTimeInterval(-7200), text: "two hours ago"),
        LogLine(time: now.addingTimeInterval(-60), text: "a minute ago"),
        LogLine(time: now.addingTimeInterval(-30), text: "half a minute ago"),
        LogLine(time: now, text: "just now"),
      ])
    state.appendLog(namespace: "monitoring", pod: "prometheus-7d9f", container: "sidecar", line: "sidecar says hi")
    state.appendLog(
      namespace: "monitoring", pod: "prometheus-7d9f", container: "prometheus", line: "before the crash", previous: true
    )
    return state
  }

  @Test func tailSinceAndTimestamps() async throws {
    try await StandInFixture.with(state: try Self.state()) { fixture in
      let all = try await fixture.kubectl(["logs", "prometheus-7d9f", "-n", "monitoring", "-c", "prometheus"])
      #expect(all.succeeded, "\(all.stderr)")
      #expect(all.stdout == "two hours ago\na minute ago\nhalf a minute ago\njust now\n")

      let tail = try await fixture.kubectl([
        "logs", "prometheus-7d9f", "-n", "monitoring", "-c", "prometheus", "--tail=2",
      ])
      #expect(tail.stdout == "half a minute ago\njust now\n")

      let since = try await fixture.kubectl([
        "logs", "prometheus-7d9f", "-n", "monitoring", "-c", "prometheus", "--since=1h",
      ])
      #expect(since.stdout == "a minute ago\nhalf a minute ago\njust now\n")

      let stamped = try await fixture.kubectl(
        ["logs", "prometheus-7d9f", "-n", "monitoring", "-c", "prometheus", "--tail=1", "--timestamps"])
      #expect(stamped.stdout.hasSuffix("Z just now\n"))
      #expect(stamped.stdout.hasPrefix("20"))

      let sidecar = try await fixture.kubectl(["logs", "prometheus-7d9f", "-n", "monitoring", "-c", "sidecar"])
      #expect(sidecar.stdout == "sidecar says hi\n")

      let previous = try await fixture.kubectl([
        "logs", "prometheus-7d9f", "-n", "monitoring", "-c", "prometheus", "-p",
      ])
      #expect(previous.stdout == "before the crash\n")

      let request = try #require(fixture.kubectlRequests.last { $0.subresource == "log" })
      #expect(request.queryItems["previous"] == "true")
      #expect(request.queryItems["container"] == "prometheus")
    }
  }

  @Test func followStreamsNewLinesUntilKubectlIsKilled() async throws {
    try await StandInFixture.with(state: try Self.state()) { fixture in
      let follower = try fixture.startKubectl([
        "logs", "-f", "prometheus-7d9f", "-n", "monitoring", "-c", "prometheus", "--tail=1",
      ])
      #expect(await follower.waitForOutput { $0.contains("just now\n") }, "\(follower.stderr)")
      #expect(await eventually { fixture.state.openStreamCount == 1 })

      fixture.state.appendLog(
        namespace: "monitoring", pod: "prometheus-7d9f", container: "prometheus", line: "fresh line")
      #expect(await follower.waitForOutput { $0.hasSuffix("just now\nfresh line\n") }, "got: \(follower.stdout)")
      #expect(follower.isRunning)

      follower.terminate()
      _ = await follower.wait(timeout: .seconds(10))
      #expect(!follower.isRunning)
      // The server notices the disconnect and drops the subscription.
      #expect(await eventually { fixture.state.openStreamCount == 0 })
    }
  }

  @Test func missingPodsAndContainers() async throws {
    try await StandInFixture.with(state: try Self.state()) { fixture in
      let missing = try await fixture.kubectl(["logs", "ghost", "-n", "monitoring"])
      #expect(!missing.succeeded)
      #expect(missing.stderr.contains("pods \"ghost\" not found"))

      let noPrevious = try await fixture.kubectl(["logs", "alertmanager-0", "-n", "monitoring", "-p"])
      #expect(!noPrevious.succeeded)
      #expect(
        noPrevious.stderr.contains("previous terminated container \"alertmanager\" in pod \"alertmanager-0\" not found")
      )
    }
  }
}
