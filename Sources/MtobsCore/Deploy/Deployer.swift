import Foundation
import Git
import Yams

/// Runs a deploy: find assets, check the target, plan, run (or print), wait, record.
public struct Deployer: Sendable {
  public struct Options: Sendable {
    public var profile: String?
    public var tool: DeployTool?
    public var wait: Bool
    public var yes: Bool
    public var requireClean: Bool
    public var timeout: Duration
    /// Reads a confirmation line from the user; nil when there is no terminal to ask on.
    public var confirm: (@Sendable (String) -> String?)?

    public init(
      profile: String?, tool: DeployTool?, wait: Bool, yes: Bool, requireClean: Bool, timeout: Duration,
      confirm: (@Sendable (String) -> String?)?
    ) {
      self.profile = profile
      self.tool = tool
      self.wait = wait
      self.yes = yes
      self.requireClean = requireClean
      self.timeout = timeout
      self.confirm = confirm
    }
  }

  /// The profile deployed when none is named: the seed's `skaffold run -p infra-observability`.
  public static let defaultProfile = "infra-observability"

  let context: Context
  let kube: KubeClient
  let executablePath: String

  public init(context: Context, kube: KubeClient, executablePath: String) {
    self.context = context
    self.kube = kube
    self.executablePath = executablePath
  }

  private var console: Console { context.console }
  private var dryRun: Bool { context.settings.dryRun }

  public func deploy(_ options: Options) async throws {
    let skaffoldPath = try DeployAssets.locate(repositoryRoot: context.repositoryRoot, executablePath: executablePath)
    let project = try SkaffoldProject.load(path: skaffoldPath)
    let profile = try selectProfile(options.profile, in: project)
    let (tool, toolPath) = try selectTool(options.tool)
    let identity = try await kube.clusterIdentity()
    let provenance = try? GitRepository.discover(from: project.directory)

    console.printError(
      "Deploying \(profile.name.isEmpty ? "the default configuration" : "profile '\(profile.name)'") with \(tool.rawValue)"
        + " from \(skaffoldPath)\n  to context '\(identity.context)' (cluster \(identity.cluster) at \(identity.server)),"
        + " namespace '\(kube.target.namespace)'")
    if let provenance, provenance.isDirty {
      if options.requireClean { throw DeployError.dirtyTree(root: provenance.root) }
      console.warning("\(provenance.root) has uncommitted changes; the record will say so (--require-clean refuses)")
    }
    try confirmIfProtected(identity.context, options: options)

    let planner = DeployPlanner(
      project: project, profile: profile, target: kube.target, context: identity.context, wait: options.wait,
      timeout: options.timeout)
    let daprManifest = (project.directory as NSString).appendingPathComponent("manifests/dapr-configuration.yaml")
    let steps =
      tool == .skaffold
      ? planner.skaffoldSteps(skaffold: toolPath)
      : planner.helmSteps(helm: toolPath, kubectl: kube.kubectl, skipping: [daprManifest])

    var record = DeployRecord(
      time: Timestamp.now(), user: Self.userName(context.environment), context: identity.context,
      namespace: kube.target.namespace, profile: profile.name, tool: tool, source: skaffoldPath,
      commit: provenance?.headCommit, branch: provenance?.branch, dirty: provenance?.isDirty, outcome: .succeeded,
      message: nil, mtobsVersion: MtobsVersion.version)

    if dryRun {
      for step in steps { console.print(step.invocation.display) }
      if FileManager.default.fileExists(atPath: daprManifest) {
        console.print(kube.invocation(["apply", "--filename", "-"], mutates: true).display + "   # Dapr Configuration")
      }
      console.print(
        kube.invocation(["apply", "--filename", "-"], mutates: true).display
          + "   # record in ConfigMap \(DeployHistory.configMapName)")
      return
    }

    do {
      for step in steps { try await run(step, timeout: options.timeout) }
      try await applyDaprConfiguration(daprManifest)
      if options.wait {
        try await waitForRollouts(project: project, releases: profile.releases.map(\.name), timeout: options.timeout)
      }
      console.printError("✔ deployed; verify with `mtobs health`")
    } catch {
      record.outcome = error is CancellationError || Task.isCancelled ? DeployRecord.Outcome.interrupted : .failed
      record.message = (error as? DeployError)?.message.split(separator: "\n").first.map(String.init) ?? "\(error)"
      await recordDetached(record)
      if record.outcome == .interrupted { throw DeployError.interrupted(step: record.message ?? "deploy") }
      throw error
    }
    await recordDetached(record)
  }

