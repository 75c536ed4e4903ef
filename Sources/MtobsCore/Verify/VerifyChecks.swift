import Foundation

/// The checks of `mtobs verify` (ids `verify.*`), pure over a `VerifySnapshot`: the seed's five
/// "Verify in Grafana" steps, and with `--send` one check per signal of the round trip.
public enum VerifyChecks {
  public typealias VerifyCheck = Check<VerifySnapshot>

  public static let categories = ["datasources", "logs", "traces", "metrics", "profiles", "roundtrip"]

  /// The five steps, and the round trip's checks when `send`.
  public static func suite(send: Bool) -> CheckSuite<VerifySnapshot> {
    CheckSuite(command: "verify", categories: categories, checks: steps + (send ? RoundTripChecks.all : []))
  }

  static let steps: [VerifyCheck] = [
    VerifyCheck(
      id: "verify.datasources", category: "datasources", title: "Grafana's data sources are healthy",
      dependencies: [], judge: datasources),
    VerifyCheck(
      id: "verify.logs", category: "logs", title: "Loki has the app namespace's logs", dependencies: [], judge: logs),
    VerifyCheck(
      id: "verify.traces", category: "traces", title: "Tempo has recent traces", dependencies: [], judge: traces),
    VerifyCheck(
      id: "verify.metrics", category: "metrics", title: "Mimir answers the collector's up metric", dependencies: [],
      judge: metrics),
    VerifyCheck(
      id: "verify.profiles", category: "profiles", title: "Pyroscope knows at least one service",
      dependencies: [], judge: profiles),
  ]

  public static func assess(
    _ snapshot: VerifySnapshot, skip: [String] = [], categories: [String]? = nil
  )
    -> [Assessment]
  {
    suite(send: snapshot.roundTrip != nil).assess(snapshot, skip: skip, categories: categories)
  }

  static func reference(_ snapshot: VerifySnapshot, _ probe: Probe) -> [String] {
    guard !probe.target.isEmpty, probe.target.hasPrefix("service/") else { return [] }
    return [HealthChecks.reference(of: probe, namespace: snapshot.namespace)]
  }

  /// A probe that got no usable answer, as a verdict (nil when it got one).
  static func problem(_ probe: Probe?, _ snapshot: VerifySnapshot, component: String, what: String) -> Verdict? {
    guard let probe else { return Verdict(status: .skip, message: "\(what) was not asked", hint: nil) }
    if let error = probe.error {
      let hint = error.hint.isEmpty ? "mtobs health" : error.hint
      return Verdict(
        status: .fail, message: "\(what): \(error.message)", hint: hint, objects: reference(snapshot, probe),
        durationMs: probe.durationMs, recoverable: error.reason != .notFound && error.reason != .forbidden)
    }
    guard let status = probe.statusCode, (200..<300).contains(status) else {
      return Verdict(
        status: .fail,
        message: "\(what): \(probe.target)\(pathWithoutQuery(probe.path)) answered HTTP \(probe.statusCode ?? 0): "
          + BackendChecks.firstLine(probe.body),
        hint: "mtobs logs \(component) -n \(snapshot.namespace)", objects: reference(snapshot, probe),
        durationMs: probe.durationMs)
    }
    return nil
  }

  static func pathWithoutQuery(_ path: String) -> String {
    path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
  }

  static func json(_ probe: Probe) -> JSONValue? { probe.body.flatMap { try? JSONValue.decode(Array($0.utf8)) } }

  // MARK: The five steps

  static let grafanaHint = "mtobs grafana   # then Connections → Data sources, and press Test on each"

