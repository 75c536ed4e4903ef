import Foundation

/// `dapr.sidecars`, `dapr.pod-config`, `dapr.restarts`, `dapr.sidecar-logs`: the app pods' side of
/// Dapr tracing — a sidecar injected, told which Configuration to use, started after that
/// Configuration last changed, and not logging exporter errors.
enum DaprPods {
  static let enabledAnnotation = "dapr.io/enabled"
  static let configAnnotation = "dapr.io/config"
  static let sidecarContainer = "daprd"
  /// Name parts of the control plane's workloads (`dapr-operator`, `dapr-placement-server`, …).
  static let controlPlaneComponents = ["dapr-operator", "dapr-sidecar-injector", "dapr-sentry", "dapr-placement"]

  static func isDaprEnabled(_ pod: KubeObject) -> Bool {
    pod.kind == "Pod" && pod.annotation(enabledAnnotation)?.lowercased() == "true"
  }

  static func hasSidecar(_ pod: KubeObject) -> Bool {
    let containers =
      (pod.raw[path: "spec", "containers"]?.array ?? []) + (pod.raw[path: "spec", "initContainers"]?.array ?? [])
    return containers.contains { $0["name"]?.string == sidecarContainer }
  }

  /// `namespace/name` as findings name pods.
  static func name(_ pod: KubeObject) -> String { "\(pod.namespace ?? "")/\(pod.name)" }

  /// When the pod's sidecar started (it reads the Configuration at start), else the pod.
  static func started(_ pod: KubeObject) -> String? {
    let statuses =
      (pod.raw[path: "status", "containerStatuses"]?.array ?? [])
      + (pod.raw[path: "status", "initContainerStatuses"]?.array ?? [])
    let sidecar = statuses.first { $0["name"]?.string == sidecarContainer }
    return sidecar?[path: "state", "running", "startedAt"]?.string ?? pod.raw[path: "status", "startTime"]?.string
      ?? pod.raw[path: "metadata", "creationTimestamp"]?.string
  }

  /// The workload to restart for a pod: its ReplicaSet's Deployment, or its direct owner.
  static func owner(_ pod: KubeObject) -> String? {
    guard let reference = pod.raw[path: "metadata", "ownerReferences"]?.array?.first,
      let kind = reference["kind"]?.string, let name = reference["name"]?.string
    else { return nil }
    if kind == "ReplicaSet", let cut = name.lastIndex(of: "-") { return "deployment/\(name[..<cut])" }
    return "\(kind.lowercased())/\(name)"
  }

  /// The `kubectl rollout restart` lines for `pods`, one per owner (pods without one are deleted).
  /// `kubectl` is the command with its context selection (`kubectl --context prod`) where the lines
  /// are meant to be pasted.
  static func restartCommands(_ pods: [KubeObject], kubectl: String = "kubectl") -> [String] {
    var seen = Set<String>()
    return pods.compactMap { pod in
      let namespace = pod.namespace ?? "default"
      let command =
        owner(pod).map { "\(kubectl) rollout restart \($0) -n \(namespace)" }
        ?? "\(kubectl) delete pod \(pod.name) -n \(namespace)"
      return seen.insert(command).inserted ? command : nil
    }
  }

  /// A `daprd` log line about spans that could not be exported (OpenTelemetry's exporters log
  /// `traces export: …`, `failed to send spans to zipkin server with status 404`, dial errors).
  static func isExporterError(_ line: String) -> Bool {
    let text = line.lowercased()
    let aboutTracing = ["export", "zipkin", "span", "otlp", "tracing", "trace"].contains { text.contains($0) }
    let failed = ["error", "fail", "refused", "no such host", "timeout", "deadline exceeded"].contains {
      text.contains($0)
    }
    return aboutTracing && failed
  }

