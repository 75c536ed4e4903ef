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

  @OptionGroup var ui: UIForwardOptions<GrafanaUI>

  func execute(in run: Run) async throws { try await ui.execute(in: run) }
}

enum GrafanaUI: ForwardedUI {
  static let component = "grafana"
  static let title = "Grafana"
  static let defaultPort = 3000
}
