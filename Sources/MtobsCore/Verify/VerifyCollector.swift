import Foundation

/// Reads what `verify` judges: the stack's roles (one list), then, concurrently, Grafana's data
/// sources through a short-lived tunnel and one query each of Loki, Tempo, Mimir and Pyroscope
/// through the API server's proxy. Each step has its own timeout (the run's request timeout);
/// `deadline` bounds them all: a step still running then is recorded as not answered in time.
public struct VerifyCollector: Sendable {
  public struct Options: Sendable {
    public var appNamespace: String
    public var since: Duration
    public var metricsQuery: String

    public init(appNamespace: String, since: Duration, metricsQuery: String = VerifyCollector.defaultMetricsQuery) {
      self.appNamespace = appNamespace
      self.since = since
      self.metricsQuery = metricsQuery
    }
  }

  /// The seed's step 4: the collector's own scrape target is up.
  public static let defaultMetricsQuery = #"up{job="otel-collector"}"#

  public let kube: KubeClient
  public let configuration: Configuration
  public let registry: ComponentRegistry
  public let hints: DiscoveryHints
  public let options: Options

  public init(
    kube: KubeClient, configuration: Configuration, contract: DeployContract?, options: Options
  ) {
    self.kube = kube
    self.configuration = configuration
    registry = ComponentRegistry.from(configuration: configuration, contract: contract)
    hints = DiscoveryHints.from(configuration: configuration, contract: contract)
    self.options = options
  }

  /// The stack's roles, from one list of its workloads and Services. A failure to read is a
  /// `KubeError` (verify cannot run: exit 2).
  public func discover() async throws -> StackDiscovery {
    let objects = try await kube.list(
      kinds: ["deployments", "daemonsets", "statefulsets", "services"], namespace: kube.target.namespace)
    return StackDiscovery.discover(objects: objects, hints: hints)
  }

  /// Where a role's HTTP API is: the Service found by role, or why there is none.
  func endpoint(_ role: ComponentRole, in discovery: StackDiscovery) -> Result<(String, Int), ReadError> {
    let namespace = kube.target.namespace
    guard let finding = discovery[role] else {
      return .failure(ReadError(reason: .notFound, message: "no \(role.title) found in '\(namespace)'", hint: ""))
    }
    switch finding.source {
    case .ambiguous:
      return .failure(
        ReadError(
          reason: .notFound,
          message: "\(finding.ambiguous.count) Services claim the \(role.title): "
            + finding.ambiguous.joined(separator: ", "),
          hint: "pin one in mtobs.yaml: \(role.serviceKey.name): \(finding.ambiguous.first ?? "")"))
    case .none:
      return .failure(
        ReadError(
          reason: .notFound,
          message: "no \(role.title) found in '\(namespace)': \(StackDiscovery.lookedFor(role, hints: hints))",
          hint: "mtobs health   # or pin it in mtobs.yaml: \(role.serviceKey.name)"))
    default:
      guard let service = finding.service, finding.serviceExists else {
        return .failure(
          ReadError(
            reason: .notFound, message: "\(role.title) runs but no Service of it was found in '\(namespace)'",
            hint: "mtobs health   # or pin it in mtobs.yaml: \(role.serviceKey.name)"))
      }
      return .success((service, finding.port ?? registry[role]?.port ?? 80))
    }
  }

  /// The steps named in `only` (all five when nil) at once, within `deadline`.
  public func collect(
    discovery: StackDiscovery, deadline: ContinuousClock.Instant, now: Date = Date(),
    credentials: GrafanaDatasources.Credentials? = nil, only: Set<String>? = nil
  ) async -> VerifySnapshot {
    let every: [(String, @Sendable () async -> Probe)] = [
      ("grafana.datasources", { await datasources(discovery, credentials: credentials) }),
      ("loki.logs", { await logs(discovery, now: now) }),
      ("tempo.search", { await traces(discovery, now: now) }),
      ("mimir.query", { await metrics(discovery) }),
      ("pyroscope.services", { await profiles(discovery, now: now) }),
    ]
    let steps = every.filter { only?.contains($0.0) ?? true }
    let probes = Self.ordered(await Self.within(deadline: deadline, steps: steps))
    return VerifySnapshot(
      capturedAt: Timestamp.string(from: now), capturedAtUnixMs: Int64((now.timeIntervalSince1970 * 1000).rounded()),
      context: kube.target.context, namespace: kube.target.namespace, appNamespace: options.appNamespace,
      sinceSeconds: Int(options.since.components.seconds), metricsQuery: options.metricsQuery, probes: probes)
  }

