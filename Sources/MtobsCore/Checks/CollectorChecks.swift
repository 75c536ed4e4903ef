import Foundation

/// `collector.*`: the OpenTelemetry Collector runs, answers its health check, and its own metrics
/// show data accepted and exported.
enum CollectorChecks {
  /// The collector's pods: named after its Service (the chart names the Deployment the same), or
  /// selected by the collector workload's selector (a `fullnameOverride` or a DaemonSet).
  static func pods(_ snapshot: Snapshot) -> [KubeObject] {
    let objects = snapshot.stack.value ?? []
    let service = snapshot.expectations.collectorService
    let discovered = Set(snapshot.roles[.collector]?.pods ?? [])
    let selectors = workloads(snapshot).compactMap {
      $0.raw[path: "spec", "selector", "matchLabels"]?.object?.compactMapValues(\.string)
    }.filter { !$0.isEmpty }
    return objects.filter { pod in
      pod.kind == "Pod"
        && (discovered.contains(pod.name) || isNamedCollectorPod(pod, service: service)
          || selectors.contains { $0.allSatisfy { label in pod.labels[label.key] == label.value } })
    }
  }

  /// A pod of the collector's Deployment as the chart names it (`<service>-<hash>-<id>`); the
  /// collector probes the first running one.
  static func isNamedCollectorPod(_ object: KubeObject, service: String) -> Bool {
    object.kind == "Pod" && object.name.hasPrefix(service + "-")
  }

  static func workloads(_ snapshot: Snapshot) -> [KubeObject] {
    let discovered = Set(snapshot.roles[.collector]?.workloads ?? [])
    return (snapshot.stack.value ?? []).filter {
      WorkloadChecks.workloadKinds.contains($0.kind)
        && ($0.name == snapshot.expectations.collectorService || discovered.contains("\($0.kind)/\($0.name)"))
    }
  }

  /// The parsed metrics, or the verdict to give when they could not be read.
  enum MetricsRead {
    case read(CollectorMetrics, Probe)
    case problem(Verdict)
  }

  static func metrics(_ snapshot: Snapshot) -> MetricsRead {
    guard let probe = snapshot.probe("collector.metrics") else {
      return .problem(.skip("the collector's metrics were not read (no running collector pod)"))
    }
    guard let body = probe.body, probe.error == nil, probe.statusCode.map({ $0 == 200 }) ?? true else {
      let error = probe.error ?? ReadError(reason: .failed, message: "HTTP \(probe.statusCode ?? 0)", hint: "")
      var verdict = HealthChecks.failure(from: error, what: "collector metrics on \(probe.target)\(probe.path)")
      verdict.hint =
        "\(HealthChecks.rawGet(probe, namespace: snapshot.namespace))   "
        + "# is the collector's telemetry on :\(snapshot.expectations.collectorMetricsPort)?"
      verdict.objects = [HealthChecks.reference(of: probe, namespace: snapshot.namespace)]
      verdict.durationMs = probe.durationMs
      return .problem(verdict)
    }
    let parsed = CollectorMetrics(parsing: body)
    guard parsed.isPrometheusText else { return .problem(notPrometheusText(parsed, body: body, probe, snapshot)) }
    return .read(parsed, probe)
  }

