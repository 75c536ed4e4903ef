import Foundation
import KubeStandIn
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `mtobs grafana`, `pyroscope` and `forward` against the stand-in API server, with a stand-in
/// kubectl whose port-forward relays to a local HTTP server and can be killed, hung or refused.
@Suite(
  "Supervised port-forwards", .serialized, requires("kubectl"), requires("python3"),
  .enabled(if: ProcessTable.isReadable, Comment(rawValue: ProcessTable.unreadableReason)))
struct ForwardTests {
  @Test func grafanaPrintsTheURLAndTheSecretsCredentialsButVerboseDoesNotEchoThem() async throws {
    let fixture = try await ForwardFixture()
    defer { fixture.stop() }
    let mtobs = try fixture.start(["grafana", "--port", "0", "-v"])
    let port = try #require(try await mtobs.waitForURL(), "no URL: \(mtobs.transcript)")
    #expect(httpStatus(port: port) == 200, "\(mtobs.transcript)")
    #expect(mtobs.standardOutput.contains("password: \(ForwardFixture.password)"), "\(mtobs.transcript)")
    #expect(mtobs.standardOutput.contains("user: admin"))
    // -v echoes the kubectl commands and API paths; the password is in none of them.
    #expect(mtobs.standardError.contains("port-forward"), "\(mtobs.transcript)")
    #expect(!mtobs.standardError.contains(ForwardFixture.password))
    #expect(try await mtobs.stop(with: SIGINT) == 0, "\(mtobs.transcript)")
  }

  @Test func aKilledTunnelIsReplacedBehindTheSameLocalPort() async throws {
    let fixture = try await ForwardFixture()
    defer { fixture.stop() }
    let mtobs = try fixture.start(["grafana", "--port", "0"])
    let port = try #require(try await mtobs.waitForURL(), "no URL: \(mtobs.transcript)")
    let first = try #require(fixture.tunnels.first)
    kill(first.pid, SIGUSR1)  // the stand-in fails as kubectl does: "lost connection to pod", exit 1
    let replaced = try await ProcessTable.wait(upTo: .seconds(15)) { fixture.tunnels.count >= 2 }
    #expect(replaced, "no new tunnel: \(mtobs.transcript)")
    let answered = try await ProcessTable.wait(upTo: .seconds(15)) { httpStatus(port: port) == 200 }
    #expect(answered, "the same local port does not answer again: \(mtobs.transcript)")
    #expect(!ProcessTable.isRunning(first.pid))
    let reconnected = try await ProcessTable.wait(upTo: .seconds(5)) {
      mtobs.standardError.contains(
        "tunnel to pod grafana-7c9d5-abcde lost (exit 1: lost connection to pod); reconnected")
    }
    #expect(reconnected, "\(mtobs.transcript)")
    #expect(try await mtobs.stop(with: SIGINT) == 0)
  }

  @Test func requestsInFlightWhenTheTunnelIsKilledAreSentAgainAndNoneFails() async throws {
    let fixture = try await ForwardFixture()
    defer { fixture.stop() }
    let mtobs = try fixture.start(["grafana", "--port", "0"])
    let port = try #require(try await mtobs.waitForURL(), "no URL: \(mtobs.transcript)")
    // 50 clients whose answers take 300 ms: when the tunnel dies, each has a request in flight.
    let load = try HTTPLoad(port: port, path: "/delay/300", clients: 50, in: fixture.home.url)
    let flowing = try await ProcessTable.wait(upTo: .seconds(30)) { load.successes >= 100 }
    #expect(flowing, "the load did not get through: \(mtobs.transcript)")
    let first = try #require(fixture.tunnels.first)
    kill(first.pid, SIGKILL)
    let replaced = try await ProcessTable.wait(upTo: .seconds(15)) { fixture.tunnels.count >= 2 }
    #expect(replaced, "no new tunnel: \(mtobs.transcript)")
    let afterKill = load.successes
    let recovered = try await ProcessTable.wait(upTo: .seconds(30)) { load.successes >= afterKill + 100 }
    #expect(recovered, "the load did not get through the new tunnel: \(mtobs.transcript)")
    let result = try #require(try await load.stop(), "the load did not end")
    #expect(result.failures == 0, "\(result.failures) of \(result.requests) failed: \(result.byKind)")
    #expect(result.requests >= 200)
    #expect(try await mtobs.stop(with: SIGINT) == 0)
  }