  /// In report order; the credentials probe stands for the data source step when the Secret was unreadable.
  static func ordered(_ probes: [Probe]) -> [Probe] {
    let order = ["grafana.credentials"] + VerifySnapshot.stepProbes
    return probes.sorted {
      (order.firstIndex(of: $0.id) ?? order.count) < (order.firstIndex(of: $1.id) ?? order.count)
    }
  }

  /// The step a probe answers (`grafana.credentials` answers the data source step).
  static func step(of probe: Probe) -> String { probe.id == "grafana.credentials" ? "grafana.datasources" : probe.id }

  /// Runs the steps side by side; one still running at the deadline becomes a timeout probe.
  static func within(
    deadline: ContinuousClock.Instant, steps: [(String, @Sendable () async -> Probe)]
  ) async -> [Probe] {
    guard !steps.isEmpty else { return [] }
    return await withTaskGroup(of: Probe?.self) { group in
      for (_, step) in steps { group.addTask { await step() } }
      group.addTask {
        try? await Task.sleep(until: deadline, clock: .continuous)
        return nil
      }
      var probes: [Probe] = []
      while let next = await group.next() {
        guard let probe = next else { break }
        probes.append(probe)
        if probes.count == steps.count { break }
      }
      group.cancelAll()
      let answered = Set(probes.map(step(of:)))
      for (id, _) in steps where !answered.contains(id) {
        probes.append(
          Probe(
            id: id, target: "", path: "", statusCode: nil, body: nil,
            error: ReadError(
              reason: .timeout, message: "no answer before the run's deadline", hint: "rerun with a longer --wait"),
            durationMs: 0))
      }
      return probes
    }
  }

  // MARK: Steps

  /// Starts reading Grafana's Secret (for `collect`), so it overlaps the discovery.
  public func readCredentials() -> GrafanaDatasources.Credentials {
    GrafanaDatasources.readCredentials(kube: kube, secret: configuration.text(.grafanaSecret))
  }

  func datasources(_ discovery: StackDiscovery, credentials: GrafanaDatasources.Credentials?) async -> Probe {
    let started = ContinuousClock.now
    switch endpoint(.grafana, in: discovery) {
    case .failure(let error):
      return Self.missing("grafana.datasources", error)
    case .success(let (service, port)):
      let secret = configuration.text(.grafanaSecret)
      let outcome = await GrafanaDatasources.check(
        kube: kube, service: service, port: port, secret: secret, limit: kube.timeout, credentials: credentials)
      return GrafanaDatasources.probe(
        outcome, service: service, port: port, secret: secret,
        durationMs: DurationText.milliseconds(ContinuousClock.now - started))
    }
  }

  func logs(_ discovery: StackDiscovery, now: Date) async -> Probe {
    let end = LokiQuery.nanoseconds(now)
    let start = end - LokiQuery.nanoseconds(options.since)
    let query = "{namespace=\"\(options.appNamespace)\"}"
    let path =
      "/loki/api/v1/query_range?query=\(KubeClient.queryValue(query))&start=\(start)&end=\(end)"
      + "&limit=\(Self.logLimit)&direction=backward"
    return await get("loki.logs", role: .loki, path: path, discovery: discovery)
  }

  /// Enough lines to say "many"; the count is reported as "at least" when it is reached.
  static let logLimit = 1000

  func traces(_ discovery: StackDiscovery, now: Date) async -> Probe {
    let end = Int64(now.timeIntervalSince1970.rounded(.up))
    let start = end - Int64(options.since.components.seconds)
    let path = "/api/search?q=\(KubeClient.queryValue("{}"))&start=\(start)&end=\(end)&limit=\(Self.traceLimit)"
    return await get("tempo.search", role: .tempo, path: path, discovery: discovery)
  }

