import Foundation

/// The imperative shell of `mtobs debug-dapr`'s checks: collect, evaluate (pure), and with
/// `--wait` collect again until nothing fails, a problem that cannot recover shows up, or the one
/// deadline passes (as `HealthRunner` does for `health`).
public struct DaprRunner: Sendable {
  public let collector: DaprCollector
  public let clock: any RunClock

  public init(collector: DaprCollector, clock: any RunClock = SystemClock()) {
    self.collector = collector
    self.clock = clock
  }

  /// Evaluates a snapshot read earlier (a bundle), exactly as a live run would have.
  public static func report(
    for snapshot: Snapshot, options: HealthRunner.Options, startedAt: String, durationMs: Int
  ) -> Report {
    let assessments = DaprDebugChecks.suite.assess(snapshot, skip: options.skip, categories: options.categories)
    return report(for: snapshot, assessments: assessments, startedAt: startedAt, durationMs: durationMs)
  }

  static func report(for snapshot: Snapshot, assessments: [Assessment], startedAt: String, durationMs: Int) -> Report {
    DaprDebugChecks.suite.report(
      assessments: assessments, context: snapshot.context, namespace: snapshot.namespace, startedAt: startedAt,
      durationMs: durationMs)
  }

  /// `progress` receives one line per attempt while waiting (what is still wrong, time left).
  public func run(
    options: HealthRunner.Options, progress: @Sendable (String) -> Void = { _ in }
  ) async -> (Report, Snapshot) {
    await HealthRunner.waitLoop(
      suite: DaprDebugChecks.suite, options: options, clock: clock,
      collect: { [collector] in await collector.collect() }, progress: progress)
  }
}
