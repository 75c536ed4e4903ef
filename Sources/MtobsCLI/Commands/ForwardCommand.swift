import ArgumentParser
import MtobsCore

struct ForwardCommand: MtobsCommand, RunsUntilInterrupted {
  static let configuration = CommandConfiguration(
    commandName: "forward",
    abstract: "Forward several components to local ports at once, supervised.",
    discussion: """
      Components: grafana (3000), pyroscope (4040), loki (3100), tempo (3200),
      mimir (9009) and collector (OTLP gRPC 4317, OTLP HTTP 4318, Zipkin 9411, so
      a local service can send to the cluster's collector). Each forward keeps its
      local port; its tunnel is probed and replaced when it dies or hangs. One
      status line each (updated in place on a terminal); -o json prints one JSON
      object per event. Runs until Ctrl-C; exits 0 then.

      Examples:
        mtobs forward grafana loki
        mtobs forward --all
        mtobs forward collector      # OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318
        mtobs forward tempo --port 0 -o json
      """
  )

  @OptionGroup var global: GlobalOptions

  @Argument(
    help: ArgumentHelp("Components to forward.", valueName: "component"), completion: CompletionValues.forwardTargets)
  var components: [String] = []

  @Flag(help: "Forward every component.")
  var all = false

  @Option(help: "The local port, for a single forward (0: any free port).")
  var port: Int?

  @Option(name: [.customShort("o", allowingJoined: true), .long], help: "Output format: text or json.")
  var output: ForwardOutput = .text

  @OptionGroup var forward: ForwardOptions

  enum ForwardOutput: String, ExpressibleByArgument, CaseIterable { case text, json }

  var names: [String] { all ? ForwardTargets.names : components }

  func validate() throws {
    if all, !components.isEmpty { throw ValidationError("give components or --all, not both") }
    if names.isEmpty {
      throw ValidationError("name what to forward (\(ForwardTargets.names.joined(separator: ", "))) or use --all")
    }
    for name in names where !ForwardTargets.names.contains(name) {
      let suggestions = Suggestions.closest(to: name, among: ForwardTargets.names)
      throw ValidationError(
        "'\(name)' cannot be forwarded; choose from \(ForwardTargets.names.joined(separator: ", "))"
          + (suggestions.isEmpty ? "" : " (did you mean '\(suggestions[0])'?)"))
    }
    if let port {
      guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
      guard names.count == 1, names[0] != "collector" else {
        throw ValidationError("--port sets the port of a single forward; the collector has three (4317, 4318, 9411)")
      }
    }
  }

  func execute(in run: Run) async throws {
    let (kube, specs) = try await ForwardSession.prepare(names: names, run: run, options: forward, port: port)
    let session = ForwardSession(run: run, kube: kube, specs: specs, timing: forward.timing)
    let listeners = try await session.bind()
    let renderer = ForwardRenderer(console: run.console, names: specs.map(\.name), json: output == .json)
    try await session.serve(listeners, onEvent: renderer.render)
  }
}
