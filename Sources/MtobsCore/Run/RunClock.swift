import Foundation

/// Time as a service of the run: elapsed time and waiting (monotonic), and the wall-clock
/// timestamps reports carry. Tests give a run their own.
public protocol RunClock: Sendable {
  func now() -> ContinuousClock.Instant
  func sleep(for duration: Duration) async throws
  /// The wall-clock time as RFC 3339 UTC (`2026-11-29T10:00:00Z`).
  func timestamp() -> String
}

/// The machine's clocks.
public struct SystemClock: RunClock {
  public init() {}

  public func now() -> ContinuousClock.Instant { ContinuousClock.now }
  public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
  public func timestamp() -> String { Timestamp.now() }
}
