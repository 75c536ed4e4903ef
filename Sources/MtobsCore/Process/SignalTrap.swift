import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT, SIGTERM and SIGHUP into task cancellation, so every child is torn down by the
/// same structured path as a timeout, and reports which signal arrived so the exit code can say so.
public final class SignalTrap {
  public static let handledSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

  private let sources: [any DispatchSourceSignal]
  private let received: AtomicSignal

  /// Installs the handlers; `onSignal` runs on a global queue. Keep the trap alive while it matters.
  // nonisolated by construction: a handler formed in main-actor code and fired on a global queue
  // trips Swift 6's runtime isolation check.
  public init(onSignal: @escaping @Sendable (Int32) -> Void) {
    let received = AtomicSignal()
    self.received = received
    sources = Self.handledSignals.map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        received.store(number)
        onSignal(number)
      }
      source.resume()
      return source
    }
  }

  /// The first signal that arrived, if any.
  public var receivedSignal: Int32? { received.load() }

  deinit {
    for source in sources { source.cancel() }
  }
}

/// The first signal received, shared between the signal queue and the main flow.
private final class AtomicSignal: Sendable {
  private let value = Mutex<Int32?>(nil)

  func store(_ number: Int32) {
    value.withLock { if $0 == nil { $0 = number } }
  }

  func load() -> Int32? { value.withLock { $0 } }
}
