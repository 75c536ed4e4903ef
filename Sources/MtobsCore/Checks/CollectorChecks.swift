import Foundation

/// `collector.*`: the OpenTelemetry Collector runs, answers its health check, and its own metrics
/// show data accepted and exported.
enum CollectorChecks {
  static func pods(_ snapshot: Snapshot) -> [KubeObject] {
    (snapshot.stack.value ?? []).filter { $0.kind == "Pod" && $0.name.hasPrefix(snapshot.expectations.collectorService + "-") }
  }

  static func metrics(_ snapshot: Snapshot) -> (CollectorMetrics?, Verdict?) {
    guard let probe = snapshot.probe("collector.metrics") else {
      return (nil, .skip("the collector's metrics were not read (no running collector pod)"))
    }
    guard let body = probe.body, probe.error == nil else {
      var verdict = HealthChecks.failure(
        from: probe.error ?? ReadError(reason: .failed, message: "no answer", hint: ""),
        what: "collector metrics on \(probe.target)\(probe.path)")
      verdict.hint = "is the collector's telemetry on :\(snapshot.expectations.collectorMetricsPort)? mtobs logs collector"
      return (nil, verdict)
    }
    return (CollectorMetrics(parsing: body), nil)
  }

  static let signals: [(name: String, unit: String)] = [
    ("spans", "spans"), ("metric_points", "metric points"), ("log_records", "log records"),
  ]

  static let all: [HealthCheck] = [
    HealthCheck(
      id: "collector.ready", category: "collector", title: "collector pods are ready",
      dependencies: ["kubernetes.namespace"]
    ) { snapshot in
      let pods = pods(snapshot)
      let namespace = snapshot.namespace
      guard !pods.isEmpty else {
        return Verdict(
          status: .fail, message: "no collector pod (\(snapshot.expectations.collectorService)-…) in '\(namespace)'",
          hint: "mtobs deploy; or kubectl get deploy -n \(namespace)", recoverable: false)
      }
      let diagnoses = pods.map(PodDiagnosis.init)
      let ready = diagnoses.filter(\.ready)
      if ready.count == pods.count {
        return .pass("\(ready.count)/\(pods.count) ready", objects: pods.map(\.reference))
      }
      let broken = diagnoses.filter { !$0.ready }
      return Verdict(
        status: .fail, message: "\(ready.count)/\(pods.count) ready: " + broken.map(\.summary).joined(separator: "; "),
        hint: "mtobs logs collector --previous", objects: pods.filter { !PodDiagnosis($0).ready }.map(\.reference),
        recoverable: broken.allSatisfy(\.recoverable))
    },
    HealthCheck(
      id: "collector.health", category: "collector", title: "collector health endpoint answers",
      dependencies: ["collector.ready"]
    ) { snapshot in
      guard let probe = snapshot.probe("collector.health") else {
        return .skip("no running collector pod to probe")
      }
      if let error = probe.error {
        var verdict = HealthChecks.failure(from: error, what: "health check \(probe.target)\(probe.path)")
        verdict.durationMs = probe.durationMs
        verdict.hint = "mtobs logs collector; kubectl describe \(probe.target.split(separator: ":")[0]) -n \(snapshot.namespace)"
        return verdict
      }
      let status = probe.body.flatMap { try? JSONValue.decode(Array($0.utf8)) }?["status"]?.string ?? "ok"
      return .pass("\(probe.target) answers: \(status)", durationMs: probe.durationMs)
    },
    HealthCheck(
      id: "collector.receivers", category: "collector", title: "receivers accept data",
      dependencies: ["collector.health"]
    ) { snapshot in
      let (parsed, problem) = metrics(snapshot)
      if let problem { return problem }
      guard let metrics = parsed else { return .skip("no metrics") }
      var refused: [String] = []
      var accepted: [String] = []
      for signal in signals {
        for (receiver, count) in metrics.sum("otelcol_receiver_refused_\(signal.name)", by: "receiver") where count > 0 {
          refused.append("\(receiver) refused \(Int(count)) \(signal.unit)")
        }
        let total = metrics.total("otelcol_receiver_accepted_\(signal.name)")
        if metrics.contains("otelcol_receiver_accepted_\(signal.name)") { accepted.append("\(Int(total)) \(signal.unit)") }
      }
      if !refused.isEmpty {
        return Verdict(
          status: .warn, message: refused.sorted().joined(separator: "; "),
          hint: "the pipeline pushes back (memory_limiter or a failing exporter): mtobs logs collector")
      }
      if accepted.isEmpty {
        return Verdict(
          status: .warn, message: "no receiver has accepted anything yet",
          hint: "are apps and Dapr sending? mtobs debug-dapr; check the Dapr Configuration's endpoint")
      }
      return .pass("accepted " + accepted.joined(separator: ", ") + "; nothing refused")
    },
    HealthCheck(
      id: "collector.exporters", category: "collector", title: "exporters send and queues have room",
      dependencies: ["collector.health"]
    ) { snapshot in
      let (parsed, problem) = metrics(snapshot)
      if let problem { return problem }
      guard let metrics = parsed else { return .skip("no metrics") }
      var failures: [String] = []
      for signal in signals {
        for (exporter, count) in metrics.sum("otelcol_exporter_send_failed_\(signal.name)", by: "exporter") where count > 0 {
          failures.append("\(exporter) failed to send \(Int(count)) \(signal.unit)")
        }
      }
      let sizes = metrics.sum("otelcol_exporter_queue_size", by: "exporter")
      let capacities = metrics.sum("otelcol_exporter_queue_capacity", by: "exporter")
      for (exporter, size) in sizes {
        if let capacity = capacities[exporter], capacity > 0, size >= capacity {
          failures.append("\(exporter) queue full (\(Int(size))/\(Int(capacity)))")
        }
      }
      if !failures.isEmpty {
        return Verdict(
          status: .fail, message: failures.sorted().joined(separator: "; "),
          hint: "the next hop is failing: mtobs health --category backends; mtobs logs collector --grep export")
      }
      let exporters = Set(sizes.keys).union(metrics.sum("otelcol_exporter_sent_spans", by: "exporter").keys).sorted()
      return .pass(exporters.isEmpty ? "no export failures" : "\(exporters.joined(separator: ", ")): no send failures")
    },
  ]
}
