import Foundation
import Subprocess
import Synchronization
import SystemPackage

/// What a finished child left behind.
public struct ProcessResult: Sendable, Equatable {
  public enum Termination: Sendable, Equatable {
    case exited(Int32)
    case signaled(Int32)
  }

  public let termination: Termination
  public let standardOutput: [UInt8]
  public let standardError: [UInt8]

  public init(termination: Termination, standardOutput: [UInt8], standardError: [UInt8]) {
    self.termination = termination
    self.standardOutput = standardOutput
    self.standardError = standardError
  }

  public var succeeded: Bool { termination == .exited(0) }
  public var outputText: String { String(decoding: standardOutput, as: UTF8.self) }
  public var errorText: String { String(decoding: standardError, as: UTF8.self) }

  /// The exit code a shell would report (128+N for a signal).
  public var exitCode: Int32 {
    switch termination {
    case .exited(let code): code
    case .signaled(let signal): 128 + signal
    }
  }
}

/// Why a child could not run to completion.
public enum ProcessError: Error, Sendable, Equatable {
  case notFound(executable: String)
  case timedOut(command: String, after: Duration)
  case launchFailed(command: String, reason: String)
}

/// One line a streamed child printed.
public struct OutputLine: Sendable, Equatable {
  public enum Stream: Sendable, Equatable { case standardOutput, standardError }
  public let stream: Stream
  public let text: String

  public init(_ stream: Stream, _ text: String) {
    self.stream = stream
    self.text = text
  }
}

/// How a streamed child ended, with the last lines it printed (for error messages).
public struct StreamedResult: Sendable, Equatable {
  public let termination: ProcessResult.Termination
  public let lastLines: [String]

  public init(termination: ProcessResult.Termination, lastLines: [String]) {
    self.termination = termination
    self.lastLines = lastLines
  }

  public var succeeded: Bool { termination == .exited(0) }
  public var exitCode: Int32 {
    switch termination {
    case .exited(let code): code
    case .signaled(let signal): 128 + signal
    }
  }
}

/// Runs external commands. Core code depends on this protocol so tests can swap in fakes.
public protocol ProcessRunning: Sendable {
  /// Runs `invocation` to completion, collecting its output. Throws `ProcessError.timedOut` when
  /// `timeout` passes first and `CancellationError` when the calling task is cancelled; in both
  /// cases the child's whole process group has been torn down before this returns.
  func run(_ invocation: Invocation, timeout: Duration?) async throws -> ProcessResult

  /// Runs `invocation`, handing each output line to `onLine` as it comes (long operations such
  /// as deploys), with the same timeout and teardown guarantees as `run`.
  func stream(
    _ invocation: Invocation, timeout: Duration?, onLine: @escaping @Sendable (OutputLine) -> Void
  )
    async throws -> StreamedResult
}

/// The real runner, on swift-subprocess.
///
/// Every child gets its own session (so its process group can be signalled as a whole and a
/// Ctrl-C at the terminal reaches mtobs, which decides), and is torn down with SIGTERM to the
/// group, then SIGKILL after `gracePeriod`, on timeout, cancellation or error. On Linux it also
/// dies when mtobs does, however mtobs ends (`ParentDeathSignal`).
public struct SubprocessRunner: ProcessRunning {
  public var locator: ExecutableLocator
  /// Receives each command line before it runs (`--verbose`).
  public var echo: (@Sendable (String) -> Void)?
  public var gracePeriod: Duration
  /// Collected output beyond this is an error rather than unbounded memory.
  public var outputLimit: Int

  public init(
    locator: ExecutableLocator, echo: (@Sendable (String) -> Void)? = nil, gracePeriod: Duration = .seconds(2),
    outputLimit: Int = 256 << 20
  ) {
    self.locator = locator
    self.echo = echo
    self.gracePeriod = gracePeriod
    self.outputLimit = outputLimit
  }

