import ArgumentParser
import Foundation
import MtobsCore

struct DeployCommand: MtobsCommand {
  static let configuration = CommandConfiguration(
    commandName: "deploy",
    abstract: "Deploy the observability stack, wait for it, and record the deploy in the cluster.",
    discussion: """
      Finds skaffold.yaml at the repository root, then in its deploy/, then in the
      assets shipped with mtobs, and runs `skaffold run -p PROFILE --kube-context
      CONTEXT`; with --with helm (or without skaffold) it runs one idempotent
      `helm upgrade --install` per release and `kubectl apply` for the manifests.
      Then it applies the Dapr Configuration in the app namespace, waits for the
      rollouts and runs `mtobs health --wait` (skip both with --no-wait); with
      --verify it then runs `mtobs verify --wait` for what is left of --timeout
      (one look once that has passed), so "deployed" means data flows. --verify
      needs the wait: with --no-wait it is refused (exit 64).

      Before changing anything it prints the target context, cluster and
      namespace. Contexts matching deploy.protected-contexts (default *prod*) need
      --yes or typing the context name. Each deploy (commit, branch, dirty tree,
      profile, user, result) is kept in the ConfigMap mtobs-deployments (last 20).

      Examples:
        mtobs deploy --dry-run                 # print the commands only
        mtobs deploy -p all-infra --context dev
        mtobs deploy --with helm --no-wait
        mtobs deploy --verify                  # then wait until data flows
        mtobs deploy --history
      """
  )

  @OptionGroup var global: GlobalOptions

  @Option(
    name: [.short, .long], help: "The skaffold profile (default: infra-observability).",
    completion: CompletionValues.profiles)
  var profile: String?

  @Option(name: .customLong("with"), help: "Deploy with skaffold or helm (default: skaffold when installed).")
  var tool: DeployTool?

  // Two flags with their own help: an inverted flag would give --no-wait the text of --wait.
  @Flag(exclusivity: .chooseLast) var waiting: Waiting = .wait
  var wait: Bool { waiting == .wait }

  enum Waiting: String, EnumerableFlag {
    case wait, noWait

    static func help(for value: Waiting) -> ArgumentHelp? {
      switch value {
      case .wait: "Wait for the rollouts, then run `mtobs health --wait` (the default)."
      case .noWait: "Return once the deploy commands finish: no rollout wait, no health check."
      }
    }
  }

  @Flag(
    help:
      "After health, run `mtobs verify --wait` within what is left of --timeout (data flows end to end); not with --no-wait."
  )
  var verify = false

  @Option(help: "How long to wait for each release and rollout (e.g. 5m).")
  var timeout: String = "5m"

  @Flag(help: "Do not ask before deploying to a protected context.")
  var yes = false

  @Flag(help: "Refuse to deploy from a repository with uncommitted changes.")
  var requireClean = false

  @Flag(help: "Show the recorded deploys instead of deploying.")
  var history = false

  @Option(name: [.customShort("o", allowingJoined: true), .long], help: "Output format of --history: table or json.")
  var output: OutputFormat = .table

  var wantsJSON: Bool { history && output == .json }

  func validate() throws {
    try DurationOption.validate(timeout, flag: "--timeout", examples: "90s, 5m or 1h")
    // Verify runs after the rollouts and health; --no-wait skips those, so it would skip verify silently.
    if verify, !wait {
      throw ValidationError(
        "--verify cannot be used with --no-wait: verify runs after the rollout wait and health check "
          + "that --no-wait skips; run `mtobs verify --wait 2m` later instead")
    }
  }

