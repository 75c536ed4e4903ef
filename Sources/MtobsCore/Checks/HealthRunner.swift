import Foundation

/// The imperative shell of `mtobs health`: collect, evaluate (pure), and with `--wait` collect
/// again until the checks pass, a problem that cannot recover shows up, or the one deadline passes.
public struct HealthRunner: Sendable {
  public struct Options: Sendable {
    public var skip: [String]
    public var categories: [String]?
    /// One deadline for the whole run; nil evaluates once.
    public var wait: Duration?
    public var failOnWarning: Bool
    /// Time between attempts while waiting.
    public var retryInterval: Duration

    public init(
      skip: [String] = [], categories: [String]? = nil, wait: Duration? = nil, failOnWarning: Bool = false,
      retryInterval: Duration = .seconds(2)
    ) {
      self.skip = skip
      self.categories = categories
      self.wait = wait
      self.failOnWarning = failOnWarning
      self.retryInterval = retryInterval
    }
  }

  public let collector: HealthCollector
  public let clock: any RunClock

  public init(collector: HealthCollector, clock: any RunClock = SystemClock()) {
    self.collector = collector
    self.clock = clock
  }

  /// Evaluates a snapshot read earlier (a bundle), exactly as a live run would have.
  public static func report(for snapshot: Snapshot, options: Options, startedAt: String, durationMs: Int) -> Report {
    report(
      for: snapshot, assessments: HealthChecks.assess(snapshot, skip: options.skip, categories: options.categories),
      startedAt: startedAt, durationMs: durationMs)
  }

  static func report(for snapshot: Snapshot, assessments: [Assessment], startedAt: String, durationMs: Int) -> Report {
    HealthChecks.suite.report(
      assessments: assessments, context: snapshot.context, namespace: snapshot.namespace, startedAt: startedAt,
      durationMs: durationMs)
  }

  /// `progress` receives one line per attempt while waiting (what is still wrong, time left).
  public func run(options: Options, progress: @Sendable (String) -> Void = { _ in }) async -> (Report, Snapshot) {
    await Self.waitLoop(
      suite: HealthChecks.suite, options: options, clock: clock, collect: { [collector] in await collector.collect() },
      progress: progress)
  }

  /// The loop `health` and `debug-dapr` share: collect, assess (pure), and with `--wait` collect
  /// again until nothing fails, a problem that cannot recover shows up, or the one deadline passes.
  static func waitLoop(
    suite: CheckSuite<Snapshot>, options: Options, clock: any RunClock,
    collect: @Sendable () async -> Snapshot, progress: @Sendable (String) -> Void
  ) async -> (Report, Snapshot) {
    let started = clock.now()
    let startedAt = clock.timestamp()
    var attempt = 0
    while true {
      attempt += 1
      let snapshot = await collect()
      let elapsed = clock.now() - started
      let assessments = suite.assess(snapshot, skip: options.skip, categories: options.categories)
      let report = suite.report(
        assessments: assessments, context: snapshot.context, namespace: snapshot.namespace, startedAt: startedAt,
        durationMs: DurationText.milliseconds(elapsed))
      guard let wait = options.wait, !Task.isCancelled else { return (report, snapshot) }
      let problems = assessments.filter {
        $0.result.status == .fail || (options.failOnWarning && $0.result.status == .warn)
      }
      if problems.isEmpty { return (report, snapshot) }
      let lasting = problems.filter { !$0.recoverable }
      if !lasting.isEmpty {
        progress("not waiting: \(lasting.map(\.result.id).joined(separator: ", ")) will not recover by waiting")
        return (report, snapshot)
      }
      let remaining = wait - elapsed
      if remaining < options.retryInterval { return (report, snapshot) }
      progress(
        "waiting for \(problems.map(\.result.id).joined(separator: ", ")) "
          + "(attempt \(attempt), \(DurationText.format(.seconds(remaining.components.seconds))) left)")
      do { try await clock.sleep(for: options.retryInterval) } catch { return (report, snapshot) }
    }
  }
}
