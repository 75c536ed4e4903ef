import Foundation
import Testing

@testable import MtobsCore

/// The pure parts of `mtobs debug-dapr`: endpoint hosts, sampling rates, log lines, the fix's
/// manifest and diff.
@Suite("debug-dapr core")
struct DebugDaprCoreTests {
  @Test func serviceHostsAreReadAsTheClusterDNSResolvesThem() {
    let host = DaprEndpoints.serviceHost
    #expect(host("otel", "apps") == .init(service: "otel", namespace: "apps"))
    #expect(host("otel.monitoring", "apps") == .init(service: "otel", namespace: "monitoring"))
    #expect(host("otel.monitoring.svc", "apps") == .init(service: "otel", namespace: "monitoring"))
    #expect(host("otel.monitoring.svc.cluster.local", "apps") == .init(service: "otel", namespace: "monitoring"))
    #expect(host("10.0.0.12", "apps") == nil)
    #expect(host("collector.example.com", "apps") == nil)
  }

  @Test func readsOfSomeNamespacesRefuseToJudgeOthers() throws {
    let pod = KubeObject(
      .object([
        "kind": .string("Pod"),
        "metadata": .object([
          "name": .string("cart-1"), "namespace": .string("shop"),
          "annotations": .object(["dapr.io/enabled": .string("true")]),
        ]),
      ]))
    let some = DaprReads(
      appNamespaces: ["mathtrail"], allNamespaces: false, controlPlane: .success([]), configurations: .success([]),
      namespaces: .success(["mathtrail", "shop"]), daprPods: .success([]), services: .success([]))
    #expect(try some.judging(["mathtrail"], stackNamespace: "monitoring").get().appNamespaces == ["mathtrail"])
    #expect(throws: DaprScopeError(read: ["mathtrail"], asked: ["shop"])) {
      try some.judging(["mathtrail", "shop"], stackNamespace: "monitoring").get()
    }
    #expect(throws: DaprScopeError(read: ["mathtrail"], asked: nil)) {
      try some.judging(nil, stackNamespace: "monitoring").get()
    }
    var every = some
    every.allNamespaces = true
    every.daprPods = .success([pod])
    #expect(try every.judging(["shop"], stackNamespace: "monitoring").get().appNamespaces == ["shop"])
    #expect(try every.judging(nil, stackNamespace: "monitoring").get().appNamespaces == ["shop"])
  }

  @Test func samplingRatesAreJudgedAsDaprParsesThem() {
    #expect(
      DaprSampling.judge(nil)
        == .warn("samplingRate is not set: Dapr samples 1 trace in 10,000; set samplingRate: \"1\""))
    #expect(DaprSampling.judge(.string("1")) == .pass("1"))
    #expect(DaprSampling.judge(.string("0.25")) == .pass("0.25"))
    guard case .fail = DaprSampling.judge(.string("0")) else {
      Issue.record("\"0\" turns tracing off")
      return
    }
    guard case .fail = DaprSampling.judge(.string("all")) else {
      Issue.record("not a number")
      return
    }
    guard case .warn = DaprSampling.judge(.string("2")) else {
      Issue.record("above 1")
      return
    }
    guard case .warn = DaprSampling.judge(.number(1)) else {
      Issue.record("a number where a string belongs")
      return
    }
  }

  @Test func exporterErrorsAreToldFromOtherLogLines() {
    #expect(DaprPods.isExporterError(#"level=error msg="traces export: context deadline exceeded""#))
    #expect(DaprPods.isExporterError("failed to send spans to zipkin server with status 404"))
    #expect(!DaprPods.isExporterError(#"level=info msg="dapr initialized. Status: Running""#))
    #expect(!DaprPods.isExporterError(#"level=error msg="error invoking app channel""#))
    // Control characters never reach the terminal.
    #expect(DaprPods.quote("a\u{1B}[31mb") == "a?[31mb")
  }

  @Test func theFixManifestIsYAMLThatKeepsTheOtherSettings() {
    let spec = JSONValue.object([
      "tracing": .object(["zipkin": .object(["endpointAddress": .string("http://x:9411/v1/spans")])]),
      "features": .array([.object(["name": .string("Resiliency"), "enabled": .bool(true)])]),
    ])
    let text = DaprFix.manifest(name: "obs", namespace: "apps", spec: spec)
    #expect(
      text == """
        apiVersion: "dapr.io/v1alpha1"
        kind: "Configuration"
        metadata:
          name: "obs"
          namespace: "apps"
        spec:
          features:
            - enabled: true
              name: "Resiliency"
          tracing:
            zipkin:
              endpointAddress: "http://x:9411/v1/spans"

        """)
  }

  @Test func theDiffShowsOnlyTheChangedLines() {
    #expect(DaprFix.lineDiff(["a", "b", "c"], ["a", "B", "c", "d"]) == ["+ B", "- b", "+ d"])
    #expect(DaprFix.lineDiff([], ["a"]) == ["+ a"])
  }

  @Test func allNamespacesLeavesOutTheStackAndDaprsOwn() {
    func object(_ kind: String, _ namespace: String) -> KubeObject {
      KubeObject(
        .object(["kind": .string(kind), "metadata": .object(["name": .string("x"), "namespace": .string(namespace)])]))
    }
    let namespaces = DaprCollector.namespacesUsingDapr(
      pods: [object("Pod", "shop")],
      configurations: [
        object("Configuration", "monitoring"), object("Configuration", "billing"),
        object("Configuration", "dapr-system"),
      ],
      stackNamespace: "monitoring")
    #expect(namespaces == ["billing", "shop"])
  }
}
