/// Which cluster a context points at, for the banner printed before anything changes.
public struct ClusterIdentity: Sendable, Equatable {
  public var context: String
  public var cluster: String
  public var server: String
  public var namespace: String?
}

extension KubeClient {
  /// Resolves the target context from the kubeconfig (`kubectl config view --minify`), without
  /// contacting the cluster.
  public func clusterIdentity() async throws -> ClusterIdentity {
    let output = try await run(["config", "view", "--minify", "-o", "json"], what: "reading the kubeconfig")
    let json = try JSONValue.decode(output)
    guard let context = json["contexts"]?.array?.first, let name = context["name"]?.string else {
      throw KubeError(
        .noConfiguration, "the kubeconfig names no current context",
        hint: "pass --context NAME (see `kubectl config get-contexts`)")
    }
    return ClusterIdentity(
      context: name,
      cluster: context[path: "context", "cluster"]?.string ?? "?",
      server: json["clusters"]?.array?.first?[path: "cluster", "server"]?.string ?? "?",
      namespace: context[path: "context", "namespace"]?.string)
  }
}

extension KubeClient {
  /// The same client aimed at `context` by name, so that a `kubectl config use-context` while a
  /// run is under way cannot send its later calls to another cluster.
  public func pinned(to context: String) -> KubeClient {
    KubeClient(
      kubectl: kubectl,
      target: KubeTarget(context: context, kubeconfig: target.kubeconfig, namespace: target.namespace),
      runner: runner, timeout: timeout, dryRunPrinter: dryRunPrinter, transport: transport)
  }
}
