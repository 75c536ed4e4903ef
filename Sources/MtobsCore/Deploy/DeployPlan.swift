import Foundation

/// Which program deploys the releases.
public enum DeployTool: String, Sendable, Equatable, Codable, CaseIterable {
  case skaffold, helm
}

/// One command of a deploy, with a title for progress lines and what it changes.
public struct DeployStep: Sendable, Equatable {
  public var title: String
  public var invocation: Invocation

  public init(title: String, invocation: Invocation) {
    self.title = title
    self.invocation = invocation
  }
}

/// Turns a skaffold project, a profile and the target cluster into the exact commands to run
/// (pure: the same list is printed by `--dry-run`, echoed by `-v` and run otherwise).
public struct DeployPlanner: Sendable {
  public var project: SkaffoldProject
  public var profile: SkaffoldProject.Profile
  public var target: KubeTarget
  /// The resolved context name (never nil here: the banner and the record need it).
  public var context: String
  public var wait: Bool
  public var timeout: Duration

  public init(
    project: SkaffoldProject, profile: SkaffoldProject.Profile, target: KubeTarget, context: String, wait: Bool,
    timeout: Duration
  ) {
    self.project = project
    self.profile = profile
    self.target = target
    self.context = context
    self.wait = wait
    self.timeout = timeout
  }

  /// `skaffold run`, exactly as a user would type it, aimed at the resolved context.
  public func skaffoldSteps(skaffold: String) -> [DeployStep] {
    var arguments = ["run", "--filename", project.path]
    if !profile.name.isEmpty { arguments += ["--profile", profile.name] }
    // The namespace announced is the namespace used (releases naming another are refused first).
    arguments += ["--kube-context", context, "--namespace", target.namespace]
    if let kubeconfig = target.kubeconfig { arguments += ["--kubeconfig", kubeconfig] }
    arguments += ["--status-check=\(wait)"]
    let title = profile.name.isEmpty ? "skaffold run" : "skaffold run -p \(profile.name)"
    return [DeployStep(title: title, invocation: Invocation(skaffold, arguments, mutates: true))]
  }

  /// The equivalent without skaffold: one idempotent `helm upgrade --install` per release, then
  /// `kubectl apply` of the profile's raw manifests.
  public func helmSteps(helm: String, kubectl: String, skipping skippedManifests: Set<String> = []) -> [DeployStep] {
    var steps = profile.releases.map { release in
      DeployStep(
        title: "helm release \(release.name)", invocation: Invocation(helm, helmArguments(for: release), mutates: true))
    }
    for manifest in profile.manifests.map(absolute) where !skippedManifests.contains(manifest) {
      var arguments = target.selectionArguments(context: context) + ["apply", "--filename", manifest]
      if !manifestNamesNamespace(manifest) { arguments += ["--namespace", target.namespace] }
      steps.append(
        DeployStep(
          title: "apply \((manifest as NSString).lastPathComponent)",
          invocation: Invocation(kubectl, arguments, mutates: true)))
    }
    return steps
  }

  /// Refuses to announce one namespace and deploy to another: a release that skaffold.yaml sends
  /// to a namespace other than the target's (from `-n` or configuration) is an error.
  public var namespaceMismatch: DeployError? {
    var elsewhere: [String: String] = [:]
    for release in profile.releases {
      if let namespace = release.namespace, namespace != target.namespace { elsewhere[release.name] = namespace }
    }
    return elsewhere.isEmpty
      ? nil : .namespaceMismatch(requested: target.namespace, releases: elsewhere, source: project.path)
  }

  /// What shows the state of each release after an interrupted deploy, ready to paste.
  public var statusCommands: [String] {
    profile.releases.map { release in
      ([
        "helm", "status", release.name, "--namespace", release.namespace ?? target.namespace, "--kube-context", context,
      ]
        + (target.kubeconfig.map { ["--kubeconfig", $0] } ?? []))
        .map(ShellQuoting.quote).joined(separator: " ")
    }
  }

  func helmArguments(for release: SkaffoldProject.Release) -> [String] {
    let chart = release.remoteChart ?? release.chartPath.map(absolute) ?? release.name
    var arguments = ["upgrade", "--install", release.name, chart]
    if let repo = release.repo { arguments += ["--repo", repo] }
    if let version = release.version { arguments += ["--version", version] }
    arguments += ["--namespace", release.namespace ?? target.namespace]
    if release.createNamespace ?? true { arguments.append("--create-namespace") }
    arguments += ["--kube-context", context]
    if let kubeconfig = target.kubeconfig { arguments += ["--kubeconfig", kubeconfig] }
    for file in release.valuesFiles ?? [] { arguments += ["--values", absolute(file)] }
    for (key, value) in (release.setValues ?? [:]).sorted(by: { $0.key < $1.key }) {
      arguments += ["--set", "\(key)=\(value)"]
    }
    if wait { arguments += ["--wait", "--timeout", DurationText.format(timeout)] }
    return arguments
  }

  func absolute(_ path: String) -> String {
    path.hasPrefix("/")
      ? path : ((project.directory as NSString).appendingPathComponent(path) as NSString).standardizingPath
  }

  /// Whether every object in the manifest names its namespace (then `--namespace` would clash).
  private func manifestNamesNamespace(_ path: String) -> Bool {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return false }
    return text.contains("namespace:")
  }
}

extension KubeTarget {
  /// `--kubeconfig`/`--context` for kubectl, with the context already resolved.
  func selectionArguments(context: String) -> [String] {
    (kubeconfig.map { ["--kubeconfig", $0] } ?? []) + ["--context", context]
  }
}