  /// Options for children mtobs supervises: own session, group teardown.
  public static func supervisedOptions(gracePeriod: Duration) -> PlatformOptions {
    var options = PlatformOptions()
    options.createSession = true
    options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: gracePeriod)]
    return options
  }

  /// Finds the executable, echoes the command (`-v`) and sets up a supervised child.
  private func configuration(for invocation: Invocation) throws -> Subprocess.Configuration {
    guard let path = locator.locate(invocation.executable) else {
      throw ProcessError.notFound(executable: invocation.executable)
    }
    echo?(invocation.display)
    let command = ParentDeathSignal.command(path: path, arguments: invocation.arguments)
    return Subprocess.Configuration(
      executable: .path(FilePath(command.executable)),
      arguments: Arguments(command.arguments),
      environment: Self.environment(adding: invocation.environment),
      platformOptions: Self.supervisedOptions(gracePeriod: gracePeriod)
    )
  }

  public func run(_ invocation: Invocation, timeout: Duration?) async throws -> ProcessResult {
    let configuration = try configuration(for: invocation)
    let limit = outputLimit
    let input = invocation.standardInput
    let display = invocation.display
    let launch: @Sendable () async throws -> ProcessResult = {
      do {
        let result =
          if let input {
            try await Subprocess.run(
              configuration, input: .array(input), output: .bytes(limit: limit), error: .bytes(limit: limit))
          } else {
            try await Subprocess.run(
              configuration, input: .none, output: .bytes(limit: limit), error: .bytes(limit: limit))
          }
        return ProcessResult(
          termination: Self.termination(result.terminationStatus),
          standardOutput: result.standardOutput,
          standardError: result.standardError
        )
      } catch let error as SubprocessError {
        try Task.checkCancellation()
        throw ProcessError.launchFailed(command: display, reason: String(describing: error))
      }
    }
    return try await Self.withTimeout(timeout, command: display, launch)
  }

  public func stream(
    _ invocation: Invocation, timeout: Duration?, onLine: @escaping @Sendable (OutputLine) -> Void
  )
    async throws -> StreamedResult
  {
    let configuration = try configuration(for: invocation)
    let display = invocation.display
    let tail = LineTail(capacity: 20)
    let launch: @Sendable () async throws -> StreamedResult = {
      do {
        let result = try await Subprocess.run(configuration, input: .none, output: .sequence, error: .sequence) {
          execution in
          // Both streams drain at once: reading one after the other can deadlock on a full pipe.
          try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
              for try await line in execution.standardOutput.strings() {
                tail.append(line)
                onLine(OutputLine(.standardOutput, line))
              }
            }
            group.addTask {
              for try await line in execution.standardError.strings() {
                tail.append(line)
                onLine(OutputLine(.standardError, line))
              }
            }
            try await group.waitForAll()
          }
        }
        return StreamedResult(termination: Self.termination(result.terminationStatus), lastLines: tail.lines)
      } catch let error as SubprocessError {
        try Task.checkCancellation()
        throw ProcessError.launchFailed(command: display, reason: String(describing: error))
      }
    }
    return try await Self.withTimeout(timeout, command: display, launch)
  }

  /// Races `operation` against `timeout`; the loser is cancelled, which tears its child down.
  static func withTimeout<Value: Sendable>(
    _ timeout: Duration?, command: String, _ operation: @escaping @Sendable () async throws -> Value
  ) async throws -> Value {
    guard let timeout else { return try await operation() }
    return try await withThrowingTaskGroup(of: Value?.self) { group in
      group.addTask { try await operation() }
      group.addTask {
        try await Task.sleep(for: timeout)
        return nil
      }
      defer { group.cancelAll() }
      guard let first = try await group.next(), let value = first else {
        throw ProcessError.timedOut(command: command, after: timeout)
      }
      return value
    }
  }

  static func environment(adding variables: [String: String]) -> Environment {
    guard !variables.isEmpty else { return .inherit }
    var updates: [Environment.Key: String?] = [:]
    for (key, value) in variables { updates[Environment.Key(stringLiteral: key)] = value }
    return .inherit.updating(updates)
  }

  static func termination(_ status: TerminationStatus) -> ProcessResult.Termination {
    switch status {
    case .exited(let code): .exited(code)
    case .signaled(let signal): .signaled(signal)
    }
  }
}

/// The last lines a child printed, shared by the two stream readers.
private final class LineTail: Sendable {
  private let capacity: Int
  private let storage = Mutex<[String]>([])

  init(capacity: Int) { self.capacity = capacity }

  func append(_ line: String) {
    storage.withLock {
      $0.append(line)
      if $0.count > capacity { $0.removeFirst($0.count - capacity) }
    }
  }

  var lines: [String] { storage.withLock { $0 } }
}
