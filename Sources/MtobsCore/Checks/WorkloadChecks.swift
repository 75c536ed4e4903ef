/// `workloads.*`: every role of the stack is found (and every workload the deploy contract names
/// for the roles it laid out exists), workloads are ready, no pod is stuck.
enum WorkloadChecks {
  static let workloadKinds: Set<String> = ["Deployment", "StatefulSet", "DaemonSet"]

  static let all: [HealthCheck] = [
    HealthCheck(
      id: "workloads.present", category: "workloads", title: "every part of the stack exists",
      // Not on kubernetes.namespace: when nothing is deployed that check fails, and this one must
      // still fail too, naming what is missing, rather than skip.
      dependencies: ["kubernetes.api"]
    ) { snapshot in
      if let unreadable = HealthChecks.unreadableStack(snapshot) { return unreadable }
      let roles = snapshot.roles
      let namespace = snapshot.namespace
      let hints = DiscoveryHints(expectations: snapshot.expectations)
      let missingRoles = ComponentRole.allCases.filter { !$0.isOptional && !(roles[$0]?.isFound ?? false) }
      let existing = Set((snapshot.stack.value ?? []).map { "\($0.kind)/\($0.name)" })
      let expected = contractWorkloads(snapshot, roles: roles)
      let missing = expected.filter { !existing.contains($0) }
      var problems: [String] = []
      if missingRoles.count == 1, let role = missingRoles.first {
        problems.append("no \(role.title) found in '\(namespace)': \(StackDiscovery.lookedFor(role, hints: hints))")
      } else if !missingRoles.isEmpty {
        problems.append(
          "\(missingRoles.count) parts of the stack not found in '\(namespace)': "
            + missingRoles.map(\.title).joined(separator: ", ") + "; "
            + StackDiscovery.lookedFor(missingRoles, hints: hints))
      }
      if !missing.isEmpty {
        problems.append("\(missing.count) of \(expected.count) missing: \(missing.joined(separator: ", "))")
      }
      guard !problems.isEmpty else {
        let found = ComponentRole.allCases.filter { roles[$0]?.isFound ?? false }
        let count = found.reduce(0) { $0 + (roles[$1]?.workloads.count ?? 0) }
        return .pass(
          "found \(found.map(\.title).joined(separator: ", ")) (\(count) workload\(count == 1 ? "" : "s"))")
      }
      let hint =
        missingRoles.isEmpty
        ? "mtobs deploy   # or see what is installed: helm list -n \(namespace)"
        : "mtobs deploy   # or, if it runs under another name, pin it in mtobs.yaml: "
          + missingRoles.map(\.serviceKey.name).joined(separator: ", ")
      return Verdict(
        status: .fail, message: problems.joined(separator: "; "), hint: hint,
        objects: missing.map { reference(namespace, $0) }, recoverable: false)
    },
    HealthCheck(
      id: "workloads.ready", category: "workloads", title: "workloads are ready", dependencies: ["kubernetes.namespace"]
    ) { snapshot in
      let roles = snapshot.roles
      let judged = Set(roles.roles.flatMap(\.workloads) + contractWorkloads(snapshot, roles: roles))
      let workloads = (snapshot.stack.value ?? []).filter {
        workloadKinds.contains($0.kind) && judged.contains("\($0.kind)/\($0.name)")
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

  /// The deploy contract's workloads (`deploy/services.yaml`) of every role laid out as the deploy
  /// assets lay it out, i.e. one of whose contract workloads exists: a release half there is
  /// broken, but a role run by another chart is not judged by our names.
  static func contractWorkloads(_ snapshot: Snapshot, roles: StackDiscovery) -> [String] {
    let contract = snapshot.expectations.workloads
    let applicable = ComponentRole.allCases.filter { role in
      let found = Set(roles[role]?.workloads ?? [])
      return contract.contains { found.contains($0) && roleOfContractWorkload($0) == role }
    }
    return contract.filter { workload in roleOfContractWorkload(workload).map(applicable.contains) ?? false }
  }

  static func roleOfContractWorkload(_ kindAndName: String) -> ComponentRole? {
    RoleClassifier.role(ofName: String(kindAndName.split(separator: "/", maxSplits: 1).last ?? ""))
  }

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
