import ArgumentParser
import Foundation
import MtobsCore
import Synchronization

struct DebugDaprCommand: MtobsCommand {
  static let configuration = CommandConfiguration(
    commandName: "debug-dapr",
    abstract: "Find out why Dapr's traces do not reach the collector, and print the fix.",
    discussion: """
      The "Dapr sends no traces" runbook in one command. Reads the cluster once
      (Dapr's control plane, every Configuration, the app namespaces' pods, the
      collector's configuration and metrics, the daprd sidecars' last log lines)
      and evaluates:

        dapr           Dapr is installed (configurations.dapr.io is served); the
                       control plane in dapr-system is ready; the app namespaces exist
        configuration  a Configuration in each app namespace; its Zipkin
                       endpointAddress is http://, names a Service that exists with
                       port 9411 (the collector's: it says which one was meant) and
                       /api/v2/spans; an otel block names 4317 (grpc) or 4318 (http);
                       samplingRate is a string in (0, 1] (unset: 1 in 10,000)
        pods           every dapr.io/enabled pod has a daprd sidecar and a
                       dapr.io/config annotation naming a Configuration of its own
                       namespace, and started after that Configuration changed;
                       daprd logs no exporter errors (quoted)
        collector      the traces pipeline lists the zipkin receiver; its spans
                       counters (accepted, refused)

        probe          with --probe: a short-lived busybox pod in each app
                       namespace (up to 6) resolves the endpoint's host, connects,
                       and posts one Zipkin span (202 expected); then the
                       collector's accepted-spans counter must have moved; each
                       pod, labelled mtobs.dev/probe=dapr, is deleted on every way
                       out (a killed run's pod is deleted by the next run once it
                       has ended or is over 3 minutes old).

      Each app namespace is judged on its own: one without a Configuration hides
      nothing wrong in the others.

      --fix prints the corrected Configuration as a kubectl apply command and the
      pods to restart (secret values redacted); --fix --apply shows the diff and
      applies it (protected contexts ask first; --dry-run prints the command
      instead). With --from, --app-namespace and --all-namespaces choose what to
      judge among the bundle's reads (a bundle holds every namespace's Dapr pods).

      Exit status: 0 no check failed (warnings too with --fail-on warning), 1 a
      check failed, 2 mtobs could not run. With --fix --apply: 0 when the fix was
      applied; with nothing to apply, the report's status.

      Examples:
        mtobs debug-dapr                          # the app namespace of the config
        mtobs debug-dapr --app-namespace shop --app-namespace billing
        mtobs debug-dapr --all-namespaces -o json
        mtobs debug-dapr --probe                  # send a test span from the app namespace
        mtobs debug-dapr --fix                    # print the corrected Configuration
        mtobs debug-dapr --fix --apply            # apply it, then restart the pods listed
        mtobs debug-dapr --from bundle.json       # offline, from `mtobs bundle`
      """
  )

  @OptionGroup var global: GlobalOptions

  @OptionGroup var reporting: ReportOptions<DaprSuite>

  var output: ReportFormat { reporting.output }
  var skip: [String] { reporting.skip }
  var category: [String] { reporting.category }
  var from: String? { reporting.from }
  var failOn: ReportOptions<DaprSuite>.FailOn? { reporting.failOn }

  @Option(
    help: ArgumentHelp(
      "A namespace of Dapr apps to check (repeatable; default: the app-namespace setting).", valueName: "namespace"),
    completion: CompletionValues.namespaces)
  var appNamespace: [String] = []

  @Flag(help: "Check every namespace that holds a Dapr-enabled pod or a Configuration.")
  var allNamespaces = false

  @Option(
    help: ArgumentHelp("Keep checking until nothing fails or DURATION passes (e.g. 2m).", valueName: "duration"))
  var wait: String?

  @Flag(help: "Print the corrected Configuration and the kubectl apply command.")
  var fix = false

  @Flag(help: "With --fix: apply the corrected Configuration after showing the diff.")
  var apply = false

  @Flag(help: "With --fix --apply: do not ask before changing a protected context.")
  var yes = false

  @Flag(help: "Start a short-lived pod in each app namespace that resolves the collector and posts one span.")
  var probe = false

  @Option(help: ArgumentHelp("The probe pod's image (needs sh, nslookup, nc, wget).", valueName: "image"))
  var probeImage = DaprProbe.defaultImage

  @Option(help: ArgumentHelp("How long the probe pod may take, start to end.", valueName: "duration"))
  var probeTimeout = "60s"