  /// The finding for a metrics answer with no sample in it: an empty body, an HTML page, another
  /// program on the port. Reading it as "nothing failed" would hide that the checks saw nothing.
  static func notPrometheusText(
    _ parsed: CollectorMetrics, body: String, _ probe: Probe, _ snapshot: Snapshot
  )
    -> Verdict
  {
    let what: String
    if body.allSatisfy(\.isWhitespace) {
      what = "an empty body"
    } else if let first = parsed.firstMalformedLine {
      // Control characters from an unknown program must not reach the operator's terminal.
      let shown = String(
        String.UnicodeScalarView(first.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
      let count = parsed.malformedLineCount
      what = "\(count) line\(count == 1 ? "" : "s") and no metric sample; it starts '\(shown)'"
    } else {
      what = "only comments, no metric sample"
    }
    return Verdict(
      status: .fail,
      message:
        "the metrics endpoint \(probe.target)\(probe.path) answered something that is not Prometheus text (\(what))",
      hint:
        "\(HealthChecks.rawGet(probe, namespace: snapshot.namespace))   "
        + "# is :\(snapshot.expectations.collectorMetricsPort) the collector's telemetry port (service.telemetry.metrics)?",
      objects: [HealthChecks.reference(of: probe, namespace: snapshot.namespace)], durationMs: probe.durationMs,
      recoverable: false)
  }

  /// Runs `judge` on the collector's parsed metrics and the probed pod, or returns why they are missing.
  static func withMetrics(_ snapshot: Snapshot, _ judge: (CollectorMetrics, [String]) -> Verdict) -> Verdict {
    switch metrics(snapshot) {
    case .problem(let verdict): return verdict
    case .read(let parsed, let probe):
      return judge(parsed, [HealthChecks.reference(of: probe, namespace: snapshot.namespace)])
    }
  }

  static let signals: [(name: String, unit: String)] = [
    ("spans", "spans"), ("metric_points", "metric points"), ("log_records", "log records"),
  ]

  /// Counters are doubles: whole numbers print as such, anything an `Int64` cannot hold (huge,
  /// infinite, NaN) prints as the double it is, never through a trapping conversion.
  static func count(_ value: Double) -> String {
    Int64(exactly: value.rounded(.towardZero)).map(String.init) ?? "\(value)"
  }

  static let all: [HealthCheck] = [
    HealthCheck(
      id: "collector.ready", category: "collector", title: "collector pods are ready",
      dependencies: ["kubernetes.namespace"]
    ) { snapshot in
      let pods = pods(snapshot)
      let namespace = snapshot.namespace
      let service = snapshot.expectations.collectorService
      guard !pods.isEmpty else {
        // A workload with no pod yet may still get one; no workload at all will not appear by waiting.
        let workload = workloads(snapshot).first
        return Verdict(
          status: .fail,
          message: workload.map { "\($0.kind)/\($0.name) has no pod" }
            ?? "no collector pod (\(service)-…) in '\(namespace)'",
          hint: workload.map { "kubectl describe \($0.kind.lowercased()) \($0.name) -n \(namespace)" }
            ?? "mtobs deploy",
          objects: workload.map { [$0.reference] } ?? [], recoverable: workload != nil)
      }
      let diagnoses = pods.map(PodDiagnosis.init)
      let broken = diagnoses.filter { !$0.ready }
      if broken.isEmpty {
        return .pass("\(pods.count)/\(pods.count) ready", objects: pods.map(\.reference))
      }
      return Verdict(
        status: .fail,
        message: "\(pods.count - broken.count)/\(pods.count) ready: " + broken.map(\.summary).joined(separator: "; "),
        hint: "mtobs logs collector -n \(namespace) --previous",
        objects: broken.map { HealthChecks.reference(namespace, "pod", $0.pod) },
        recoverable: broken.allSatisfy(\.recoverable))
    },
    HealthCheck(
      id: "collector.health", category: "collector", title: "collector health endpoint answers",
      dependencies: ["collector.ready"]
    ) { snapshot in
      guard let probe = snapshot.probe("collector.health") else {
        return .skip("no running collector pod was probed")
      }
      let object = HealthChecks.reference(of: probe, namespace: snapshot.namespace)
      let hint =
        "\(HealthChecks.rawGet(probe, namespace: snapshot.namespace))   "
        + "# the health_check extension listens on :\(snapshot.expectations.collectorHealthPort); "
        + "mtobs logs collector -n \(snapshot.namespace)"
      if let error = probe.error {
        var verdict = HealthChecks.failure(from: error, what: "health check \(probe.target)\(probe.path)")
        verdict.durationMs = probe.durationMs
        verdict.hint = hint
        verdict.objects = [object]
        return verdict
      }
      if let code = probe.statusCode, code != 200 {
        return Verdict(
          status: .fail, message: "health check \(probe.target)\(probe.path): HTTP \(code)", hint: hint,
          objects: [object], durationMs: probe.durationMs)
      }
      let status = probe.body.flatMap { try? JSONValue.decode(Array($0.utf8)) }?["status"]?.string ?? "ok"
      return .pass("\(probe.target) answers: \(status)", objects: [object], durationMs: probe.durationMs)
    },
    HealthCheck(
      id: "collector.receivers", category: "collector", title: "receivers accept data",
      dependencies: ["collector.health"]
    ) { snapshot in
      withMetrics(snapshot) { metrics, object in
        var refused: [String] = []
        var accepted: [String] = []
        var anyAcceptedNothing = false
        for signal in signals {
          let acceptedBy = metrics.sum("otelcol_receiver_accepted_\(signal.name)", by: "receiver")
          let refusedBy = metrics.sum("otelcol_receiver_refused_\(signal.name)", by: "receiver")
          for (receiver, count) in refusedBy where count > 0 {
            let took = acceptedBy[receiver] ?? 0
            if took == 0 { anyAcceptedNothing = true }
            refused.append("\(receiver) refused \(Self.count(count)) \(signal.unit) (accepted \(Self.count(took)))")
          }
          if metrics.contains("otelcol_receiver_accepted_\(signal.name)") {
            accepted.append("\(Self.count(acceptedBy.values.reduce(0, +))) \(signal.unit)")
          }
        }
        if !refused.isEmpty {
          // A receiver that refuses everything is broken; one that refuses some is pushed back on.
          // The counters only grow, so waiting cannot clear this.
          return Verdict(
            status: anyAcceptedNothing ? .fail : .warn, message: refused.sorted().joined(separator: "; "),
            hint:
              "mtobs logs collector -n \(snapshot.namespace) --grep '(?i)refused'"
              + "   # memory_limiter or a failing exporter pushes back",
            objects: object, recoverable: false)
        }
        if signals.allSatisfy({ metrics.total("otelcol_receiver_accepted_\($0.name)") == 0 }) {
          return Verdict(
            status: .warn, message: "no receiver has accepted anything yet",
            hint: "mtobs health --category dapr   # are apps and Dapr sending to the collector?", objects: object)
        }
        return .pass("accepted " + accepted.joined(separator: ", ") + "; nothing refused", objects: object)
      }
    },
    HealthCheck(
      id: "collector.exporters", category: "collector", title: "exporters send and queues have room",
      dependencies: ["collector.health"]
    ) { snapshot in
      withMetrics(snapshot) { metrics, object in
        var failures: [String] = []
        for signal in signals {
          let sent = metrics.sum("otelcol_exporter_sent_\(signal.name)", by: "exporter")
          for (exporter, count) in metrics.sum("otelcol_exporter_send_failed_\(signal.name)", by: "exporter")
          where count > 0 {
            failures.append(
              "\(exporter) failed to send \(Self.count(count)) \(signal.unit) (\(Self.count(sent[exporter] ?? 0)) sent)"
            )
          }
        }
        var full: [String] = []
        let sizes = metrics.sum("otelcol_exporter_queue_size", by: "exporter")
        let capacities = metrics.sum("otelcol_exporter_queue_capacity", by: "exporter")
        for (exporter, size) in sizes {
          if let capacity = capacities[exporter], capacity > 0, size >= capacity {
            full.append("\(exporter) queue full (\(Self.count(size))/\(Self.count(capacity)))")
          }
        }
        if !failures.isEmpty || !full.isEmpty {
          // Failed sends count data dropped after the exporter's retries, since the collector
          // started; the counter never goes down, so only a full queue (a gauge) can recover.
          let failed =
            failures.isEmpty ? [] : [failures.sorted().joined(separator: "; ") + " since the collector started"]
          return Verdict(
            status: .fail, message: (failed + full.sorted()).joined(separator: "; "),
            hint:
              "mtobs health --category backends; mtobs logs collector -n \(snapshot.namespace) --grep '(?i)export'",
            objects: object, recoverable: failures.isEmpty)
        }
        var exporters = Set(sizes.keys)
        for signal in signals {
          exporters.formUnion(metrics.sum("otelcol_exporter_sent_\(signal.name)", by: "exporter").keys)
        }
        exporters.remove("")
        let names = exporters.sorted()
        return .pass(
          names.isEmpty ? "no export failures" : "\(names.joined(separator: ", ")): no send failures", objects: object)
      }
    },
  ]
}
