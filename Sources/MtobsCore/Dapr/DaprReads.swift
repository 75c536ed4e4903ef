/// What `mtobs debug-dapr` reads beyond `health`'s snapshot, as plain data: the input of its pure
/// evaluation and part of `mtobs bundle` files (`Snapshot.daprDebug`), so `debug-dapr --from FILE`
/// judges exactly what was read.
public struct DaprReads: Sendable, Equatable, Codable {
  /// Where Dapr's Helm chart and `dapr init -k` install the control plane.
  public static let controlPlaneNamespace = "dapr-system"

  /// The app namespaces judged: as asked (`--app-namespace`, the configuration), or with
  /// `--all-namespaces` those holding a Dapr-enabled pod or a Configuration.
  public var appNamespaces: [String]
  public var allNamespaces: Bool
  /// Deployments, StatefulSets and Pods of `dapr-system`.
  public var controlPlane: Read<[KubeObject]>
  /// The Configurations of the whole cluster (or, when that is refused, of the app namespaces and
  /// the stack's): a Configuration in the wrong namespace is the mistake to name.
  public var configurations: Read<[KubeObject]>
  /// When each Configuration last changed (`namespace/name` → RFC 3339), from its managed fields,
  /// which bundles strip, so the time is kept here.
  public var configurationChanges: [String: String]
  /// The namespaces that exist (fails when namespaces may not be listed).
  public var namespaces: Read<[String]>
  /// The pods of the app namespaces annotated `dapr.io/enabled: "true"`.
  public var daprPods: Read<[KubeObject]>
  /// The Services of the namespaces the Configurations' endpoints name, and of the stack's.
  public var services: Read<[KubeObject]>
  /// The `daprd` sidecars' last log lines (bounded).
  public var sidecarLogs: [LogTail]
  /// What `--probe` found; nil when it was not asked for.
  public var probe: DaprProbeResult?

  public init(
    appNamespaces: [String], allNamespaces: Bool, controlPlane: Read<[KubeObject]>,
    configurations: Read<[KubeObject]>, configurationChanges: [String: String] = [:], namespaces: Read<[String]>,
    daprPods: Read<[KubeObject]>, services: Read<[KubeObject]>, sidecarLogs: [LogTail] = [],
    probe: DaprProbeResult? = nil
  ) {
    self.appNamespaces = appNamespaces
    self.allNamespaces = allNamespaces
    self.controlPlane = controlPlane
    self.configurations = configurations
    self.configurationChanges = configurationChanges
    self.namespaces = namespaces
    self.daprPods = daprPods
    self.services = services
    self.sidecarLogs = sidecarLogs
    self.probe = probe
  }

  /// The Configurations of one namespace.
  func configurations(in namespace: String) -> [KubeObject] {
    (configurations.value ?? []).filter { $0.namespace == namespace }
  }

  func pods(in namespace: String) -> [KubeObject] {
    (daprPods.value ?? []).filter { $0.namespace == namespace }
  }

  func service(_ name: String, in namespace: String) -> KubeObject? {
    (services.value ?? []).first { $0.kind == "Service" && $0.name == name && $0.namespace == namespace }
  }

  /// With secret-looking values removed, as every object of a bundle (`BundleFile.sanitized`).
  func sanitized() -> DaprReads {
    var copy = self
    let sanitize = { (object: KubeObject) in KubeObject(BundleRedaction.sanitize(object.raw)) }
    copy.controlPlane.value = controlPlane.value?.map(sanitize)
    copy.configurations.value = configurations.value?.map(sanitize)
    copy.daprPods.value = daprPods.value?.map(sanitize)
    copy.services.value = services.value?.map(sanitize)
    copy.sidecarLogs = sidecarLogs.map { tail in
      var tail = tail
      tail.lines = tail.lines.map(BundleRedaction.redact)
      return tail
    }
    copy.probe?.output = probe?.output.map(BundleRedaction.redact) ?? []
    return copy
  }
}
