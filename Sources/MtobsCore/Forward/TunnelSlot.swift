import Foundation
import Synchronization

/// The local port of the current tunnel, shared between the supervisor (which publishes and
/// withdraws it) and the relay (whose connections wait for it during a reconnect, bounded).
public final class TunnelSlot: Sendable {
  private struct Waiter {
    let excluding: Int?
    let continuation: CheckedContinuation<Int?, Never>
  }

  private struct State {
    var port: Int?
    var closed = false
    var waiters: [UUID: Waiter] = [:]
    /// Waiters whose time ran out (or were cancelled) before they registered.
    var abandoned: Set<UUID> = []
  }

  private let state = Mutex(State())

  public init() {}

  public var current: Int? { state.withLock { $0.port } }

  /// Connections waiting for a tunnel now.
  public var waitingCount: Int { state.withLock { $0.waiters.count } }

  /// Makes `port` the tunnel new connections go to, and releases the connections waiting for one.
  public func publish(_ port: Int) {
    let ready = state.withLock { state -> [CheckedContinuation<Int?, Never>] in
      state.port = port
      let waiting = state.waiters.filter { $0.value.excluding != port }
      for id in waiting.keys { state.waiters[id] = nil }
      return waiting.values.map(\.continuation)
    }
    for continuation in ready { continuation.resume(returning: port) }
  }

  /// The tunnel is gone: new connections wait for the next one.
  public func withdraw() { state.withLock { $0.port = nil } }

  /// The forward ends: every waiting connection gives up.
  public func close() {
    let waiting = state.withLock { state -> [CheckedContinuation<Int?, Never>] in
      state.closed = true
      state.port = nil
      defer { state.waiters = [:] }
      return state.waiters.values.map(\.continuation)
    }
    for continuation in waiting { continuation.resume(returning: nil) }
  }

  /// A connection could not reach `port` (kubectl has ended or is ending): later connections wait
  /// for the next tunnel instead of trying it too. The supervisor sees the child's end itself.
  public func reportDead(_ port: Int) {
    state.withLock { state in
      if state.port == port { state.port = nil }
    }
  }

  /// The current port (other than `excluding`, one found dead), waiting up to `limit` for one; nil
  /// when none came in time, the slot closed or the task was cancelled.
  public func port(excluding: Int? = nil, waitingUpTo limit: Duration) async -> Int? {
    if let port = state.withLock({ $0.port }), port != excluding { return port }
    let id = UUID()
    let timer = Task {
      // A timer cancelled because the wait ended must not leave a record behind.
      guard (try? await Task.sleep(for: limit)) != nil else { return }
      self.giveUp(id)
    }
    defer { timer.cancel() }
    return await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        let immediate = state.withLock { state -> Int?? in
          if state.closed || state.abandoned.remove(id) != nil { return .some(nil) }
          if let port = state.port, port != excluding { return .some(port) }
          state.waiters[id] = Waiter(excluding: excluding, continuation: continuation)
          return .none
        }
        if let immediate { continuation.resume(returning: immediate) }
      }
    } onCancel: {
      self.giveUp(id)
    }
  }

  private func giveUp(_ id: UUID) {
    let waiter = state.withLock { state -> Waiter? in
      guard let waiter = state.waiters.removeValue(forKey: id) else {
        state.abandoned.insert(id)
        return nil
      }
      return waiter
    }
    waiter?.continuation.resume(returning: nil)
  }
}