  @Test func addressIPv6LoopbackListensOnBracketedURL() async throws {
    let fixture = try await ForwardFixture()
    defer { fixture.stop() }
    let mtobs = try fixture.start(["grafana", "--port", "0", "--address", "::1"])
    var port: Int?
    _ = try await ProcessTable.wait(upTo: .seconds(30)) {
      guard let range = mtobs.standardOutput.range(of: "http://[::1]:") else { return false }
      port = Int(mtobs.standardOutput[range.upperBound...].prefix { $0.isNumber })
      return port != nil
    }
    let bound = try #require(port, "no http://[::1]:PORT URL: \(mtobs.transcript)")
    // An IPv6 client gets Grafana through it; the IPv4 loopback is not listened on.
    let python = try #require(which("python3"))
    let result = try CLI.run(
      executable: python,
      ["-c", "import urllib.request; print(urllib.request.urlopen('http://[::1]:\(bound)/api/health').status)"],
      environment: fixture.environment, in: fixture.cli.workingDirectory, timeout: .seconds(20))
    #expect(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "200", "\(result)")
    #expect(httpStatus(port: bound) == nil, "127.0.0.1:\(bound) answers too")
    #expect(!mtobs.standardError.contains("reachable from the network"), "\(mtobs.transcript)")
    #expect(try await mtobs.stop(with: SIGINT) == 0)
  }

  @Test func aReplacedPodIsSeenByTheWatchAndTheTunnelMovesToTheNewPodAtOnce() async throws {
    let fixture = try await ForwardFixture()
    defer { fixture.stop() }
    // Probes every 10 minutes: only the pod watch can notice the replacement within the test.
    let mtobs = try fixture.start(["grafana", "--port", "0", "--probe-interval", "10m"])
    let port = try #require(try await mtobs.waitForURL(), "no URL: \(mtobs.transcript)")
    let state = fixture.cluster.server.state
    var replacement = ForwardFixture.grafanaPod
    replacement[path: "metadata", "name"] = "grafana-7c9d5-fghij"
    try state.add(replacement)
    _ = state.remove(kind: "Pod", name: "grafana-7c9d5-abcde", namespace: "monitoring")
    let moved = try await ProcessTable.wait(upTo: .seconds(15)) {
      fixture.tunnels.last?.pod == "grafana-7c9d5-fghij"
    }
    #expect(moved, "no tunnel to the new pod: \(fixture.tunnels) \(mtobs.transcript)")
    let line = try await ProcessTable.wait(upTo: .seconds(10)) {
      mtobs.standardError.contains(
        "tunnel to pod grafana-7c9d5-abcde lost (pod grafana-7c9d5-abcde was deleted); reconnected to pod "
          + "grafana-7c9d5-fghij")
    }
    #expect(line, "\(mtobs.transcript)")
    #expect(httpStatus(port: port) == 200)
    #expect(try await mtobs.stop(with: SIGINT) == 0)
  }

  @Test func aHangingTunnelIsFoundByTheProbeAndReplaced() async throws {
    let fixture = try await ForwardFixture()
    defer { fixture.stop() }
    let mtobs = try fixture.start(["grafana", "--port", "0", "--probe-interval", "300ms"])
    let port = try #require(try await mtobs.waitForURL(), "no URL: \(mtobs.transcript)")
    try fixture.setMode("hang")
    let replaced = try await ProcessTable.wait(upTo: .seconds(20)) { fixture.tunnels.count >= 2 }
    #expect(replaced, "the hanging tunnel was not replaced: \(mtobs.transcript)")
    try fixture.setMode("ok")
    let answered = try await ProcessTable.wait(upTo: .seconds(20)) {
      httpStatus(port: port, timeout: .seconds(2)) == 200
    }
    #expect(answered, "\(mtobs.transcript)")
    #expect(mtobs.standardError.contains("probe failed"), "\(mtobs.transcript)")
    #expect(try await mtobs.stop(with: SIGINT) == 0)
  }

