import Foundation

/// Reads what `mtobs debug-dapr` judges in one batched pass: `health`'s snapshot (the collector's
/// Service, configuration and metrics) and, concurrently, Dapr's control plane, every
/// Configuration, the namespaces and the app namespaces' pods; then the Services the endpoints
/// name and the `daprd` sidecars' last log lines (bounded). The number of requests depends on the
/// number of app namespaces and sidecars read, never on the number of other pods.
public struct DaprCollector: Sendable {
  public let health: HealthCollector
  /// The app namespaces to judge; ignored with `allNamespaces`.
  public let appNamespaces: [String]
  public let allNamespaces: Bool
  /// Per sidecar: the last lines, and at most this many bytes of them.
  public var logLines = 200
  public var logBytes = 64 << 10
  /// Sidecars whose logs are read (the judged namespaces' first, by namespace and name).
  public var logPods = DaprCollector.sidecarLogLimit
  public static let sidecarLogLimit = 16
  /// `--probe`: the image and time limit of the probe pod, or why it does not run (`--dry-run`).
  public var probe: ProbeSettings?
  /// Lists the Dapr pods of every namespace even when judging a few (bundles: `debug-dapr --from`
  /// can then judge any namespace). Falls back to the app namespaces when that list is refused.
  public var readsEveryNamespace: Bool

  public struct ProbeSettings: Sendable {
    public var image: String
    public var limit: Duration
    public var skipReason: String?

    public init(image: String, limit: Duration, skipReason: String? = nil) {
      self.image = image
      self.limit = limit
      self.skipReason = skipReason
    }
  }

  public init(health: HealthCollector, appNamespaces: [String], allNamespaces: Bool) {
    self.health = health
    self.appNamespaces = appNamespaces
    self.allNamespaces = allNamespaces
    self.readsEveryNamespace = allNamespaces
  }

  var kube: KubeClient { health.kube }

  /// `includeLogs` (bundles) adds `health`'s log tails of the stack's containers.
  public func collect(includeLogs: Bool = false, logTail: Int = 200) async -> Snapshot {
    let stackNamespace = kube.target.namespace
    async let base = health.collect(includeLogs: includeLogs, logTail: logTail)
    async let controlPlane = read {
      try await kube.list(
        kinds: ["deployments", "statefulsets", "pods"], namespace: DaprReads.controlPlaneNamespace)
    }
    async let namespaces = read { try await kube.list(kinds: ["namespaces"], namespace: nil).map(\.name).sorted() }
    async let configurationsRead = readConfigurations(stackNamespace: stackNamespace)
    async let podsRead = readPods()
    let configurations = await configurationsRead
    let (pods, podsCoverEveryNamespace, unreadPods) = await podsRead
    let judged =
      allNamespaces
      ? Self.namespacesUsingDapr(
        pods: pods.value ?? [], configurations: configurations.value ?? [], stackNamespace: stackNamespace)
      : appNamespaces
    async let services = readServices(
      namespaces: Self.namespacesNamed(by: configurations.value ?? [], stackNamespace: stackNamespace))
    async let logs = readSidecarLogs(pods.value ?? [], judged: judged)
    var snapshot = await base
    snapshot.daprDebug = DaprReads(
      appNamespaces: judged, allNamespaces: podsCoverEveryNamespace, controlPlane: await controlPlane,
      configurations: configurations,
      configurationChanges: Self.changes(configurations.value ?? []), namespaces: await namespaces,
      daprPods: pods, services: await services, sidecarLogs: await logs)
    if !unreadPods.isEmpty { snapshot.daprDebug?.unreadPods = unreadPods }
    if let probe, let reads = snapshot.daprDebug {
      let result = await runProbe(probe, snapshot: snapshot, reads: reads)
      snapshot.daprDebug?.probe = result
    }
    return snapshot
  }

  /// Probe pods a run starts at most, one per app namespace (they run at the same time).
  public static let probeLimit = 6

