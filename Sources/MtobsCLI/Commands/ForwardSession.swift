import ArgumentParser
import Foundation
import MtobsCore
import Synchronization

/// A command whose work is to run until interrupted (a forward): a clean Ctrl-C, SIGTERM or
/// SIGHUP ends it with status 0.
protocol RunsUntilInterrupted {}

/// The options every forwarding command shares besides its port.
struct ForwardOptions: ParsableArguments {
  @Option(help: ArgumentHelp("The local address to listen on (other than loopback: reachable from the network)."))
  var address = "127.0.0.1"

  // For tests and benchmarks: how often a healthy tunnel is probed.
  @Option(help: .hidden)
  var probeInterval: String?

  func validate() throws {
    if let probeInterval, DurationText.parse(probeInterval) == nil {
      throw ValidationError("--probe-interval takes a duration such as 15s, not '\(probeInterval)'")
    }
  }

  var timing: ForwardTiming {
    var timing = ForwardTiming()
    if let interval = probeInterval.flatMap(DurationText.parse) {
      timing.probeInterval = interval
      timing.probeTimeout = min(timing.probeTimeout, max(interval, .milliseconds(500)))
    }
    return timing
  }

  var isLoopback: Bool { ["127.0.0.1", "::1", "localhost"].contains(address) || address.hasPrefix("127.") }
}

/// Runs supervised forwards for a command: binds every listener first (a busy port stops
/// everything before any kubectl starts), runs the supervisors, and ends them all on interrupt.
struct ForwardSession {
  let run: Run
  let kube: KubeClient
  let specs: [ForwardSpec]
  let timing: ForwardTiming

  /// The pinned client and the specs for `names`.
  static func prepare(
    names: [String], run: Run, options: ForwardOptions, port: Int?
  ) async throws -> (
    KubeClient, [ForwardSpec]
  ) {
    let kube = try await run.kube().pinningCurrentContext()
    kube.connect()
    let specs = try await ForwardTargets.resolve(
      names: names, run: run, kube: kube, address: options.address, port: port)
    if !options.isLoopback {
      run.console.warning(
        "listening on \(options.address): the forwarded \(specs.count == 1 ? "UI is" : "ports are") now reachable "
          + "from the network, without any authentication of mtobs's own")
    }
    return (kube, specs)
  }

  /// Binds every listener; on a failure the ones already bound are closed.
  func bind() async throws -> [RelayListener] {
    var listeners: [RelayListener] = []
    do {
      for spec in specs {
        listeners.append(try await RelayListener.bind(address: spec.localAddress, port: spec.localPort))
      }
    } catch {
      for listener in listeners { await listener.close() }
      throw error
    }
    return listeners
  }

  /// Runs every forward until the task is cancelled or one is refused; `alongside` runs beside
  /// them (waiting for a UI, printing its URL) and may end early.
  func serve(
    _ listeners: [RelayListener], onEvent: @escaping @Sendable (ForwardEvent) -> Void,
    alongside: (@Sendable () async throws -> Void)? = nil
  ) async throws {
    try await withThrowingTaskGroup(of: Bool.self) { group in
      for (spec, listener) in zip(specs, listeners) {
        let supervisor = ForwardSupervisor(spec: spec, kube: kube, timing: timing, onEvent: onEvent)
        group.addTask {
          try await supervisor.run(listener: listener)
          return true
        }
      }
      if let alongside {
        group.addTask {
          try await alongside()
          return false
        }
      }
      defer { group.cancelAll() }
      // The side task may finish; a forward ends only by interrupt (CancellationError) or refusal.
      while let forwardEnded = try await group.next() {
        if forwardEnded { return }
      }
    }
  }

  /// The URL to print for a listener (the address users can paste).
  static func url(address: String, port: Int) -> String {
    let host = address.contains(":") ? "[\(address)]" : address
    return "http://\(host):\(port)"
  }

  /// Where to probe a listener from here (a wildcard address answers on loopback).
  static func probeHost(_ address: String) -> String {
    ["0.0.0.0", "::", ""].contains(address) ? "127.0.0.1" : address
  }
}

/// How forward events are shown: one line each for logs and pipes, a block of status lines that
/// updates in place on a terminal, or one JSON object per line.
final class ForwardRenderer: Sendable {
  enum Mode { case plain, board, json }

  private let console: Console
  private let mode: Mode
  private let names: [String]
  private let lines: Mutex<(texts: [String: String], drawn: Int)>

  init(console: Console, names: [String], json: Bool) {
    self.console = console
    self.names = names
    mode = json ? .json : console.terminal.standardErrorIsTerminal ? .board : .plain
    lines = Mutex(([:], 0))
  }

  func render(_ event: ForwardEvent) {
    switch mode {
    case .json:
      console.print(event.jsonLine)
    case .plain:
      // The error itself is reported once, by the command's exit; a loss is said with its retry
      // or its reconnect, so each reconnect is one line.
      switch event {
      case .failed, .lost, .connecting, .stopped: return
      default: console.printError(event.text)
      }
    case .board:
      if case .failed = event { return }
      let color = console.colorOnStandardError
      lines.withLock { state in
        state.texts[event.name] = Self.decorated(event, color: color)
        var output = state.drawn > 0 ? "\u{1B}[\(state.drawn)A" : ""
        for name in names {
          output += "\r\u{1B}[2K" + (state.texts[name] ?? "\(name): starting") + "\n"
        }
        state.drawn = names.count
        console.sink.write(output, to: .standardError)
      }
    }
  }

  /// Text printed below the board must not be overwritten by its next update.
  func detach() {
    lines.withLock { $0.drawn = 0 }
  }

  private static func decorated(_ event: ForwardEvent, color: Bool) -> String {
    switch event {
    case .connected, .reconnected: Style.green("●", color) + " " + event.text
    case .lost, .retrying, .connecting: Style.yellow("●", color) + " " + event.text
    case .failed: Style.red("●", color) + " " + event.text
    default: "  " + event.text
    }
  }
}
