import Foundation

/// The imperative shell of `mtobs verify`: find the stack's roles, run the five steps (and with
/// `--send` the round trip, side by side), evaluate (pure); with `--wait` run the steps again
/// until they pass or the one deadline passes.
public struct VerifyRunner: Sendable {
  public struct Options: Sendable {
    public var skip: [String]
    public var categories: [String]?
    /// `--wait`: the run's deadline, and the steps are retried until then; nil: one pass.
    public var wait: Duration?
    public var failOnWarning: Bool
    public var retryInterval: Duration
    /// `--send`; with `dryRun` the POSTs are printed there instead of sent.
    public var send: Bool
    public var dryRun: (@Sendable (String) -> Void)?
    public var pollInterval: Duration

    public init(
      skip: [String] = [], categories: [String]? = nil, wait: Duration? = nil, failOnWarning: Bool = false,
      retryInterval: Duration = .seconds(1), send: Bool = false, dryRun: (@Sendable (String) -> Void)? = nil,
      pollInterval: Duration = .milliseconds(250)
    ) {
      self.skip = skip
      self.categories = categories
      self.wait = wait
      self.failOnWarning = failOnWarning
      self.retryInterval = retryInterval
      self.send = send
      self.dryRun = dryRun
      self.pollInterval = pollInterval
    }
  }

  /// How long `--send` waits for its signals without `--wait`.
  public static let defaultSendDeadline: Duration = .seconds(60)

  public let collector: VerifyCollector
  public let clock: any RunClock

  public init(collector: VerifyCollector, clock: any RunClock = SystemClock()) {
    self.collector = collector
    self.clock = clock
  }

  /// The run's one deadline: `--wait`, else time for each step's own timeout (and, with
  /// `--send`, for the signals to arrive).
  func runDeadline(_ options: Options, from start: ContinuousClock.Instant) -> ContinuousClock.Instant {
    if let wait = options.wait { return start + wait }
    if options.send && options.dryRun == nil { return start + Self.defaultSendDeadline }
    return start + collector.kube.timeout + .seconds(5)
  }

  /// Evaluates a snapshot read earlier (a bundle), exactly as a live run would have.
  public static func report(
    for snapshot: VerifySnapshot, options: Options, startedAt: String, durationMs: Int
  )
    -> Report
  {
    report(
      for: snapshot, assessments: VerifyChecks.assess(snapshot, skip: options.skip, categories: options.categories),
      startedAt: startedAt, durationMs: durationMs)
  }

  static func report(
    for snapshot: VerifySnapshot, assessments: [Assessment], startedAt: String, durationMs: Int
  )
    -> Report
  {
    VerifyChecks.suite(send: snapshot.roundTrip != nil).report(
      assessments: assessments, context: snapshot.context, namespace: snapshot.namespace, startedAt: startedAt,
      durationMs: durationMs)
  }

  /// Throws the `KubeError` of a stack that could not be read at all (exit 2).
  public func run(
    options: Options, progress: @Sendable (String) -> Void = { _ in }
  ) async throws -> (
    Report, VerifySnapshot
  ) {
    let started = clock.now()
    let startedAt = clock.timestamp()
    let deadline = runDeadline(options, from: started)
    // Only the steps the report shows are read (`--category`, `--skip`); Grafana's only when asked.
    var wanted = Self.steps(for: options)
    let credentials = wanted.contains("grafana.datasources") ? collector.readCredentials() : nil
    let discovery: StackDiscovery
    do {
      discovery = try await collector.discover()
    } catch {
      credentials?.cancel()
      throw error
    }
    // The round trip runs beside the steps, on its own polls, until its signals arrive or the deadline.
    let trip: Task<RoundTrip, Never>? =
      options.send
      ? Task { [collector] in
        await Self.roundTrip(collector: collector, discovery: discovery, options: options, deadline: deadline)
      } : nil
    var attempt = 0
    // With --wait, a step that passed keeps its answer: only the failing steps are asked again
    // (so Grafana's tunnel opens once while Loki is still empty).
    var kept: [Probe] = []
    while true {
      attempt += 1
      let stepDeadline = min(deadline, clock.now() + collector.kube.timeout + .seconds(5))
      var snapshot = await collector.collect(
        discovery: discovery, deadline: stepDeadline, credentials: credentials, only: wanted)
      snapshot.probes = VerifyCollector.ordered(kept + snapshot.probes)
      let assessments = VerifyChecks.assess(snapshot, skip: options.skip, categories: options.categories)
      let problems = assessments.filter {
        $0.result.status == .fail || (options.failOnWarning && $0.result.status == .warn)
      }
      let remaining = deadline - clock.now()
      if options.wait == nil || problems.isEmpty || Task.isCancelled
        || !problems.contains(where: \.recoverable) || remaining < options.retryInterval
      {
        if let trip {
          if options.dryRun == nil {
            let left = DurationText.format(.seconds(max(0, remaining.components.seconds)))
            progress("waiting for the signals sent to arrive (up to \(left))")
          }
          snapshot.roundTrip = await trip.value
        }
        let report = Self.report(
          for: snapshot, options: options, startedAt: startedAt,
          durationMs: DurationText.milliseconds(clock.now() - started))
        return (report, snapshot)
      }
      let again = Set(problems.compactMap { Self.stepOfCheck[$0.result.id] })
      kept = snapshot.probes.filter { !again.contains(VerifyCollector.step(of: $0)) }
      wanted = again
      progress(
        "waiting for \(problems.map(\.result.id).joined(separator: ", ")) "
          + "(attempt \(attempt), \(DurationText.format(.seconds(remaining.components.seconds))) left)")
      do { try await clock.sleep(for: options.retryInterval) } catch {
        trip?.cancel()
        throw CancellationError()
      }
    }
  }