  /// Lines quoted in a finding: few and short, so the report stays readable.
  static func quote(_ line: String) -> String {
    let shown = String(
      String.UnicodeScalarView(line.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
    return shown.count > 300 ? String(shown.prefix(300)) + "…" : shown
  }

  static func withPods(_ snapshot: Snapshot, _ judge: (DaprReads, [KubeObject]) -> Verdict) -> Verdict {
    guard let reads = snapshot.daprDebug else { return DaprDebugChecks.notRead }
    let pods = reads.existingAppNamespaces.flatMap { reads.pods(in: $0) }
    guard !pods.isEmpty else {
      if let unread = reads.unreadPods, !unread.isEmpty {
        return .skip(
          "skipped: the pods of \(unread.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")) could not be read (dapr.sidecars)"
        )
      }
      return .skip("no Dapr-enabled pod in the app namespaces")
    }
    return judge(reads, pods)
  }

  static let checks: [DaprCheck] = [
    DaprCheck(
      id: "dapr.sidecars", category: "pods", title: "Dapr-enabled pods have a daprd sidecar",
      dependencies: ["dapr.installed"]
    ) { snapshot in
      guard let reads = snapshot.daprDebug else { return DaprDebugChecks.notRead }
      if let error = reads.daprPods.error { return HealthChecks.failure(from: error, what: "cannot read the app pods") }
      let namespaces = reads.existingAppNamespaces
      guard !namespaces.isEmpty else { return .skip("skipped: no app namespace exists") }
      let pods = namespaces.flatMap { reads.pods(in: $0) }
      // Namespaces whose pods could not be listed are named; the others are judged all the same.
      let unread = (reads.unreadPods ?? [:]).sorted { $0.key < $1.key }.map {
        "cannot read the pods of '\($0.key)': \($0.value)"
      }
      let unreadHint = "kubectl auth can-i list pods -n \(reads.unreadPods?.keys.sorted().first ?? "NS")"
      guard !pods.isEmpty else {
        if !unread.isEmpty {
          return Verdict(status: .fail, message: unread.joined(separator: "; "), hint: unreadHint, recoverable: false)
        }
        return Verdict(
          status: .warn,
          message: "no pod in \(namespaces.joined(separator: ", ")) is annotated dapr.io/enabled: \"true\": "
            + "nothing there sends Dapr spans",
          hint: "kubectl get pods -n \(namespaces.first ?? "NS") -o yaml | grep dapr.io/   "
            + "# annotate the Deployment's pod template", recoverable: false)
      }
      let missing = pods.filter { !hasSidecar($0) }
      guard missing.isEmpty else {
        return Verdict(
          status: .fail,
          message: "no daprd container in \(missing.map(name).joined(separator: ", ")): the sidecar injector did not "
            + "run for \(missing.count == 1 ? "it" : "them") (created before Dapr, or the injector was down)"
            + unread.map { "; \($0)" }.joined(),
          hint: restartCommands(missing).joined(separator: "; "), objects: missing.map(\.reference),
          recoverable: false)
      }
      let withSidecar = "\(pods.count) pod\(pods.count == 1 ? "" : "s") with daprd"
      guard unread.isEmpty else {
        return Verdict(
          status: .fail, message: unread.joined(separator: "; ") + "; elsewhere \(withSidecar)", hint: unreadHint,
          objects: pods.map(\.reference), recoverable: false)
      }
      return .pass(withSidecar, objects: pods.map(\.reference))
    },
    DaprCheck(
      id: "dapr.pod-config", category: "pods",
      title: "each Dapr pod names a Configuration in its own namespace (dapr.io/config)",
      dependencies: ["dapr.installed"]
    ) { snapshot in
      withPods(snapshot) { reads, pods in
        var findings = DaprDebugChecks.Findings()
        for pod in pods {
          let namespace = pod.namespace ?? ""
          guard let configName = pod.annotation(configAnnotation), !configName.isEmpty else {
            findings.failures.append(
              "\(name(pod)) has no dapr.io/config annotation: its sidecar uses Dapr's default (no tracing)")
            findings.objects.append(pod.reference)
            continue
          }
          if reads.configurations(in: namespace).contains(where: { $0.name == configName }) {
            findings.passes.append("\(name(pod)) → \(configName)")
            continue
          }
          let elsewhere = (reads.configurations.value ?? []).filter { $0.name == configName }.compactMap(\.namespace)
          findings.failures.append(
            "\(name(pod)) names Configuration '\(configName)', which is not in '\(namespace)'"
              + (elsewhere.isEmpty
                ? "" : " (only in \(elsewhere.joined(separator: ", ")): it applies to pods of its own namespace only)"))
          findings.objects.append(pod.reference)
        }
        let configured = snapshot.expectations.daprConfiguration
        // Pods that name a Configuration missing from their namespace need it created, not an annotation.
        let unannotated = pods.contains { ($0.annotation(configAnnotation) ?? "").isEmpty }
        return findings.verdict(
          hint: unannotated
            ? "annotate the pod template: dapr.io/config: \"\(configured)\"; then \(DaprDebugChecks.fixHint)"
            : DaprDebugChecks.fixHint)
      }
    },
    DaprCheck(
      id: "dapr.restarts", category: "pods", title: "Dapr pods started after their Configuration last changed",
      dependencies: ["dapr.installed"]
    ) { snapshot in
      withPods(snapshot) { reads, pods in
        var stale: [KubeObject] = []
        var details: [String] = []
        for pod in pods {
          guard let configName = pod.annotation(configAnnotation), let namespace = pod.namespace,
            let changed = reads.configurationChanges["\(namespace)/\(configName)"], let started = started(pod)
          else { continue }
          // RFC 3339 in UTC as the API server writes it: text order is time order.
          if started < changed {
            stale.append(pod)
            details.append("\(name(pod)) (started \(started), \(configName) changed \(changed))")
          }
        }
        guard stale.isEmpty else {
          return Verdict(
            status: .warn,
            message: "started before their Configuration changed, so still on the old one: "
              + details.joined(separator: ", "),
            hint: restartCommands(stale).joined(separator: "; "), objects: stale.map(\.reference), recoverable: false)
        }
        return .pass("\(pods.count) pod\(pods.count == 1 ? "" : "s") started after the last change")
      }
    },
    DaprCheck(
      id: "dapr.sidecar-logs", category: "pods", title: "daprd sidecars log no exporter errors",
      dependencies: ["dapr.installed"]
    ) { snapshot in
      withPods(snapshot) { reads, _ in
        // Reads of every namespace (bundles) hold other namespaces' sidecars too.
        let judged = Set(reads.existingAppNamespaces)
        let tails = reads.sidecarLogs.filter { judged.contains(String($0.pod.prefix { $0 != "/" })) }
        let running = judged.sorted().flatMap { reads.pods(in: $0) }.filter {
          hasSidecar($0) && $0.raw[path: "status", "phase"]?.string == "Running"
        }
        // Sidecars whose log was not read: past the limit a run reads, or the log was refused.
        let unreadLogs = max(0, running.count - tails.count)
        let unreadNote =
          unreadLogs == 0
          ? ""
          : " (\(unreadLogs) running sidecar\(unreadLogs == 1 ? "'s" : "s'") log not read: mtobs reads at most "
            + "\(DaprCollector.sidecarLogLimit) a run, or it was refused)"
        guard !tails.isEmpty else {
          return .skip(
            running.isEmpty
              ? "no daprd log was read (no running sidecar)" : "skipped: no daprd log was read" + unreadNote)
        }
        let errors = tails.flatMap { tail in
          tail.lines.filter(isExporterError).map { (tail.pod, $0) }
        }
        let lines = tails.reduce(0) { $0 + $1.lines.count }
        guard let (pod, _) = errors.last else {
          return .pass("no exporter error in the last \(lines) lines of \(tails.count) sidecars" + unreadNote)
        }
        let pods = Set(errors.map(\.0)).sorted()
        // The pod is named before each line only when several pods logged errors.
        let quoted = errors.suffix(3).map { pods.count == 1 ? quote($0.1) : "\($0.0): \(quote($0.1))" }
        let parts = pod.split(separator: "/", maxSplits: 1).map(String.init)
        return Verdict(
          status: .warn,
          message:
            "\(errors.count) exporter error line\(errors.count == 1 ? "" : "s") in \(pods.joined(separator: ", "))"
            + ", latest: " + quoted.joined(separator: " | "),
          hint: "kubectl logs \(parts.last ?? pod) -c daprd -n \(parts.first ?? "NS") --tail 50",
          objects: pods.map { "\($0.split(separator: "/").first ?? "")/pod/\($0.split(separator: "/").last ?? "")" })
      }
    },
  ]
}
