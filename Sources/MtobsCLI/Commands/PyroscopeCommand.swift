import ArgumentParser
import MtobsCore

struct PyroscopeCommand: MtobsCommand, RunsUntilInterrupted {
  static let configuration = CommandConfiguration(
    commandName: "pyroscope",
    abstract: "Open Pyroscope on a local port through a supervised port-forward.",
    discussion: """
      Like 'mtobs grafana', for Pyroscope: prints the URL once /ready answers
      through the tunnel, and keeps the forward alive until Ctrl-C.

      Examples:
        mtobs pyroscope
        mtobs pyroscope --port 0 --open
      """
  )

  @OptionGroup var global: GlobalOptions

  @OptionGroup var ui: UIForwardOptions<PyroscopeUI>

  func execute(in run: Run) async throws { try await ui.execute(in: run) }
}

enum PyroscopeUI: ForwardedUI {
  static let component = "pyroscope"
  static let title = "Pyroscope"
  static let defaultPort = 4040
}