  /// A probe from each app namespace that exists (up to `probeLimit`), each aimed at the endpoint
  /// its namespace's Configuration names (else the collector's): a NetworkPolicy or a wrong
  /// endpoint in one namespace is not seen from another. The collector's zipkin counter is read
  /// before (the snapshot's) and after all of them.
  private func runProbe(_ settings: ProbeSettings, snapshot: Snapshot, reads: DaprReads) async -> DaprProbeRun {
    let expected = DaprChecks.expected(snapshot).url
    let namespaces = reads.existingAppNamespaces
    guard !namespaces.isEmpty else {
      return DaprProbeRun(results: [
        DaprProbeResult(outcome: .skipped, reason: "no app namespace to probe from", namespace: "", endpoint: expected)
      ])
    }
    let probed = Array(namespaces.prefix(Self.probeLimit))
    let targets = probed.map { namespace in
      let configured = DaprDebugChecks.judged(reads, namespace, configured: snapshot.expectations.daprConfiguration)
        .lazy.compactMap { $0.raw[path: "spec", "tracing", "zipkin", "endpointAddress"]?.string }.first
      return (namespace: namespace, endpoint: configured ?? expected)
    }
    var run = DaprProbeRun(results: [], notProbed: Array(namespaces.dropFirst(Self.probeLimit)))
    if let reason = settings.skipReason {
      run.results = targets.map {
        DaprProbeResult(outcome: .skipped, reason: reason, namespace: $0.namespace, endpoint: $0.endpoint)
      }
      return run
    }
    let kube = kube
    run.results = await withTaskGroup(of: (Int, DaprProbeResult).self) { group in
      for (index, target) in targets.enumerated() {
        group.addTask {
          let probe = DaprProbe(
            kube: kube, namespace: target.namespace, endpoint: target.endpoint, image: settings.image,
            limit: settings.limit)
          return (index, await probe.run())
        }
      }
      var results: [(Int, DaprProbeResult)] = []
      for await result in group { results.append(result) }
      return results.sorted { $0.0 < $1.0 }.map(\.1)
    }
    if run.results.contains(where: { $0.outcome == .ran }), let metrics = snapshot.probe("collector.metrics"),
      let body = metrics.body
    {
      run.acceptedBefore = Self.zipkinAccepted(body)
      if let (pod, port) = Self.podTarget(metrics.target),
        let after = try? await kube.podProxyGet(pod: pod, port: port, path: metrics.path)
      {
        run.acceptedAfter = Self.zipkinAccepted(String(decoding: after, as: UTF8.self))
      }
    }
    return run
  }

  static func zipkinAccepted(_ body: String) -> Double? {
    let accepted = CollectorMetrics(parsing: body).sum("otelcol_receiver_accepted_spans", by: "receiver")
      .filter { CollectorConfig.type(of: $0.key) == "zipkin" }
    return accepted.isEmpty ? nil : accepted.values.reduce(0, +)
  }

  /// `pod/NAME:PORT` → (NAME, PORT).
  static func podTarget(_ target: String) -> (String, Int)? {
    guard target.hasPrefix("pod/") else { return nil }
    let parts = target.dropFirst(4).split(separator: ":")
    guard parts.count == 2, let port = Int(parts[1]) else { return nil }
    return (String(parts[0]), port)
  }

  /// Every Configuration at once; when the cluster-wide list is refused, those of the app
  /// namespaces and the stack's (where the seeds put theirs).
  private func readConfigurations(stackNamespace: String) async -> Read<[KubeObject]> {
    let all = await read { try await kube.list(kinds: ["configurations.dapr.io"], namespace: nil) }
    guard let error = all.error, error.reason == .forbidden, !allNamespaces else { return all }
    return await readEach(Array(Set(appNamespaces + [stackNamespace])).sorted()) { namespace in
      try await kube.list(kinds: ["configurations.dapr.io"], namespace: namespace)
    }
  }

