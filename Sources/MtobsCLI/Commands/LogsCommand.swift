import ArgumentParser
import Foundation
import MtobsCore
import Synchronization

struct LogsCommand: MtobsCommand {
  static let configuration = CommandConfiguration(
    commandName: "logs",
    abstract: "Read the logs of every pod and container of stack components at once, or query Loki.",
    discussion: """
      COMPONENT is a component name (\(LogSelection.componentNames.joined(separator: ", "))),
      or a regular expression matched against pod names. Every container of every
      matching pod is read at once, each over one HTTP stream through the run's one
      kubectl proxy; each line is prefixed pod/container, in a colour that stays
      the same for a stream (no colour when stdout is not a terminal, --no-color
      or NO_COLOR). All lines unless --tail or --since limit them.

      With -f, pods that appear later are followed too; a container that restarts
      is resumed from its last timestamp without repeating lines; a stream that
      fails is retried with backoff while the others go on. There is no stream
      cap: above --max-streams a warning suggests narrowing.

      --order time prints one timeline across pods: a line waits until every
      stream has shown a later one (exact without -f, up to 20 000 waiting lines).
      With -f a line waits at most 500 ms (the reorder window: longer than the
      usual delivery skew between streams, short enough to read live); a line
      later than that is printed when it arrives. The default, arrival order, is
      faster.

      --loki LOGQL queries Loki (query_range through the API server's proxy to the
      logs backend found in the stack namespace): the newest --limit lines of the
      last --since, oldest first; with -f it polls and prints only new lines.

      Examples:
        mtobs logs collector -f
        mtobs logs alloy-logs --node worker-2 --since 10m
        mtobs logs loki --grep 'level=error' --exclude 'caller=table_manager'
        mtobs logs --app -l app=checkout --container daprd -f
        mtobs logs all --tail 20 --order time
        mtobs logs collector -o json | jq -r 'select(.message | test("error")) | .pod'
        mtobs logs --loki '{namespace="mathtrail"}' --since 1h -f
      """
  )

  @OptionGroup var global: GlobalOptions

  @Argument(
    help: ArgumentHelp("Component names or pod-name regular expressions.", valueName: "component"),
    completion: CompletionValues.components)
  var components: [String] = []

  @Option(name: [.customShort("l"), .long], help: "Only pods with these labels (as kubectl -l).")
  var selector: String?

  @Flag(help: "Read the app namespace (config app_namespace, default mathtrail) with its daprd sidecars.")
  var app = false

  @Flag(name: [.short, .long], help: "Keep following: new lines, new pods, restarted containers.")
  var follow = false

  @Option(help: ArgumentHelp("Only lines newer than this (e.g. 10m, 1h).", valueName: "duration"))
  var since: String?

  @Option(
    help: ArgumentHelp(
      "With -f: reopen a stream that delivered nothing for this long, from its last line (0: never).",
      valueName: "duration"))
  var stallTimeout = "2m"

  @Option(help: ArgumentHelp("Only the last N lines of each container at the start.", valueName: "n"))
  var tail: Int?

  @Flag(help: "Show the timestamp of each line.")
  var timestamps = false

  @Option(name: [.short, .long], help: ArgumentHelp("Only containers whose name matches.", valueName: "regex"))
  var container: String?

  @Option(help: ArgumentHelp("Only lines that match.", valueName: "regex"))
  var grep: String?

  @Option(help: ArgumentHelp("Leave out lines that match.", valueName: "regex"))
  var exclude: String?

  @Flag(name: [.short, .long], help: "The previous instance of each container (after a crash).")
  var previous = false

  @Option(help: ArgumentHelp("Only pods on this node.", valueName: "node"))
  var node: String?

  @Option(name: [.customShort("o", allowingJoined: true), .long], help: "Output: text or json (one object a line).")
  var output: LogOutputFormat = .text

  @Option(help: "Line order: arrival (fastest) or time (one timeline, see above).")
  var order: LogOrderOption = .arrival

