import Foundation

extension KubeClient {
  /// The same client aimed at the context the kubeconfig names now, resolved once (without
  /// contacting the cluster), so a `kubectl config use-context` while the run goes on cannot send
  /// its later calls to another cluster. A client that already names its context is kept.
  /// The kubeconfig's `current-context` is read directly (no extra kubectl process); kubectl is
  /// asked only when that fails.
  public func pinningCurrentContext(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) async throws -> KubeClient {
    if target.context != nil { return self }
    if let name = KubeconfigCurrentContext.read(kubeconfig: target.kubeconfig, environment: environment) {
      return pinned(to: name)
    }
    return pinned(to: try await clusterIdentity().context)
  }
}