  /// The last deploys, newest first.
  public func history() async throws -> [DeployRecord] {
    DeployHistory.records(
      in: try await kube.get(kind: "configmap", name: DeployHistory.configMapName, namespace: kube.target.namespace))
  }

  func selectProfile(_ name: String?, in project: SkaffoldProject) throws(DeployError) -> SkaffoldProject.Profile {
    if let name {
      guard let profile = project.profile(named: name) else {
        throw DeployError.unknownProfile(name, available: project.profileNames)
      }
      return profile
    }
    return project.profile(named: Self.defaultProfile) ?? project.base
  }

  func selectTool(_ requested: DeployTool?) throws(DeployError) -> (DeployTool, String) {
    let skaffoldSetting = context.configuration.string(.skaffold) ?? "skaffold"
    let helmSetting = context.configuration.string(.helm) ?? "helm"
    let skaffold = context.locator.locate(skaffoldSetting, relativeTo: context.workingDirectory)
    let helm = context.locator.locate(helmSetting, relativeTo: context.workingDirectory)
    switch requested {
    case .skaffold?:
      guard let skaffold else { throw DeployError.toolMissing(name: "skaffold", setting: skaffoldSetting) }
      return (.skaffold, skaffold)
    case .helm?:
      guard let helm else { throw DeployError.toolMissing(name: "helm", setting: helmSetting) }
      return (.helm, helm)
    case nil:
      if let skaffold { return (.skaffold, skaffold) }
      if let helm { return (.helm, helm) }
      throw DeployError.noTool(skaffold: skaffoldSetting, helm: helmSetting)
    }
  }

  private func confirmIfProtected(_ contextName: String, options: Options) throws(DeployError) {
    let patterns = context.configuration.list(.protectedContexts)
    guard let pattern = ContextGuard.protectingPattern(for: contextName, patterns: patterns), !options.yes, !dryRun
    else {
      return
    }
    guard let confirm = options.confirm else {
      throw DeployError.protectedContext(context: contextName, pattern: pattern)
    }
    let answer = confirm("Context '\(contextName)' is protected (\(pattern)). Type its name to deploy: ")
    guard answer?.trimmingCharacters(in: .whitespaces) == contextName else {
      throw DeployError.confirmationDeclined(context: contextName)
    }
  }

  private func run(_ step: DeployStep, timeout: Duration) async throws {
    console.printError("→ \(step.title)")
    let console = console
    let result: StreamedResult
    do {
      // Releases can take long; the step gets the deploy timeout plus time for helm to report.
      result = try await context.runner.stream(step.invocation, timeout: timeout + .seconds(60)) { line in
        console.printError("  " + line.text)
      }
    } catch ProcessError.timedOut {
      throw DeployError.stepFailed(command: step.invocation.display, exitCode: 124, lastLines: ["timed out"])
    }
    guard result.succeeded else {
      throw DeployError.stepFailed(
        command: step.invocation.display, exitCode: result.exitCode, lastLines: result.lastLines)
    }
  }