  /// The Dapr-enabled pods of the app namespaces, or of every namespace (`readsEveryNamespace`),
  /// and whether the list covers every namespace. Only `--all-namespaces` needs the cluster-wide
  /// list; a bundle falls back to the app namespaces when it is refused.
  private func readPods() async -> (Read<[KubeObject]>, everyNamespace: Bool, unread: [String: String]) {
    var everyNamespace = readsEveryNamespace
    var unread: [String: String] = [:]
    var listed: Read<[KubeObject]>
    if everyNamespace {
      listed = await read { try await kube.list(kinds: ["pods"], namespace: nil) }
    } else {
      (listed, unread) = await readEachNamespacesPods()
    }
    if everyNamespace, !allNamespaces, listed.error?.reason == .forbidden {
      everyNamespace = false
      (listed, unread) = await readEachNamespacesPods()
    }
    guard let pods = listed.value else { return (listed, everyNamespace, unread) }
    return (.success(pods.filter(DaprPods.isDaprEnabled)), everyNamespace, unread)
  }

  /// The pods of each app namespace; one namespace that cannot be read is named, not a failure of
  /// the whole read (unless none can be read), so it hides nothing of the others.
  private func readEachNamespacesPods() async -> (Read<[KubeObject]>, unread: [String: String]) {
    let reads = await withTaskGroup(of: (String, Read<[KubeObject]>).self) { group in
      for namespace in appNamespaces {
        group.addTask { (namespace, await read { try await kube.list(kinds: ["pods"], namespace: namespace) }) }
      }
      var reads: [String: Read<[KubeObject]>] = [:]
      for await (namespace, read) in group { reads[namespace] = read }
      return reads
    }
    var unread: [String: String] = [:]
    var pods: [KubeObject] = []
    for namespace in appNamespaces {
      guard let read = reads[namespace] else { continue }
      if let error = read.error {
        // A namespace that does not exist lists as empty on a real API server: not unread.
        unread[namespace] = error.message
      } else {
        pods += read.value ?? []
      }
    }
    if !appNamespaces.isEmpty, unread.count == Set(appNamespaces).count,
      let error = reads[appNamespaces[0]]?.error
    {
      return (.failure(error), [:])
    }
    return (.success(pods), unread)
  }

  private func readServices(namespaces: [String]) async -> Read<[KubeObject]> {
    await readEach(namespaces) { namespace in try await kube.list(kinds: ["services"], namespace: namespace) }
  }

  /// One list per namespace, concurrently; the first failure fails the whole read.
  private func readEach(
    _ namespaces: [String], _ list: @escaping @Sendable (String) async throws -> [KubeObject]
  ) async -> Read<[KubeObject]> {
    let reads = await withTaskGroup(of: (Int, Read<[KubeObject]>).self) { group in
      for (index, namespace) in namespaces.enumerated() {
        group.addTask { (index, await read { try await list(namespace) }) }
      }
      var reads: [(Int, Read<[KubeObject]>)] = []
      for await read in group { reads.append(read) }
      return reads.sorted { $0.0 < $1.0 }.map(\.1)
    }
    if let error = reads.compactMap(\.error).first { return .failure(error) }
    return .success(reads.flatMap { $0.value ?? [] })
  }