  /// The step (probe id) each of the five checks judges.
  static let stepOfCheck = [
    "verify.datasources": "grafana.datasources", "verify.logs": "loki.logs", "verify.traces": "tempo.search",
    "verify.metrics": "mimir.query", "verify.profiles": "pyroscope.services",
  ]

  /// The steps whose checks the report will show: in a `--category`, not matched by `--skip`.
  static func steps(for options: Options) -> Set<String> {
    Set(
      VerifyChecks.steps.filter { check in
        (options.categories.map { $0.contains(check.category) } ?? true)
          && !options.skip.contains { Glob.matches($0, check.id) }
      }.compactMap { stepOfCheck[$0.id] })
  }

  static func roundTrip(
    collector: VerifyCollector, discovery: StackDiscovery, options: Options, deadline: ContinuousClock.Instant
  ) async -> RoundTrip {
    var missing: [String: ReadError] = [:]
    func backend(_ role: ComponentRole, _ name: String) -> (String, Int)? {
      switch collector.endpoint(role, in: discovery) {
      case .success(let found): return found
      case .failure(let error):
        missing[name] = error
        return nil
      }
    }
    let component = collector.registry[.collector]
    let collectorService: String
    if case .success(let (service, _)) = collector.endpoint(.collector, in: discovery) {
      collectorService = service
    } else {
      collectorService = component?.service ?? collector.configuration.text(.collectorService)
    }
    let (tempo, loki, mimir) = (backend(.tempo, "Tempo"), backend(.loki, "Loki"), backend(.mimir, "Mimir"))
    let endpoints = SignalRoundTrip.Endpoints(
      collector: collectorService, otlpHTTPPort: component?.ports["otlp-http"] ?? 4318,
      zipkinPort: component?.ports["zipkin"] ?? 9411, tempo: tempo, loki: loki, mimir: mimir, missing: missing)
    var trip = await SignalRoundTrip(
      kube: collector.kube, endpoints: endpoints, pollInterval: options.pollInterval, dryRun: options.dryRun
    ).run(deadline: deadline)
    // Only a signal its backend answered about, and never showed, is lost after the collector.
    let lost = trip.signals.contains { $0.sendError == nil && $0.foundAfterMs == nil && $0.lookupUnreached == nil }
    if lost && !trip.dryRun && !Task.isCancelled {
      trip.exporters = await exporterCounts(
        kube: collector.kube, service: collectorService, port: component?.ports["metrics"] ?? 8888)
    }
    return trip
  }

  /// The collector's exporter counters, read as `health` reads them (its pod's metrics port through
  /// the API server), so a signal the collector accepted but the backend never showed names its hop.
  /// One pod list, only when a signal went missing: verify's discovery reads no pods.
  static func exporterCounts(kube: KubeClient, service: String, port: Int) async -> RoundTrip.ExporterCounts? {
    guard let pods = try? await kube.list(kinds: ["pods"], namespace: kube.target.namespace) else { return nil }
    let running = pods.filter { $0.raw[path: "status", "phase"]?.string == "Running" }
    guard
      let pod = running.first(where: { RoleClassifier.plays(.collector, $0) })
        ?? running.first(where: { CollectorChecks.isNamedCollectorPod($0, service: service) })
    else { return nil }
    let source = "pod/\(pod.name):\(port)/metrics"
    do {
      let body = try await kube.podProxyGet(pod: pod.name, port: port, path: "/metrics")
      let metrics = CollectorMetrics(parsing: String(decoding: body, as: UTF8.self))
      guard metrics.isPrometheusText else {
        return RoundTrip.ExporterCounts(source: source, error: "not Prometheus text")
      }
      return RoundTrip.ExporterCounts.read(metrics, source: source)
    } catch let error as KubeError {
      return RoundTrip.ExporterCounts(source: source, error: error.message)
    } catch {
      return RoundTrip.ExporterCounts(source: source, error: "\(error)")
    }
  }
}
