/// `workloads.*`: every workload of the stack exists and is ready; no pod is stuck.
enum WorkloadChecks {
  static let all: [HealthCheck] = [
    HealthCheck(
      id: "workloads.present", category: "workloads", title: "every workload of the stack exists",
      dependencies: ["kubernetes.namespace"]
    ) { snapshot in
      let expected = snapshot.expectations.workloads
      let existing = Set((snapshot.stack.value ?? []).map { "\($0.kind)/\($0.name)" })
      guard !expected.isEmpty else {
        return Verdict(
          status: .warn, message: "no deploy contract (deploy/services.yaml) says which workloads to expect",
          hint: "run from the repository that holds the deploy assets, or reinstall mtobs with them", recoverable: false)
      }
      let missing = expected.filter { !existing.contains($0) }
      if missing.isEmpty { return .pass("all \(expected.count) workloads exist") }
      return Verdict(
        status: .fail, message: "\(missing.count) of \(expected.count) missing: \(missing.joined(separator: ", "))",
        hint: "deploy the stack with `mtobs deploy` (or see `helm list -n \(snapshot.namespace)`)",
        objects: missing.map { reference(snapshot.namespace, $0) }, recoverable: false)
    },
    HealthCheck(
      id: "workloads.ready", category: "workloads", title: "workloads are ready", dependencies: ["kubernetes.namespace"]
    ) { snapshot in
      let expected = Set(snapshot.expectations.workloads)
      let workloads = (snapshot.stack.value ?? []).filter {
        ["Deployment", "StatefulSet", "DaemonSet"].contains($0.kind) && (expected.isEmpty || expected.contains("\($0.kind)/\($0.name)"))
      }
      guard !workloads.isEmpty else { return .skip("no workload of the stack exists yet") }
      let notReady = workloads.compactMap { workload -> String? in
        let (ready, wanted) = readiness(workload)
        return ready >= wanted ? nil : "\(workload.kind)/\(workload.name) \(ready)/\(wanted) ready"
      }
      if notReady.isEmpty { return .pass("\(workloads.count) workloads ready") }
      return Verdict(
        status: .fail, message: notReady.joined(separator: "; "),
        hint: "kubectl get pods -n \(snapshot.namespace); kubectl describe \(notReady[0].split(separator: " ")[0].lowercased()) -n \(snapshot.namespace)",
        objects: workloads.filter { w in notReady.contains { $0.hasPrefix("\(w.kind)/\(w.name) ") } }.map(\.reference))
    },
    HealthCheck(
      id: "workloads.pods", category: "workloads", title: "no pod is crash-looping, pending or pulling",
      dependencies: ["kubernetes.namespace"]
    ) { snapshot in
      let pods = (snapshot.stack.value ?? []).filter { $0.kind == "Pod" }
      guard !pods.isEmpty else { return .skip("no pods in '\(snapshot.namespace)'") }
      let diagnoses = pods.map(PodDiagnosis.init)
      let failing = diagnoses.filter { $0.severity == .failing }
      let worrying = diagnoses.filter { $0.severity == .warning }
      if let first = failing.first {
        return Verdict(
          status: .fail, message: failing.map(\.summary).joined(separator: "; "),
          hint: "kubectl describe pod \(first.pod) -n \(snapshot.namespace); kubectl logs \(first.pod) -n \(snapshot.namespace) --previous",
          objects: failing.map { reference(snapshot.namespace, "pod", $0.pod) },
          recoverable: failing.allSatisfy(\.recoverable))
      }
      let starting = diagnoses.filter { $0.severity == .starting }
      if !starting.isEmpty {
        return Verdict(
          status: .warn, message: "starting: " + starting.map(\.summary).joined(separator: "; "),
          hint: "wait with `mtobs health --wait 2m`, or look at `kubectl get events -n \(snapshot.namespace)`",
          objects: starting.map { reference(snapshot.namespace, "pod", $0.pod) })
      }
      if let first = worrying.first {
        return Verdict(
          status: .warn, message: "restarting: " + worrying.map(\.summary).joined(separator: "; "),
          hint: "kubectl logs \(first.pod) -n \(snapshot.namespace) --previous",
          objects: worrying.map { reference(snapshot.namespace, "pod", $0.pod) }, recoverable: false)
      }
      return .pass("\(pods.count) pods running")
    },
  ]

  static func reference(_ namespace: String, _ kindAndName: String) -> String {
    let parts = kindAndName.split(separator: "/", maxSplits: 1).map(String.init)
    return HealthChecks.reference(namespace, parts[0], parts.count > 1 ? parts[1] : "")
  }

  static func reference(_ namespace: String, _ kind: String, _ name: String) -> String {
    HealthChecks.reference(namespace, kind, name)
  }

  /// (ready, wanted) replicas of a Deployment, StatefulSet or DaemonSet.
  static func readiness(_ workload: KubeObject) -> (Int, Int) {
    let status = workload.raw["status"]
    switch workload.kind {
    case "DaemonSet":
      return (status?["numberReady"]?.int ?? 0, status?["desiredNumberScheduled"]?.int ?? 0)
    default:
      let wanted = workload.raw[path: "spec", "replicas"]?.int ?? status?["replicas"]?.int ?? 1
      return (status?["readyReplicas"]?.int ?? 0, wanted)
    }
  }
}
