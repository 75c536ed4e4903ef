import KubeStandIn
import Testing

/// Reads with the real kubectl: version, discovery, lists and gets, selectors, several kinds at once.
@Suite(.enabled(if: Kubectl.isAvailable, Kubectl.missingReason), .timeLimit(.minutes(2)))
struct KubectlReadTests {
  @Test func versionReportsTheServerVersion() async throws {
    let state = ClusterState()
    state.serverVersion = "v1.32.7"
    try await StandInFixture.with(state: state) { fixture in
      let result = try await fixture.kubectl(["version", "-o", "json"])
      #expect(result.succeeded, "\(result.stderr)")
      let version = try json(result.stdout)
      #expect(version[path: "serverVersion", "gitVersion"]?.string == "v1.32.7")
      #expect(version[path: "serverVersion", "minor"]?.string == "32")
      #expect(fixture.kubectlRequests.contains { $0.path == "/version" })
    }
  }

  @Test func getPodsWithALabelSelector() async throws {
    try await StandInFixture.with(state: try Scenario.state()) { fixture in
      let selected = try await fixture.kubectl(["get", "pods", "-n", "monitoring", "-l", "tier=backend", "-o", "json"])
      #expect(selected.succeeded, "\(selected.stderr)")
      #expect(try itemNames(selected.stdout) == ["alertmanager-0", "prometheus-7d9f"])

      let setBased = try await fixture.kubectl(
        ["get", "pods", "-A", "-l", "app in (prometheus,cart),tier!=frontend", "-o", "json"])
      #expect(try itemNames(setBased.stdout).sorted() == ["cart-0", "prometheus-7d9f"])

      let negated = try await fixture.kubectl(["get", "pods", "-A", "-l", "!tier", "-o", "json"])
      #expect(try itemNames(negated.stdout) == ["node-exporter-x1"])

      let request = try #require(fixture.kubectlRequests.last { $0.resource == "pods" && $0.verb == "list" })
      #expect(request.queryItems["labelSelector"] == "!tier")
    }
  }

  @Test func getSeveralKindsInOneCall() async throws {
    try await StandInFixture.with(state: try Scenario.state()) { fixture in
      let result = try await fixture.kubectl(["get", "deploy,ds,sts,pods", "-n", "monitoring", "-o", "json"])
      #expect(result.succeeded, "\(result.stderr)")
      let list = try json(result.stdout)
      #expect(list["kind"]?.string == "List")
      let kinds = (list["items"]?.array ?? []).compactMap { item in
        item["kind"]?.string.map { "\($0)/\(item[path: "metadata", "name"]?.string ?? "")" }
      }
      #expect(
        kinds == [
          "Deployment/prometheus", "DaemonSet/node-exporter", "StatefulSet/alertmanager", "Pod/alertmanager-0",
          "Pod/node-exporter-x1", "Pod/prometheus-7d9f",
        ])
      let lists = fixture.kubectlRequests.filter { $0.verb == "list" }.map(\.path)
      #expect(
        lists == [
          "/apis/apps/v1/namespaces/monitoring/deployments", "/apis/apps/v1/namespaces/monitoring/daemonsets",
          "/apis/apps/v1/namespaces/monitoring/statefulsets", "/api/v1/namespaces/monitoring/pods",
        ])
    }
  }

  @Test func getAcrossAllNamespaces() async throws {
    try await StandInFixture.with(state: try Scenario.state()) { fixture in
      let result = try await fixture.kubectl(["get", "pods", "--all-namespaces", "-o", "json"])
      #expect(result.succeeded, "\(result.stderr)")
      let namespaces = try json(result.stdout)["items"]?.array?.compactMap { $0[path: "metadata", "namespace"]?.string }
      #expect(namespaces == ["default", "monitoring", "monitoring", "monitoring", "shop"])
      #expect(fixture.kubectlRequests.contains { $0.path == "/api/v1/pods" && $0.verb == "list" })

      let table = try await fixture.kubectl(["get", "pods", "-A"])
      #expect(table.stdout.contains("NAMESPACE"))
      #expect(table.stdout.contains("cart-0"))
    }
  }

  @Test func customResourcesAndFieldSelectors() async throws {
    try await StandInFixture.with(state: try Scenario.state()) { fixture in
      let configurations = try await fixture.kubectl(["get", "configurations.dapr.io", "-n", "shop", "-o", "json"])
      #expect(configurations.succeeded, "\(configurations.stderr)")
      #expect(try itemNames(configurations.stdout) == ["tracing"])

      let byName = try await fixture.kubectl([
        "get", "pods", "-A", "--field-selector", "metadata.name=web-0", "-o", "json",
      ])
      #expect(try itemNames(byName.stdout) == ["web-0"])
      let byNamespace = try await fixture.kubectl(
        ["get", "pods", "-A", "--field-selector", "metadata.namespace!=monitoring", "-o", "json"])
      #expect(try itemNames(byNamespace.stdout) == ["web-0", "cart-0"])
    }
  }

  @Test func missingThingsLookLikeARealServer() async throws {
    try await StandInFixture.with(state: try Scenario.state()) { fixture in
      let emptyNamespace = try await fixture.kubectl(["get", "pods", "-n", "nowhere", "-o", "json"])
      #expect(emptyNamespace.succeeded, "\(emptyNamespace.stderr)")
      #expect(try itemNames(emptyNamespace.stdout).isEmpty)

      let missing = try await fixture.kubectl(["get", "pod", "ghost", "-n", "monitoring", "-o", "json"])
      #expect(!missing.succeeded)
      #expect(missing.stderr.contains("Error from server (NotFound): pods \"ghost\" not found"))

      let ignored = try await fixture.kubectl([
        "get", "deploy", "ghost", "-n", "monitoring", "--ignore-not-found", "-o", "json",
      ])
      #expect(ignored.succeeded)
      #expect(ignored.stdout.isEmpty)
    }
  }

  @Test func withoutDaprTheKindsAreUnknownUntilItsDefinitionsArrive() async throws {
    let state = ClusterState(namespaces: ["default", "mathtrail"])
    try await StandInFixture.with(state: state) { fixture in
      let absent = try await fixture.kubectl(["get", "configurations.dapr.io", "-n", "mathtrail", "-o", "json"])
      #expect(absent.status == 1)
      #expect(
        absent.stderr.contains("the server doesn't have a resource type \"configurations\""), "\(absent.stderr)")

      try fixture.state.load(
        yaml: """
          apiVersion: apiextensions.k8s.io/v1
          kind: CustomResourceDefinition
          metadata: {name: configurations.dapr.io}
          spec:
            group: dapr.io
            scope: Namespaced
            names: {kind: Configuration, plural: configurations, singular: configuration}
            versions: [{name: v1alpha1, served: true, storage: true}]
          """)
      // A fresh cache dir: kubectl would otherwise trust its cached discovery for a while.
      let present = try await fixture.kubectl([
        "--cache-dir", fixture.directory + "/cache-after", "get", "configurations.dapr.io", "-n", "mathtrail", "-o",
        "json",
      ])
      #expect(present.succeeded, "\(present.stderr)")
      #expect(try itemNames(present.stdout).isEmpty)
    }
  }
}
