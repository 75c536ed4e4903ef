/// Everything `health` reads from a cluster, as plain data: the input of the pure evaluation and
/// the format of `mtobs bundle` files (so `health --from FILE` evaluates exactly what was read).
public struct Snapshot: Sendable, Equatable, Codable {
  public static let currentAPIVersion = "mtobs/v1"
  public static let bundleKind = "Bundle"

  public var apiVersion = Snapshot.currentAPIVersion
  public var kind = Snapshot.bundleKind
  public var capturedAt: String
  public var context: String?
  public var namespace: String
  public var appNamespace: String
  public var expectations: Expectations
  /// The API server's version, or why it could not be read.
  public var server: Read<String>
  /// Whether the stack namespace exists (nil when it could not be read, e.g. RBAC on namespaces).
  public var namespaceExists: Read<Bool>?
  /// Deployments, DaemonSets, StatefulSets, Pods and Services of the stack namespace.
  public var stack: Read<[KubeObject]>
  public var events: Read<[KubeObject]>
  /// Dapr Configurations in the app namespace.
  public var dapr: Read<[KubeObject]>
  /// In-cluster HTTP endpoints reached through the API server's proxy.
  public var probes: [Probe]
  /// Recent log lines of the stack's pods (bundles only; health does not read logs).
  public var logs: [LogTail]
  /// The roles as found when the snapshot was taken; nil in bundles written before discovery,
  /// which `roles` then discovers from their stored objects.
  public var discovery: StackDiscovery?
  /// The ConfigMaps the collector's pod spec mounts (its configuration). Optional so bundles made
  /// before mtobs read them still decode; nil means "not read", never "none".
  public var collectorConfigMaps: Read<[KubeObject]>?
  /// The ClusterRoleBindings naming the collector's service account and the ClusterRoles they bind.
  public var collectorClusterRBAC: Read<[KubeObject]>?
  /// The RoleBindings of the stack namespace naming the collector's service account, and the
  /// Roles they bind.
  public var collectorNamespaceRBAC: Read<[KubeObject]>?
  /// What `debug-dapr` reads beyond this (nil: not read, as in `health` and older bundles).
  public var daprDebug: DaprReads?
  /// What `verify` read (bundles only; nil in bundles made before verify existed).
  public var verify: VerifySnapshot?

  public init(
    capturedAt: String, context: String?, namespace: String, appNamespace: String, expectations: Expectations,
    server: Read<String>, namespaceExists: Read<Bool>? = nil, stack: Read<[KubeObject]>, events: Read<[KubeObject]>,
    dapr: Read<[KubeObject]>,
    probes: [Probe], logs: [LogTail] = [], discovery: StackDiscovery? = nil,
    collectorConfigMaps: Read<[KubeObject]>? = nil, collectorClusterRBAC: Read<[KubeObject]>? = nil,
    collectorNamespaceRBAC: Read<[KubeObject]>? = nil
  ) {
    self.capturedAt = capturedAt
    self.context = context
    self.namespace = namespace
    self.appNamespace = appNamespace
    self.expectations = expectations
    self.server = server
    self.namespaceExists = namespaceExists
    self.stack = stack
    self.events = events
    self.dapr = dapr
    self.probes = probes
    self.logs = logs
    self.discovery = discovery
    self.collectorConfigMaps = collectorConfigMaps
    self.collectorClusterRBAC = collectorClusterRBAC
    self.collectorNamespaceRBAC = collectorNamespaceRBAC
  }

  /// The stack by role: as recorded, or discovered now from the stored objects (older bundles).
  public var roles: StackDiscovery {
    discovery
      ?? StackDiscovery.discover(objects: stack.value ?? [], hints: DiscoveryHints(expectations: expectations))
  }

  /// The collector's Service: the one found by role when it exists, else the configured name.
  public var collectorService: String {
    guard let found = roles[.collector], found.serviceExists, let service = found.service else {
      return expectations.collectorService
    }
    return service
  }

  public func probe(_ id: String) -> Probe? { probes.first { $0.id == id } }
}

/// A value read from the cluster, or the reason it could not be read.
public struct Read<Value: Sendable & Equatable & Codable>: Sendable, Equatable, Codable {
  public var value: Value?
  public var error: ReadError?

