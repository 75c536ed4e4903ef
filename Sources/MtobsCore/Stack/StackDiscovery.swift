/// The stack as found by role: for every role, its workloads, its pods and the Service (and port)
/// that readiness probes go to, with how each was found. Computed from one read of the stack
/// namespace (pure), stored in bundles so `health --from` judges exactly what was seen.
public struct StackDiscovery: Sendable, Equatable, Codable {
  public var roles: [RoleFinding]

  public init(roles: [RoleFinding]) { self.roles = roles }

  public subscript(role: ComponentRole) -> RoleFinding? { roles.first { $0.role == role } }
}

/// What was found for one role.
public struct RoleFinding: Sendable, Equatable, Codable {
  /// How the Service was chosen.
  public enum Source: String, Sendable, Equatable, Codable {
    /// Named in the configuration (a file, the environment or a flag).
    case configured
    /// The name mtobs expects by default (the seed's table, the deploy assets) exists.
    case named
    /// The only best-ranked Service labelled for the role.
    case labels
    /// Several Services claim the role equally; none was chosen (see `ambiguous`).
    case ambiguous
    /// No Service plays the role.
    case none
  }

  public var role: ComponentRole
  /// `Kind/name` of the Deployments, StatefulSets and DaemonSets of the role.
  public var workloads: [String]
  public var pods: [String]
  public var service: String?
  public var port: Int?
  public var source: Source
  /// Why: `app.kubernetes.io/name=mimir, app.kubernetes.io/component=query-frontend`, `mtobs.yaml:3`, …
  public var how: String
  /// The Services that claim the role equally when `source` is `ambiguous`.
  public var ambiguous: [String]
  /// Whether the chosen Service exists in the namespace (a configured one may not).
  public var serviceExists: Bool

  public init(
    role: ComponentRole, workloads: [String], pods: [String], service: String?, port: Int?, source: Source,
    how: String, ambiguous: [String] = [], serviceExists: Bool
  ) {
    self.role = role
    self.workloads = workloads
    self.pods = pods
    self.service = service
    self.port = port
    self.source = source
    self.how = how
    self.ambiguous = ambiguous
    self.serviceExists = serviceExists
  }

  /// Something of the role runs or answers in the namespace.
  public var isFound: Bool { !workloads.isEmpty || !pods.isEmpty || serviceExists }
}

/// What discovery is told besides the objects: the names the configuration expects and which of
/// them the user pinned.
public struct DiscoveryHints: Sendable, Equatable, Codable {
  public struct Pin: Sendable, Equatable, Codable {
    public var service: String?
    public var port: Int?
    /// Where the pin was set (`mtobs.yaml:3`, `flag --set`, `env …`).
    public var origin: String

    public init(service: String?, port: Int?, origin: String) {
      self.service = service
      self.port = port
      self.origin = origin
    }
  }

  /// Role → the Service name and port expected by default (preferred when such a Service exists).
  public var expected: [String: Expectations.Endpoint]
  /// Role → what the configuration pins.
  public var pins: [String: Pin]

  public init(expected: [String: Expectations.Endpoint], pins: [String: Pin]) {
    self.expected = expected
    self.pins = pins
  }

  /// From the configuration (and the deploy contract's Alloy name) through the component registry.
  public static func from(configuration: Configuration, contract: DeployContract? = nil) -> DiscoveryHints {
    let registry = ComponentRegistry.from(configuration: configuration, contract: contract)
    var expected: [String: Expectations.Endpoint] = [:]
    var pins: [String: Pin] = [:]
    for component in registry.components {
      expected[component.name] = .init(service: component.service, port: component.port)
      let serviceSetting = configuration.setting(component.role.serviceKey)
      let portSetting = component.role.portKey.map(configuration.setting)
      let serviceOrigin = serviceSetting.origin == .builtIn ? nil : serviceSetting.origin.description
      let portOrigin = portSetting.flatMap { $0.origin == .builtIn ? nil : $0.origin.description }
      if serviceOrigin != nil || portOrigin != nil {
        pins[component.name] = Pin(
          service: serviceOrigin == nil ? nil : component.service, port: portOrigin == nil ? nil : component.port,
          origin: [serviceOrigin, portOrigin].compactMap { $0 }.joined(separator: ", "))
      }
    }
    return DiscoveryHints(expected: expected, pins: pins)
  }

