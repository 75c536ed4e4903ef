import Synchronization

/// What one `kubectl port-forward` child has said so far: the local port it forwards from, its
/// last error lines, and whether it has ended. Fed by the child's output reader; awaited by the
/// supervisor.
final class TunnelChild: Sendable {
  private struct State {
    var port: Int?
    var ended = false
    var errorLines: [String] = []
    var portWaiters: [CheckedContinuation<Int?, Never>] = []
  }

  private let state = Mutex(State())

  /// kubectl's announcement: `Forwarding from 127.0.0.1:40123 -> 3000`.
  static func forwardedPort(in line: String) -> Int? {
    let prefix = "Forwarding from 127.0.0.1:"
    guard line.hasPrefix(prefix) else { return nil }
    let rest = line.dropFirst(prefix.count)
    let digits = rest.prefix { $0.isNumber }
    guard let port = Int(digits), (1...65535).contains(port) else { return nil }
    return port
  }

  func record(_ line: OutputLine) {
    let waiters = state.withLock { state -> ([CheckedContinuation<Int?, Never>], Int?) in
      switch line.stream {
      case .standardError:
        state.errorLines.append(line.text)
        if state.errorLines.count > 20 { state.errorLines.removeFirst() }
        return ([], nil)
      case .standardOutput:
        guard state.port == nil, let port = Self.forwardedPort(in: line.text) else { return ([], nil) }
        state.port = port
        defer { state.portWaiters = [] }
        return (state.portWaiters, port)
      }
    }
    for waiter in waiters.0 { waiter.resume(returning: waiters.1) }
  }

  /// The child is gone: whoever waits for its port stops waiting.
  func end() {
    let waiters = state.withLock { state -> [CheckedContinuation<Int?, Never>] in
      state.ended = true
      defer { state.portWaiters = [] }
      return state.portWaiters
    }
    for waiter in waiters { waiter.resume(returning: nil) }
  }

  var isForwarding: Bool { state.withLock { $0.port != nil } }
  var errorLines: [String] { state.withLock { $0.errorLines } }

  /// The forwarded port once announced; nil if the child ended first. The supervisor ends the child
  /// (which calls `end`) on every path, so no waiter is left behind.
  func forwardedPort() async -> Int? {
    await withCheckedContinuation { continuation in
      let now = state.withLock { state -> Int?? in
        if let port = state.port { return .some(port) }
        if state.ended { return .some(nil) }
        state.portWaiters.append(continuation)
        return .none
      }
      if let now { continuation.resume(returning: now) }
    }
  }
}
