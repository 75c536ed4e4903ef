/// `collector.config`, `.pipelines`, `.zipkin-receiver`, `.exporter-endpoints`, `.rbac`: the
/// collector's own wiring, judged from its configuration and the cluster's objects — the seed's
/// class of mistake (an exporter to a Service that does not exist, zipkin dropped from the traces
/// pipeline, no RBAC for `k8sattributes`) is found before any data is lost.
enum CollectorWiringChecks {
  static let fixValues = "fix the collector's values (deploy/values/otel-collector.yaml), then mtobs deploy"

  /// Runs `judge` on the configuration, or gives why it could not be read. Only `collector.config`
  /// says why (`reportsProblem`); the checks that need the configuration are skipped, naming it,
  /// so one unreadable ConfigMap is one finding rather than five copies of it.
  static func withConfig(
    _ snapshot: Snapshot, reportsProblem: Bool = false, _ judge: (CollectorConfig) -> Verdict
  ) -> Verdict {
    switch CollectorWiring.config(snapshot) {
    case .problem(let verdict):
      guard reportsProblem || verdict.status == .pass else {
        return .skip("skipped: the collector's configuration was not read (collector.config)")
      }
      return verdict
    case .read(let config): return judge(config)
    }
  }

  static func showConfig(_ config: CollectorConfig, _ snapshot: Snapshot) -> String {
    "kubectl get configmap \(config.configMap) -n \(snapshot.namespace) -o yaml"
  }

  static let all: [HealthCheck] = [
    HealthCheck(
      id: "collector.config", category: "collector", title: "collector configuration is readable",
      dependencies: ["kubernetes.namespace"]
    ) { snapshot in
      withConfig(snapshot, reportsProblem: true) { config in
        func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
        let counts = ["receiver", "processor", "exporter"].map { count(config.section($0 + "s").count, $0) }
        return .pass(
          "ConfigMap \(config.configMap) key \(config.key): " + counts.joined(separator: ", ") + ", "
            + count(config.pipelines.count, "pipeline"),
          objects: CollectorWiring.reference(config, snapshot))
      }
    },
    HealthCheck(
      id: "collector.pipelines", category: "collector",
      title: "every pipeline has receivers and exporters, all defined", dependencies: ["collector.config"]
    ) { snapshot in
      withConfig(snapshot) { config in pipelines(config, snapshot) }
    },
    HealthCheck(
      id: "collector.zipkin-receiver", category: "collector",
      title: "the traces pipeline receives Dapr's Zipkin spans", dependencies: ["collector.config"]
    ) { snapshot in
      withConfig(snapshot) { config in zipkin(config, snapshot) }
    },
    HealthCheck(
      id: "collector.exporter-endpoints", category: "collector",
      title: "exporters send to Services that exist and are ready", dependencies: ["collector.config"]
    ) { snapshot in
      withConfig(snapshot) { config in endpoints(config, snapshot) }
    },
    HealthCheck(
      id: "collector.rbac", category: "collector",
      title: "the collector may read pods, namespaces and replicasets (k8sattributes)",
      dependencies: ["collector.config"]
    ) { snapshot in
      withConfig(snapshot) { config in rbac(config, snapshot) }
    },
  ]

  // MARK: - Pipelines

