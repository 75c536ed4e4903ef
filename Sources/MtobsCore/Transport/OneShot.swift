import Synchronization

/// A value set once and awaited by any number of tasks; a waiting task that is cancelled stops
/// waiting at once (a Ctrl-C must not wait for a slow `kubectl proxy` to start).
final class OneShot<Value: Sendable>: Sendable {
  private struct State {
    var value: Value?
    var waiters: [UInt64: CheckedContinuation<Value, any Error>] = [:]
    var cancelled: Set<UInt64> = []
    var nextID: UInt64 = 0
  }

  private let state = Mutex(State())

  init() {}

  /// Sets the value and wakes every waiter; later calls change nothing.
  func resolve(_ value: Value) {
    let waiters = state.withLock { state -> [CheckedContinuation<Value, any Error>] in
      guard state.value == nil else { return [] }
      state.value = value
      defer { state.waiters = [:] }
      return Array(state.waiters.values)
    }
    for waiter in waiters { waiter.resume(returning: value) }
  }

  var current: Value? { state.withLock { $0.value } }

  func value() async throws -> Value {
    let id = state.withLock { state in
      defer { state.nextID += 1 }
      return state.nextID
    }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        let outcome = state.withLock { state -> Result<Value, any Error>? in
          if state.cancelled.remove(id) != nil { return .failure(CancellationError()) }
          if let value = state.value { return .success(value) }
          state.waiters[id] = continuation
          return nil
        }
        if let outcome { continuation.resume(with: outcome) }
      }
    } onCancel: {
      let waiter = state.withLock { state in
        guard let waiter = state.waiters.removeValue(forKey: id) else {
          if state.value == nil { state.cancelled.insert(id) }
          return nil as CheckedContinuation<Value, any Error>?
        }
        return waiter
      }
      waiter?.resume(throwing: CancellationError())
    }
  }
}