  func execute(in run: Run) async throws {
    let kube = try run.kube()
    let console = run.console
    let deployer = Deployer(
      run: run, kube: kube, executablePath: Bundle.main.executablePath ?? CommandLine.arguments[0]
    ) { event in Self.render(event, on: console) }
    if history {
      let entries = try await deployer.history()
      switch output {
      case .json: run.console.print(String(decoding: try JSONEncoder.pretty.encode(entries), as: UTF8.self))
      case .table:
        run.console.print(
          entries.isEmpty
            ? "no deploys recorded in \(kube.target.namespace)/\(DeployHistory.configMapName)"
            : DeployHistory.table(entries))
      }
      return
    }
    let interactive = isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1
    let confirm: (@Sendable (String) -> String?)? = interactive ? Self.askOnTerminal : nil
    let options = Deployer.Options(
      profile: profile, tool: tool, wait: wait, yes: yes, requireClean: requireClean,
      timeout: DurationText.parse(timeout) ?? .seconds(300), confirm: confirm)
    let deadline = ContinuousClock.now + options.timeout
    // The health check goes to the cluster deployed to, whatever the current context is by now.
    let deployed = try await deployer.deploy(options)
    guard wait, !run.settings.dryRun else { return }
    // Health gets what the rollouts left of --timeout, and at least a first look.
    let healthWait = max(deadline - ContinuousClock.now, .seconds(10))
    // Verify, as the runbook's "Verification" section did by hand: health, waiting out the rollout.
    run.console.printError("→ mtobs health --wait \(timeout) (one deadline with the rollouts)")
    let (report, _) = await HealthRunner(collector: HealthCollector.live(run: run, kube: deployed)).run(
      options: HealthRunner.Options(wait: healthWait)
    ) { line in console.printError("  " + line) }
    console.print(ReportRenderer.table(report, color: console.colorOnStandardOutput))
    if report.exitCode(failOnWarning: false) != 0 {
      console.error("deployed, but the stack is not healthy yet", hint: "fix what the report says, then `mtobs health`")
      throw ExitCode(1)
    }
    if verify { try await verifyDeployed(run: run, kube: deployed, deadline: deadline) }
  }

  /// `--verify`: the five steps of `mtobs verify`, waiting for data within what is left of the deadline.
  private func verifyDeployed(run: Run, kube: KubeClient, deadline: ContinuousClock.Instant) async throws {
    let console = run.console
    // Within the deploy's deadline: what is left of it, whole seconds; once it has passed, one look.
    let left = Duration.seconds((deadline - ContinuousClock.now).components.seconds)
    let verifyWait: Duration? = left >= .seconds(1) ? left : nil
    console.printError(
      verifyWait.map { "→ mtobs verify --wait \(DurationText.format($0)) (what is left of --timeout)" }
        ?? "→ mtobs verify (--timeout has passed: one look, no waiting)")
    let collector = VerifyCollector(
      kube: kube, configuration: run.configuration, contract: HealthCollector.deployContract(run: run),
      options: .init(appNamespace: run.configuration.text(.appNamespace), since: .seconds(900)))
    let (report, _) = try await VerifyRunner(collector: collector, clock: run.clock).run(
      options: VerifyRunner.Options(wait: verifyWait)
    ) { line in console.printError("  " + line) }
    console.print(ReportRenderer.table(report, color: console.colorOnStandardOutput))
    if report.exitCode(failOnWarning: false) != 0 {
      console.error(
        "deployed and healthy, but data does not flow yet", hint: "fix what the report says, then `mtobs verify`")
      throw ExitCode(1)
    }
  }

  @Sendable private static func askOnTerminal(_ prompt: String) -> String? {
    FileHandle.standardError.write(Data(prompt.utf8))
    return readLine()
  }
}

extension DeployTool: ExpressibleByArgument {}

extension JSONEncoder {
  static var pretty: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return encoder
  }
}

extension DeployCommand {
  /// How a deploy's events read: progress on stderr, `--dry-run`'s commands on stdout.
  static func render(_ event: DeployEvent, on console: Console) {
    switch event {
    case .announced(let text): console.printError(text)
    case .warning(let text): console.warning(text)
    case .planned(let command, let note): console.print(command + (note.map { "   # " + $0 } ?? ""))
    case .step(let title): console.printError("→ " + title)
    case .output(let line): console.printError("  " + line)
    case .deployed: console.printError("✔ deployed; verify with `mtobs health`")
    case .recordingInterrupted: console.printError("recording the interrupted deploy… (Ctrl-C again to skip)")
    }
  }
}