  /// For bundles written before discovery existed: their expectations' names, none pinned.
  public init(expectations: Expectations) {
    var expected = expectations.endpoints
    expected[ComponentRole.collector.rawValue] = .init(
      service: expectations.collectorService, port: expectations.collectorZipkinPort)
    self.init(expected: expected, pins: expectations.pins ?? [:])
  }
}

extension StackDiscovery {
  /// Service names that only address pods one by one or carry cluster gossip: never a readiness target.
  static let internalServiceSuffixes = ["-headless", "-memberlist", "-discovery", "-gossip-ring", "-cluster"]

  /// `app.kubernetes.io/component` values in the order a readiness probe should prefer them
  /// ("" = a single binary); a Service whose component is not listed ranks after these.
  static func preferredComponents(_ role: ComponentRole) -> [String] {
    switch role {
    case .loki: ["", "single-binary", "read", "query-frontend", "querier", "gateway"]
    case .tempo: ["", "query-frontend", "querier", "distributor"]
    case .mimir: ["", "query-frontend", "querier", "gateway", "nginx", "distributor"]
    case .pyroscope: ["", "all", "query-frontend", "querier"]
    case .collector: ["", "standalone-collector", "statefulset-collector", "agent-collector"]
    default: [""]
    }
  }

  /// Port names of HTTP APIs in the charts, most specific first.
  static let httpPortNames = ["http-metrics", "http", "http2", "http-web", "service", "web"]

  /// Assigns every role from the stack namespace's objects.
  public static func discover(objects: [KubeObject], hints: DiscoveryHints) -> StackDiscovery {
    var workloads: [ComponentRole: [String]] = [:]
    var pods: [ComponentRole: [String]] = [:]
    var services: [ComponentRole: [(KubeObject, String)]] = [:]
    var serviceByName: [String: KubeObject] = [:]
    for object in objects {
      if object.kind == "Service" { serviceByName[object.name] = object }
      guard case .role(let role, let evidence) = RoleClassifier.classify(object) else { continue }
      switch object.kind {
      case "Deployment", "StatefulSet", "DaemonSet":
        workloads[role, default: []].append("\(object.kind)/\(object.name)")
      case "Pod": pods[role, default: []].append(object.name)
      case "Service": services[role, default: []].append((object, evidence))
      default: break
      }
    }
    let roles = ComponentRole.allCases.map { role in
      var finding = chooseService(
        role, candidates: services[role] ?? [], byName: serviceByName, hints: hints)
      finding.workloads = workloads[role] ?? []
      finding.pods = pods[role] ?? []
      return finding
    }
    return StackDiscovery(roles: roles)
  }

