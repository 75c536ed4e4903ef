import ArgumentParser
import Foundation
import MtobsCore
import Synchronization

struct VerifyCommand: MtobsCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check that data really flows: the seed's five \"Verify in Grafana\" steps as one report.",
    discussion: """
      `health` says the parts are up; `verify` asks the backends whether data
      arrives, all at once, each step with its own timeout:

        datasources  every data source Grafana has provisioned is healthy, in
                     Grafana's own words (asked with the admin credentials from its
                     Secret, through a short-lived port-forward)
        logs         Loki has lines for {namespace="APP-NAMESPACE"} within --since
        traces       Tempo has traces within --since (count, services)
        metrics      Mimir answers up{job="otel-collector"} (--metrics-query) with 1
        profiles     Pyroscope knows at least one service

      With --send, verify also WRITES telemetry: a span with a unique marker, sent
      twice to the collector (OTLP/HTTP on 4318 and Zipkin v2 on 9411
      /api/v2/spans, Dapr's path), a log record and a metric point (OTLP); then it
      asks Tempo (by trace id), Loki (by the marker) and Mimir (by the metric) every
      250 ms until each arrives or the deadline (--wait, else 60s), and reports
      each latency with that resolution ("after 1.2 s (not yet at 1.0 s)"). A
      signal that never arrives names the hop to look at: the collector (refused
      or unreachable), the backend (could not be asked), or the way between them.
      --dry-run prints the POSTs instead of sending them. --category roundtrip
      (with --send) runs only the round trip.

      --from evaluates a bundle's answers as they were read: --app-namespace,
      --since, --metrics-query, --wait and --send are refused with it.

      Exit status: 0 no check failed (warnings too with --fail-on warning), 1 a
      check failed, 2 mtobs could not run.

      Examples:
        mtobs verify
        mtobs verify --app-namespace shop --since 1h
        mtobs verify --send                  # a round trip, with latencies
        mtobs verify --send --dry-run        # what --send would post
        mtobs verify --wait 2m               # after a deploy: until data flows
        mtobs verify -o json | jq '.checks[] | select(.status=="fail")'
        mtobs verify --from bundle.json      # offline, from `mtobs bundle`
      """
  )

  @OptionGroup var global: GlobalOptions

  @OptionGroup var reporting: ReportOptions<VerifySuite>

  var output: ReportFormat { reporting.output }
  var skip: [String] { reporting.skip }
  var category: [String] { reporting.category }
  var from: String? { reporting.from }
  var failOn: ReportOptions<VerifySuite>.FailOn? { reporting.failOn }

  @Option(
    help: ArgumentHelp(
      "Namespace of the applications whose logs are looked for (default: config app-namespace).",
      valueName: "namespace"),
    completion: CompletionValues.namespaces)
  var appNamespace: String?

  // Optional, so --from can refuse them when given: a bundle holds the answers to its own queries.
  @Option(help: ArgumentHelp("How far back the queries look (e.g. 15m, 1h; default: 15m).", valueName: "duration"))
  var since: String?

  @Option(
    help: ArgumentHelp(
      "The PromQL query whose series must all be 1 (default: \(VerifyCollector.defaultMetricsQuery)).",
      valueName: "promql"))
  var metricsQuery: String?

  @Flag(help: "Also send a marked span, log record and metric and time their arrival (writes telemetry).")
  var send = false

  @Option(
    help: ArgumentHelp(
      "Keep checking until data flows or DURATION passes; with --send, how long to wait for the signals "
        + "(default with --send: 60s).",
      valueName: "duration"))
  var wait: String?

  func validate() throws {
    try DurationOption.validate(since, flag: "--since", examples: "30s, 15m or 1h")
    try DurationOption.validate(wait, flag: "--wait", examples: "30s, 15m or 1h")
    if from != nil {
      let live = [
        ("--wait", wait != nil), ("--send", send), ("--app-namespace", appNamespace != nil), ("--since", since != nil),
        ("--metrics-query", metricsQuery != nil),
      ].filter(\.1).map(\.0)
      if !live.isEmpty {
        throw ValidationError(
          "\(live.joined(separator: ", ")) cannot be used with --from: a bundle holds the answers to the "
            + "queries it asked (its namespace, window and metrics query) and does not change")
      }
    }
    if let metricsQuery, metricsQuery.trimmingCharacters(in: .whitespaces).isEmpty {
      throw ValidationError("--metrics-query needs a PromQL query")
    }
    // The round trip's checks judge what --send sent: without it they have nothing to judge.
    if from == nil, !send, category.contains("roundtrip") {
      throw ValidationError("--category roundtrip needs --send (the round trip sends telemetry, then looks for it)")
    }
  }

  var wantsJSON: Bool { output == .json }

  func options(run: Run) -> VerifyRunner.Options {
    let console = run.console
    var printer: (@Sendable (String) -> Void)?
    if global.dryRun {
      printer = { line in console.printError("would run: \(line)") }
    }
    return VerifyRunner.Options(
      skip: skip, categories: reporting.categories, wait: wait.flatMap(DurationText.parse),
      failOnWarning: failOn == .warning, send: send,
      dryRun: printer)
  }

  func execute(in run: Run) async throws {
    let report: Report
    if let from {
      let started = ContinuousClock.now
      let snapshot = try BundleFile.load(path: from)
      guard let verify = snapshot.verify else {
        throw CommandFailure(
          "'\(from)' holds no verify data (the bundle predates the verify command)",
          hint: "make a new bundle with `mtobs bundle`; `mtobs health --from \(from)` still reads this one")
      }
      report = VerifyRunner.report(
        for: verify, options: options(run: run), startedAt: verify.capturedAt,
        durationMs: DurationText.milliseconds(ContinuousClock.now - started))
    } else {
      let kube = try await run.kube().pinningCurrentContext()
      kube.connect()
      let collector = VerifyCollector(
        kube: kube, configuration: run.configuration, contract: HealthCollector.deployContract(run: run),
        options: .init(
          appNamespace: appNamespace ?? run.configuration.text(.appNamespace),
          since: since.flatMap(DurationText.parse) ?? .seconds(900),
          metricsQuery: metricsQuery ?? VerifyCollector.defaultMetricsQuery))
      let console = run.console
      let lineOpen = Mutex(false)
      (report, _) = try await VerifyRunner(collector: collector, clock: run.clock).run(options: options(run: run)) {
        line in
        let open = console.statusLine(line)
        lineOpen.withLock { $0 = open }
      }
      if lineOpen.withLock({ $0 }) { console.endStatusLine() }
      try Task.checkCancellation()
    }
    let console = run.console
    switch output {
    case .json: console.print(ReportRenderer.json(report))
    case .short: console.print(ReportRenderer.short(report))
    case .table: console.print(ReportRenderer.table(report, color: console.colorOnStandardOutput))
    }
    throw ExitCode(report.exitCode(failOnWarning: failOn == .warning))
  }
}
