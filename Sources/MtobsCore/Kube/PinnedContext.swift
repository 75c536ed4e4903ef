extension KubeClient {
  /// The same client aimed at the context the kubeconfig names now, resolved once (without
  /// contacting the cluster), so a `kubectl config use-context` while the run goes on cannot send
  /// its later calls to another cluster. A client that already names its context is kept.
  public func pinningCurrentContext() async throws -> KubeClient {
    if target.context != nil { return self }
    return pinned(to: try await clusterIdentity().context)
  }
}
