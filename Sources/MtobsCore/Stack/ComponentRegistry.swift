/// What a part of the stack does; health, bundle, deploy and (later) forward, logs and
/// debug-dapr all ask for components by role, never by one chart's workload names.
public enum ComponentRole: String, Sendable, Equatable, Codable, CaseIterable {
  case collector, alloy, alloyLogs = "alloy-logs", alloyMetrics = "alloy-metrics", loki, tempo, mimir, grafana,
    pyroscope

  /// What the role is called in findings ("no traces backend (Tempo) found …").
  public var title: String {
    switch self {
    case .collector: "collector (OpenTelemetry Collector)"
    case .alloy: "Alloy receiver"
    case .alloyLogs: "Alloy logs collector"
    case .alloyMetrics: "Alloy metrics collector"
    case .loki: "logs backend (Loki)"
    case .tempo: "traces backend (Tempo)"
    case .mimir: "metrics backend (Mimir)"
    case .grafana: "Grafana"
    case .pyroscope: "profiles backend (Pyroscope)"
    }
  }

  /// Roles a working stack may lack: k8s-monitoring runs its log and metric collectors only
  /// when those features are on.
  public var isOptional: Bool { self == .alloyLogs || self == .alloyMetrics }

  /// The configuration keys that pin the role's Service and port by name.
  public var serviceKey: ConfigKey {
    switch self {
    case .collector: .collectorService
    case .alloy: .alloyService
    case .alloyLogs: .alloyLogsService
    case .alloyMetrics: .alloyMetricsService
    case .loki: .lokiService
    case .tempo: .tempoService
    case .mimir: .mimirService
    case .grafana: .grafanaService
    case .pyroscope: .pyroscopeService
    }
  }

  public var portKey: ConfigKey? {
    switch self {
    case .collector: nil  // the collector's ports are by purpose (otlp, zipkin, health, metrics)
    case .alloy: .alloyPort
    case .alloyLogs, .alloyMetrics: nil
    case .loki: .lokiPort
    case .tempo: .tempoPort
    case .mimir: .mimirPort
    case .grafana: .grafanaPort
    case .pyroscope: .pyroscopePort
    }
  }
}

/// One component of the stack: where it is reached and how its readiness is asked.
public struct Component: Sendable, Equatable {
  public var role: ComponentRole
  /// The name users type (`mtobs forward loki`); the role's raw value.
  public var name: String { role.rawValue }
  public var service: String
  /// The Service port of its HTTP API.
  public var port: Int
  /// The path that answers 2xx when it is ready, on `port` (the collector's is on the pod).
  public var readinessPath: String
  /// The check id of that readiness probe in `health` (nil: not probed).
  public var readinessCheck: String?
  /// `app.kubernetes.io/name` values its pods carry in the charts people use (for discovery).
  public var nameLabels: [String]
  /// Further ports by purpose (the collector's `zipkin`, `health`, `metrics`, …).
  public var ports: [String: Int]

  public init(
    role: ComponentRole, service: String, port: Int, readinessPath: String, readinessCheck: String?,
    nameLabels: [String], ports: [String: Int] = [:]
  ) {
    self.role = role
    self.service = service
    self.port = port
    self.readinessPath = readinessPath
    self.readinessCheck = readinessCheck
    self.nameLabels = nameLabels
    self.ports = ports
  }
}

/// The one component registry: role → Service, ports, labels, readiness, read from the
/// configuration (whose defaults are the seed's DNS table) and the deploy assets' contract.
public struct ComponentRegistry: Sendable, Equatable {
  public let components: [Component]

  public init(components: [Component]) { self.components = components }

  public subscript(role: ComponentRole) -> Component? { components.first { $0.role == role } }

  public func component(named name: String) -> Component? { ComponentRole(rawValue: name).flatMap { self[$0] } }

  /// Alloy's receiver when no contract names it (k8s-monitoring's release `k8s-monitoring`).
  public static let defaultAlloyService = "k8s-monitoring-alloy-receiver"
  public static let defaultAlloyPort = 12345

  /// Every component, from the configuration and, for Alloy when its key is not set, the contract.
  public static func from(configuration: Configuration, contract: DeployContract? = nil) -> ComponentRegistry {
    func http(
      _ role: ComponentRole, _ service: ConfigKey, _ port: ConfigKey, path: String, check: String, labels: [String]
    )
      -> Component
    {
      Component(
        role: role, service: configuration.text(service), port: configuration.port(port), readinessPath: path,
        readinessCheck: check, nameLabels: labels)
    }
    let alloy = contract?.services["alloy"]
    let alloyPinned = configuration.setting(.alloyService).origin != .builtIn
    let alloyPortPinned = configuration.setting(.alloyPort).origin != .builtIn
    return ComponentRegistry(components: [
      Component(
        role: .collector, service: configuration.text(.collectorService),
        port: configuration.port(.collectorOTLPHTTPPort), readinessPath: "/", readinessCheck: "collector.health",
        nameLabels: ["opentelemetry-collector"],
        ports: [
          "otlp-grpc": configuration.port(.collectorOTLPGRPCPort),
          "otlp-http": configuration.port(.collectorOTLPHTTPPort),
          "zipkin": configuration.port(.collectorZipkinPort), "health": configuration.port(.collectorHealthPort),
          "metrics": configuration.port(.collectorMetricsPort),
        ]),
      Component(
        role: .alloy, service: alloyPinned ? configuration.text(.alloyService) : alloy?.name ?? defaultAlloyService,
        port: alloyPortPinned ? configuration.port(.alloyPort) : alloy?.port ?? configuration.port(.alloyPort),
        readinessPath: "/-/ready", readinessCheck: "alloy.ready", nameLabels: ["alloy-receiver"]),
      Component(
        role: .alloyLogs, service: configuration.text(.alloyLogsService), port: defaultAlloyPort,
        readinessPath: "/-/ready", readinessCheck: nil, nameLabels: ["alloy-logs"]),
      Component(
        role: .alloyMetrics, service: configuration.text(.alloyMetricsService), port: defaultAlloyPort,
        readinessPath: "/-/ready", readinessCheck: nil, nameLabels: ["alloy-metrics"]),
      http(.loki, .lokiService, .lokiPort, path: "/ready", check: "loki.ready", labels: ["loki"]),
      http(.tempo, .tempoService, .tempoPort, path: "/ready", check: "tempo.ready", labels: ["tempo"]),
      http(.mimir, .mimirService, .mimirPort, path: "/ready", check: "mimir.ready", labels: ["mimir"]),
      http(
        .pyroscope, .pyroscopeService, .pyroscopePort, path: "/ready", check: "pyroscope.ready", labels: ["pyroscope"]),
      http(.grafana, .grafanaService, .grafanaPort, path: "/api/health", check: "grafana.health", labels: ["grafana"]),
    ])
  }
}
