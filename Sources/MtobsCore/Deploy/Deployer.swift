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

  let run: Run
  let kube: KubeClient
  let executablePath: String
  /// Receives progress; only the command's renderer turns it into text.
  let emit: @Sendable (DeployEvent) -> Void

  public init(
    run: Run, kube: KubeClient, executablePath: String, onEvent: @escaping @Sendable (DeployEvent) -> Void = { _ in }
  ) {
    self.run = run
    self.kube = kube
    self.executablePath = executablePath
    self.emit = onEvent
  }

  private var dryRun: Bool { run.settings.dryRun }

  /// Deploys, and returns the cluster client pinned to the context deployed to, for the checks that follow.
  @discardableResult
  public func deploy(_ options: Options) async throws -> KubeClient {
    let skaffoldPath = try DeployAssets.locate(repositoryRoot: run.repositoryRoot, executablePath: executablePath)
    let project = try SkaffoldProject.load(path: skaffoldPath)
    let profile = try selectProfile(options.profile, in: project)
    let (tool, toolPath) = try selectTool(options.tool)
    // The target is fixed once: every child below gets this context by name, so switching the
    // kubeconfig's current context while the deploy runs cannot send the rest elsewhere.
    let identity = try await kube.clusterIdentity()
    let kube = kube.pinned(to: identity.context)
    let provenance: RepositoryInfo?
    var provenanceProblem: String?
    do {
      provenance = try GitRepository.discover(from: project.directory)
    } catch {
      // The deploy does not need git; its record just cannot name the commit. Say why.
      provenance = nil
      provenanceProblem =
        "the deploy record will name no commit: \(error.message)"
        + (error.code == GitError.libraryUnavailable ? " (\(GitError.installHint))" : "")
    }
    let planner = DeployPlanner(
      project: project, profile: profile, target: kube.target, context: identity.context, wait: options.wait,
      timeout: options.timeout)
    if let mismatch = planner.namespaceMismatch { throw mismatch }

    emit(
      .announced(
        "Deploying \(profile.name.isEmpty ? "the default configuration" : "profile '\(profile.name)'") with \(tool.rawValue)"
          + " from \(skaffoldPath)\n  to context '\(identity.context)' (cluster \(identity.cluster) at \(identity.server)),"
          + " namespace '\(kube.target.namespace)'"))
    if let provenanceProblem { emit(.warning(provenanceProblem)) }
    if let provenance, provenance.isDirty {
      if options.requireClean { throw DeployError.dirtyTree(root: provenance.root) }
      emit(.warning("\(provenance.root) has uncommitted changes; the record will say so (--require-clean refuses)"))
    }
    try ContextGuard.confirm(
      identity.context, patterns: run.configuration.list(.protectedContexts), yes: options.yes, dryRun: dryRun,
      confirm: options.confirm)

    let daprManifest = (project.directory as NSString).appendingPathComponent("manifests/dapr-configuration.yaml")
    let steps =
      tool == .skaffold
      ? planner.skaffoldSteps(skaffold: toolPath)
      : planner.helmSteps(helm: toolPath, kubectl: kube.kubectl, skipping: [daprManifest])

    var record = DeployRecord(
      time: Timestamp.now(), user: Self.userName(run.environment), context: identity.context,
      namespace: kube.target.namespace, profile: profile.name, tool: tool, source: skaffoldPath,
      commit: provenance?.headCommit, branch: provenance?.branch, dirty: provenance?.isDirty, outcome: .succeeded,
      message: nil, mtobsVersion: MtobsVersion.version)

    if dryRun {
      for step in steps { emit(.planned(command: step.invocation.display, note: nil)) }
      if FileManager.default.fileExists(atPath: daprManifest) {
        emit(
          .planned(
            command: kube.invocation(["apply", "--filename", "-"], mutates: true).display, note: "Dapr Configuration"))
      }
      emit(
        .planned(
          command: kube.invocation(["replace", "--filename", "-"], mutates: true).display,
          note: "record in ConfigMap \(DeployHistory.configMapName) (create when absent)"))
      return kube
    }

    var current = "preparing"
    do {
      for step in steps {
        current = step.title
        try await runStep(step, timeout: options.timeout)
      }
      current = "the Dapr Configuration"
      try await applyDaprConfiguration(daprManifest, kube: kube)
      if options.wait {
        current = "the rollout wait"
        try await waitForRollouts(
          project: project, releases: profile.releases.map(\.name), kube: kube, timeout: options.timeout)
      }
      emit(.deployed)
    } catch {
      if error is CancellationError || Task.isCancelled {
        record.outcome = .interrupted
        let signal = SignalTrap.firstSignalInProcess.map { " by " + SignalTrap.name(of: $0) } ?? ""
        record.message = "interrupted\(signal) during \(current)"
        // Answer the interrupt at once: a short deadline, and a second signal ends mtobs (Main).
        emit(.recordingInterrupted)
        await recordDetached(record, kube: kube, within: Self.interruptedRecordDeadline)
        throw DeployError.interrupted(step: current, checks: planner.statusCommands)
      }
      record.outcome = .failed
      record.message = Self.summary(of: error)
      await recordDetached(record, kube: kube, within: Self.recordDeadline)
      throw error
    }
    await recordDetached(record, kube: kube, within: Self.recordDeadline)
    return kube
  }

  /// How long writing the record may take after an interrupt, and otherwise.
  static let interruptedRecordDeadline: Duration = .seconds(3)
  static let recordDeadline: Duration = .seconds(60)

  /// The first line of what went wrong, for the record (never a type's debug description when a message exists).
  static func summary(of error: any Error) -> String {
    let message =
      switch error {
      case let error as DeployError: error.message
      case let error as KubeError: error.message
      default: "\(error)"
      }
    return message.split(separator: "\n").first.map(String.init) ?? message
  }

  /// The recorded deploys, newest first; ones this version cannot read are kept as stored.
  public func history() async throws -> [DeployHistoryEntry] {
    try await DeployHistoryWriter(kube: kube).entries()
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
    let skaffoldSetting = run.configuration.text(.skaffold)
    let helmSetting = run.configuration.text(.helm)
    let skaffold = run.locator.locate(skaffoldSetting, relativeTo: run.workingDirectory)
    let helm = run.locator.locate(helmSetting, relativeTo: run.workingDirectory)
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

  private func runStep(_ step: DeployStep, timeout: Duration) async throws {
    emit(.step(step.title))
    let emit = emit
    let result: StreamedResult
    do {
      // Releases can take long; the step gets the deploy timeout plus time for helm to report.
      result = try await run.runner.stream(step.invocation, timeout: timeout + .seconds(60)) { line in
        emit(.output(line.text))
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
  private func applyDaprConfiguration(_ path: String, kube: KubeClient) async throws {
    guard FileManager.default.fileExists(atPath: path) else { return }
    let appNamespace = run.configuration.text(.appNamespace)
    let manifest = try Self.manifest(at: path, namespace: appNamespace)
    emit(.step("Dapr Configuration in namespace '\(appNamespace)'"))
    do {
      try await kube.run(
        ["apply", "--filename", "-"], mutates: true, standardInput: manifest, what: "applying the Dapr Configuration")
    } catch let error as KubeError
      where error.message.contains("no matches for kind") || error.message.contains("ensure CRDs are installed")
    {
      emit(
        .warning(
          "Dapr is not installed in this cluster (no Configuration CRD): the Dapr Configuration was not applied"))
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

  private func waitForRollouts(
    project: SkaffoldProject, releases: [String], kube: KubeClient, timeout: Duration
  ) async throws {
    let contractPath = (project.directory as NSString).appendingPathComponent("services.yaml")
    let workloads = DeployContract.load(path: contractPath)?.workloads(of: releases) ?? []
    guard !workloads.isEmpty else { return }
    emit(.step("waiting for \(workloads.count) rollouts (up to \(DurationText.format(timeout)))"))
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
    if !failed.isEmpty {
      throw DeployError.rolloutFailed(
        objects: failed, namespace: kube.target.namespace, context: kube.target.context ?? "(current)")
    }
  }

  /// Writes the record even when the deploy was interrupted: a detached task is not cancelled
  /// with the deploy. It gets `limit` in all; past that the write is cancelled (its kubectl killed).
  private func recordDetached(_ record: DeployRecord, kube: KubeClient, within limit: Duration) async {
    let writer = DeployHistoryWriter(kube: kube)
    let emit = emit
    await Task.detached {
      let written = await withTaskGroup(of: Bool?.self) { group in
        group.addTask {
          do {
            try await writer.add(record)
          } catch  where !Task.isCancelled {
            emit(
              .warning(
                "the deploy could not be recorded in ConfigMap \(DeployHistory.configMapName): \(Self.summary(of: error))"
              ))
          } catch {
            return false
          }
          return true
        }
        group.addTask {
          try? await Task.sleep(for: limit)
          return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
      }
      if written == nil {
        emit(
          .warning(
            "the deploy was not recorded: the API server did not take the record within \(DurationText.format(limit))"))
      }
    }.value
  }

  static func userName(_ environment: [String: String]) -> String {
    environment["USER"] ?? environment["LOGNAME"] ?? NSUserName()
  }
}
