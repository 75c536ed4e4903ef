/// What `mtobs forward` can forward, by the names users type, and how each becomes specs: the
/// Service found by role (discovery, with the configuration's pins and names), the seed's local
/// ports by default, and a probe that suits the port.
public enum ForwardTargets {
  /// The names `mtobs forward` accepts, in the order `--all` starts them.
  public static let names = ["grafana", "pyroscope", "loki", "tempo", "mimir", "collector"]

  /// The seed's local ports (`http://localhost:3000` for Grafana, …).
  public static func defaultLocalPort(_ name: String) -> Int {
    switch name {
    case "grafana": 3000
    case "pyroscope": 4040
    case "loki": 3100
    case "tempo": 3200
    case "mimir": 9009
    case "collector/otlp-grpc": 4317
    case "collector/otlp-http": 4318
    case "collector/zipkin": 9411
    default: 0
    }
  }

  /// The specs for `names` from the stack namespace's objects (one list, done by the caller).
  /// `port` replaces the local port of a single forward; `address` is where they all listen.
  public static func specs(
    names: [String], registry: ComponentRegistry, discovery: StackDiscovery, hints: DiscoveryHints, address: String,
    port: Int?
  ) throws -> [ForwardSpec] {
    var specs: [ForwardSpec] = []
    for name in names {
      guard let role = ComponentRole(rawValue: name), let component = registry[role] else {
        throw ForwardError.notFound(
          name: name, message: "'\(name)' cannot be forwarded",
          hint: "choose from: \(Self.names.joined(separator: ", "))")
      }
      let finding = discovery[role]
      let service: String
      switch finding?.source {
      case .ambiguous?:
        throw ForwardError.notFound(
          name: name,
          message: "several Services claim the role equally: \(finding?.ambiguous.joined(separator: ", ") ?? "")",
          hint: "pin one with '\(role.serviceKey.name)' in mtobs.yaml")
      case .none?, nil:
        throw ForwardError.notFound(
          name: name, message: "no \(role.title) found in the stack namespace",
          hint: StackDiscovery.lookedFor(role, hints: hints) + "; pin it with '\(role.serviceKey.name)' in mtobs.yaml")
      default:
        service = finding?.service ?? component.service
      }
      if role == .collector {
        let purposes = [
          ("otlp-grpc", ForwardSpec.Probe.tcp), ("otlp-http", .http(path: "/")), ("zipkin", .http(path: "/")),
        ]
        for (purpose, probe) in purposes {
          guard let servicePort = component.ports[purpose] else { continue }
          let specName = "collector/\(purpose)"
          specs.append(
            ForwardSpec(
              name: specName, role: role, service: service, servicePort: servicePort, localAddress: address,
              localPort: defaultLocalPort(specName), probe: probe))
        }
      } else {
        specs.append(
          ForwardSpec(
            name: name, role: role, service: service, servicePort: finding?.port ?? component.port,
            localAddress: address, localPort: defaultLocalPort(name), probe: .http(path: component.readinessPath)))
      }
    }
    if let port, specs.count == 1 { specs[0].localPort = port }
    return specs
  }

  /// Reads the stack namespace once and works out the specs.
  public static func resolve(
    names: [String], run: Run, kube: KubeClient, address: String, port: Int?
  ) async throws -> [ForwardSpec] {
    let contract = HealthCollector.deployContract(run: run)
    let registry = ComponentRegistry.from(configuration: run.configuration, contract: contract)
    let hints = DiscoveryHints.from(configuration: run.configuration, contract: contract)
    let objects = try await kube.list(
      kinds: ["deployments", "daemonsets", "statefulsets", "services"], namespace: kube.target.namespace)
    let discovery = StackDiscovery.discover(objects: objects, hints: hints)
    return try specs(names: names, registry: registry, discovery: discovery, hints: hints, address: address, port: port)
  }
}
