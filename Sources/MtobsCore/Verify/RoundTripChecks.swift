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
    if let error = signal.sendError {
      let status = signal.sendStatus.map { "HTTP \($0): " } ?? ""
      return Verdict(
        status: .fail, message: "the collector did not accept it at \(signal.sentTo): \(status)\(error)",
        hint: "mtobs logs collector -n \(namespace)   # is the receiver enabled and in a pipeline? "
          + "mtobs health --category collector",
        recoverable: false)
    }
    if let after = signal.foundAfterMs {
      return .pass(
        "visible in \(backend) after \(VerifyChecks.seconds(after)) (\(signal.lookup))",
        durationMs: after)
    }
    let last = signal.lastAnswer.map { "; last answer: \($0)" } ?? ""
    return Verdict(
      status: .fail,
      message: "accepted by the collector but not in \(backend) after "
        + "\(VerifyChecks.seconds(trip.deadlineMs)) (\(signal.polls) polls for \(signal.lookup))\(last)",
      hint: onwardHint(id, namespace: namespace), recoverable: false)
  }
}
