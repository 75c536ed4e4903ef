import Foundation

/// A check of `mtobs debug-dapr`: judged on a `Snapshot` that carries `daprDebug`.
public typealias DaprCheck = Check<Snapshot>

/// The checks of `mtobs debug-dapr`, the "Dapr sends no traces" runbook as a second suite of the
/// check engine (PRODUCT.md §4). Each per-namespace check judges every app namespace and reports
/// the worst, naming the namespace in each finding, so check ids stay stable.
///
///     kubernetes.api
///     dapr.installed            → kubernetes.api
///     dapr.control-plane        → dapr.installed
///     dapr.app-namespaces       → kubernetes.api
///     dapr.configuration        → dapr.installed
///     dapr.zipkin-endpoint, dapr.otel-endpoint, dapr.sampling, dapr.restarts → dapr.installed
///     dapr.sidecars             → dapr.installed
///     dapr.pod-config, dapr.sidecar-logs → dapr.installed
///     dapr.collector-receiver, dapr.collector-spans → kubernetes.api
///     dapr.probe-dns, dapr.probe-http, dapr.probe-accepted → kubernetes.api (skipped without
///     --probe; each judges the probes the one before let through)
///
/// The per-namespace checks judge the app namespaces that exist, and none depends on another
/// per-namespace check: one namespace without a Configuration (or missing) must not hide what is
/// wrong in the others. `dapr.configuration`, `dapr.zipkin-endpoint` and `dapr.sampling` mean what
/// they mean in `health` (which judges the configured app namespace only).
public enum DaprDebugChecks {
  public static let categories = ["kubernetes", "dapr", "configuration", "pods", "collector", "probe"]

  public static let all: [DaprCheck] =
    KubernetesChecks.all.filter { $0.id == "kubernetes.api" } + installation + configuration + pods + collector
    + DaprProbeChecks.checks

  public static let suite = CheckSuite(command: "debug-dapr", categories: categories, checks: all)

  static let fixHint = "mtobs debug-dapr --fix   # prints the corrected Configuration and the kubectl apply command"

  // MARK: - Findings over several namespaces

  /// What one check found across the app namespaces, turned into one verdict.
  struct Findings {
    var failures: [String] = []
    var warnings: [String] = []
    var passes: [String] = []
    var objects: [String] = []

    func verdict(hint: String?, recoverable: Bool = false) -> Verdict {
      if !failures.isEmpty {
        return Verdict(
          status: .fail, message: (failures + warnings).joined(separator: "; "), hint: hint, objects: objects,
          recoverable: recoverable)
      }
      if !warnings.isEmpty {
        return Verdict(
          status: .warn, message: warnings.joined(separator: "; "), hint: hint, objects: objects,
          recoverable: recoverable)
      }
      return .pass(passes.joined(separator: "; "), objects: objects)
    }
  }

  static func reads(_ snapshot: Snapshot) -> DaprReads? { snapshot.daprDebug }

  static let notRead = Verdict.skip("skipped: this input holds no debug-dapr reads (a bundle made before debug-dapr)")

  static func collector(_ snapshot: Snapshot) -> (service: String, namespace: String, url: String) {
    (snapshot.collectorService, snapshot.namespace, DaprChecks.expected(snapshot).url)
  }

  /// The Configurations that matter in `namespace`: the configured name and those its Dapr pods name.
  static func judged(_ reads: DaprReads, _ namespace: String, configured: String) -> [KubeObject] {
    let named = Set([configured]).union(
      reads.pods(in: namespace).compactMap { $0.annotation(DaprPods.configAnnotation) })
    return reads.configurations(in: namespace).filter { named.contains($0.name) }.sorted { $0.name < $1.name }
  }

  /// Runs `judge` on each judged Configuration of each app namespace.
  static func eachConfiguration(
    _ snapshot: Snapshot, _ judge: (KubeObject, String, inout Findings) -> Void
  ) -> Findings {
    var findings = Findings()
    guard let reads = reads(snapshot) else { return findings }
    for namespace in reads.existingAppNamespaces {
      for configuration in judged(reads, namespace, configured: snapshot.expectations.daprConfiguration) {
        findings.objects.append(configuration.reference)
        judge(configuration, namespace, &findings)
      }
    }
    return findings
  }

  // MARK: - Installation