  static func pipelines(_ config: CollectorConfig, _ snapshot: Snapshot) -> Verdict {
    let objects = CollectorWiring.reference(config, snapshot)
    let pipelines = config.pipelines
    guard !pipelines.isEmpty else {
      return Verdict(
        status: .fail, message: "the configuration has no pipelines (service.pipelines): the collector moves no data",
        hint: "\(showConfig(config, snapshot))   # \(fixValues)", objects: objects, recoverable: false)
    }
    let connectors = Set(config.section("connectors").keys)
    var problems: [String] = []
    for pipeline in pipelines {
      let pipelineName = "pipeline \(pipeline.name)"
      for field in pipeline.malformed { problems.append("\(pipelineName): \(field) is not a list of names") }
      if pipeline.receivers.isEmpty { problems.append("\(pipelineName) has no receiver") }
      if pipeline.exporters.isEmpty { problems.append("\(pipelineName) has no exporter: its data goes nowhere") }
      let lists: [(String, [String], Set<String>)] = [
        ("receiver", pipeline.receivers, Set(config.section("receivers").keys).union(connectors)),
        ("processor", pipeline.processors, Set(config.section("processors").keys)),
        ("exporter", pipeline.exporters, Set(config.section("exporters").keys).union(connectors)),
      ]
      for (role, names, defined) in lists {
        for name in names where !defined.contains(name) {
          let section = role + "s"
          let known = config.section(section).keys.sorted()
          problems.append(
            "\(pipelineName) names \(role) \(name), which is not defined under \(section) (defined: "
              + (known.isEmpty ? "none" : known.joined(separator: ", ")) + ")")
        }
      }
    }
    if !problems.isEmpty {
      // The collector refuses such a configuration at start-up: its pods crash-loop or keep the
      // previous version running.
      return Verdict(
        status: .fail, message: problems.joined(separator: "; "),
        hint: "\(showConfig(config, snapshot))   # \(fixValues)", objects: objects, recoverable: false)
    }
    return .pass(
      pipelines.map { "\($0.name): \($0.receivers.joined(separator: ", ")) → \($0.exporters.joined(separator: ", "))" }
        .joined(separator: "; "), objects: objects)
  }

  // MARK: - Zipkin

  static func isTraces(_ pipeline: CollectorConfig.Pipeline) -> Bool {
    pipeline.name == "traces" || pipeline.name.hasPrefix("traces/")
  }

  static func zipkin(_ config: CollectorConfig, _ snapshot: Snapshot) -> Verdict {
    let objects = CollectorWiring.reference(config, snapshot)
    let port = snapshot.expectations.collectorZipkinPort
    let hint = "\(showConfig(config, snapshot))   # \(fixValues)"
    let traces = config.pipelines.filter(isTraces)
    guard !traces.isEmpty else {
      return Verdict(
        status: .fail, message: "no traces pipeline: Dapr's spans sent to :\(port) are dropped", hint: hint,
        objects: objects, recoverable: false)
    }
    let zipkinReceivers = traces.flatMap { pipeline in
      pipeline.receivers.filter { CollectorConfig.type(of: $0) == "zipkin" }.map { (pipeline.name, $0) }
    }
    guard let (pipeline, receiver) = zipkinReceivers.first else {
      let listed = traces.map { "\($0.name) [\($0.receivers.joined(separator: ", "))]" }.joined(separator: ", ")
      return Verdict(
        status: .fail,
        message:
          "the traces pipeline does not list the zipkin receiver (\(listed)): Dapr sends spans to :\(port) and they are "
          + "dropped; add zipkin to service.pipelines.traces.receivers",
        hint: hint, objects: objects, recoverable: false)
    }
    guard let settings = config.section("receivers")[receiver] else {
      return Verdict(
        status: .fail, message: "pipeline \(pipeline) names receiver \(receiver), which is not defined under receivers",
        hint: hint, objects: objects, recoverable: false)
    }
    // The receiver's default endpoint is 0.0.0.0:9411.
    let endpoint = settings["endpoint"]?.string ?? "0.0.0.0:9411"
    let listens = endpoint.split(separator: ":").last.flatMap { Int($0) }
    guard listens == port else {
      return Verdict(
        status: .fail,
        message:
          "receiver \(receiver) listens on \(endpoint), but Dapr sends to port \(port) (collector.zipkin-port)",
        hint: hint, objects: objects, recoverable: false)
    }
    let serviceName = snapshot.expectations.collectorService
    if let service = (snapshot.stack.value ?? []).first(where: { $0.kind == "Service" && $0.name == serviceName }),
      let ports = service.raw[path: "spec", "ports"]?.array,
      !ports.contains(where: { $0["port"]?.int == port })
    {
      let exposed = ports.compactMap { $0["port"]?.int }.map(String.init).joined(separator: ", ")
      return Verdict(
        status: .fail,
        message:
          "receiver \(receiver) listens on :\(port), but Service \(serviceName) does not expose it "
          + "(ports: \(exposed.isEmpty ? "none" : exposed)); enable ports.zipkin in the collector's values",
        hint: "kubectl get service \(serviceName) -n \(snapshot.namespace) -o yaml   # \(fixValues)",
        objects: objects + [service.reference], recoverable: false)
    }
    return .pass("pipeline \(pipeline) receives with \(receiver) on :\(port)", objects: objects)
  }

