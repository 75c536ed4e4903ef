import Foundation

/// Reads everything `health` needs in one batched pass: one list of the stack's objects, one of
/// the Dapr Configurations, one of events, the server version, the collector's ConfigMap and the
/// RBAC bound to its service account, and the in-cluster HTTP endpoints through the API server's
/// proxy — concurrently, each call with its own timeout. The number of kubectl calls is fixed: it
/// does not grow with the number of pods.
public struct HealthCollector: Sendable {
  public let kube: KubeClient
  public let configuration: Configuration
  public let expectations: Expectations

  public init(kube: KubeClient, configuration: Configuration, expectations: Expectations) {
    self.kube = kube
    self.configuration = configuration
    self.expectations = expectations
  }

  /// The collector for a live run: expectations from the configuration and the deploy assets'
  /// contract (`services.yaml` beside the skaffold.yaml deploy would use, else the shipped one).
  public static func live(run: Run, kube: KubeClient) -> HealthCollector {
    HealthCollector(
      kube: kube, configuration: run.configuration,
      expectations: expectations(configuration: run.configuration, contract: deployContract(run: run)))
  }

  /// The deploy assets' contract: `services.yaml` beside the skaffold.yaml deploy would use.
  public static func deployContract(run: Run) -> DeployContract? {
    let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
    return DeployAssets.candidates(repositoryRoot: run.repositoryRoot, executablePath: executable)
      .lazy.compactMap { skaffold in
        DeployContract.load(
          path: ((skaffold as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent("services.yaml"))
      }.first
  }

  /// What the configuration and the deploy assets say should be running, from the component
  /// registry (the one place that knows Services, ports and readiness paths).
  public static func expectations(configuration: Configuration, contract: DeployContract?) -> Expectations {
    let registry = ComponentRegistry.from(configuration: configuration, contract: contract)
    var endpoints: [String: Expectations.Endpoint] = [:]
    for component in registry.components where component.role != .collector {
      endpoints[component.name] = .init(service: component.service, port: component.port)
    }
    let collector = registry[.collector]
    let hints = DiscoveryHints.from(configuration: configuration, contract: contract)
    return Expectations(
      workloads: contract?.releases?.flatMap { $0.workloads ?? [] } ?? [],
      collectorService: configuration.text(.collectorService),
      collectorZipkinPort: collector?.ports["zipkin"] ?? configuration.port(.collectorZipkinPort),
      collectorHealthPort: collector?.ports["health"] ?? configuration.port(.collectorHealthPort),
      collectorMetricsPort: collector?.ports["metrics"] ?? configuration.port(.collectorMetricsPort),
      endpoints: endpoints,
      daprConfiguration: configuration.text(.daprConfiguration), pins: hints.pins.isEmpty ? nil : hints.pins)
  }

  /// The HTTP endpoint each component answers readiness on, by check id (from the registry).
  static let readinessPaths: [(id: String, role: ComponentRole, path: String)] = ComponentRole.allCases
    .filter { $0 != .collector }
    .compactMap { role in
      ComponentRegistry.from(configuration: .defaults)[role].flatMap { component in
        component.readinessCheck.map { ($0, role, component.readinessPath) }
      }
    }

  /// `includeLogs` (bundles) adds the last `logTail` lines of every container.
  public func collect(includeLogs: Bool = false, logTail: Int = 200) async -> Snapshot {
    let namespace = kube.target.namespace
    let appNamespace = configuration.text(.appNamespace)
    async let server = serverVersion()
    // Grafana's Secret beside the lists: the data source check needs it first.
    let grafanaCredentials = GrafanaDatasources.readCredentials(
      kube: kube, secret: configuration.text(.grafanaSecret))
    // Two fixed lists instead of one: kubectl fetches the kinds of one call one after another,
    // and the collector probes need the pods first, so the pods come in their own call.
    async let workloads = read {
      try await kube.list(kinds: ["deployments", "daemonsets", "statefulsets", "services"], namespace: namespace)
    }
    async let pods = read { try await kube.list(kinds: ["pods"], namespace: namespace) }
    async let namespaceExists = read { try await kube.get(kind: "namespace", name: namespace, namespace: nil) != nil }
    async let events = read { try await kube.list(kinds: ["events"], namespace: namespace) }
    async let dapr = read { try await kube.list(kinds: ["configurations.dapr.io"], namespace: appNamespace) }
    // The RBAC objects are filtered to the collector's service account once the pods are known.
    async let clusterRBAC = read {
      try await kube.list(kinds: ["clusterroles", "clusterrolebindings"], namespace: nil)
    }
    async let namespaceRBAC = read { try await kube.list(kinds: ["roles", "rolebindings"], namespace: namespace) }
    let hints = DiscoveryHints(expectations: expectations)
    // Readiness probes go to the Services found by role, so they wait for the list that holds the
    // Services; the choice depends on the Services alone, so the full discovery below agrees.
    let workloadsRead = await workloads
    let serviceDiscovery = StackDiscovery.discover(objects: workloadsRead.value ?? [], hints: hints)
    async let serviceProbes = probeServices(serviceDiscovery)
    async let datasources = probeGrafanaDatasources(serviceDiscovery, credentials: grafanaCredentials)
    let podsRead = await pods
    // The collector's health and metrics endpoints are bound on the pod only, so they need its name.
    async let podProbes = probeCollectorPod(in: podsRead.value ?? [])
    let stackRead = Self.merge(workloadsRead, podsRead)
    // Its configuration: the ConfigMaps its pod spec mounts (one get each, normally one).
    let wiring = Self.wiringView(of: stackRead, namespace: namespace, expectations: expectations)
    async let configMaps = readConfigMaps(CollectorWiring.configMapNames(wiring))
    let accounts = CollectorWiring.serviceAccounts(wiring)
    let version = await server
    var logs: [LogTail] = []
    if includeLogs {
      logs = await collectLogs(pods: (stackRead.value ?? []).filter { $0.kind == "Pod" }, tail: logTail)
    }
    return Snapshot(
      capturedAt: Timestamp.now(), context: kube.target.context, namespace: namespace, appNamespace: appNamespace,
      expectations: expectations, server: version, namespaceExists: await namespaceExists, stack: stackRead,
      events: await events, dapr: await dapr,
      probes: await serviceProbes + podProbes + datasources, logs: logs,
      discovery: stackRead.value.map { StackDiscovery.discover(objects: $0, hints: hints) },
      collectorConfigMaps: await configMaps,
      collectorClusterRBAC: Self.relevantRBAC(await clusterRBAC, accounts, namespace),
      collectorNamespaceRBAC: Self.relevantRBAC(await namespaceRBAC, accounts, namespace))
  }

  /// The stack as the wiring checks see it, before the rest of the snapshot is read.
  static func wiringView(of stack: Read<[KubeObject]>, namespace: String, expectations: Expectations) -> Snapshot {
    Snapshot(
      capturedAt: "", context: nil, namespace: namespace, appNamespace: "", expectations: expectations,
      server: .success(""), stack: stack, events: .success([]), dapr: .success([]), probes: [])
  }

  /// Only what concerns the collector's service accounts, so a bundle does not carry the
  /// cluster's whole RBAC.
  static func relevantRBAC(
    _ read: Read<[KubeObject]>, _ accounts: [String], _ namespace: String
  )
    -> Read<[KubeObject]>
  {
    guard let objects = read.value else { return read }
    return .success(CollectorRBAC.relevant(objects, serviceAccounts: accounts, namespace: namespace))
  }

  /// At most a few ConfigMaps (a pod mounts a handful), each one get; absent ones are left out.
  static let configMapLimit = 4

  private func readConfigMaps(_ names: [String]) async -> Read<[KubeObject]> {
    let namespace = kube.target.namespace
    let reads = await withTaskGroup(of: Read<[KubeObject]>.self) { group in
      for name in names.prefix(Self.configMapLimit) {
        group.addTask {
          await read { try await kube.get(kind: "configmap", name: name, namespace: namespace).map { [$0] } ?? [] }
        }
      }
      var reads: [Read<[KubeObject]>] = []
      for await read in group { reads.append(read) }
      return reads
    }
    if let error = reads.compactMap(\.error).first { return .failure(error) }
    return .success(reads.flatMap { $0.value ?? [] }.sorted { $0.name < $1.name })
  }

  /// One read of the stack: both lists, or the first failure.
  static func merge(_ first: Read<[KubeObject]>, _ second: Read<[KubeObject]>) -> Read<[KubeObject]> {
    if let error = first.error ?? second.error { return .failure(error) }
    return .success((first.value ?? []) + (second.value ?? []))
  }

  private func serverVersion() async -> Read<String> {
    await read { try await kube.serverVersion() ?? "unknown" }
  }

  private func read<Value: Sendable & Equatable & Codable>(
    _ body: @Sendable () async throws -> Value
  ) async -> Read<Value> {
    await Read.catching(body)
  }

  private func probeServices(_ discovery: StackDiscovery) async -> [Probe] {
    // A role with no Service, or with two that claim it equally, is not probed: the checks say why.
    let targets = Self.readinessPaths.compactMap { entry -> (String, String, Int, String)? in
      guard let finding = discovery[entry.role], let service = finding.service, let port = finding.port else {
        return nil
      }
      return (entry.id, service, port, entry.path)
    }
    return await withTaskGroup(of: Probe.self) { group in
      for (id, service, port, path) in targets {
        group.addTask {
          await probe(id: id, target: "service/\(service):\(port)", path: path) {
            try await kube.serviceProxyGet(service: service, port: port, path: path)
          }
        }
      }
      var probes: [Probe] = []
      for await probe in group { probes.append(probe) }
      return probes.sorted { $0.id < $1.id }
    }
  }

  /// Grafana's data sources, asked of Grafana through a short-lived tunnel with the admin
  /// credentials from its Secret (`GrafanaDatasources`); nothing when no Grafana Service was found.
  private func probeGrafanaDatasources(
    _ discovery: StackDiscovery, credentials: GrafanaDatasources.Credentials
  ) async -> [Probe] {
    guard let finding = discovery[.grafana], finding.serviceExists, let service = finding.service,
      let port = finding.port
    else {
      credentials.cancel()
      return []
    }
    let secret = configuration.text(.grafanaSecret)
    let started = ContinuousClock.now
    let outcome = await GrafanaDatasources.check(
      kube: kube, service: service, port: port, secret: secret, limit: kube.timeout, credentials: credentials)
    return [
      GrafanaDatasources.probe(
        outcome, service: service, port: port, secret: secret,
        durationMs: DurationText.milliseconds(ContinuousClock.now - started))
    ]
  }

  private func probeCollectorPod(in objects: [KubeObject]) async -> [Probe] {
    let running = objects.filter { $0.kind == "Pod" && $0.raw[path: "status", "phase"]?.string == "Running" }
    let pod =
      running.first { RoleClassifier.plays(.collector, $0) }
      ?? running.first { CollectorChecks.isNamedCollectorPod($0, service: expectations.collectorService) }
    guard let pod else { return [] }
    let healthPort = expectations.collectorHealthPort
    let metricsPort = expectations.collectorMetricsPort
    async let health = probe(id: "collector.health", target: "pod/\(pod.name):\(healthPort)", path: "/") {
      try await kube.podProxyGet(pod: pod.name, port: healthPort, path: "/")
    }
    async let metrics = probe(id: "collector.metrics", target: "pod/\(pod.name):\(metricsPort)", path: "/metrics") {
      try await kube.podProxyGet(pod: pod.name, port: metricsPort, path: "/metrics")
    }
    return await [health, metrics]
  }

  private func probe(
    id: String, target: String, path: String, _ get: @Sendable () async throws -> [UInt8]
  ) async -> Probe {
    let started = ContinuousClock.now
    func elapsed() -> Int { DurationText.milliseconds(ContinuousClock.now - started) }
    do {
      let body = try await get()
      return Probe(
        id: id, target: target, path: path, statusCode: 200, body: Self.truncated(body), error: nil,
        durationMs: elapsed())
    } catch let error as KubeError {
      // The backend itself answered: its status and body are the evidence, not an error of ours.
      if let failure = error.failure, failure.kind == .backendAnswered {
        return Probe(
          id: id, target: target, path: path, statusCode: failure.status, body: failure.body, error: nil,
          durationMs: elapsed())
      }
      return Probe(
        id: id, target: target, path: path, statusCode: error.failure?.status, body: nil, error: ReadError(error),
        durationMs: elapsed())
    } catch {
      return Probe(
        id: id, target: target, path: path, statusCode: nil, body: nil,
        error: ReadError(reason: .failed, message: "\(error)", hint: ""), durationMs: elapsed())
    }
  }

  /// Log tails are one request per container, at most `logConcurrency` at a time so a large
  /// namespace does not open hundreds at once.
  static let logConcurrency = 8

  private func collectLogs(pods: [KubeObject], tail: Int) async -> [LogTail] {
    let containers = pods.flatMap { pod in
      (pod.raw[path: "spec", "containers"]?.array?.compactMap { $0["name"]?.string } ?? []).map { (pod.name, $0) }
    }
    let kube = kube
    return await withTaskGroup(of: LogTail?.self) { group in
      var pending = containers.makeIterator()
      func startNext() -> Bool {
        guard let (pod, container) = pending.next() else { return false }
        group.addTask {
          guard let output = try? await kube.logTail(pod: pod, container: container, lines: tail) else { return nil }
          let lines = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
          return LogTail(pod: pod, container: container, lines: lines)
        }
        return true
      }
      for _ in 0..<Self.logConcurrency where !startNext() { break }
      var tails: [LogTail] = []
      for await tail in group {
        if let tail { tails.append(tail) }
        _ = startNext()
      }
      return tails.sorted { ($0.pod, $0.container) < ($1.pod, $1.container) }
    }
  }

  /// Bodies are kept whole up to 1 MiB (collector metrics can be large), then cut.
  static func truncated(_ body: [UInt8]) -> String {
    String(decoding: body.prefix(1 << 20), as: UTF8.self)
  }

}