  func validate() throws {
    try DurationOption.validate(wait, flag: "--wait", examples: "30s, 2m or 1h")
    for namespace in appNamespace {
      if let problem = KubeName.labelProblem(namespace, what: "--app-namespace") { throw ValidationError(problem) }
    }
    if allNamespaces, !appNamespace.isEmpty {
      throw ValidationError("--all-namespaces and --app-namespace cannot be used together")
    }
    if from != nil, wait != nil { throw ValidationError("--wait cannot be used with --from: a bundle does not change") }
    if apply, !fix { throw ValidationError("--apply needs --fix") }
    if apply, from != nil { throw ValidationError("--apply cannot be used with --from: a bundle is not a cluster") }
    if probe, wait != nil {
      throw ValidationError("--probe cannot be used with --wait: it would start a pod per attempt")
    }
    if probe, from != nil { throw ValidationError("--probe cannot be used with --from: a bundle is not a cluster") }
    try DurationOption.validate(probeTimeout, flag: "--probe-timeout", examples: "30s or 2m")
    if fix, output == .json { throw ValidationError("--fix prints a manifest; use it with -o table or -o short") }
  }

  var options: HealthRunner.Options {
    HealthRunner.Options(
      skip: skip, categories: category.isEmpty ? nil : category, wait: wait.flatMap(DurationText.parse),
      failOnWarning: failOn == .warning)
  }

  var wantsJSON: Bool { output == .json }

  /// `--app-namespace` as given, each once.
  var requestedNamespaces: [String] {
    var seen = Set<String>()
    return appNamespace.filter { seen.insert($0).inserted }
  }

  func execute(in run: Run) async throws {
    let report: Report
    let snapshot: Snapshot
    var kube: KubeClient?
    if let from {
      let started = ContinuousClock.now
      var loaded = try BundleFile.load(path: from)
      guard let reads = loaded.daprDebug else {
        throw CommandFailure(
          "'\(from)' holds no debug-dapr reads (it comes from an earlier version)",
          hint: "make a new bundle with `mtobs bundle`; `mtobs health --from \(from)` still reads this one")
      }
      if allNamespaces || !appNamespace.isEmpty {
        switch reads.judging(allNamespaces ? nil : requestedNamespaces, stackNamespace: loaded.namespace) {
        case .success(let judged): loaded.daprDebug = judged
        case .failure(let scope):
          throw CommandFailure(
            "'\(from)' holds the Dapr pods of \(scope.read.map { "'\($0)'" }.joined(separator: ", ")) only, not "
              + (scope.asked.map { $0.map { "'\($0)'" }.joined(separator: ", ") } ?? "of every namespace"),
            hint: "judge those: mtobs debug-dapr --from \(from); or make a new bundle with `mtobs bundle` "
              + "(it reads the Dapr pods of every namespace)")
        }
      }
      snapshot = loaded
      report = DaprRunner.report(
        for: snapshot, options: options, startedAt: snapshot.capturedAt,
        durationMs: DurationText.milliseconds(ContinuousClock.now - started))
    } else {
      let client = try await run.kube().pinningCurrentContext()
      client.connect()
      kube = client
      var collector = DaprCollector(
        health: HealthCollector.live(run: run, kube: client),
        appNamespaces: appNamespace.isEmpty ? [run.configuration.text(.appNamespace)] : requestedNamespaces,
        allNamespaces: allNamespaces)
      // A probe whose checks are all skipped or filtered out would start a pod for nothing.
      if probe, !DaprDebugChecks.suite.leavesOut(category: "probe", skip: skip, categories: options.categories) {
        collector.probe = DaprCollector.ProbeSettings(
          image: probeImage, limit: DurationText.parse(probeTimeout) ?? .seconds(60),
          skipReason: run.settings.dryRun ? "--dry-run creates no pod" : nil)
      }
      let console = run.console
      let lineOpen = Mutex(false)
      (report, snapshot) = await DaprRunner(collector: collector, clock: run.clock).run(options: options) { line in
        let open = console.statusLine(line)
        lineOpen.withLock { $0 = open }
      }
      if lineOpen.withLock({ $0 }) { console.endStatusLine() }
      if global.verbose {
        console.printError("debug-dapr: \(run.transport.requestCount) API requests")
      }
      try Task.checkCancellation()
    }
    let console = run.console
    switch output {
    case .json: console.print(ReportRenderer.json(report))
    case .short: console.print(ReportRenderer.short(report))
    case .table: console.print(ReportRenderer.table(report, color: console.colorOnStandardOutput))
    }
    if fix {
      let selection = (kube?.target.selectionArguments ?? snapshot.context.map { ["--context", $0] } ?? [])
      let kubectl = (["kubectl"] + selection).map(ShellQuoting.quote).joined(separator: " ")
      let plan = DaprFix.plan(snapshot, kubectl: kubectl)
      if apply, let kube {
        // 0 means the fix was applied; with nothing to apply the report's verdict stands.
        if try await Self.apply(plan, kube: kube, run: run, yes: yes, kubectl: kubectl) {
          throw ExitCode(ExitStatus.success.rawValue)
        }
      } else {
        console.print(Self.printed(plan, kubectl: kubectl, applyCommand: applyItself(context: snapshot.context)))
      }
    }
    throw ExitCode(HealthCommand.exitStatus(for: report, failOnWarning: failOn == .warning).rawValue)
  }

