/// `kubernetes.*`: can mtobs talk to the cluster and read the stack's namespace.
enum KubernetesChecks {
  static let all: [HealthCheck] = [
    HealthCheck(id: "kubernetes.api", category: "kubernetes", title: "API server is reachable", dependencies: []) {
      snapshot in
      if let error = snapshot.server.error {
        return HealthChecks.failure(from: error, what: "API server")
      }
      let context = snapshot.context.map { " (context \($0))" } ?? ""
      return .pass("Kubernetes \(snapshot.server.value ?? "unknown")\(context)")
    },
    HealthCheck(
      id: "kubernetes.namespace", category: "kubernetes", title: "stack namespace exists and is readable",
      dependencies: ["kubernetes.api"]
    ) { snapshot in
      let namespace = snapshot.namespace
      if let error = snapshot.stack.error {
        var verdict = HealthChecks.failure(from: error, what: "cannot read namespace '\(namespace)'")
        if error.reason == .forbidden {
          verdict.hint =
            "kubectl auth can-i list pods -n \(namespace)   (mtobs needs get/list on pods, deployments, services)"
          verdict.recoverable = false
        }
        return verdict
      }
      // Listing a namespace that does not exist answers an empty list, so both cases land here;
      // the separate namespace read (when RBAC allows it) tells them apart.
      if snapshot.namespaceExists?.value == false {
        return Verdict(
          status: .fail, message: "namespace '\(namespace)' does not exist",
          hint:
            "kubectl get namespaces   # pass the stack's namespace with -n, or create the stack with `mtobs deploy`",
          objects: ["namespace/\(namespace)"], recoverable: false)
      }
      let count = snapshot.stack.value?.count ?? 0
      guard count > 0 else {
        return Verdict(
          status: .fail, message: "namespace \(namespace) has no objects; is the stack deployed?",
          hint: "mtobs deploy   # or pass the stack's namespace with -n (kubectl get pods -A | grep collector)",
          objects: ["namespace/\(namespace)"], recoverable: false)
      }
      return .pass("\(count) objects readable in '\(namespace)'")
    },
  ]
}