  /// Applies the Dapr Configuration in the app namespace (from configuration), whatever the
  /// file says, so `app-namespace` is honoured.
  private func applyDaprConfiguration(_ path: String) async throws {
    guard FileManager.default.fileExists(atPath: path) else { return }
    let appNamespace = context.configuration.string(.appNamespace) ?? "mathtrail"
    let manifest = try Self.manifest(at: path, namespace: appNamespace)
    console.printError("→ Dapr Configuration in namespace '\(appNamespace)'")
    do {
      try await kube.run(
        ["apply", "--filename", "-"], mutates: true, standardInput: manifest, what: "applying the Dapr Configuration")
    } catch let error as KubeError
      where error.message.contains("no matches for kind") || error.message.contains("ensure CRDs are installed")
    {
      console.warning(
        "Dapr is not installed in this cluster (no Configuration CRD): the Dapr Configuration was not applied")
    }
  }

  static func manifest(at path: String, namespace: String) throws -> [UInt8] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    guard var object = try Yams.load(yaml: text) as? [String: Any] else {
      throw DeployError.unreadableSkaffold(path: path, reason: "not a Kubernetes object")
    }
    var metadata = object["metadata"] as? [String: Any] ?? [:]
    metadata["namespace"] = namespace
    object["metadata"] = metadata
    return Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
  }

  private func waitForRollouts(project: SkaffoldProject, releases: [String], timeout: Duration) async throws {
    let contractPath = (project.directory as NSString).appendingPathComponent("services.yaml")
    let workloads = DeployContract.load(path: contractPath)?.workloads(of: releases) ?? []
    guard !workloads.isEmpty else { return }
    console.printError("→ waiting for \(workloads.count) rollouts (up to \(DurationText.format(timeout)))")
    let kube = kube
    let failed = await withTaskGroup(of: String?.self) { group in
      for workload in workloads {
        group.addTask {
          let clock = ContinuousClock()
          let deadline = clock.now + timeout
          while true {
            do {
              // Each attempt gets what is left of the one deadline, in kubectl's flag and our timeout.
              let remaining = max(deadline - clock.now, .seconds(1))
              let arguments = [
                "rollout", "status", workload.lowercased(), "--namespace", kube.target.namespace, "--timeout",
                DurationText.format(.seconds(remaining.components.seconds)),
              ]
              let longKube = KubeClient(
                kubectl: kube.kubectl, target: kube.target, runner: kube.runner, timeout: remaining + .seconds(5))
              try await longKube.run(arguments, what: "waiting for \(workload)")
              return nil
            } catch let error as KubeError where error.reason == .notFound && clock.now < deadline {
              // Some workloads appear after their release (the Alloy operator creates the
              // receiver's Deployment): wait for the object rather than fail at once.
              do { try await Task.sleep(for: .seconds(2)) } catch { return workload }
            } catch {
              return workload
            }
          }
        }
      }
      var failed: [String] = []
      for await result in group { if let result { failed.append(result) } }
      return failed.sorted()
    }
    if !failed.isEmpty { throw DeployError.rolloutFailed(objects: failed) }
  }

  /// Writes the record even when the deploy was interrupted: a detached task is not cancelled
  /// with the deploy, and the kubectl call has its own timeout.
  private func recordDetached(_ record: DeployRecord) async {
    let kube = kube
    let console = console
    await Task.detached {
      do {
        let existing = DeployHistory.records(
          in: try await kube.get(kind: "configmap", name: DeployHistory.configMapName, namespace: kube.target.namespace)
        )
        let manifest = try DeployHistory.configMap(
          records: DeployHistory.adding(record, to: existing), namespace: kube.target.namespace)
        try await kube.run(
          ["apply", "--filename", "-"], mutates: true, standardInput: manifest, what: "recording the deploy")
      } catch {
        console.warning("the deploy could not be recorded in ConfigMap \(DeployHistory.configMapName): \(error)")
      }
    }.value
  }

  static func userName(_ environment: [String: String]) -> String {
    environment["USER"] ?? environment["LOGNAME"] ?? NSUserName()
  }
}
