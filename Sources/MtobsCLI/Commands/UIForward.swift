import ArgumentParser
import Foundation
import MtobsCore
import Synchronization

/// `mtobs grafana` and `mtobs pyroscope`: one supervised forward to a UI, announced once the UI
/// really answers through the tunnel, with its URL (and Grafana's credentials), until interrupted.
struct UIForward {
  let component: String
  let title: String
  let port: Int
  let open: Bool
  let options: ForwardOptions

  func execute(in run: Run) async throws {
    let console = run.console
    let (kube, specs) = try await ForwardSession.prepare(names: [component], run: run, options: options, port: port)
    let session = ForwardSession(run: run, kube: kube, specs: specs, timing: options.timing)
    let listeners = try await session.bind()
    guard let listener = listeners.first, let spec = specs.first else { return }
    let renderer = ForwardRenderer(console: console, names: specs.map(\.name), json: false)
    let credentials: Result<GrafanaCredentials, CommandFailure>? =
      component == "grafana"
      ? await GrafanaCredentials.read(kube: kube, secret: run.configuration.text(.grafanaSecret)) : nil
    let url = ForwardSession.url(address: listener.address, port: listener.port)
    let readiness: String
    if case .http(let path) = spec.probe { readiness = path } else { readiness = "/" }
    let open = open
    let title = title
    try await session.serve(listeners, onEvent: renderer.render) {
      try await waitUntilAnswering(
        host: ForwardSession.probeHost(listener.address), port: listener.port, path: readiness, console: console)
      renderer.detach()
      console.print("\(title): \(url)")
      switch credentials {
      case .success(let credentials)?:
        console.print("  user: \(credentials.user)")
        console.print("  password: \(credentials.password)")
      case .failure(let failure)?:
        console.warning(
          "no credentials: \(failure.errorMessage)" + (failure.errorHint.isEmpty ? "" : " (\(failure.errorHint))"))
      case nil: break
      }
      console.printError("forwarding until Ctrl-C")
      if open { await openBrowser(url, run: run) }
    }
  }

  /// Waits until `path` answers 2xx through mtobs's own listener (end to end: relay, tunnel, pod),
  /// saying once why it does not yet.
  private func waitUntilAnswering(host: String, port: Int, path: String, console: Console) async throws {
    var lastReason: String?
    while true {
      let reason: String
      switch await TunnelProbe.get(host: host, port: port, path: path, timeout: .seconds(5), bodyLimit: 64 << 10) {
      case .success(let answer) where (200..<300).contains(answer.status): return
      case .success(let answer):
        let body = String(decoding: answer.body.prefix(200), as: UTF8.self).trimmingCharacters(
          in: .whitespacesAndNewlines)
        reason = "\(path) answered \(answer.status)" + (body.isEmpty ? "" : ": \(body)")
      case .failure(let failure): reason = "\(path): \(failure.reason)"
      }
      if reason != lastReason {
        console.printError("\(component): waiting for \(title) to answer (\(reason))")
        lastReason = reason
      }
      try await Task.sleep(for: .milliseconds(500))
    }
  }

  /// Opens `url` in the browser, or says why it cannot.
  private func openBrowser(_ url: String, run: Run) async {
    #if os(macOS)
      let opener = "open"
    #else
      let opener = "xdg-open"
    #endif
    guard run.locator.locate(opener) != nil else {
      run.console.warning("cannot open a browser: '\(opener)' is not installed; open \(url) yourself")
      return
    }
    do {
      let result = try await run.runner.run(Invocation(opener, [url]), timeout: .seconds(10))
      if !result.succeeded {
        run.console.warning("\(opener) \(url) failed (\(result.exitCode)); open it yourself")
      }
    } catch is CancellationError {
    } catch {
      run.console.warning("cannot open a browser: \(error); open \(url) yourself")
    }
  }
}

/// A UI that `UIForwardOptions` forwards to: its component, its name in messages, its default port.
protocol ForwardedUI {
  static var component: String { get }
  static var title: String { get }
  static var defaultPort: Int { get }
}

/// The options `mtobs grafana` and `mtobs pyroscope` share (only the default port and the UI's
/// name differ), and the command they run.
struct UIForwardOptions<UI: ForwardedUI>: ParsableArguments {
  @Option(help: "The local port (0: any free port).")
  var port = UI.defaultPort

  @Flag(help: "Open the browser once \(UI.title) answers (xdg-open or open).")
  var open = false

  @OptionGroup var forward: ForwardOptions

  func validate() throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
  }

  func execute(in run: Run) async throws {
    try await UIForward(component: UI.component, title: UI.title, port: port, open: open, options: forward)
      .execute(in: run)
  }
}