  static let installation: [DaprCheck] = [
    DaprCheck(
      id: "dapr.installed", category: "dapr", title: "Dapr is installed (configurations.dapr.io is served)",
      dependencies: ["kubernetes.api"]
    ) { snapshot in
      guard let reads = reads(snapshot) else { return notRead }
      if let error = reads.configurations.error {
        if error.resourceTypeNotServed {
          return Verdict(
            status: .fail,
            message: "Dapr is not installed: the cluster serves no configurations.dapr.io (no dapr.io API group)",
            hint: "dapr init -k   # or: helm upgrade --install dapr dapr/dapr -n dapr-system --create-namespace",
            recoverable: false)
        }
        var verdict = HealthChecks.failure(from: error, what: "cannot read Dapr Configurations")
        if error.reason == .forbidden {
          verdict.hint = "kubectl auth can-i list configurations.dapr.io --all-namespaces"
          verdict.recoverable = false
        }
        return verdict
      }
      let count = reads.configurations.value?.count ?? 0
      return .pass("\(count) Configuration\(count == 1 ? "" : "s") in the cluster")
    },
    DaprCheck(
      id: "dapr.control-plane", category: "dapr",
      title: "Dapr's control plane (operator, sidecar injector, sentry, placement) is running",
      dependencies: ["dapr.installed"]
    ) { snapshot in
      guard let reads = reads(snapshot) else { return notRead }
      let namespace = DaprReads.controlPlaneNamespace
      if let error = reads.controlPlane.error {
        return HealthChecks.failure(from: error, what: "cannot read '\(namespace)'")
      }
      let workloads = (reads.controlPlane.value ?? []).filter { ["Deployment", "StatefulSet"].contains($0.kind) }
      var findings = Findings()
      for component in DaprPods.controlPlaneComponents {
        guard let workload = workloads.first(where: { $0.name.contains(component) }) else {
          findings.failures.append("no \(component) in '\(namespace)'")
          continue
        }
        findings.objects.append(workload.reference)
        let wanted = max(1, workload.raw[path: "spec", "replicas"]?.int ?? 1)
        let ready = workload.raw[path: "status", "readyReplicas"]?.int ?? 0
        if ready < wanted {
          findings.failures.append("\(workload.kind.lowercased())/\(workload.name) \(ready)/\(wanted) ready")
        } else {
          findings.passes.append(workload.name)
        }
      }
      if !findings.failures.isEmpty {
        var verdict = findings.verdict(hint: "kubectl get pods -n \(namespace)   # dapr status -k", recoverable: true)
        if workloads.isEmpty {
          verdict.message = "no Dapr control plane in '\(namespace)' (no operator, injector, sentry or placement)"
          verdict.hint = "dapr init -k   # or: helm upgrade --install dapr dapr/dapr -n \(namespace) --create-namespace"
          verdict.recoverable = false
        }
        return verdict
      }
      return .pass(findings.passes.joined(separator: ", ") + " ready", objects: findings.objects)
    },
    DaprCheck(
      id: "dapr.app-namespaces", category: "dapr", title: "the app namespaces exist",
      dependencies: ["kubernetes.api"]
    ) { snapshot in
      guard let reads = reads(snapshot) else { return notRead }
      if reads.appNamespaces.isEmpty {
        // With --all-namespaces the namespaces are found by listing every pod and Configuration: a
        // refused list says nothing about where Dapr runs.
        if let error = reads.daprPods.error ?? reads.configurations.error, error.reason != .notFound {
          var verdict = HealthChecks.failure(
            from: error, what: "cannot find the namespaces that use Dapr (--all-namespaces lists every namespace)")
          verdict.hint = "mtobs debug-dapr --app-namespace NS   # name the namespaces of your Dapr apps"
          verdict.recoverable = false
          return verdict
        }
        return Verdict(
          status: .warn, message: "no namespace holds a Dapr-enabled pod or a Configuration",
          hint: "mtobs debug-dapr --app-namespace NS   # the namespace of your Dapr apps", recoverable: false)
      }
      guard let existing = reads.namespaces.value else {
        // Listing namespaces may be refused; the per-namespace reads still say what is there.
        return .pass(reads.appNamespaces.joined(separator: ", ") + " (existence not checked: namespaces not readable)")
      }
      let missing = reads.appNamespaces.filter { !existing.contains($0) }
      guard missing.isEmpty else {
        return Verdict(
          status: .fail,
          message: "namespace\(missing.count == 1 ? "" : "s") \(missing.map { "'\($0)'" }.joined(separator: ", ")) "
            + "\(missing.count == 1 ? "does" : "do") not exist",
          hint: "kubectl get namespaces   # pass the app namespace with --app-namespace NS (or config app-namespace)",
          objects: missing.map { "namespace/\($0)" }, recoverable: false)
      }
      return .pass(reads.appNamespaces.joined(separator: ", "))
    },
  ]

  // MARK: - Configurations

