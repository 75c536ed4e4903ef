/// Every configuration key mtobs knows, its type, its built-in default and where else it may come from.
///
/// Keys are dotted and lower-case; in YAML files the dots are nesting (`grafana: {port: 80}`).
/// The defaults are the seed runbook's DNS table: the user's apps and Dapr configurations already
/// point at these names, and the shipped `deploy/` assets produce exactly these Services. For the
/// stack's Services they are preferences, not requirements: `health` finds each role by its labels
/// (`StackDiscovery`) and a default name wins only when a Service of that name exists; a value set
/// in a file, the environment or a flag pins the Service.
public struct ConfigKey: Hashable, Sendable, Comparable, CustomStringConvertible {
  public enum Kind: String, Sendable {
    case string, port, duration, stringList = "list of strings"
  }

  public let name: String
  public let kind: Kind
  public let defaultValue: ConfigValue?
  /// The environment variable that sets this key, if any (PRODUCT.md §2).
  public let environmentVariable: String?
  public let help: String

  public var description: String { name }
  public static func < (lhs: ConfigKey, rhs: ConfigKey) -> Bool { lhs.name < rhs.name }

  init(_ name: String, _ kind: Kind, _ defaultValue: ConfigValue?, env: String? = nil, _ help: String) {
    self.name = name
    self.kind = kind
    self.defaultValue = defaultValue
    self.environmentVariable = env
    self.help = help
  }
}

extension ConfigKey {
  public static let context = ConfigKey(
    "context", .string, nil, env: "MTOBS_CONTEXT", "kubeconfig context (default: the kubeconfig's current context)")
  public static let kubeconfig = ConfigKey(
    "kubeconfig", .string, nil, "kubeconfig file (default: kubectl's own lookup)")
  public static let namespace = ConfigKey(
    "namespace", .string, .string("monitoring"), env: "MTOBS_NAMESPACE", "namespace of the observability stack")
  public static let appNamespace = ConfigKey(
    "app-namespace", .string, .string("mathtrail"), "namespace of the applications with Dapr sidecars")
  public static let timeout = ConfigKey(
    "timeout", .duration, .duration(.seconds(10)),
    "time limit of each call to the cluster (health, bundle, version: --request-timeout)")
  public static let kubectl = ConfigKey(
    "tools.kubectl", .string, .string("kubectl"), env: "MTOBS_KUBECTL", "kubectl to run (a path or a name on PATH)")
  public static let skaffold = ConfigKey(
    "tools.skaffold", .string, .string("skaffold"), env: "MTOBS_SKAFFOLD", "skaffold to run")
  public static let helm = ConfigKey("tools.helm", .string, .string("helm"), env: "MTOBS_HELM", "helm to run")

  public static let grafanaService = ConfigKey(
    "grafana.service", .string, .string("lgtm-grafana"), "Grafana Service")
  public static let grafanaPort = ConfigKey("grafana.port", .port, .port(80), "Grafana Service port")
  public static let grafanaSecret = ConfigKey(
    "grafana.secret", .string, .string("lgtm-grafana"), "Secret holding Grafana's admin credentials")
  public static let pyroscopeService = ConfigKey(
    "pyroscope.service", .string, .string("pyroscope"), "Pyroscope Service")
  public static let pyroscopePort = ConfigKey("pyroscope.port", .port, .port(4040), "Pyroscope Service port")
  public static let lokiService = ConfigKey("loki.service", .string, .string("loki"), "Loki Service")
  public static let lokiPort = ConfigKey("loki.port", .port, .port(3100), "Loki HTTP port")
  public static let tempoService = ConfigKey("tempo.service", .string, .string("tempo"), "Tempo Service")
  public static let tempoPort = ConfigKey("tempo.port", .port, .port(3200), "Tempo HTTP port")
  public static let mimirService = ConfigKey("mimir.service", .string, .string("mimir"), "Mimir Service")
  public static let mimirPort = ConfigKey("mimir.port", .port, .port(9009), "Mimir HTTP port")
  public static let alloyService = ConfigKey(
    "alloy.service", .string, .string("k8s-monitoring-alloy-receiver"), "Alloy receiver Service")
  public static let alloyPort = ConfigKey("alloy.port", .port, .port(12345), "Alloy receiver HTTP port (/-/ready)")
  public static let alloyLogsService = ConfigKey(
    "alloy-logs.service", .string, .string("k8s-monitoring-alloy-logs"), "Alloy logs collector Service (optional)")
  public static let alloyMetricsService = ConfigKey(
    "alloy-metrics.service", .string, .string("k8s-monitoring-alloy-metrics"),
    "Alloy metrics collector Service (optional)")
  public static let collectorService = ConfigKey(
    "collector.service", .string, .string("otel-collector-opentelemetry-collector"),
    "OpenTelemetry Collector Service")
  public static let collectorOTLPGRPCPort = ConfigKey(
    "collector.otlp-grpc-port", .port, .port(4317), "collector OTLP gRPC port")
  public static let collectorOTLPHTTPPort = ConfigKey(
    "collector.otlp-http-port", .port, .port(4318), "collector OTLP HTTP port")
  public static let collectorZipkinPort = ConfigKey(
    "collector.zipkin-port", .port, .port(9411), "collector Zipkin port (Dapr sends here)")
  public static let collectorHealthPort = ConfigKey(
    "collector.health-port", .port, .port(13133), "collector health_check port, on the pod")
  public static let collectorMetricsPort = ConfigKey(
    "collector.metrics-port", .port, .port(8888), "collector internal metrics port, on the pod")
  public static let daprConfiguration = ConfigKey(
    "dapr.configuration", .string, .string("mathtrail-observability"),
    "name of the Dapr Configuration in the app namespace")
  public static let protectedContexts = ConfigKey(
    "deploy.protected-contexts", .stringList, .list(["*prod*"]),
    "context patterns that need --yes or a confirmation before deploy")

  /// All keys, in the order `mtobs config` prints them.
  public static let all: [ConfigKey] = [
    .context, .kubeconfig, .namespace, .appNamespace, .timeout, .kubectl, .skaffold, .helm,
    .grafanaService, .grafanaPort, .grafanaSecret, .pyroscopeService, .pyroscopePort,
    .lokiService, .lokiPort, .tempoService, .tempoPort, .mimirService, .mimirPort,
    .alloyService, .alloyPort, .alloyLogsService, .alloyMetricsService,
    .collectorService, .collectorOTLPGRPCPort, .collectorOTLPHTTPPort, .collectorZipkinPort,
    .collectorHealthPort, .collectorMetricsPort, .daprConfiguration, .protectedContexts,
  ]

  public static func named(_ name: String) -> ConfigKey? { all.first { $0.name == name } }
}