  /// The Service of one role: pinned, else the expected name if it exists, else the one best-ranked
  /// Service labelled for the role; two equally good ones are reported, never picked between.
  static func chooseService(
    _ role: ComponentRole, candidates: [(KubeObject, String)], byName: [String: KubeObject], hints: DiscoveryHints
  ) -> RoleFinding {
    let expected = hints.expected[role.rawValue]
    let pin = hints.pins[role.rawValue]
    func finding(_ service: KubeObject?, name: String, source: RoleFinding.Source, how: String) -> RoleFinding {
      let port = pin?.port ?? service.map { servicePort(of: $0, expected: expected?.port) } ?? expected?.port
      return RoleFinding(
        role: role, workloads: [], pods: [], service: name, port: port, source: source, how: how,
        serviceExists: service != nil)
    }
    if let pinned = pin?.service {
      return finding(byName[pinned], name: pinned, source: .configured, how: pin?.origin ?? "configured")
    }
    if let name = expected?.service, let service = byName[name] {
      // A Service of the expected name counts unless its labels say it is another role's.
      var anotherRole = false
      if case .role(let other, _) = RoleClassifier.classify(service) { anotherRole = other != role }
      if !anotherRole {
        let how = pin.map { "Service named \(name); \($0.origin)" } ?? "Service named \(name)"
        return finding(service, name: name, source: .named, how: how)
      }
    }
    let usable = candidates.filter { candidate in
      candidate.0.raw[path: "spec", "clusterIP"]?.string != "None"
        && !internalServiceSuffixes.contains { candidate.0.name.hasSuffix($0) }
    }
    let preferred = preferredComponents(role)
    func rank(_ service: KubeObject) -> Int {
      preferred.firstIndex(of: RoleClassifier.component(service)) ?? preferred.count
    }
    guard let best = usable.map({ rank($0.0) }).min() else {
      return RoleFinding(
        role: role, workloads: [], pods: [], service: nil, port: pin?.port, source: .none, how: "not found",
        serviceExists: false)
    }
    let top = usable.filter { rank($0.0) == best }
    if top.count > 1 {
      let names = top.map(\.0.name).sorted()
      return RoleFinding(
        role: role, workloads: [], pods: [], service: nil, port: nil, source: .ambiguous,
        how: "labelled \(top[0].1)", ambiguous: names, serviceExists: false)
    }
    let (service, evidence) = top[0]
    let component = RoleClassifier.component(service)
    let how = component.isEmpty ? "labelled \(evidence)" : "labelled \(evidence), component \(component)"
    return finding(service, name: service.name, source: .labels, how: how)
  }

  /// The Service port to probe: the expected one if the Service has it, else the first port with
  /// an HTTP name, else the first port.
  static func servicePort(of service: KubeObject, expected: Int?) -> Int? {
    let ports = (service.raw[path: "spec", "ports"]?.array ?? []).compactMap { port -> (String, Int)? in
      guard let number = port["port"]?.int else { return nil }
      return (port["name"]?.string ?? "", number)
    }
    guard !ports.isEmpty else { return expected }
    if let expected, ports.contains(where: { $0.1 == expected }) { return expected }
    for name in httpPortNames { if let match = ports.first(where: { $0.0 == name }) { return match.1 } }
    return ports[0].1
  }

  static func nameLabels(_ role: ComponentRole) -> [String] {
    ComponentRegistry.from(configuration: .defaults)[role]?.nameLabels ?? [role.rawValue]
  }

  /// What was looked for, for several roles that were not found.
  public static func lookedFor(_ roles: [ComponentRole], hints: DiscoveryHints) -> String {
    let values = roles.flatMap(nameLabels).joined(separator: ", ")
    let names = roles.compactMap { role in
      (hints.pins[role.rawValue]?.service ?? hints.expected[role.rawValue]?.service).map { "'\($0)'" }
    }
    return "looked for Services and workloads labelled app.kubernetes.io/name (or app) = \(values), "
      + "or named after them, and for Services named \(names.joined(separator: ", "))"
  }

  /// What was looked for, for a role that was not found.
  public static func lookedFor(_ role: ComponentRole, hints: DiscoveryHints) -> String {
    let labelText = nameLabels(role).map { "app.kubernetes.io/name=\($0) (or app=\($0))" }.joined(separator: ", ")
    var text = "looked for Services and workloads labelled \(labelText) or named after it"
    if let name = hints.pins[role.rawValue]?.service {
      text += "; the configured Service '\(name)' does not exist"
    } else if let name = hints.expected[role.rawValue]?.service {
      text += ", and for a Service named '\(name)'"
    }
    return text
  }
}