  static let configuration: [DaprCheck] = [
    DaprCheck(
      id: "dapr.configuration", category: "configuration", title: "a Dapr Configuration exists in each app namespace",
      dependencies: ["dapr.installed"]
    ) { snapshot in
      guard let reads = reads(snapshot) else { return notRead }
      let configured = snapshot.expectations.daprConfiguration
      guard !reads.existingAppNamespaces.isEmpty else { return .skip("skipped: no app namespace exists") }
      var findings = Findings()
      for namespace in reads.existingAppNamespaces {
        let found = judged(reads, namespace, configured: configured)
        guard found.isEmpty else {
          findings.passes += found.map { "\(namespace)/\($0.name)" }
          findings.objects += found.map(\.reference)
          continue
        }
        let others = reads.configurations(in: namespace).map(\.name)
        let elsewhere = (reads.configurations.value ?? []).filter { $0.name == configured && $0.namespace != namespace }
          .compactMap(\.namespace)
        var message = "no Configuration '\(configured)' in '\(namespace)'"
        if !others.isEmpty { message += " (it has: \(others.joined(separator: ", ")))" }
        if !elsewhere.isEmpty {
          message +=
            "; it exists only in \(elsewhere.map { "'\($0)'" }.joined(separator: ", ")), and a Configuration "
            + "applies only to pods in its own namespace"
        }
        findings.failures.append(message)
        findings.objects.append("\(namespace)/configuration/\(configured)")
      }
      return findings.verdict(hint: fixHint)
    },
    DaprCheck(
      id: "dapr.zipkin-endpoint", category: "configuration",
      title: "the Zipkin endpoint names the collector's Service, port 9411 and /api/v2/spans",
      dependencies: ["dapr.installed"]
    ) { snapshot in
      guard reads(snapshot) != nil else { return notRead }
      let target = collector(snapshot)
      var unused = 0
      let findings = eachConfiguration(snapshot) { configuration, namespace, findings in
        let name = "\(namespace)/\(configuration.name)"
        guard let address = configuration.raw[path: "spec", "tracing", "zipkin", "endpointAddress"]?.string,
          !address.isEmpty
        else {
          if configuration.raw[path: "spec", "tracing", "otel"] != nil {
            unused += 1
          } else {
            findings.failures.append("\(name): no tracing exporter (zipkin.endpointAddress unset); set \(target.url)")
          }
          return
        }
        let judgement = DaprEndpoints.judge(
          address: address, namespace: namespace, port: snapshot.expectations.collectorZipkinPort,
          path: DaprEndpoints.zipkinPath, collector: target, reads: snapshot.daprDebug ?? emptyReads)
        if judgement.problems.isEmpty {
          findings.passes.append("\(name): \(address)")
          findings.warnings += judgement.notes.map { "\(name): \($0)" }
        } else {
          findings.failures.append(
            "\(name): " + judgement.problems.joined(separator: "; ") + "; expected \(target.url)")
        }
      }
      if findings.objects.isEmpty || (findings.failures.isEmpty && findings.passes.isEmpty && unused > 0) {
        return .skip(unused > 0 ? "no zipkin block: spans go over OTLP (dapr.otel-endpoint)" : "no Configuration")
      }
      return findings.verdict(hint: fixHint)
    },
    DaprCheck(
      id: "dapr.otel-endpoint", category: "configuration",
      title: "the OTLP endpoint (if any) names the collector's Service and port 4317/4318",
      dependencies: ["dapr.installed"]
    ) { snapshot in
      guard reads(snapshot) != nil else { return notRead }
      let target = collector(snapshot)
      var present = false
      let findings = eachConfiguration(snapshot) { configuration, namespace, findings in
        guard let otel = configuration.raw[path: "spec", "tracing", "otel"] else { return }
        present = true
        let name = "\(namespace)/\(configuration.name)"
        let proto = otel["protocol"]?.string ?? "grpc"
        let expected = DaprEndpoints.expectedOTLP(collector: (target.service, target.namespace), protocol: proto)
        guard let address = otel["endpointAddress"]?.string, !address.isEmpty else {
          findings.failures.append("\(name): otel.endpointAddress is not set; expected \(expected)")
          return
        }
        var problems: [String] = []
        if otel["isSecure"]?.bool == true || otel["isSecure"]?.string == "true" {
          problems.append("isSecure is true, but the collector's OTLP receivers are plain text")
        }
        // Dapr writes this one without a scheme (`host:4317`).
        let url = address.contains("://") ? address : "http://" + address
        let judgement = DaprEndpoints.judge(
          address: url, namespace: namespace, port: DaprEndpoints.otlpPort(proto), path: nil,
          collector: (target.service, target.namespace, expected), reads: snapshot.daprDebug ?? emptyReads)
        problems += judgement.problems
        if problems.isEmpty {
          findings.passes.append("\(name): \(address) (\(proto))")
        } else {
          findings.failures.append("\(name): " + problems.joined(separator: "; ") + "; expected \(expected)")
        }
      }
      guard present else { return .skip("no otel block in the Configurations (spans go to Zipkin)") }
      return findings.verdict(hint: fixHint)
    },
    DaprCheck(
      id: "dapr.sampling", category: "configuration", title: "Dapr samples traces (samplingRate in (0, 1])",
      dependencies: ["dapr.installed"]
    ) { snapshot in
      guard reads(snapshot) != nil else { return notRead }
      let findings = eachConfiguration(snapshot) { configuration, namespace, findings in
        let name = "\(namespace)/\(configuration.name)"
        switch DaprSampling.judge(configuration.raw[path: "spec", "tracing", "samplingRate"]) {
        case .pass(let text): findings.passes.append("\(name): samplingRate \(text)")
        case .warn(let text): findings.warnings.append("\(name): \(text)")
        case .fail(let text): findings.failures.append("\(name): \(text)")
        }
      }
      if findings.objects.isEmpty { return .skip("no Configuration") }
      return findings.verdict(hint: fixHint)
    },
  ]

