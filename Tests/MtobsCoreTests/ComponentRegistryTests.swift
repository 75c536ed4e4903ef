import Testing

@testable import MtobsCore

@Suite struct ComponentRegistryTests {
  @Test func defaultsAreTheSeedsTable() {
    let registry = ComponentRegistry.from(configuration: .defaults)
    #expect(registry.components.count == ComponentRole.allCases.count)
    #expect(registry[.grafana]?.service == "lgtm-grafana")
    #expect(registry[.grafana]?.port == 80)
    #expect(registry[.grafana]?.readinessPath == "/api/health")
    #expect(registry[.loki]?.port == 3100)
    #expect(registry[.tempo]?.port == 3200)
    #expect(registry[.mimir]?.port == 9009)
    #expect(registry[.pyroscope]?.port == 4040)
    #expect(registry[.collector]?.service == "otel-collector-opentelemetry-collector")
    #expect(registry[.collector]?.ports["zipkin"] == 9411)
    #expect(registry[.collector]?.ports["health"] == 13133)
    #expect(registry.component(named: "alloy")?.service == ComponentRegistry.defaultAlloyService)
    #expect(registry.component(named: "nosuch") == nil)
  }

  @Test func theConfigurationAndTheContractPinComponents() throws {
    let file = try ConfigFile.parse("loki:\n  service: loki-gateway\n  port: 80\n", path: "mtobs.yaml")
    let configuration = try Configuration.resolve(flags: [], environment: [:], files: [file])
    let contract = DeployContract(
      services: ["alloy": .init(name: "lgtm-alloy-receiver", port: 12347, ports: nil)], grafanaSecret: nil,
      releases: nil)
    let registry = ComponentRegistry.from(configuration: configuration, contract: contract)
    #expect(registry[.loki]?.service == "loki-gateway")
    #expect(registry[.loki]?.port == 80)
    #expect(registry[.alloy]?.service == "lgtm-alloy-receiver")
    #expect(registry[.alloy]?.port == 12347)
  }

  /// `Configuration.text` promises a value without restating defaults: every string key it is
  /// used with must have one.
  @Test func everyStringKeyWithADefaultAnswersText() {
    for key in ConfigKey.all where key.kind == .string && key.defaultValue != nil {
      #expect(!Configuration.defaults.text(key).isEmpty, "\(key.name)")
    }
    #expect(Configuration.defaults.text(.context) == "")
  }

  @Test func kubernetesNamesAreCheckedBeforeTheyGoIntoPaths() {
    #expect(KubeName.isLabel("monitoring"))
    #expect(KubeName.isLabel("otel-collector-opentelemetry-collector"))
    for bad in ["", "Monitoring", "a/b", "../x", "-a", "a-", "a.b", String(repeating: "a", count: 64), "a b", "ä"] {
      #expect(!KubeName.isLabel(bad), "\(bad)")
    }
    #expect(KubeName.isSubdomain("mathtrail-observability.v2"))
    #expect(!KubeName.isSubdomain("a..b"))
    #expect(!KubeName.isSubdomain("a/b"))
  }
}