  public static func success(_ value: Value) -> Read { Read(value: value, error: nil) }
  public static func failure(_ error: ReadError) -> Read { Read(value: nil, error: error) }

  /// What `body` returns, or why it threw: a `KubeError` keeps its reason and hint.
  static func catching(_ body: @Sendable () async throws -> Value) async -> Read {
    do {
      return .success(try await body())
    } catch let error as KubeError {
      return .failure(ReadError(error))
    } catch {
      return .failure(ReadError(reason: .failed, message: "\(error)", hint: "rerun with -v"))
    }
  }
}

/// Why a read failed, kept as data so offline evaluation gives the same verdicts.
public struct ReadError: Sendable, Equatable, Codable, Error {
  public var reason: KubeError.Reason
  public var message: String
  public var hint: String

  public init(reason: KubeError.Reason, message: String, hint: String) {
    self.reason = reason
    self.message = message
    self.hint = hint
  }

  public init(_ error: KubeError) {
    self.init(reason: error.reason, message: error.message, hint: error.hint)
  }
}

extension ReadError {
  /// The API server does not serve the resource type asked for (a CRD not installed: no
  /// `configurations.dapr.io` without Dapr). kubectl's "the server doesn't have a resource type"
  /// and the transport's 404 are both classified `notFound`; bundles of older versions kept only
  /// the message.
  public var resourceTypeNotServed: Bool { reason == .notFound || message.contains("resource type") }
}

/// One GET through the API server's proxy.
public struct Probe: Sendable, Equatable, Codable {
  /// What it is for (`loki.ready`, `collector.health`, `collector.metrics`).
  public var id: String
  /// `service/NAME:PORT` or `pod/NAME:PORT`.
  public var target: String
  public var path: String
  /// 200 on success; on failure the status the API server reported, when it said.
  public var statusCode: Int?
  /// The answer's body (truncated), or nil.
  public var body: String?
  public var error: ReadError?
  public var durationMs: Int

  public init(
    id: String, target: String, path: String, statusCode: Int?, body: String?, error: ReadError?, durationMs: Int
  ) {
    self.id = id
    self.target = target
    self.path = path
    self.statusCode = statusCode
    self.body = body
    self.error = error
    self.durationMs = durationMs
  }
}

/// The last lines of one container's log.
public struct LogTail: Sendable, Equatable, Codable {
  public var pod: String
  public var container: String
  public var lines: [String]
}

/// What the stack should look like: the configuration's names and ports and the workloads the
/// deploy assets create. Stored in bundles so offline evaluation expects the same.
public struct Expectations: Sendable, Equatable, Codable {
  public struct Endpoint: Sendable, Equatable, Codable {
    public var service: String
    public var port: Int

    public init(service: String, port: Int) {
      self.service = service
      self.port = port
    }
  }

  /// `Kind/name` of every workload that must exist and be ready.
  public var workloads: [String]
  public var collectorService: String
  public var collectorZipkinPort: Int
  public var collectorHealthPort: Int
  public var collectorMetricsPort: Int
  /// Loki, Tempo, Mimir, Pyroscope, Grafana, Alloy by component name: the names expected by
  /// default, preferred when a Service of that name exists.
  public var endpoints: [String: Endpoint]
  public var daprConfiguration: String
  /// Role → the Service or port the configuration pins (absent in older bundles: nothing pinned).
  public var pins: [String: DiscoveryHints.Pin]?

  public init(
    workloads: [String], collectorService: String, collectorZipkinPort: Int, collectorHealthPort: Int,
    collectorMetricsPort: Int, endpoints: [String: Endpoint], daprConfiguration: String,
    pins: [String: DiscoveryHints.Pin]? = nil
  ) {
    self.workloads = workloads
    self.collectorService = collectorService
    self.collectorZipkinPort = collectorZipkinPort
    self.collectorHealthPort = collectorHealthPort
    self.collectorMetricsPort = collectorMetricsPort
    self.endpoints = endpoints
    self.daprConfiguration = daprConfiguration
    self.pins = pins
  }
}
