import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT, SIGTERM and SIGHUP into task cancellation, so every child is torn down by the
/// same structured path as a timeout, and reports which signal arrived so the exit code can say so.
public final class SignalTrap {
  public static let handledSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

  private let sources: [any DispatchSourceSignal]
  private let received: AtomicSignal
  /// Signals are process-wide: core code that writes down why it stopped reads the first one here.
  private static let processWide = AtomicSignal()

  /// Installs the handlers; `onSignal` runs on a global queue for the first signal, `onRepeat`
  /// (with the first signal's number) for every later one — e.g. to stop waiting for clean-up.
  /// Without `onRepeat`, every signal goes to `onSignal`. Keep the trap alive while it matters.
  // nonisolated by construction: a handler formed in main-actor code and fired on a global queue
  // trips Swift 6's runtime isolation check.
  public init(onSignal: @escaping @Sendable (Int32) -> Void, onRepeat: (@Sendable (Int32) -> Void)? = nil) {
    let received = AtomicSignal()
    self.received = received
    sources = Self.handledSignals.map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        let first = received.store(number)
        Self.processWide.store(number)
        if let onRepeat, let first { onRepeat(first) } else { onSignal(number) }
      }
      source.resume()
      return source
    }
  }

  /// The first signal that arrived, if any.
  public var receivedSignal: Int32? { received.load() }

  /// The first signal any trap in this process received, if any.
  public static var firstSignalInProcess: Int32? { processWide.load() }

  /// `SIGINT` for 2, and so on; the number for others.
  public static func name(of number: Int32) -> String {
    switch number {
    case SIGINT: "SIGINT"
    case SIGTERM: "SIGTERM"
    case SIGHUP: "SIGHUP"
    default: "signal \(number)"
    }
  }

  deinit {
    for source in sources { source.cancel() }
  }
}

/// The first signal received, shared between the signal queue and the main flow.
private final class AtomicSignal: Sendable {
  private let value = Mutex<Int32?>(nil)

  /// Keeps the first signal; returns the one kept before this call (nil for the first).
  @discardableResult
  func store(_ number: Int32) -> Int32? {
    value.withLock { current in
      defer { if current == nil { current = number } }
      return current
    }
  }

  func load() -> Int32? { value.withLock { $0 } }
}