  @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
  func aSignalEndsTheTunnelAndClosesTheListenerWithStatusZero(signal: Int32) async throws {
    let fixture = try await ForwardFixture()
    defer { fixture.stop() }
    let mtobs = try fixture.start(["grafana", "--port", "0"])
    let port = try #require(try await mtobs.waitForURL(), "no URL: \(mtobs.transcript)")
    let tunnels = fixture.tunnels
    #expect(tunnels.count == 1)
    #expect(try await mtobs.stop(with: signal) == 0, "\(mtobs.transcript)")
    let gone = try await ProcessTable.wait(upTo: .seconds(10)) {
      tunnels.allSatisfy { !ProcessTable.isRunning($0.pid) }
    }
    #expect(gone, "a kubectl port-forward outlived mtobs")
    #expect(httpStatus(port: port) == nil, "the listener is still open")
  }

  @Test func killingMtobsOutrightEndsItsTunnel() async throws {
    let fixture = try await ForwardFixture()
    defer { fixture.stop() }
    let mtobs = try fixture.start(["grafana", "--port", "0"])
    _ = try #require(try await mtobs.waitForURL(), "no URL: \(mtobs.transcript)")
    let tunnel = try #require(fixture.tunnels.first)
    #expect(try await mtobs.stop(with: SIGKILL) == 128 + SIGKILL)
    let gone = try await ProcessTable.wait(upTo: .seconds(10)) { !ProcessTable.isRunning(tunnel.pid) }
    #expect(gone, "kubectl port-forward \(tunnel.pid) outlived a SIGKILLed mtobs")
  }

  @Test func aBusyPortNamesTheProcessHoldingIt() async throws {
    let fixture = try await ForwardFixture()
    defer { fixture.stop() }
    let busy = try #require(listeningSocket())
    defer { close(busy.descriptor) }
    let result = try CLI.run(
      executable: CLI.mtobsPath, ["grafana", "--port", String(busy.port)] + fixture.cluster.flags,
      environment: fixture.environment, in: fixture.cli.workingDirectory, timeout: .seconds(30))
    #expect(result.status == 2, "\(result)")
    #expect(result.standardError.contains("127.0.0.1:\(busy.port) is already in use by"), "\(result)")
    #expect(result.standardError.contains("(pid \(getpid()))"), "\(result)")
    #expect(fixture.tunnels.isEmpty, "a tunnel started although the port was busy")
  }

  @Test func anRBACRefusalStopsInsteadOfRetrying() async throws {
    let fixture = try await ForwardFixture()
    defer { fixture.stop() }
    try fixture.setMode("forbidden")
    let result = try CLI.run(
      executable: CLI.mtobsPath, ["grafana", "--port", "0"] + fixture.cluster.flags,
      environment: fixture.environment, in: fixture.cli.workingDirectory, timeout: .seconds(30))
    #expect(result.status == 2, "\(result)")
    #expect(result.standardError.contains("cannot create resource \"pods/portforward\""), "\(result)")
    #expect(fixture.tunnels.count == 1, "it retried a refusal: \(fixture.tunnels.count) tunnels")
  }

  @Test func forwardJSONPrintsOneObjectPerEvent() async throws {
    let fixture = try await ForwardFixture()
    defer { fixture.stop() }
    let mtobs = try fixture.start(["forward", "pyroscope", "--port", "0", "-o", "json"])
    let connected = try await ProcessTable.wait(upTo: .seconds(30)) {
      mtobs.standardOutput.contains(#""event":"connected""#)
    }
    try #require(connected, "\(mtobs.transcript)")
    #expect(try await mtobs.stop(with: SIGTERM) == 0)
    let lines = mtobs.standardOutput.split(separator: "\n")
    let events = lines.compactMap { line in
      (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }
    #expect(events.count == lines.count, "a line is not a JSON object: \(mtobs.standardOutput)")
    #expect(events.map { $0["event"] as? String } == ["listening", "connecting", "connected", "stopped"])
    #expect(events.allSatisfy { $0["forward"] as? String == "pyroscope" })
  }
}
