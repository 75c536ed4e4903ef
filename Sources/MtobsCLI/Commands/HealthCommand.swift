import ArgumentParser
import Foundation
import MtobsCore
import Synchronization

struct HealthCommand: MtobsCommand {
  static let configuration = CommandConfiguration(
    commandName: "health",
    abstract: "Check the whole stack at once and say what is wrong and what to run next.",
    discussion: """
      Reads the cluster once (workloads, pods, services, events, the Dapr
      Configuration) and probes the in-cluster endpoints through the API server's
      proxy, all concurrently with a timeout each, then evaluates:

        kubernetes  API reachable, version, the namespace can be read
        workloads   every Deployment/StatefulSet/DaemonSet of the stack is ready;
                    no pod crash-looping, pending or failing to pull its image
        collector   health endpoint; receivers not refusing data; exporters not
                    failing and queues not full (from the collector's metrics)
        backends    Loki, Tempo, Mimir, Pyroscope /ready; Alloy /-/ready
        grafana     /api/health; data sources
        dapr        the Configuration points at the collector's Zipkin endpoint
                    (/api/v2/spans) and samples

      A check whose prerequisite failed is skipped with the reason. Exit status:
      0 no check failed (warnings too with --fail-on warning), 1 a check failed,
      2 mtobs could not run.

      Examples:
        mtobs health
        mtobs health --wait 2m               # after a deploy: wait for it to settle
        mtobs health -o json | jq '.checks[] | select(.status=="fail")'
        mtobs health --category collector --category dapr
        mtobs health --skip 'grafana.*' --fail-on warning
        mtobs health --from examples/bundles/broken.json   # offline, no cluster
      """
  )

  @OptionGroup var global: GlobalOptions

  @OptionGroup var reporting: ReportOptions<HealthSuite>

  var output: ReportFormat { reporting.output }
  var skip: [String] { reporting.skip }
  var category: [String] { reporting.category }
  var from: String? { reporting.from }
  var failOn: ReportOptions<HealthSuite>.FailOn? { reporting.failOn }

  @Option(
    help: ArgumentHelp("Keep checking until the stack is healthy or DURATION passes (e.g. 2m).", valueName: "duration"))
  var wait: String?

  func validate() throws {
    try DurationOption.validate(wait, flag: "--wait", examples: "30s, 2m or 1h")
    if from != nil, wait != nil { throw ValidationError("--wait cannot be used with --from: a bundle does not change") }
  }

  var options: HealthRunner.Options {
    HealthRunner.Options(
      skip: skip, categories: category.isEmpty ? nil : category, wait: wait.flatMap(DurationText.parse),
      failOnWarning: failOn == .warning)
  }

  var wantsJSON: Bool { output == .json }

  func execute(in run: Run) async throws {
    let report: Report
    if let from {
      let started = ContinuousClock.now
      let snapshot = try BundleFile.load(path: from)
      report = HealthRunner.report(
        for: snapshot, options: options, startedAt: snapshot.capturedAt,
        durationMs: DurationText.milliseconds(ContinuousClock.now - started))
    } else {
      let counting = CountingRunner(run.runner)
      let kube = try await run.kube(runner: counting).pinningCurrentContext()
      // kubectl proxy starts while the expectations are worked out.
      kube.connect()
      let collector = HealthCollector.live(run: run, kube: kube)
      let console = run.console
      let lineOpen = Mutex(false)
      (report, _) = await HealthRunner(collector: collector, clock: run.clock).run(options: options) { line in
        // On a terminal one line that updates in place; otherwise plain lines for logs.
        let open = console.statusLine(line)
        lineOpen.withLock { $0 = open }
      }
      // Keep the last progress line (why the wait ended) above the report.
      if lineOpen.withLock({ $0 }) { console.endStatusLine() }
      if global.verbose {
        // kubectl children (the proxy, and any fallback) and the HTTP requests made over the proxy.
        console.printError(
          "health: \(counting.count) kubectl \(counting.count == 1 ? "process" : "processes"), "
            + "\(run.transport.requestCount) API requests")
      }
      // Reads cut short by Ctrl-C look like an unreachable cluster: report the interrupt, not them.
      try Task.checkCancellation()
    }
    let console = run.console
    switch output {
    case .json: console.print(ReportRenderer.json(report))
    case .short: console.print(ReportRenderer.short(report))
    case .table: console.print(ReportRenderer.table(report, color: console.colorOnStandardOutput))
    }
    throw ExitCode(Self.exitStatus(for: report, failOnWarning: failOn == .warning).rawValue)
  }

  /// 1 when a check failed; but 2, as for every other command, when the cluster could not be
  /// reached or selected at all (unknown context, no kubeconfig, refused, timed out, rejected
  /// credentials): then no check of the stack ran and "failed" would be the wrong verdict.
  static func exitStatus(for report: Report, failOnWarning: Bool) -> ExitStatus {
    let apiCheck = report.checks.first { $0.id == "kubernetes.api" }
    if apiCheck?.status == .fail { return .couldNotRun }
    return report.exitCode(failOnWarning: failOnWarning) == 0 ? .success : .failed
  }
}

/// `-o` for reports (PRODUCT.md §4).
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json, short
}
