/// `workloads.*`: every workload of the stack exists and is ready; no pod is stuck.
enum WorkloadChecks {
  static let workloadKinds: Set<String> = ["Deployment", "StatefulSet", "DaemonSet"]

  static let all: [HealthCheck] = [
    HealthCheck(
      id: "workloads.present", category: "workloads", title: "every workload of the stack exists",
      // Not on kubernetes.namespace: when nothing is deployed that check fails, and this one must
      // still fail too, naming what is missing, rather than skip.
      dependencies: ["kubernetes.api"]
    ) { snapshot in
      if let unreadable = HealthChecks.unreadableStack(snapshot) { return unreadable }
      let expected = snapshot.expectations.workloads
      let existing = Set((snapshot.stack.value ?? []).map { "\($0.kind)/\($0.name)" })
      guard !expected.isEmpty else {
        return Verdict(
          status: .warn, message: "no deploy contract (deploy/services.yaml) says which workloads to expect",
          hint: "run `mtobs health` inside the repository that holds deploy/services.yaml", recoverable: false)
      }
      let missing = expected.filter { !existing.contains($0) }
      if missing.isEmpty { return .pass("all \(expected.count) workloads exist") }
      return Verdict(
        status: .fail, message: "\(missing.count) of \(expected.count) missing: \(missing.joined(separator: ", "))",
        hint: "mtobs deploy   # or see what is installed: helm list -n \(snapshot.namespace)",
        objects: missing.map { reference(snapshot.namespace, $0) }, recoverable: false)
    },
    HealthCheck(
      id: "workloads.ready", category: "workloads", title: "workloads are ready", dependencies: ["kubernetes.namespace"]
    ) { snapshot in
      let expected = Set(snapshot.expectations.workloads)
      let workloads = (snapshot.stack.value ?? []).filter {
        workloadKinds.contains($0.kind) && (expected.isEmpty || expected.contains("\($0.kind)/\($0.name)"))
      }
      guard !workloads.isEmpty else { return .skip("no workload of the stack exists yet") }
      let problems = workloads.compactMap { workload in problem(workload).map { (workload, $0) } }
      guard let (first, _) = problems.first else { return .pass("\(workloads.count) workloads ready") }
      let namespace = snapshot.namespace
      return Verdict(
        status: .fail, message: problems.map { "\($0.0.kind)/\($0.0.name) \($0.1)" }.joined(separator: "; "),
        hint:
          "kubectl describe \(first.kind.lowercased()) \(first.name) -n \(namespace); kubectl get pods -n \(namespace)",
        objects: problems.map { $0.0.reference })
    },
    HealthCheck(
      id: "workloads.pods", category: "workloads", title: "no pod is crash-looping, pending or pulling",
      dependencies: ["kubernetes.namespace"]
    ) { snapshot in
      let pods = (snapshot.stack.value ?? []).filter { $0.kind == "Pod" }
      guard !pods.isEmpty else { return .skip("no pods in '\(snapshot.namespace)'") }
      let namespace = snapshot.namespace
      let diagnoses = pods.map(PodDiagnosis.init)
      func objects(_ list: [PodDiagnosis]) -> [String] { list.map { reference(namespace, "pod", $0.pod) } }
      let failing = diagnoses.filter { $0.severity == .failing }
      if let first = failing.first {
        return Verdict(
          status: .fail, message: failing.map(\.summary).joined(separator: "; "),
          hint: first.hint(namespace: namespace),
          objects: objects(failing), recoverable: failing.allSatisfy(\.recoverable))
      }
      let starting = diagnoses.filter { $0.severity == .starting }
      if !starting.isEmpty {
        return Verdict(
          status: .warn, message: "starting: " + starting.map(\.summary).joined(separator: "; "),
          hint: "mtobs health --wait 2m   # or look at: kubectl get events -n \(namespace)", objects: objects(starting))
      }
      let restarting = diagnoses.filter { $0.severity == .warning }
      if let first = restarting.first {
        // Restart counts never go down, so waiting cannot clear this warning.
        return Verdict(
          status: .warn, message: "restarting: " + restarting.map(\.summary).joined(separator: "; "),
          hint: first.hint(namespace: namespace), objects: objects(restarting), recoverable: false)
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

  /// What keeps a workload from being ready (`1/2 ready`, `rolling out: 1/2 updated`), or nil.
  static func problem(_ workload: KubeObject) -> String? {
    let status = workload.raw["status"]
    switch workload.kind {
    case "DaemonSet":
      let ready = status?["numberReady"]?.int ?? 0
      let wanted = status?["desiredNumberScheduled"]?.int ?? 0
      return ready >= wanted ? nil : "\(ready)/\(wanted) ready"
    default:
      let wanted = workload.raw[path: "spec", "replicas"]?.int ?? status?["replicas"]?.int ?? 1
      let ready = status?["readyReplicas"]?.int ?? 0
      if ready < wanted { return "\(ready)/\(wanted) ready" }
      // A Deployment whose pods are ready but still the old ones is mid-rollout.
      if workload.kind == "Deployment", let updated = status?["updatedReplicas"]?.int, updated < wanted {
        return "rolling out: \(updated)/\(wanted) updated"
      }
      return nil
    }
  }
}
