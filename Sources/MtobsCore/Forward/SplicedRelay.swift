#if os(Linux)
  import Foundation
  import Glibc
  import Synchronization

  /// The bulk phase of one relayed connection, once its answer is well under way and SwiftNIO has
  /// let go of both sockets (`RelaySession`): a thread per direction, each a `SplicePump`. The end
  /// of one side's input is passed on as a half-close; a failure ends both directions; when both
  /// are done the sockets close. `stop()` ends it from outside (the listener closing).
  final class SplicedRelay: Sendable {
    private struct State {
      var running: Int
      var closed = false
    }

    let client: Int32
    let tunnel: Int32
    private let clientFinished: Bool
    private let state: Mutex<State>
    private let ended: @Sendable (SplicedRelay) -> Void

    /// Will relay the connected, owned descriptors `client` and `tunnel` (from `start()`) until
    /// both directions end, then close them and call `ended`. `clientFinished`: the client already
    /// ended its side (and the tunnel was told), so only the answer is left to pass.
    init(client: Int32, tunnel: Int32, clientFinished: Bool, ended: @escaping @Sendable (SplicedRelay) -> Void) {
      self.client = client
      self.tunnel = tunnel
      self.clientFinished = clientFinished
      self.state = Mutex(State(running: clientFinished ? 1 : 2))
      self.ended = ended
    }

    func start() {
      for descriptor in [client, tunnel] {
        // The pumps block; SwiftNIO left the sockets non-blocking.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
      }
      pump(SplicePump(source: tunnel, sink: client, pipeCapacity: SplicePump.chunk))
      if !clientFinished { pump(SplicePump(source: client, sink: tunnel)) }
    }

    /// Ends both directions now (each pump sees its input end or its output fail).
    func stop() {
      state.withLock { state in
        guard !state.closed else { return }
        shutdown(client, Int32(SHUT_RDWR))
        shutdown(tunnel, Int32(SHUT_RDWR))
      }
    }

    private func pump(_ pump: SplicePump) {
      Thread.detachNewThread {
        let report = pump.run()
        self.directionEnded(report.outcome, sink: pump.sink)
      }
    }

    private func directionEnded(_ outcome: SplicePump.Outcome, sink: Int32) {
      let last = state.withLock { state -> Bool in
        if !state.closed {
          // Under the lock: once closed, these numbers may already name other descriptors.
          if outcome == .ended {
            shutdown(sink, Int32(SHUT_WR))
          } else {
            shutdown(client, Int32(SHUT_RDWR))
            shutdown(tunnel, Int32(SHUT_RDWR))
          }
        }
        state.running -= 1
        guard state.running == 0 else { return false }
        state.closed = true
        close(client)
        close(tunnel)
        return true
      }
      if last { ended(self) }
    }
  }
#endif
