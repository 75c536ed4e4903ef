import Foundation
import Testing

@testable import MtobsCore

/// The pure discovery step: roles from labels and Services, on snapshots' objects.
@Suite struct StackDiscoveryTests {
  typealias S = HealthSnapshots

  static func service(
    _ name: String, labels: [String: String], ports: [(String, Int)], headless: Bool = false
  ) -> KubeObject {
    var spec: [String: Any] = [
      "selector": labels, "ports": ports.map { ["name": $0.0, "port": $0.1] },
    ]
    if headless { spec["clusterIP"] = "None" }
    return S.object(["apiVersion": "v1", "kind": "Service", "metadata": S.metadata(name, labels: labels), "spec": spec])
  }

  static func mimir(_ component: String) -> [String: String] {
    [
      "app.kubernetes.io/name": "mimir", "app.kubernetes.io/instance": "mimir",
      "app.kubernetes.io/component": component,
    ]
  }

  static let defaults = DiscoveryHints.from(configuration: .defaults)

  @Test func theQueryFrontendIsChosenOverOtherPartsAndHeadlessServices() {
    let objects = [
      Self.service("mimir-distributor", labels: Self.mimir("distributor"), ports: [("http-metrics", 8080)]),
      Self.service("mimir-gateway", labels: Self.mimir("gateway"), ports: [("http-metrics", 80)]),
      Self.service(
        "mimir-query-frontend", labels: Self.mimir("query-frontend"), ports: [("grpc", 9095), ("http-metrics", 8080)]),
      Self.service(
        "mimir-query-frontend-headless", labels: Self.mimir("query-frontend"), ports: [("http-metrics", 8080)],
        headless: true),
    ]
    let found = StackDiscovery.discover(objects: objects, hints: Self.defaults)[.mimir]
    #expect(found?.service == "mimir-query-frontend")
    #expect(found?.port == 8080, "the HTTP port, not gRPC and not the default 9009 it lacks")
    #expect(found?.source == .labels)
    #expect(found?.how == "labelled app.kubernetes.io/name=mimir, component query-frontend")
  }

  @Test func anExistingServiceOfTheExpectedNameWins() {
    let objects = [
      Self.service(
        "loki", labels: ["app.kubernetes.io/name": "loki", "app.kubernetes.io/component": "query-frontend"],
        ports: [("http", 3100)]),
      Self.service(
        "lgtm-loki-query-frontend",
        labels: ["app.kubernetes.io/name": "loki", "app.kubernetes.io/component": "query-frontend"],
        ports: [("http", 3100)]),
    ]
    let found = StackDiscovery.discover(objects: objects, hints: Self.defaults)[.loki]
    #expect(found?.service == "loki")
    #expect(found?.source == .named)
  }

  @Test func twoServicesClaimingARoleAreAmbiguousNotGuessed() {
    let objects = [
      Self.service("tempo", labels: ["app": "tempo"], ports: [("http", 3200)]),
      Self.service("tempo-old", labels: ["app": "tempo"], ports: [("http", 3200)]),
    ]
    var hints = Self.defaults
    hints.expected["tempo"] = .init(service: "traces", port: 3200)
    let found = StackDiscovery.discover(objects: objects, hints: hints)[.tempo]
    #expect(found?.source == .ambiguous)
    #expect(found?.service == nil)
    #expect(found?.ambiguous == ["tempo", "tempo-old"])
  }

  @Test func aPinnedNameWinsAndSaysWhereItWasSet() throws {
    let file = try ConfigFile.parse("tempo:\n  service: tempo-old\n", path: "mtobs.yaml")
    let configuration = try Configuration.resolve(flags: [], environment: [:], files: [file])
    let objects = [
      Self.service("tempo", labels: ["app": "tempo"], ports: [("http", 3200)]),
      Self.service("tempo-old", labels: ["app": "tempo"], ports: [("http", 3200)]),
    ]
    let found = StackDiscovery.discover(
      objects: objects, hints: DiscoveryHints.from(configuration: configuration))[.tempo]
    #expect(found?.service == "tempo-old")
    #expect(found?.source == .configured)
    #expect(found?.how == "mtobs.yaml:2")
  }

  @Test func pyroscopesOwnAlloyIsNotTheReceiver() {
    let objects = [
      Self.service(
        "pyroscope-alloy", labels: ["app.kubernetes.io/name": "alloy", "app.kubernetes.io/instance": "pyroscope"],
        ports: [("http-metrics", 12345)]),
      Self.service(
        "lgtm-alloy-receiver", labels: ["app.kubernetes.io/name": "alloy-receiver"], ports: [("http-metrics", 12345)]),
    ]
    let roles = StackDiscovery.discover(objects: objects, hints: Self.defaults)
    #expect(roles[.alloy]?.service == "lgtm-alloy-receiver")
    #expect(roles[.pyroscope]?.isFound == false)
  }

  /// Bundles written before discovery: roles come from their stored objects, and a bundle that
  /// carries a discovery is judged by it, unchanged by a round trip.
  @Test func olderBundlesDiscoverAndNewOnesKeepWhatWasSeen() throws {
    let old = S.healthy()
    #expect(old.discovery == nil)
    #expect(old.roles[.collector]?.pods == [S.collectorPod])
    #expect(old.roles[.loki]?.service == "loki")
    var recorded = old
    recorded.discovery = old.roles
    let data = try JSONEncoder().encode(recorded)
    let decoded = try JSONDecoder().decode(Snapshot.self, from: data)
    #expect(decoded.discovery == old.roles)
    #expect(HealthChecks.evaluate(decoded) == HealthChecks.evaluate(old))
    let withoutField = try JSONDecoder().decode(Snapshot.self, from: try JSONEncoder().encode(old))
    #expect(withoutField.discovery == nil)
  }
}