  static let traceLimit = 100

  func metrics(_ discovery: StackDiscovery) async -> Probe {
    let path = "/prometheus/api/v1/query?query=\(KubeClient.queryValue(options.metricsQuery))"
    return await get("mimir.query", role: .mimir, path: path, discovery: discovery)
  }

  func profiles(_ discovery: StackDiscovery, now: Date) async -> Probe {
    let end = Int64((now.timeIntervalSince1970 * 1000).rounded())
    let start = end - Int64(options.since.components.seconds) * 1000
    let body = #"{"name":"service_name","start":\#(start),"end":\#(end)}"#
    return await post(
      "pyroscope.services", role: .pyroscope, path: "/querier.v1.QuerierService/LabelValues", body: Array(body.utf8),
      discovery: discovery)
  }

  // MARK: Requests

  static func missing(_ id: String, _ error: ReadError) -> Probe {
    Probe(id: id, target: "", path: "", statusCode: nil, body: nil, error: error, durationMs: 0)
  }

  func get(_ id: String, role: ComponentRole, path: String, discovery: StackDiscovery) async -> Probe {
    await request(id, role: role, path: path, discovery: discovery) { kube, full in try await kube.rawFetch(full) }
  }

  func post(_ id: String, role: ComponentRole, path: String, body: [UInt8], discovery: StackDiscovery) async -> Probe {
    await request(id, role: role, path: path, discovery: discovery) { kube, full in
      try await kube.rawPost(full, body: body, contentType: "application/json")
    }
  }

  private func request(
    _ id: String, role: ComponentRole, path: String, discovery: StackDiscovery,
    _ send: @Sendable (KubeClient, String) async throws -> APIResponse
  ) async -> Probe {
    let service: String
    let port: Int
    switch endpoint(role, in: discovery) {
    case .failure(let error): return Self.missing(id, error)
    case .success(let found): (service, port) = found
    }
    let namespace = kube.target.namespace
    let full = KubeClient.serviceProxyPath(namespace: namespace, service: service, port: port, path: path)
    let target = "service/\(service):\(port)"
    let timeout = kube.timeout
    return await Self.probe(id: id, target: target, path: path) {
      try await send(kube, full)
    } classify: { response in
      kube.failure(response, path: full, what: "\(id) (\(role.title))")
    } thrown: { error in
      // The other steps go through the same API server: a step's own timeout is its backend being slow.
      BackendReach.thrown(
        error, subject: target, timeout: timeout,
        slowHint: "mtobs logs \(role.rawValue) -n \(namespace)   # slow on this query? a shorter --since asks less")
    }
  }

  /// One request as a probe: the backend's answer (any status) as evidence, or what kept it away.
  static func probe(
    id: String, target: String, path: String, _ send: @Sendable () async throws -> APIResponse,
    classify: (APIResponse) -> KubeError, thrown: (KubeError) -> ReadError = { ReadError($0) }
  ) async -> Probe {
    let started = ContinuousClock.now
    func elapsed() -> Int { DurationText.milliseconds(ContinuousClock.now - started) }
    do {
      let response = try await send()
      let body = HealthCollector.truncated(response.body)
      if response.succeeded {
        return Probe(
          id: id, target: target, path: path, statusCode: response.status, body: body, error: nil,
          durationMs: elapsed())
      }
      let error = classify(response)
      if error.failure?.kind == .backendAnswered {
        return Probe(
          id: id, target: target, path: path, statusCode: response.status, body: body, error: nil,
          durationMs: elapsed())
      }
      return Probe(
        id: id, target: target, path: path, statusCode: response.status, body: nil, error: ReadError(error),
        durationMs: elapsed())
    } catch let error as KubeError {
      return Probe(
        id: id, target: target, path: path, statusCode: error.failure?.status, body: nil, error: thrown(error),
        durationMs: elapsed())
    } catch {
      return Probe(
        id: id, target: target, path: path, statusCode: nil, body: nil,
        error: ReadError(reason: .failed, message: "\(error)", hint: ""), durationMs: elapsed())
    }
  }
}
