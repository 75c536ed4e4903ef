/// What `mtobs debug-dapr` reads beyond `health`'s snapshot, as plain data: the input of its pure
/// evaluation and part of `mtobs bundle` files (`Snapshot.daprDebug`), so `debug-dapr --from FILE`
/// judges exactly what was read.
public struct DaprReads: Sendable, Equatable, Codable {
  /// Where Dapr's Helm chart and `dapr init -k` install the control plane.
  public static let controlPlaneNamespace = "dapr-system"

  /// The app namespaces judged: as asked (`--app-namespace`, the configuration), or with
  /// `--all-namespaces` those holding a Dapr-enabled pod or a Configuration.
  public var appNamespaces: [String]
  /// The Dapr pods were listed in every namespace (`--all-namespaces`, bundles), so any namespace
  /// can be judged from these reads (`debug-dapr --from FILE --app-namespace NS`).
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
  /// The pods annotated `dapr.io/enabled: "true"` of the app namespaces (of every namespace with
  /// `allNamespaces`).
  public var daprPods: Read<[KubeObject]>
  /// The Services of the namespaces the Configurations' endpoints name, and of the stack's.
  public var services: Read<[KubeObject]>
  /// App namespaces whose pods could not be listed (namespace → why), while others could: each
  /// is named, and the others are still judged. Nil in bundles made before it existed.
  public var unreadPods: [String: String]?
  /// The `daprd` sidecars' last log lines (bounded).
  public var sidecarLogs: [LogTail]
  /// What `--probe` found; nil when it was not asked for.
  public var probe: DaprProbeRun?

  public init(
    appNamespaces: [String], allNamespaces: Bool, controlPlane: Read<[KubeObject]>,
    configurations: Read<[KubeObject]>, configurationChanges: [String: String] = [:], namespaces: Read<[String]>,
    daprPods: Read<[KubeObject]>, services: Read<[KubeObject]>, sidecarLogs: [LogTail] = [],
    probe: DaprProbeRun? = nil
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

  /// The app namespaces that exist (all of them when namespaces could not be listed): a missing one
  /// is `dapr.app-namespaces`'s finding, and must not hide what the others hold.
  var existingAppNamespaces: [String] {
    guard let existing = namespaces.value.map(Set.init) else { return appNamespaces }
    return appNamespaces.filter(existing.contains)
  }

  /// The same reads judging other namespaces (`debug-dapr --from FILE --app-namespace NS`, or every
  /// namespace using Dapr), or why these reads cannot say.
  public func judging(_ namespaces: [String]?, stackNamespace: String) -> Result<DaprReads, DaprScopeError> {
    var copy = self
    if let namespaces {
      let unread = namespaces.filter { !appNamespaces.contains($0) }
      guard allNamespaces || unread.isEmpty else { return .failure(DaprScopeError(read: appNamespaces, asked: unread)) }
      copy.appNamespaces = namespaces
    } else {
      guard allNamespaces else { return .failure(DaprScopeError(read: appNamespaces, asked: nil)) }
      copy.appNamespaces = DaprCollector.namespacesUsingDapr(
        pods: daprPods.value ?? [], configurations: configurations.value ?? [], stackNamespace: stackNamespace)
    }
    return .success(copy)
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
    copy.probe?.results = (probe?.results ?? []).map { result in
      var result = result
      result.output = result.output.map(BundleRedaction.redact)
      return result
    }
    return copy
  }
}

/// Reads that hold the Dapr pods of some namespaces only, asked to judge others.
public struct DaprScopeError: Error, Sendable, Equatable {
  /// The namespaces whose pods were read.
  public let read: [String]
  /// The namespaces asked for that were not read; nil for "every namespace".
  public let asked: [String]?
}
