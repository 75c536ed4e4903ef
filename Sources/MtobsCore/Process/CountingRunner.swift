import Synchronization

/// Counts the children another runner starts, so `health -v` and the benchmark can show that
/// the number of kubectl calls does not grow with the number of pods.
public final class CountingRunner: ProcessRunning {
  private let base: any ProcessRunning
  private let started = Mutex(0)

  public init(_ base: any ProcessRunning) { self.base = base }

  public var count: Int { started.withLock { $0 } }

  public func run(_ invocation: Invocation, timeout: Duration?) async throws -> ProcessResult {
    started.withLock { $0 += 1 }
    return try await base.run(invocation, timeout: timeout)
  }

  public func stream(
    _ invocation: Invocation, timeout: Duration?, onLine: @escaping @Sendable (OutputLine) -> Void
  )
    async throws -> StreamedResult
  {
    started.withLock { $0 += 1 }
    return try await base.stream(invocation, timeout: timeout, onLine: onLine)
  }
}