  static let emptyReads = DaprReads(
    appNamespaces: [], allNamespaces: false, controlPlane: .success([]), configurations: .success([]),
    namespaces: .success([]), daprPods: .success([]), services: .success([]))

  // MARK: - Pods

  static let pods: [DaprCheck] = DaprPods.checks

  // MARK: - Collector

  static let collector: [DaprCheck] = [
    DaprCheck(
      id: "dapr.collector-receiver", category: "collector",
      title: "the collector's traces pipeline lists the zipkin receiver", dependencies: ["kubernetes.api"]
    ) { snapshot in
      CollectorWiringChecks.withConfig(snapshot, reportsProblem: true) { config in
        CollectorWiringChecks.zipkin(config, snapshot)
      }
    },
    DaprCheck(
      id: "dapr.collector-spans", category: "collector",
      title: "the collector accepts Zipkin spans and refuses none", dependencies: ["kubernetes.api"]
    ) { snapshot in
      CollectorChecks.withMetrics(snapshot) { metrics, objects in
        let isZipkin = { (receiver: String) in CollectorConfig.type(of: receiver) == "zipkin" }
        let accepted = metrics.sum("otelcol_receiver_accepted_spans", by: "receiver").filter { isZipkin($0.key) }
        let refused = metrics.sum("otelcol_receiver_refused_spans", by: "receiver").filter { isZipkin($0.key) }
        let hint = "mtobs debug-dapr --probe   # sends one span from the app namespace"
        guard !accepted.isEmpty || !refused.isEmpty else {
          return Verdict(
            status: .warn, message: "the collector's metrics have no counter for a zipkin receiver: it never saw one",
            hint: hint, objects: objects)
        }
        let took = accepted.values.reduce(0, +)
        let lost = refused.values.reduce(0, +)
        if lost > 0 {
          return Verdict(
            status: .warn,
            message: "zipkin refused \(CollectorChecks.count(lost)) spans (accepted \(CollectorChecks.count(took)))",
            hint: "mtobs logs collector -n \(snapshot.namespace) --grep '(?i)refused|zipkin'", objects: objects)
        }
        if took == 0 {
          return Verdict(
            status: .warn, message: "the zipkin receiver has accepted no span since the collector started",
            hint: hint, objects: objects)
        }
        return .pass("zipkin accepted \(CollectorChecks.count(took)) spans; none refused", objects: objects)
      }
    },
  ]
}

/// `samplingRate` as Dapr reads it: a string parsed as a float; unset or unparsable means 1 in 10,000.
enum DaprSampling {
  enum Judgement: Equatable {
    case pass(String), warn(String), fail(String)
  }

  static func judge(_ raw: JSONValue?) -> Judgement {
    guard let raw else {
      return .warn("samplingRate is not set: Dapr samples 1 trace in 10,000; set samplingRate: \"1\"")
    }
    guard let text = raw.string?.trimmingCharacters(in: .whitespaces) else {
      if case .number(let value) = raw {
        return .warn("samplingRate is the number \(value); the field is a string: write samplingRate: \"\(value)\"")
      }
      return .fail("samplingRate is not a string: Dapr samples 1 trace in 10,000; set samplingRate: \"1\"")
    }
    guard let rate = Double(text), rate.isFinite else {
      return .fail("samplingRate '\(text)' is not a number: Dapr samples 1 trace in 10,000; set samplingRate: \"1\"")
    }
    if rate <= 0 { return .fail("samplingRate is \"\(text)\": tracing is off; set samplingRate: \"1\"") }
    if rate > 1 { return .warn("samplingRate \"\(text)\" is above 1: Dapr samples every trace; write \"1\"") }
    return .pass(text)
  }
}

extension KubeObject {
  func annotation(_ key: String) -> String? { raw[path: "metadata", "annotations", key]?.string }
}
