import Foundation
import KubeStandIn

/// A stand-in API server on 127.0.0.1 with a kubeconfig for it, so black-box tests run the built
/// `mtobs` with the real kubectl against a "cluster" whose contents and faults the test controls.
final class StandInCluster: Sendable {
  let server: StandInAPIServer
  let kubeconfig: URL
  let context: String

  /// `yaml` is a stand-in state file (objects, proxy answers, logs, behaviour).
  init(
    stateYAML yaml: String = "objects: []\n", in directory: TemporaryDirectory, context: String = "standin"
  )
    async throws
  {
    let file = try directory.write(yaml, to: "standin-state-\(UUID().uuidString).yaml")
    let scenario = try StateFile.load(contentsOfFile: file.path)
    server = StandInAPIServer(state: scenario.state, behavior: scenario.behavior)
    try await server.start()
    self.context = context
    kubeconfig = directory.url.appendingPathComponent("kubeconfig-\(context)")
    try server.writeKubeconfig(to: kubeconfig.path, context: context, namespace: "monitoring")
  }

  /// Flags that point mtobs at this server.
  var flags: [String] { ["--kubeconfig", kubeconfig.path, "--context", context] }

  /// The API requests mtobs's kubectl children made (not the gcloud dispatcher's own version probe).
  var apiRequests: [RecordedRequest] { server.requests.filter { !$0.isDispatcherProbe } }

  func stop() async { try? await server.stop() }
}
