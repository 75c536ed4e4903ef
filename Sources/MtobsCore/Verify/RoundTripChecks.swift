/// `verify.send.*`: one check per signal `--send` sent, judged from the `RoundTrip` record. A
/// signal that never arrived names the hop to look at: the collector refused it (the POST
/// failed), or it accepted it and the way on (exporter, Alloy, the backend's ingestion) lost it.
enum RoundTripChecks {
  static let signals: [(id: String, title: String, backend: String)] = [
    ("span-otlp", "A span sent as OTLP/HTTP reaches Tempo", "Tempo"),
    ("span-zipkin", "A span sent as Zipkin v2 (Dapr's path) reaches Tempo", "Tempo"),
    ("log", "A log record sent as OTLP reaches Loki", "Loki"),
    ("metric", "A metric point sent as OTLP reaches Mimir", "Mimir"),
  ]

  static let all: [VerifyChecks.VerifyCheck] = signals.map { signal in
    VerifyChecks.VerifyCheck(
      id: "verify.send.\(signal.id)", category: "roundtrip", title: signal.title, dependencies: []
    ) { snapshot in
      judge(snapshot, id: signal.id, backend: signal.backend)
    }
  }

  /// The hop after the collector for each signal, as mtobs commands.
  static func onwardHint(_ id: String, namespace: String) -> String {
    let backend =
      switch id {
      case "log": "loki"
      case "metric": "mimir"
      default: "tempo"
      }
    return "mtobs health --category collector   # exporters failing? then mtobs logs alloy-receiver -n \(namespace); "
      + "mtobs logs \(backend) -n \(namespace)   # ingesting?"
  }

  static func judge(_ snapshot: VerifySnapshot, id: String, backend: String) -> Verdict {
    guard let trip = snapshot.roundTrip, let signal = trip.signal(id) else { return .skip("not sent") }
    if trip.dryRun { return .skip("not sent (--dry-run): \(signal.sentTo)") }
    let namespace = snapshot.namespace
    if let unreached = signal.sendUnreached {
      return Verdict(
        status: .fail, message: "the collector could not be reached at \(signal.sentTo): \(unreached.message)",
        hint: unreached.hint.isEmpty ? "mtobs health --category collector" : unreached.hint, recoverable: false)
    }
    if let error = signal.sendError {
      let status = signal.sendStatus.map { "HTTP \($0): " } ?? ""
      return Verdict(
        status: .fail, message: "the collector did not accept it at \(signal.sentTo): \(status)\(error)",
        hint: "mtobs logs collector -n \(namespace)   # is the receiver enabled and in a pipeline? "
          + "mtobs health --category collector",
        recoverable: false)
    }
    if let after = signal.foundAfterMs {
      // The poll before the one that found it bounds the arrival from below.
      let notYet = signal.missedAtMs.map { "not yet at \(VerifyChecks.seconds($0)); " } ?? ""
      return .pass(
        "visible in \(backend) after \(VerifyChecks.seconds(after)) (\(notYet)\(signal.lookup))",
        durationMs: after)
    }
    if let unreached = signal.lookupUnreached {
      // A poll that reached the backend records when it missed; none did: it was never reachable.
      let reached = signal.missedAtMs == nil ? ", none reached it" : ", the last did not reach it"
      let stopped = BackendReach.isPermanent(unreached) ? "; stopped asking" : ""
      let polls =
        signal.polls == 0 ? "" : " (\(signal.polls) \(signal.polls == 1 ? "poll" : "polls")\(reached)\(stopped))"
      return Verdict(
        status: .fail,
        message: "accepted by the collector, but \(backend) could not be asked for \(signal.lookup)\(polls): "
          + unreached.message,
        hint: unreached.hint.isEmpty ? "mtobs health   # is \(backend) running, with its Service?" : unreached.hint,
        recoverable: false)
    }
    let last = signal.lastAnswer.map { "; last answer: \($0)" } ?? ""
    let exporters = exporterFinding(trip.exporters, id: id, backend: backend, namespace: namespace)
    return Verdict(
      status: .fail,
      message: "accepted by the collector but not in \(backend) after "
        + "\(VerifyChecks.seconds(trip.deadlineMs)) (\(signal.polls) polls for \(signal.lookup))\(last)"
        + (exporters.map { "; \($0.note)" } ?? ""),
      hint: exporters?.hint ?? onwardHint(id, namespace: namespace), recoverable: false)
  }

  /// The kind of data a signal is, as the collector's exporter counters name it.
  static func kind(_ id: String) -> (metric: String, words: String) {
    switch id {
    case "log": ("log_records", "log records")
    case "metric": ("metric_points", "metric points")
    default: ("spans", "spans")
    }
  }

  /// Which hop lost a signal the collector accepted, from the collector's own exporter counters
  /// (what `health` reads): its exporters failed to send that kind of data, or they sent it on and
  /// the loss is further down. Nil when the counters could not be read.
  static func exporterFinding(
    _ counts: RoundTrip.ExporterCounts?, id: String, backend: String, namespace: String
  ) -> (note: String, hint: String)? {
    guard let counts, counts.error == nil else { return nil }
    let kind = kind(id)
    let failed = (counts.failed[kind.metric] ?? [:]).filter { $0.value > 0 }.sorted { $0.key < $1.key }
    if !failed.isEmpty {
      let list = failed.map { "\($0.key.isEmpty ? "(unnamed)" : $0.key): \(CollectorChecks.count($0.value))" }
      return (
        "the collector's exporters failed to send \(kind.words) (otelcol_exporter_send_failed_\(kind.metric) "
          + "\(list.joined(separator: ", ")) on \(counts.source))",
        "mtobs logs collector -n \(namespace)   # the exporter's errors name the address it cannot reach"
      )
    }
    let sent = (counts.sent[kind.metric] ?? [:]).values.reduce(0, +)
    guard sent > 0 else {
      return (
        "the collector's exporters sent no \(kind.words) at all (\(counts.source)): is a \(kind.words) pipeline "
          + "with an exporter configured?",
        "mtobs health --category collector   # the pipelines and exporters the collector runs"
      )
    }
    let backendName = backend.lowercased()
    return (
      "the collector's exporters report no failures (\(CollectorChecks.count(sent)) \(kind.words) sent on): "
        + "the hop after the collector lost it",
      "mtobs logs alloy-receiver -n \(namespace); mtobs logs \(backendName) -n \(namespace)   # ingesting?"
    )
  }
}