  /// The last lines of each running `daprd` (at most `logPods` of them, the judged namespaces'
  /// first), bounded in lines and bytes.
  private func readSidecarLogs(_ pods: [KubeObject], judged: [String]) async -> [LogTail] {
    let judgedNamespaces = Set(judged)
    let running = pods.filter { pod in
      DaprPods.hasSidecar(pod) && pod.raw[path: "status", "phase"]?.string == "Running"
    }.sorted { first, second in
      let (a, b) = (judgedNamespaces.contains(first.namespace ?? ""), judgedNamespaces.contains(second.namespace ?? ""))
      return a != b ? a : DaprPods.name(first) < DaprPods.name(second)
    }.prefix(logPods)
    let kube = kube
    let (lines, bytes) = (logLines, logBytes)
    return await withTaskGroup(of: LogTail?.self) { group in
      for pod in running {
        group.addTask {
          guard let namespace = pod.namespace else { return nil }
          let query = "container=\(DaprPods.sidecarContainer)&tailLines=\(lines)&limitBytes=\(bytes)"
          let path = "/api/v1/namespaces/\(namespace)/pods/\(pod.name)/log?\(query)"
          let output: [UInt8]?
          if kube.transport != nil {
            output = try? await kube.apiGet(path, what: "reading the daprd log of \(pod.name)")
          } else {
            output = try? await kube.logTail(
              pod: pod.name, container: DaprPods.sidecarContainer, namespace: namespace, lines: lines)
          }
          guard let output else { return nil }
          let text = String(decoding: output.prefix(bytes), as: UTF8.self)
          return LogTail(
            pod: DaprPods.name(pod), container: DaprPods.sidecarContainer,
            lines: text.split(separator: "\n").map(String.init))
        }
      }
      var tails: [LogTail] = []
      for await tail in group { if let tail { tails.append(tail) } }
      return tails.sorted { $0.pod < $1.pod }
    }
  }

  /// With `--all-namespaces`: the namespaces with a Dapr-enabled pod, and those with a
  /// Configuration other than the stack's and Dapr's own (a Configuration alone in the stack's
  /// namespace is the mistake `dapr.configuration` names, not an app namespace).
  static func namespacesUsingDapr(pods: [KubeObject], configurations: [KubeObject], stackNamespace: String) -> [String]
  {
    let withPods = pods.compactMap(\.namespace)
    let withConfigurations = configurations.compactMap(\.namespace).filter {
      $0 != stackNamespace && $0 != DaprReads.controlPlaneNamespace
    }
    return Array(Set(withPods + withConfigurations)).sorted()
  }

  /// The namespaces whose Services the endpoints name, and the stack's.
  static func namespacesNamed(by configurations: [KubeObject], stackNamespace: String) -> [String] {
    var namespaces: Set<String> = [stackNamespace]
    for configuration in configurations {
      let home = configuration.namespace ?? stackNamespace
      let addresses = [
        configuration.raw[path: "spec", "tracing", "zipkin", "endpointAddress"]?.string,
        configuration.raw[path: "spec", "tracing", "otel", "endpointAddress"]?.string.map {
          $0.contains("://") ? $0 : "http://" + $0
        },
      ]
      for address in addresses.compactMap({ $0 }) {
        if let host = URLComponents(string: address)?.host,
          let named = DaprEndpoints.serviceHost(host, defaultNamespace: home),
          KubeName.labelProblem(named.namespace, what: "namespace") == nil
        {
          namespaces.insert(named.namespace)
        }
      }
    }
    // A few at most: endpoints name the collector's namespace, or a mistaken one.
    return Array(namespaces).sorted().prefix(8).map { $0 }
  }

  /// When each Configuration last changed: the latest managed-fields time, else its creation.
  static func changes(_ configurations: [KubeObject]) -> [String: String] {
    var changes: [String: String] = [:]
    for configuration in configurations {
      let times =
        (configuration.raw[path: "metadata", "managedFields"]?.array ?? []).compactMap { $0["time"]?.string }
        + [configuration.raw[path: "metadata", "creationTimestamp"]?.string].compactMap { $0 }
      if let latest = times.max(), let namespace = configuration.namespace {
        changes["\(namespace)/\(configuration.name)"] = latest
      }
    }
    return changes
  }

  private func read<Value: Sendable & Equatable & Codable>(
    _ body: @Sendable () async throws -> Value
  ) async -> Read<Value> {
    await Read.catching(body)
  }
}
