import Foundation

/// A repository with deploy assets, stand-in `skaffold`/`helm` that record their argv, and a
/// kubeconfig, for black-box deploy tests.
struct DeployFixture {
  let directory: TemporaryDirectory
  var root: URL { directory.url.appendingPathComponent("repo") }
  var bin: URL { directory.url.appendingPathComponent("bin") }
  var record: URL { directory.url.appendingPathComponent("argv.log") }
  var kubeconfig: URL { directory.url.appendingPathComponent("kubeconfig") }
  var toolChildPIDFile: URL { directory.url.appendingPathComponent("tool-child.pid") }

  /// The PID of the `sleep` a hanging tool started, once it has started.
  var toolChildPID: pid_t? {
    (try? String(contentsOf: toolChildPIDFile, encoding: .utf8)).flatMap {
      pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines))
    }
  }

  static let skaffold = """
    apiVersion: skaffold/v4beta14
    kind: Config
    metadata: {name: observability}
    manifests:
      rawYaml: [manifests/service-aliases.yaml]
    deploy:
      helm:
        releases:
          - name: otel-collector
            repo: https://open-telemetry.github.io/opentelemetry-helm-charts
            remoteChart: opentelemetry-collector
            version: 0.170.0
            namespace: monitoring
            createNamespace: true
            valuesFiles: [values/otel-collector.yaml]
    profiles:
      - name: infra-observability
      - name: all-infra
        deploy:
          helm:
            releases:
              - name: otel-collector
                repo: https://open-telemetry.github.io/opentelemetry-helm-charts
                remoteChart: opentelemetry-collector
                version: 0.170.0
                namespace: monitoring
                valuesFiles: [values/otel-collector.yaml]
              - name: pyroscope
                repo: https://grafana.github.io/helm-charts
                remoteChart: pyroscope
                version: 1.14.0
                namespace: monitoring
                valuesFiles: [values/pyroscope.yaml]
    """

  /// `context` names the kubeconfig's current context; `server` is where it points.
  /// With `toolHangs`, the tools start a long `sleep` child (its PID in `toolChildPID`) and wait for it.
  /// `otherContext` (name, server) adds a second context, and the tools switch the kubeconfig's
  /// current context to it as they run (someone typing `kubectl config use-context` mid-deploy).
  init(
    context: String = "dev", server: String = "http://127.0.0.1:1", toolExitCode: Int = 0, toolHangs: Bool = false,
    otherContext: (name: String, server: String)? = nil
  )
    throws
  {
    directory = try TemporaryDirectory()
    _ = try directory.write(Self.skaffold, to: "repo/skaffold.yaml")
    _ = try directory.write("mode: deployment\n", to: "repo/values/otel-collector.yaml")
    _ = try directory.write("{}\n", to: "repo/values/pyroscope.yaml")
    _ = try directory.write(
      "apiVersion: v1\nkind: Service\nmetadata: {name: loki, namespace: monitoring}\nspec: {ports: [{port: 3100}]}\n",
      to: "repo/manifests/service-aliases.yaml")
    _ = try directory.write(
      """
      apiVersion: dapr.io/v1alpha1
      kind: Configuration
      metadata: {name: mathtrail-observability, namespace: mathtrail}
      spec:
        tracing:
          samplingRate: "1"
          zipkin: {endpointAddress: "http://otel-collector-opentelemetry-collector.monitoring.svc.cluster.local:9411/api/v2/spans"}
      """, to: "repo/manifests/dapr-configuration.yaml")
    try git(["init", "-q"], in: root)
    try git(["add", "."], in: root)
    try git(["commit", "-qm", "assets"], in: root)
    let switchContext = otherContext.map { "kubectl config use-context '\($0.name)' >/dev/null" } ?? ""
    for tool in ["skaffold", "helm"] {
      _ = try directory.write(
        """
        #!/usr/bin/env bash
        printf '%s\\n' "$(basename "$0") $*" >> '\(record.path)'
        \(switchContext)
        echo "\(tool): working on it"
        if [ "\(toolHangs)" = true ]; then sleep 300 & echo $! > '\(toolChildPIDFile.path)'; wait; fi
        if [ "\(toolExitCode)" != 0 ]; then echo "Error: UPGRADE FAILED: timed out waiting for the condition" >&2; fi
        exit \(toolExitCode)
        """, to: "bin/\(tool)", executable: true)
    }
    let contexts = [(context, server)] + (otherContext.map { [($0.name, $0.server)] } ?? [])
    _ = try directory.write(
      """
      apiVersion: v1
      kind: Config
      clusters:
      \(contexts.map { "- name: \($0.0)-cluster\n  cluster: {server: \"\($0.1)\"}" }.joined(separator: "\n"))
      users:
      - name: u
        user: {token: fixture-token}
      contexts:
      \(contexts.map { "- name: \($0.0)\n  context: {cluster: \($0.0)-cluster, user: u, namespace: monitoring}" }.joined(separator: "\n"))
      current-context: \(context)
      """, to: "kubeconfig")
  }

  /// The commands the stand-in tools received, one line each.
  var recordedCommands: [String] {
    ((try? String(contentsOf: record, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
  }

  /// A CLI running in the repository with the stand-in tools first on PATH.
  func cli(tools: [String] = ["skaffold", "helm"]) throws -> CLI {
    var cli = CLI(home: directory.url)
    cli.workingDirectory = root
    let visible = directory.url.appendingPathComponent("visible-bin")
    try? FileManager.default.createDirectory(at: visible, withIntermediateDirectories: true)
    for tool in tools {
      let link = visible.appendingPathComponent(tool)
      if !FileManager.default.fileExists(atPath: link.path) {
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: bin.appendingPathComponent(tool))
      }
    }
    // Only the chosen stand-ins and the system's kubectl/git: no real skaffold or helm can leak in.
    let kubectlDirectory =
      which("kubectl").map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? "/usr/bin"
    cli.environment["PATH"] = "\(visible.path):\(kubectlDirectory):/usr/bin:/bin"
    cli.environment["KUBECONFIG"] = kubeconfig.path
    return cli
  }
}