  @Option(help: ArgumentHelp("Warn above this many streams (nothing is refused).", valueName: "n"))
  var maxStreams = 100

  @Option(help: ArgumentHelp("Query Loki with this LogQL instead of reading pods.", valueName: "logql"))
  var loki: String?

  @Option(help: ArgumentHelp("With --loki: the most lines per query (default 1000).", valueName: "n"))
  var limit: Int?

  enum LogOutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }
  enum LogOrderOption: String, ExpressibleByArgument, CaseIterable { case arrival, time }

  func validate() throws {
    try DurationOption.validate(since, flag: "--since", examples: "30s, 10m or 2h")
    if stallTimeout != "0" {
      switch DurationText.read(stallTimeout) {
      case .success(let duration) where duration > .zero: break
      case .failure(.tooLarge):
        throw ValidationError("--stall-timeout '\(stallTimeout)' is \(DurationText.Problem.tooLarge)")
      default:
        throw ValidationError("--stall-timeout takes a duration such as 30s or 2m (0: never), not '\(stallTimeout)'")
      }
    }
    if let tail, tail < 0 { throw ValidationError("--tail takes a number of lines (0 or more), not \(tail)") }
    if maxStreams < 1 { throw ValidationError("--max-streams takes a positive number, not \(maxStreams)") }
    for (flag, value) in [("--container", container), ("--grep", grep), ("--exclude", exclude)] {
      if let value { _ = try pattern(value, flag: flag) }
    }
    if loki != nil {
      let podOnly: [(String, Bool)] = [
        ("COMPONENT", !components.isEmpty), ("-l", selector != nil), ("--app", app), ("--tail", tail != nil),
        ("--container", container != nil), ("--previous", previous), ("--node", node != nil),
        ("--order", order != .arrival),
      ]
      if let used = podOnly.first(where: \.1) {
        throw ValidationError("\(used.0) reads pods; it cannot be used with --loki (put it in the LogQL instead)")
      }
      if let limit, limit < 1 { throw ValidationError("--limit takes a positive number, not \(limit)") }
    } else {
      if limit != nil { throw ValidationError("--limit goes with --loki; for pods use --tail") }
      for word in components where LogSelection.role(named: word) == nil && word != "all" {
        _ = try pattern(word, flag: "COMPONENT")
      }
    }
  }

  private func pattern(_ text: String, flag: String) throws -> LogPattern {
    do {
      return try LogPattern(text)
    } catch {
      throw ValidationError("\(flag) '\(text)' is not a regular expression: \(error)")
    }
  }

  func execute(in run: Run) async throws {
    let kube = try await run.kube().pinningCurrentContext()
    kube.connect()
    // The reader went away (`| head -1`): the session stops even if its streams are quiet.
    let current = SessionSlot()
    let sink = FileLogOutput(onClosed: { current.session.withLock { $0 }?.stop() })
    let formatter = LogFormatter(
      format: output == .json ? .json : .text, timestamps: timestamps, color: run.console.colorOnStandardOutput)
    do {
      try await read(kube: kube, run: run, sink: sink, formatter: formatter, session: current)
    } catch {
      await sink.finish()
      throw error
    }
    await sink.finish()
  }

  private func read(
    kube: KubeClient, run: Run, sink: FileLogOutput, formatter: LogFormatter, session current: SessionSlot
  ) async throws {
    let console = run.console
    if let loki {
      try await query(loki, kube: kube, run: run, sink: sink, formatter: formatter)
      return
    }
    let namespace = app ? run.configuration.text(.appNamespace) : kube.target.namespace
    var selection = LogSelection(
      containerPattern: try container.map { try pattern($0, flag: "--container") }, node: node, previous: previous)
    if !components.contains("all") {
      for word in components {
        if let role = LogSelection.role(named: word) {
          selection.roles.append(role)
        } else {
          selection.podPatterns.append(try pattern(word, flag: "COMPONENT"))
        }
      }
    }
    if components.isEmpty, selector == nil, !app {
      throw ValidationError(
        "name what to read: a component (\(LogSelection.componentNames.joined(separator: ", "))), "
          + "a pod-name regex or -l SELECTOR")
    }
    var request = LogRequest(
      namespace: namespace, selection: selection, labelSelector: selector, follow: follow,
      since: since.flatMap(DurationText.parse), tail: tail, grep: try grep.map { try pattern($0, flag: "--grep") },
      exclude: try exclude.map { try pattern($0, flag: "--exclude") }, formatter: formatter,
      order: order == .time ? .time : .arrival, streamWarningLimit: maxStreams)
    request.stallTimeout = stallTimeout == "0" ? nil : DurationText.parse(stallTimeout)
    let verbose = global.verbose
    let session = LogSession(kube: kube, request: request, sink: sink) { event in
      Self.show(event, console: console, verbose: verbose)
    }
    current.session.withLock { $0 = session }
    if sink.isClosed { return }
    let outcome = try await session.run()
    if outcome.outputClosed || sink.isClosed { return }
    if outcome.failedStreams > 0, outcome.failedStreams == outcome.streams {
      throw CommandFailure(
        "no log could be read (\(outcome.streams) \(outcome.streams == 1 ? "stream" : "streams") failed)",
        hint: "the reasons are above; rerun with -v to see each request", status: .couldNotRun)
    }
  }

  static func show(_ event: LogEvent, console: Console, verbose: Bool) {
    switch event {
    case .streamStarted(let stream):
      if verbose {
        console.printError(Style.dim("following \(stream.pod)/\(stream.container)", console.colorOnStandardError))
      }
    case .streamFailed(let stream, let message):
      console.warning("\(stream.pod)/\(stream.container): \(message)")
    case .containerRestarted(let stream, let reason, let exitCode):
      let code = exitCode.map { ", exit code \($0)" } ?? ""
      console.warning("\(stream.pod)/\(stream.container) restarted (last run ended: \(reason)\(code))")
    case .waitingForPods(let what):
      console.printError(Style.dim("waiting for pods that match \(what)…", console.colorOnStandardError))
    case .watchFailed(let message):
      console.warning("watching for new pods failed (retrying): \(message)")
    case .streamReopened(let stream, let after):
      // A quiet container looks the same as a stalled stream: not worth a warning.
      if verbose {
        console.printError(
          Style.dim(
            "\(stream.pod)/\(stream.container): nothing for \(DurationText.format(after)); reopened from its last line",
            console.colorOnStandardError))
      }
    case .manyStreams(let count, let limit):
      console.warning(
        "following \(count) streams (more than --max-streams \(limit)); narrow with --node, --container or a "
          + "component, or raise --max-streams")
    }
  }

  /// `--loki`: the logs backend's Service from discovery (the configured or default one when the
  /// stack cannot be listed), then the query and, with -f, the polls.
  private func query(
    _ logQL: String, kube: KubeClient, run: Run, sink: FileLogOutput, formatter: LogFormatter
  )
    async throws
  {
    let namespace = kube.target.namespace
    var service = run.configuration.text(.lokiService)
    var port = run.configuration.port(.lokiPort)
    if let objects = try? await kube.list(kinds: ["services"], namespace: namespace) {
      let hints = DiscoveryHints.from(configuration: run.configuration)
      if let finding = StackDiscovery.discover(objects: objects, hints: hints)[.loki], let found = finding.service,
        finding.serviceExists
      {
        service = found
        port = finding.port ?? port
      }
    }
    let query = LokiQuery(
      query: logQL, since: since.flatMap(DurationText.parse) ?? .seconds(3600), limit: limit ?? 1000,
      follow: follow, namespace: namespace, service: service, port: port)
    do {
      try await query.run(kube: kube) { entries in
        try await sink.write(LokiQuery.render(entries, formatter: formatter))
      }
    } catch is OutputClosed {
      return
    }
  }
}

/// The session the output's "reader gone" callback stops (set once the session exists).
final class SessionSlot: Sendable {
  let session = Mutex<LogSession?>(nil)
}