  static func datasources(_ snapshot: VerifySnapshot) -> Verdict {
    if let credentials = snapshot.probe("grafana.credentials"), let error = credentials.error {
      return .skip(
        "not checked: Grafana's admin credentials could not be read: \(error.message)",
        hint: error.hint.isEmpty ? grafanaHint : error.hint)
    }
    guard let probe = snapshot.probe("grafana.datasources") else { return .skip("Grafana was not asked") }
    if let error = probe.error {
      return Verdict(
        status: .fail, message: "cannot ask Grafana for its data sources: \(error.message)",
        hint: error.hint.isEmpty ? grafanaHint : error.hint, objects: reference(snapshot, probe),
        durationMs: probe.durationMs, recoverable: error.reason != .notFound)
    }
    guard let list = json(probe)?.array else {
      return .skip("Grafana's data source answer is not a JSON list: \(BackendChecks.firstLine(probe.body))")
    }
    guard !list.isEmpty else {
      return Verdict(
        status: .fail, message: "Grafana has no data sources", hint: "mtobs deploy   # provisions Loki, Tempo, Mimir",
        objects: reference(snapshot, probe), durationMs: probe.durationMs, recoverable: false)
    }
    let names = list.map { $0["name"]?.string ?? $0["uid"]?.string ?? "?" }
    let broken = list.filter { ($0["status"]?.string).map { $0.uppercased() != "OK" } ?? false }.map(
      BackendChecks.brokenDataSource)
    if !broken.isEmpty {
      return Verdict(
        status: .fail, message: broken.joined(separator: "; "), hint: grafanaHint, objects: reference(snapshot, probe),
        durationMs: probe.durationMs)
    }
    let untested = list.filter { $0["status"] == nil }.map { $0["name"]?.string ?? "?" }
    let note = untested.isEmpty ? "" : " (no health check: \(untested.joined(separator: ", ")))"
    return .pass(
      "\(names.count) healthy: \(names.joined(separator: ", "))\(note)", objects: reference(snapshot, probe),
      durationMs: probe.durationMs)
  }

  /// `2.4 s`: a latency or an age with the poll interval's resolution.
  static func seconds<Number: BinaryInteger>(_ milliseconds: Number) -> String {
    let tenths = (Int64(milliseconds) + 50) / 100
    return "\(tenths / 10).\(tenths % 10) s"
  }

  static func window(_ snapshot: VerifySnapshot) -> String {
    "the last \(DurationText.format(.seconds(snapshot.sinceSeconds)))"
  }

  static func logs(_ snapshot: VerifySnapshot) -> Verdict {
    let probe = snapshot.probe("loki.logs")
    if let problem = problem(probe, snapshot, component: "loki", what: "Loki") { return problem }
    guard let probe, let result = json(probe)?[path: "data", "result"]?.array else {
      return Verdict(
        status: .fail, message: "Loki's answer is not a query result: \(BackendChecks.firstLine(probe?.body))",
        hint: "mtobs logs loki -n \(snapshot.namespace)")
    }
    let stamps = result.flatMap { stream in
      (stream["values"]?.array ?? []).compactMap { $0.array?.first?.string.flatMap { Int64($0) } }
    }
    let selector = "{namespace=\"\(snapshot.appNamespace)\"}"
    guard let newest = stamps.max() else {
      return Verdict(
        status: .fail,
        message: "no log lines for \(selector) in \(window(snapshot)): nothing from namespace "
          + "'\(snapshot.appNamespace)' reaches Loki",
        hint: "mtobs logs alloy-logs -n \(snapshot.namespace)   # the Alloy logs collector ships the pods' logs "
          + "of '\(snapshot.appNamespace)' to Loki; is anything running there?",
        objects: reference(snapshot, probe), durationMs: probe.durationMs)
    }
    let count = stamps.count >= VerifyCollector.logLimit ? "at least \(stamps.count)" : "\(stamps.count)"
    let age = max(0, snapshot.capturedAtUnixMs - newest / 1_000_000)
    return .pass(
      "\(count) \(stamps.count == 1 ? "line" : "lines") for \(selector) in \(window(snapshot)); newest \(seconds(age)) old",
      objects: reference(snapshot, probe), durationMs: probe.durationMs)
  }

