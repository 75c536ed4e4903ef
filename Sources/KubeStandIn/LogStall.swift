/// A follow stream that stays open but delivers nothing more while the container goes on
/// writing (a kubelet or proxy that stopped passing bytes on): only a client that notices the
/// silence and reopens the stream sees the later lines.
extension ClusterState {
  /// Stalls every open follow stream of the container's log (nil: every container of the pod):
  /// they stay open and get no more lines. Streams opened later are not affected.
  public func stallLogFollows(namespace: String = "default", pod: String, container: String? = nil) {
    withStorage { storage in
      for (id, follower) in storage.logFollowers
      where follower.keys.contains(where: {
        $0.namespace == namespace && $0.pod == pod && (container == nil || $0.container == container)
      }) {
        storage.logFollowers[id]?.sink = { _ in }
      }
    }
  }
}
