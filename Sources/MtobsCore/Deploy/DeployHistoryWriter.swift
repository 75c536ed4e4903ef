/// Adds a record to the history ConfigMap without overwriting another writer's: it reads the
/// ConfigMap with its `resourceVersion`, writes with it (`create` when there is none yet), and when
/// the write fails because the ConfigMap changed meanwhile (409 Conflict or AlreadyExists), reads
/// again and retries. Telling a lost race from other failures by re-reading, not by kubectl's wording.
public struct DeployHistoryWriter: Sendable {
  public let kube: KubeClient
  public let attempts: Int

  public init(kube: KubeClient, attempts: Int = 5) {
    self.kube = kube
    self.attempts = attempts
  }

  public func add(_ record: DeployRecord) async throws {
    var attempt = 1
    while true {
      let current = try await read()
      let version = DeployHistory.resourceVersion(of: current)
      let manifest = try DeployHistory.configMap(
        entries: DeployHistory.adding(record, to: DeployHistory.entries(in: current)),
        namespace: kube.target.namespace, resourceVersion: current == nil ? nil : version)
      do {
        try await kube.run(
          [current == nil ? "create" : "replace", "--filename", "-"], mutates: true, standardInput: manifest,
          what: "recording the deploy")
        return
      } catch {
        try Task.checkCancellation()
        guard attempt < attempts, DeployHistory.resourceVersion(of: try await read()) != version else { throw error }
        attempt += 1
      }
    }
  }

  /// The entries as stored now.
  public func entries() async throws -> [DeployHistoryEntry] {
    DeployHistory.entries(in: try await read())
  }

  private func read() async throws -> KubeObject? {
    try await kube.get(kind: "configmap", name: DeployHistory.configMapName, namespace: kube.target.namespace)
  }
}
