import Foundation
import Testing

@testable import MtobsCore

@Suite struct ForwardCoreTests {
  // MARK: Backoff

  @Test func backoffRetriesAtOnceThenDoublesUpToTheCap() {
    var backoff = Backoff()
    // The upper bound is returned as the delay, so the sequence is exact.
    let delays = (0..<10).map { _ in backoff.nextDelay { $0 } }
    #expect(delays[0] == .zero)
    #expect(delays[1] == .milliseconds(500))
    #expect(delays[2] == .seconds(1))
    #expect(delays[3] == .seconds(2))
    #expect(delays[7] == .seconds(30))
    #expect(delays[9] == .seconds(30))
  }

  /// By default a tunnel that worked at all earns a fresh start: the next loss is answered at once.
  @Test func aWorkingTunnelResetsTheBackoff() {
    var backoff = Backoff()
    for _ in 0..<4 { _ = backoff.nextDelay { $0 } }
    backoff.recordUptime(.milliseconds(300))
    #expect(backoff.nextDelay { $0 } == .zero)
    #expect(backoff.nextDelay { $0 } == .milliseconds(500))
  }

  @Test func backoffStartsAgainOnlyAfterAHealthyPeriod() {
    var backoff = Backoff(policy: .init(healthyPeriod: .seconds(30)))
    for _ in 0..<4 { _ = backoff.nextDelay { $0 } }
    backoff.recordUptime(.seconds(5))
    #expect(backoff.nextDelay { $0 } == .seconds(4))
    backoff.recordUptime(.seconds(30))
    #expect(backoff.nextDelay { $0 } == .zero)
  }

  @Test func jitterStaysWithinTheBound() {
    for _ in 0..<200 {
      let value = Backoff.uniform(.milliseconds(800))
      #expect(value >= .zero && value <= .milliseconds(800))
    }
  }

  // MARK: Pod choice

  static func object(_ json: String) -> KubeObject {
    KubeObject((try? JSONValue.decode(Array(json.utf8))) ?? .null)
  }

  static func pod(_ name: String, ready: Bool = true, deleting: Bool = false, phase: String = "Running") -> KubeObject {
    let deletion = deleting ? #", "deletionTimestamp": "2026-11-29T10:00:00Z""# : ""
    return object(
      """
      {"kind": "Pod", "metadata": {"name": "\(name)"\(deletion)},
       "spec": {"containers": [{"name": "grafana", "ports": [{"name": "grafana", "containerPort": 3000}]}]},
       "status": {"phase": "\(phase)", "conditions": [{"type": "Ready", "status": "\(ready ? "True" : "False")"}]}}
      """)
  }

  static func service(targetPort: String) -> KubeObject {
    object(
      """
      {"kind": "Service", "metadata": {"name": "lgtm-grafana"},
       "spec": {"selector": {"app.kubernetes.io/name": "grafana"}, "ports": [{"port": 80, "targetPort": \(targetPort)}]}}
      """)
  }

  @Test func choosesAReadyPodThatIsNotTerminatingAndMapsANamedTargetPort() throws {
    let pods = [
      Self.pod("a-terminating", deleting: true), Self.pod("b-unready", ready: false), Self.pod("c-ready"),
      Self.pod("d-pending", phase: "Pending"),
    ]
    let choice = try PodChoice.choose(service: Self.service(targetPort: #""grafana""#), pods: pods, servicePort: 80)
      .get()
    #expect(choice == PodChoice(pod: "c-ready", port: 3000))
  }

  @Test func avoidsThePodJustLostWhenAnotherIsReady() throws {
    let pods = [Self.pod("a"), Self.pod("b")]
    let service = Self.service(targetPort: "3000")
    #expect(try PodChoice.choose(service: service, pods: pods, servicePort: 80, avoid: "a").get().pod == "b")
    #expect(try PodChoice.choose(service: service, pods: [Self.pod("a")], servicePort: 80, avoid: "a").get().pod == "a")
  }

  @Test func noReadyPodIsAProblemNamingTheService() {
    let result = PodChoice.choose(
      service: Self.service(targetPort: "3000"), pods: [Self.pod("a", ready: false)], servicePort: 80)
    #expect(result == .failure(.noReadyPod(service: "lgtm-grafana", selected: 1)))
  }

  @Test func selectorIsAStableQuery() {
    #expect(PodChoice.selector(of: Self.object(#"{"spec": {"selector": {"b": "2", "a": "1"}}}"#)) == "a=1,b=2")
    #expect(PodChoice.selector(of: Self.object(#"{"spec": {}}"#)) == nil)
  }

  // MARK: kubectl's words

  @Test func forwardingLineGivesThePort() {
    #expect(TunnelChild.forwardedPort(in: "Forwarding from 127.0.0.1:40123 -> 3000") == 40123)
    #expect(TunnelChild.forwardedPort(in: "Forwarding from [::1]:40123 -> 3000") == nil)
    #expect(TunnelChild.forwardedPort(in: "Forwarding from 127.0.0.1:99999 -> 3000") == nil)
    #expect(TunnelChild.forwardedPort(in: "Handling connection for 3000") == nil)
  }

  @Test func rbacRefusalIsFatalAndALostConnectionIsNot() {
    let refused = TunnelFailure.classify(
      errorLines: [
        #"Error from server (Forbidden): pods "g" is forbidden: User "dev" cannot create resource "pods/portforward""#
      ], termination: "exit 1")
    guard case .fatal(let message, let hint) = refused else {
      Issue.record("not fatal: \(refused)")
      return
    }
    #expect(message.contains("pods/portforward"))
    #expect(hint.contains("kubectl auth can-i create pods/portforward"))
    let lost = TunnelFailure.classify(
      errorLines: ["E1129 10:00:00.000000 1 portforward.go:424] an error occurred", "error: lost connection to pod"],
      termination: "exit 1")
    #expect(lost == .retryable("exit 1: lost connection to pod"))
    #expect(TunnelFailure.classify(errorLines: [], termination: "signal 9") == .retryable("signal 9"))
  }

  // MARK: Who holds a port

  @Test func listeningInodesComeFromTheLISTENRowsOfThePort() {
    let table = """
        sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 100 0 0 10 0
         1: 0100007F:0BB8 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 4343 1 0000000000000000 20 4 30 10 -1
         2: 0100007F:0FC8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4444 1 0000000000000000 100 0 0 10 0
      """
    #expect(PortHolder.listeningInodes(in: table, port: 3000) == [4242])
    #expect(PortHolder.listeningInodes(in: table, port: 4040) == [4444])
    #expect(PortHolder.listeningInodes(in: table, port: 9411) == [])
  }

  // MARK: The slot

  @Test func aConnectionWaitingDuringAReconnectGetsTheNextTunnel() async throws {
    let slot = TunnelSlot()
    async let port = slot.port(waitingUpTo: .seconds(10))
    // Publish only once the connection is really waiting, so the test covers the wait.
    let waiting = try await ProcessTable.wait(upTo: .seconds(10)) { slot.waitingCount == 1 }
    #expect(waiting, "the connection never started waiting")
    slot.publish(41000)
    #expect(await port == 41000)
  }

  @Test func aWaitIsBoundedAndADeadPortIsNotHandedOutAgain() async {
    let slot = TunnelSlot()
    slot.publish(41000)
    slot.reportDead(41000)
    #expect(slot.current == nil)
    let started = ContinuousClock.now
    #expect(await slot.port(excluding: 41000, waitingUpTo: .milliseconds(100)) == nil)
    #expect(ContinuousClock.now - started < .seconds(5))
  }
}