  // MARK: - Exporter endpoints

  static func endpoints(_ config: CollectorConfig, _ snapshot: Snapshot) -> Verdict {
    if let skip = HealthChecks.unreadableStack(snapshot) { return skip }
    // The collector only builds the exporters its pipelines use.
    let used = config.pipelines.isEmpty ? nil : Set(config.pipelines.flatMap(\.exporters))
    let destinations = ExporterEndpoints.destinations(config, exporters: used)
    let objects = CollectorWiring.reference(config, snapshot)
    guard !destinations.isEmpty else {
      return .pass("no exporter sends to an address (nothing to check)", objects: objects)
    }
    let findings = destinations.map { ExporterEndpoints.judge($0, snapshot) }
    let problems = findings.compactMap(\.problem)
    let touched =
      objects + findings.flatMap(\.objects).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    if !problems.isEmpty {
      return Verdict(
        status: .fail, message: problems.joined(separator: "; "),
        hint: "kubectl get services -n \(snapshot.namespace)   # point the exporter at one of them: \(fixValues)",
        objects: touched, recoverable: findings.allSatisfy { $0.problem == nil || $0.recoverable })
    }
    return .pass(findings.map(\.summary).joined(separator: "; "), objects: touched)
  }

  // MARK: - RBAC

  static func rbac(_ config: CollectorConfig, _ snapshot: Snapshot) -> Verdict {
    guard CollectorRBAC.usesKubernetesAttributes(config) else {
      return .skip("no pipeline uses the k8sattributes processor, so the collector needs no read access to pods")
    }
    guard let clusterRead = snapshot.collectorClusterRBAC, let namespaceRead = snapshot.collectorNamespaceRBAC else {
      return .skip(CollectorWiring.olderBundle)
    }
    let namespace = snapshot.namespace
    let accounts = CollectorWiring.serviceAccounts(snapshot)
    let subject = accounts.first ?? "default"
    let canI = "kubectl auth can-i list pods --all-namespaces --as=system:serviceaccount:\(namespace):\(subject)"
    let objects = accounts.map { HealthChecks.reference(namespace, "serviceaccount", $0) }
    if let error = clusterRead.error {
      // Reading ClusterRoles is often not allowed to operators; that says nothing about the stack.
      return Verdict(
        status: .warn, message: "cannot judge: reading ClusterRoles and ClusterRoleBindings failed: \(error.message)",
        hint: canI, objects: objects)
    }
    let grants = CollectorRBAC.grants(
      cluster: clusterRead.value ?? [], namespaced: namespaceRead.value ?? [], serviceAccounts: accounts,
      namespace: namespace)
    let missing = CollectorRBAC.missing(grants)
    guard !missing.isEmpty else {
      return .pass(
        "service account \(accounts.joined(separator: ", ")) may get/list/watch pods, namespaces and replicasets ("
          + grants.bindings.joined(separator: "; ") + ")", objects: objects)
    }
    let lacking = missing.map { "\($0.verbs.joined(separator: "/")) \($0.resource.display)" }.joined(separator: ", ")
    var message =
      "service account \(namespace)/\(accounts.joined(separator: ", ")) may not \(lacking) cluster-wide, "
      + "which k8sattributes needs: it adds no Kubernetes attributes and logs 'forbidden'"
    message +=
      grants.bindings.isEmpty ? " (no binding names it)" : " (bound: \(grants.bindings.joined(separator: "; ")))"
    if !grants.danglingRoles.isEmpty { message += "; " + grants.danglingRoles.joined(separator: "; ") }
    if !grants.inNamespace.isEmpty { message += "; a RoleBinding grants some of it in '\(namespace)' only" }
    if namespaceRead.error != nil { message += "; Roles in '\(namespace)' could not be read" }
    return Verdict(
      status: .fail, message: message,
      hint: "\(canI)   # enable presets.kubernetesAttributes in the collector's values (it creates the ClusterRole), "
        + "then mtobs deploy",
      objects: objects, recoverable: false)
  }
}
