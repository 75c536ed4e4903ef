/// What the kubelet does to log streams when a container stops: follow streams end (EOF), and on
/// a restart the old instance's log becomes `previous` while the new instance starts empty.

extension ClusterState {
  /// Ends every follow stream of a container's log (nil: every container of the pod), as when the
  /// container stops or the kubelet drops the stream. The log itself stays.
  public func endLogFollows(namespace: String = "default", pod: String, container: String? = nil) {
    withStorage { storage in
      for follower in storage.logFollowers.values
      where follower.keys.contains(where: {
        $0.namespace == namespace && $0.pod == pod && (container == nil || $0.container == container)
      }) {
        follower.end()
      }
    }
  }

  /// The container restarts: its lines become the previous instance's log, the new instance's
  /// log starts empty, the pod's status counts the restart (with `lastState.terminated` saying
  /// why, which watchers see as MODIFIED), and follow streams of the old instance end.
  public func restartContainer(
    namespace: String = "default", pod: String, container: String, reason: String = "Error", exitCode: Int = 1
  ) throws {
    withStorage { storage in
      let current = storage.logKeys(namespace: namespace, pod: pod, container: container, previous: false)
      let lines = current.flatMap { storage.logs[$0] ?? [] }.sorted { $0.time < $1.time }
      for key in current { storage.logs[key] = nil }
      storage.logs[LogKey(namespace: namespace, pod: pod, container: container, previous: true)] = lines
    }
    try modify(kind: "Pod", name: pod, namespace: namespace) { object in
      var statuses = object[path: "status", "containerStatuses"]?.array ?? []
      if !statuses.contains(where: { $0["name"]?.string == container }) {
        statuses.append(["name": .string(container), "restartCount": 0, "state": ["running": [:]]])
      }
      for index in statuses.indices where statuses[index]["name"]?.string == container {
        statuses[index]["restartCount"] = .int((statuses[index]["restartCount"]?.int ?? 0) + 1)
        statuses[index]["lastState"] = ["terminated": ["reason": .string(reason), "exitCode": .int(exitCode)]]
        statuses[index]["state"] = ["running": [:]]
      }
      object[path: "status", "containerStatuses"] = .array(statuses)
    }
    endLogFollows(namespace: namespace, pod: pod, container: container)
  }
}
