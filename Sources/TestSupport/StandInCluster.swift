import Foundation
import KubeStandIn

/// A stand-in API server on 127.0.0.1 with a kubeconfig for it, so black-box tests run the built
/// `mtobs` with the real kubectl against a "cluster" whose contents and faults the test controls.
public final class StandInCluster: Sendable {
  public let server: StandInAPIServer
  public let kubeconfig: URL
  public let context: String

  /// `yaml` is a stand-in state file (objects, proxy answers, logs, behaviour). The cluster has Dapr
  /// installed (its CustomResourceDefinitions) unless `daprInstalled` is false: then, as on a real
  /// cluster without Dapr, discovery has no `dapr.io` group.
  public init(
    stateYAML yaml: String = "objects: []\n", in directory: TemporaryDirectory, context: String = "standin",
    daprInstalled: Bool = true
  )
    async throws
  {
    let file = try directory.write(yaml, to: "standin-state-\(UUID().uuidString).yaml")
    let scenario = try StateFile.load(contentsOfFile: file.path)
    if daprInstalled { try scenario.state.load(yaml: Self.daprDefinitions) }
    server = StandInAPIServer(state: scenario.state, behavior: scenario.behavior)
    try await server.start()
    self.context = context
    kubeconfig = directory.url.appendingPathComponent("kubeconfig-\(context)")
    try server.writeKubeconfig(to: kubeconfig.path, context: context, namespace: "monitoring")
  }

  /// What the Dapr Helm chart installs for the kinds mtobs reads and writes.
  public static let daprDefinitions = ["Configuration": "configurations", "Component": "components"].map {
    kind, plural in
    """
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: \(plural).dapr.io}
    spec:
      group: dapr.io
      scope: Namespaced
      names: {kind: \(kind), listKind: \(kind)List, plural: \(plural), singular: \(kind.lowercased())}
      versions: [{name: v1alpha1, served: true, storage: true}]
    """
  }.joined(separator: "\n---\n")

  /// Flags that point mtobs at this server.
  public var flags: [String] { ["--kubeconfig", kubeconfig.path, "--context", context] }

  /// The API requests mtobs's kubectl children made (not the gcloud dispatcher's own version probe).
  public var apiRequests: [RecordedRequest] { server.requests.filter { !$0.isDispatcherProbe } }

  public func stop() async { try? await server.stop() }
}
