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
