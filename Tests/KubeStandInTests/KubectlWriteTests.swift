import KubeStandIn
import Testing

/// Changes made with the real kubectl: client-side and server-side apply, create, delete.
@Suite(.enabled(if: Kubectl.isAvailable, Kubectl.missingReason), .timeLimit(.minutes(2)))
struct KubectlWriteTests {
  static let configMap = """
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: settings
      namespace: monitoring
      labels: {team: obs}
    data:
      retention: 15d
    """

  @Test func applyAConfigMapThenReadItBack() async throws {
    try await StandInFixture.with(state: try Scenario.state()) { fixture in
      let file = try fixture.file("cm.yaml", Self.configMap)
      let created = try await fixture.kubectl(["apply", "-f", file])
      #expect(created.succeeded, "\(created.stderr)")
      #expect(created.stdout.contains("configmap/settings created"))

      let stored = try #require(fixture.state.object(kind: "ConfigMap", name: "settings", namespace: "monitoring"))
      #expect(stored[path: "data", "retention"]?.string == "15d")
      #expect(stored[path: "metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"] != nil)
      #expect(stored[path: "metadata", "uid"]?.string?.isEmpty == false)
      let firstVersion = try #require(stored[path: "metadata", "resourceVersion"]?.string.flatMap { Int($0) })

      let changed = try fixture.file("cm2.yaml", Self.configMap.replacing("15d", with: "30d") + "\n  scrape: 10s\n")
      let configured = try await fixture.kubectl(["apply", "-f", changed])
      #expect(configured.succeeded, "\(configured.stderr)")
      #expect(configured.stdout.contains("configmap/settings configured"))
      #expect(
        fixture.kubectlRequests.contains { $0.method == "PATCH" && $0.contentType.contains("strategic-merge-patch") })

      let readBack = try await fixture.kubectl(["get", "configmap", "settings", "-n", "monitoring", "-o", "json"])
      let object = try json(readBack.stdout)
      #expect(object["data"] == ["retention": "30d", "scrape": "10s"])
      #expect(object[path: "metadata", "labels", "team"]?.string == "obs")
      #expect((object[path: "metadata", "resourceVersion"]?.string.flatMap { Int($0) } ?? 0) > firstVersion)

      let unchanged = try await fixture.kubectl(["apply", "-f", changed])
      #expect(unchanged.stdout.contains("configmap/settings unchanged"))
    }
  }

  @Test func serverSideApplyCreatesThenMerges() async throws {
    try await StandInFixture.with(state: try Scenario.state()) { fixture in
      let file = try fixture.file("cm.yaml", Self.configMap)
      let created = try await fixture.kubectl(["apply", "--server-side", "-f", file])
      #expect(created.succeeded, "\(created.stderr)")
      #expect(created.stdout.contains("configmap/settings serverside-applied"))
      #expect(
        fixture.kubectlRequests.contains { $0.method == "PATCH" && $0.contentType == "application/apply-patch+yaml" })

      let patch = try fixture.file(
        "patch.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: monitoring}\ndata: {extra: \"yes\"}\n")
      let merged = try await fixture.kubectl(["apply", "--server-side", "--field-manager", "other", "-f", patch])
      #expect(merged.succeeded, "\(merged.stderr)")
      let stored = try #require(fixture.state.object(kind: "ConfigMap", name: "settings", namespace: "monitoring"))
      #expect(stored["data"] == ["retention": "15d", "extra": "yes"])
    }
  }

  @Test func createConfigMapFromLiteralsSendsProtobuf() async throws {
    try await StandInFixture.with { fixture in
      let result = try await fixture.kubectl(
        ["create", "configmap", "flags", "--from-literal=color=blue", "--from-literal=size=9", "-n", "default"])
      #expect(result.succeeded, "\(result.stderr)")
      let stored = try #require(fixture.state.object(kind: "ConfigMap", name: "flags"))
      #expect(stored["data"] == ["color": "blue", "size": "9"])
      // kubectl 1.32's typed clients send protobuf (1.31 and older send JSON); the stand-in decodes it.
      #expect(fixture.kubectlRequests.contains { $0.method == "POST" && $0.contentType.contains("protobuf") })

      let again = try await fixture.kubectl(["create", "configmap", "flags", "--from-literal=color=red"])
      #expect(!again.succeeded)
      #expect(again.stderr.contains("configmaps \"flags\" already exists"))
    }
  }

  @Test func deleteRemovesTheObject() async throws {
    try await StandInFixture.with(state: try Scenario.state()) { fixture in
      let result = try await fixture.kubectl(["delete", "pod", "alertmanager-0", "-n", "monitoring", "--wait=true"])
      #expect(result.succeeded, "\(result.stderr)")
      #expect(result.stdout.contains("pod \"alertmanager-0\" deleted"))
      #expect(fixture.state.object(kind: "Pod", name: "alertmanager-0", namespace: "monitoring") == nil)
      #expect(fixture.kubectlRequests.contains { $0.method == "DELETE" && $0.name == "alertmanager-0" })

      let again = try await fixture.kubectl(["delete", "pod", "alertmanager-0", "-n", "monitoring"])
      #expect(!again.succeeded)
      #expect(again.stderr.contains("NotFound"))
    }
  }

  @Test func createInAMissingNamespaceFails() async throws {
    try await StandInFixture.with { fixture in
      let file = try fixture.file("cm.yaml", Self.configMap)
      let result = try await fixture.kubectl(["apply", "-f", file])
      #expect(!result.succeeded)
      #expect(result.stderr.contains("namespaces \"monitoring\" not found"))
    }
  }
}