  /// One fix as commands to paste: `kubectl apply` with the manifest inline. Secret values are
  /// never printed: where the Configuration holds some, the printed manifest says so.
  static func applyCommand(_ fix: DaprFix, kubectl: String) -> String {
    let secrets =
      fix.shownManifest == fix.manifest
      ? ""
      : "# secret values are shown redacted: put the real ones back before applying this, or run\n"
        + "# mtobs debug-dapr --fix --apply, which applies them as they are in the cluster\n"
    return secrets + "\(kubectl) apply -f - <<'EOF'\n\(fix.shownManifest)EOF\n"
  }

  /// This run as `--fix --apply`, with what chose its namespaces and cluster.
  func applyItself(context: String?) -> String {
    var words = ["mtobs", "debug-dapr", "--fix", "--apply"]
    if let kubeconfig = global.kubeconfig { words += ["--kubeconfig", kubeconfig] }
    if let context = global.context ?? (from != nil ? context : nil) { words += ["--context", context] }
    if allNamespaces { words.append("--all-namespaces") }
    for namespace in requestedNamespaces { words += ["--app-namespace", namespace] }
    return words.map(ShellQuoting.quote).joined(separator: " ")
  }

  /// The fixes as commands to paste: `kubectl apply` with the manifest inline, then the restarts.
  static func printed(
    _ plan: DaprFix.Plan, kubectl: String, applyCommand applyItself: String = "mtobs debug-dapr --fix --apply"
  ) -> String {
    if let blocked = plan.blocked { return "\nNo Configuration to write: \(blocked)" }
    var text = plan.fixes.isEmpty ? "\nNothing to fix in the Configurations.\n" : ""
    for fix in plan.fixes {
      text += "\n# \(fix.namespace)/\(fix.name): the corrected Configuration\n"
      text += applyCommand(fix, kubectl: kubectl)
      if !fix.restarts.isEmpty {
        text += "# then restart the pods that use it, so their sidecars read it:\n"
        text += fix.restarts.joined(separator: "\n") + "\n"
      }
    }
    if !plan.notes.isEmpty { text += "\n" + plan.notes.map { "# \($0)" }.joined(separator: "\n") + "\n" }
    return plan.fixes.isEmpty ? String(text.dropLast()) : text + "\n# or apply it with: \(applyItself)"
  }

  /// Shows each diff, asks on a protected context, applies (with --dry-run, prints the commands
  /// instead), and lists the pods to restart. False when there was nothing to apply.
  static func apply(
    _ plan: DaprFix.Plan, kube: KubeClient, run: Run, yes: Bool, kubectl: String
  ) async throws
    -> Bool
  {
    let console = run.console
    if let blocked = plan.blocked {
      throw CommandFailure("nothing applied: \(blocked)", hint: "mtobs debug-dapr   # says what else is wrong")
    }
    for note in plan.notes { console.print(note) }
    guard !plan.fixes.isEmpty else {
      console.print("\nNothing to fix in the Configurations.")
      return false
    }
    for fix in plan.fixes {
      console.print("\n\(fix.namespace)/\(fix.name):\n" + fix.diff.map { "  " + $0 }.joined(separator: "\n"))
    }
    let context = kube.target.context ?? ""
    let interactive = isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1
    try ContextGuard.confirm(
      context, patterns: run.configuration.list(.protectedContexts), yes: yes, dryRun: run.settings.dryRun,
      action: "change its Dapr Configuration",
      confirm: interactive
        ? { prompt in
          FileHandle.standardError.write(Data(prompt.utf8))
          return readLine()
        } : nil)
    for fix in plan.fixes {
      if run.settings.dryRun {
        // The command with its manifest, so the dry run can be pasted as it is.
        console.print("\n# --dry-run: not applied\n" + applyCommand(fix, kubectl: kubectl).dropLast())
        continue
      }
      try await kube.run(
        ["apply", "-f", "-"], mutates: true, standardInput: Array(fix.manifest.utf8),
        what: "applying Configuration \(fix.namespace)/\(fix.name)")
      console.print("applied \(fix.namespace)/configuration/\(fix.name)")
    }
    let restarts = plan.fixes.flatMap(\.restarts)
    if !restarts.isEmpty {
      console.print("Restart the pods that use it, so their sidecars read it:\n" + restarts.joined(separator: "\n"))
    }
    return true
  }
}
