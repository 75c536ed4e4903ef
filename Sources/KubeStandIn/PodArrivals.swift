extension ClusterState {
  /// Calls `handler` with the name of every Pod added to `namespace` from now on (and of those
  /// already there), in order, as a watch would see them: lets a test play the kubelet for pods
  /// mtobs creates, reacting to each as it appears instead of polling. Returns the id for
  /// `stopPodArrivals`.
  public func onPodArrival(
    namespace: String, _ handler: @escaping @Sendable (String) -> Void
  ) throws -> Int {
    guard let pods = ResourceType.builtIn.first(where: { $0.kind == "Pod" }) else { return -1 }
    let filter = ObjectFilter(
      type: pods, namespace: namespace, labels: try LabelSelector(parsing: ""), fields: try FieldSelector(parsing: ""))
    let (initial, id) = try startWatch(filter, resourceVersion: nil, sendInitialEvents: false) { event in
      if event.type == "ADDED", let name = event.object[path: "metadata", "name"]?.string { handler(name) }
    }
    for event in initial {
      if let name = event.object[path: "metadata", "name"]?.string { handler(name) }
    }
    return id
  }

  public func stopPodArrivals(_ id: Int) { stopWatch(id) }
}
