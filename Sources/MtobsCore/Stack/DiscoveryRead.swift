/// What `mtobs config` learned about the stack's roles: found, or why it could not look.
public enum DiscoveryOutcome: Sendable, Equatable {
  case discovered(StackDiscovery, namespace: String)
  case unavailable(reason: String)

  /// Best effort, one list of the stack namespace: a cluster that cannot be read is a reason
  /// shown beside the defaults, never an error of `config`.
  public static func read(run: Run) async -> DiscoveryOutcome {
    do {
      let kube = try run.kube()
      let namespace = kube.target.namespace
      let objects = try await kube.list(
        kinds: ["deployments", "daemonsets", "statefulsets", "services", "pods"], namespace: namespace)
      let hints = DiscoveryHints.from(
        configuration: run.configuration, contract: HealthCollector.deployContract(run: run))
      return .discovered(StackDiscovery.discover(objects: objects, hints: hints), namespace: namespace)
    } catch let error as any MtobsError {
      return .unavailable(reason: error.errorMessage.split(separator: "\n").first.map(String.init) ?? "")
    } catch {
      return .unavailable(reason: "\(error)")
    }
  }
}
