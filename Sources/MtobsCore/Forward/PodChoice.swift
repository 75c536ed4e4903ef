/// The pod a tunnel goes to and the container port behind the Service port: what `kubectl
/// port-forward svc/…` works out once and never again, worked out by mtobs at every reconnect.
public struct PodChoice: Sendable, Equatable {
  public var pod: String
  public var port: Int

  public init(pod: String, port: Int) {
    self.pod = pod
    self.port = port
  }

  public enum Problem: Error, Sendable, Equatable {
    /// The Service selects no pod by labels (an ExternalName or hand-made Endpoints).
    case noSelector(service: String)
    /// No selected pod is running, ready and not terminating.
    case noReadyPod(service: String, selected: Int)
  }

  /// The Service's label selector as a query (`a=b,c=d`), or nil when it has none.
  public static func selector(of service: KubeObject) -> String? {
    guard case .object(let fields)? = service.raw[path: "spec", "selector"], !fields.isEmpty else { return nil }
    return fields.keys.sorted().compactMap { key in fields[key]?.string.map { "\(key)=\($0)" } }.joined(separator: ",")
  }

  /// A pod that is Running, Ready and not being deleted, preferring `avoid` last (the pod just
  /// lost) when another is ready; names break ties so the choice is stable.
  public static func choose(
    service: KubeObject, pods: [KubeObject], servicePort: Int, avoid: String? = nil
  ) -> Result<PodChoice, Problem> {
    guard selector(of: service) != nil else { return .failure(.noSelector(service: service.name)) }
    let ready = pods.filter(isReady).sorted { $0.name < $1.name }
    guard !ready.isEmpty else { return .failure(.noReadyPod(service: service.name, selected: pods.count)) }
    let pod = ready.first { $0.name != avoid } ?? ready[0]
    return .success(PodChoice(pod: pod.name, port: targetPort(service: service, pod: pod, servicePort: servicePort)))
  }

  public static func isReady(_ pod: KubeObject) -> Bool {
    guard
      pod.raw[path: "metadata", "deletionTimestamp"] == nil || pod.raw[path: "metadata", "deletionTimestamp"] == .null,
      pod.raw[path: "status", "phase"]?.string == "Running"
    else { return false }
    let conditions = pod.raw[path: "status", "conditions"]?.array ?? []
    return conditions.contains { $0["type"]?.string == "Ready" && $0["status"]?.string == "True" }
  }

  /// The Service port's targetPort: a number, or a container port's name; the Service port itself
  /// when neither says more.
  static func targetPort(service: KubeObject, pod: KubeObject, servicePort: Int) -> Int {
    let ports = service.raw[path: "spec", "ports"]?.array ?? []
    guard let entry = ports.first(where: { $0["port"]?.int == servicePort }) ?? (ports.count == 1 ? ports.first : nil)
    else { return servicePort }
    if let number = entry["targetPort"]?.int, (1...65535).contains(number) { return number }
    if let name = entry["targetPort"]?.string {
      if let number = Int(name), (1...65535).contains(number) { return number }
      for container in pod.raw[path: "spec", "containers"]?.array ?? [] {
        for port in container["ports"]?.array ?? [] where port["name"]?.string == name {
          if let number = port["containerPort"]?.int, (1...65535).contains(number) { return number }
        }
      }
    }
    return entry["port"]?.int ?? servicePort
  }
}