  static func traces(_ snapshot: VerifySnapshot) -> Verdict {
    let probe = snapshot.probe("tempo.search")
    if let problem = problem(probe, snapshot, component: "tempo", what: "Tempo") { return problem }
    guard let probe, let traces = json(probe)?["traces"]?.array else {
      return Verdict(
        status: .fail, message: "Tempo's answer is not a search result: \(BackendChecks.firstLine(probe?.body))",
        hint: "mtobs logs tempo -n \(snapshot.namespace)")
    }
    guard !traces.isEmpty else {
      return Verdict(
        status: .fail, message: "Tempo has no traces in \(window(snapshot))",
        hint: "mtobs health --category collector --category dapr   # do spans reach the collector, and leave it?",
        objects: reference(snapshot, probe), durationMs: probe.durationMs)
    }
    let services = Array(Set(traces.compactMap { $0["rootServiceName"]?.string })).sorted()
    let count = traces.count >= VerifyCollector.traceLimit ? "at least \(traces.count)" : "\(traces.count)"
    return .pass(
      "\(count) traces in \(window(snapshot)); services: \(services.isEmpty ? "(none named)" : services.joined(separator: ", "))",
      objects: reference(snapshot, probe), durationMs: probe.durationMs)
  }

  static func metrics(_ snapshot: VerifySnapshot) -> Verdict {
    let probe = snapshot.probe("mimir.query")
    if let problem = problem(probe, snapshot, component: "mimir", what: "Mimir") { return problem }
    guard let probe, let result = json(probe)?[path: "data", "result"]?.array else {
      return Verdict(
        status: .fail, message: "Mimir's answer is not a query result: \(BackendChecks.firstLine(probe?.body))",
        hint: "mtobs logs mimir -n \(snapshot.namespace)")
    }
    let query = snapshot.metricsQuery
    guard !result.isEmpty else {
      return Verdict(
        status: .fail, message: "Mimir has no series for \(query)",
        hint: "mtobs logs alloy-metrics -n \(snapshot.namespace)   # who scrapes the collector and writes to Mimir?",
        objects: reference(snapshot, probe), durationMs: probe.durationMs)
    }
    let values = result.map { series in
      (
        series["metric"]?["instance"]?.string ?? series["metric"]?["pod"]?.string ?? "?",
        series["value"]?.array?.last?.string ?? "?"
      )
    }
    let down = values.filter { Double($0.1) != 1 }
    guard down.isEmpty else {
      return Verdict(
        status: .fail,
        message: "\(down.count) of \(values.count) series of \(query) are not 1: "
          + down.map { "\($0.0)=\($0.1)" }.joined(separator: ", "),
        hint: "mtobs health --category collector   # a target that is down is not scraped",
        objects: reference(snapshot, probe), durationMs: probe.durationMs)
    }
    return .pass(
      "\(query) = 1 (\(values.count) series)", objects: reference(snapshot, probe),
      durationMs: probe.durationMs)
  }

  static func profiles(_ snapshot: VerifySnapshot) -> Verdict {
    let probe = snapshot.probe("pyroscope.services")
    if let problem = problem(probe, snapshot, component: "pyroscope", what: "Pyroscope") { return problem }
    // Connect's JSON leaves an empty list out: `{}` is "no names".
    let answer = probe.flatMap(json)
    guard let probe, let answer, answer.object != nil else {
      return Verdict(
        status: .fail, message: "Pyroscope's answer is not a list of names: \(BackendChecks.firstLine(probe?.body))",
        hint: "mtobs logs pyroscope -n \(snapshot.namespace)")
    }
    let names = answer["names"]?.array?.compactMap(\.string) ?? []
    guard !names.isEmpty else {
      return Verdict(
        status: .fail, message: "Pyroscope knows no service in \(window(snapshot))",
        hint: "mtobs logs pyroscope -n \(snapshot.namespace)   # are the apps' profilers pointed at Pyroscope?",
        objects: reference(snapshot, probe), durationMs: probe.durationMs)
    }
    let sorted = names.sorted()
    return .pass(
      "\(sorted.count) \(sorted.count == 1 ? "service" : "services"): \(sorted.joined(separator: ", "))",
      objects: reference(snapshot, probe), durationMs: probe.durationMs)
  }
}
