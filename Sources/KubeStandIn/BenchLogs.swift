import Foundation

extension ClusterState {
  /// For log benchmarks (`kube-standin --bench-logs PODS:LINES`): `pods` Running pods
  /// `bench-0…` labelled `app=bench` in `namespace`, one container `app` each, with `lines`
  /// generated lines a millisecond apart, ending now.
  public func addBenchLogs(namespace: String = "monitoring", pods: Int, lines: Int) throws {
    let end = Date()
    for index in 0..<pods {
      let name = "bench-\(index)"
      try add([
        "apiVersion": "v1", "kind": "Pod",
        "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": ["app": "bench"]],
        "spec": ["nodeName": "node-1", "containers": [["name": "app", "image": "example/bench:1"]]],
        "status": [
          "phase": "Running", "podIP": .string("10.244.1.\(index % 250 + 1)"),
          "conditions": [["type": "Ready", "status": "True"]],
          "containerStatuses": [["name": "app", "ready": true, "restartCount": 0, "state": ["running": [:]]]],
        ],
      ])
      let generated = (0..<lines).map { line in
        LogLine(
          time: end.addingTimeInterval(-Double(lines - line) / 1000),
          text: "level=info pod=\(name) seq=\(line) msg=\"request served\" path=/api/v1/items status=200 ms=12")
      }
      setLogs(namespace: namespace, pod: name, container: "app", lines: generated)
    }
  }
}
