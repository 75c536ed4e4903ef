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

  @Option(help: "The local port (0: any free port).")
  var port = 4040

  @Flag(help: "Open the browser once Pyroscope answers (xdg-open or open).")
  var open = false

  @OptionGroup var forward: ForwardOptions

  func validate() throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
  }

  func execute(in run: Run) async throws {
    try await UIForward(component: "pyroscope", title: "Pyroscope", port: port, open: open, options: forward)
      .execute(in: run)
  }
}
