import ArgumentParser
import MtobsCore

struct GrafanaCommand: MtobsCommand, RunsUntilInterrupted {
  static let configuration = CommandConfiguration(
    commandName: "grafana",
    abstract: "Open Grafana on a local port through a supervised port-forward.",
    discussion: """
      Finds Grafana's Service (by role), forwards to a ready pod behind it and keeps
      the forward alive: the local port never changes, the tunnel is probed through
      itself and replaced when it dies or hangs (at once, then with backoff up to
      30 s while no new tunnel works). Once /api/health answers, prints the URL
      and the admin user and password read from the cluster Secret
      ('grafana.secret'). Runs until Ctrl-C; exits 0 then.

      Examples:
        mtobs grafana
        mtobs grafana --port 0 --open        # any free port, then the browser
        mtobs grafana --context staging --port 3001
      """
  )

  @OptionGroup var global: GlobalOptions

  @Option(help: "The local port (0: any free port).")
  var port = 3000

  @Flag(help: "Open the browser once Grafana answers (xdg-open or open).")
  var open = false

  @OptionGroup var forward: ForwardOptions

  func validate() throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
  }

  func execute(in run: Run) async throws {
    try await UIForward(component: "grafana", title: "Grafana", port: port, open: open, options: forward)
      .execute(in: run)
  }
}
