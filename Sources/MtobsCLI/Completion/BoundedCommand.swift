import Foundation
import MtobsCore

/// Runs a helper command for TAB and keeps its standard output only if it ends in time: a slow
/// or unreachable cluster, or a hanging plugin, costs the user a short wait, never a stuck shell.
/// The helper runs as every child of mtobs does (`SubprocessRunner`): in its own session, so that
/// on the time limit its whole process group goes (kubectl's credential plugin, a plugin's own
/// children), and dying with mtobs.
enum BoundedCommand {
  /// The most output accepted (a completion list, not a log); more offers nothing.
  static let outputLimit = 256 * 1024

  /// `environment` holds the variables to set on top of mtobs's own.
  static func output(
    of executable: String, _ arguments: [String], environment: [String: String] = [:], timeLimit: Duration
  ) -> String? {
    // TAB is waiting: no grace period between SIGTERM and SIGKILL.
    let runner = SubprocessRunner(
      locator: ExecutableLocator(environment: ProcessInfo.processInfo.environment), gracePeriod: .zero,
      outputLimit: outputLimit)
    let invocation = Invocation(executable, arguments, environment: environment)
    let answer = Answer()
    let finished = DispatchSemaphore(value: 0)
    // The completion path is synchronous; the runner's task runs on the global executor meanwhile.
    Task.detached {
      answer.set(try? await runner.run(invocation, timeout: timeLimit))
      finished.signal()
    }
    // A hard bound too: the runner's teardown waits for the output pipe, which a grandchild that
    // escaped the group could hold open. TAB answers nothing then, rather than hang the shell.
    let seconds = Double(timeLimit.components.seconds) + Double(timeLimit.components.attoseconds) / 1e18
    guard finished.wait(timeout: .now() + seconds + 0.5) == .success else { return nil }
    guard let result = answer.get(), result.succeeded else { return nil }
    return result.outputText
  }

  /// The result handed from the runner's task to the waiting thread.
  private final class Answer: @unchecked Sendable {
    private let lock = NSLock()
    private var result: ProcessResult?
    func set(_ value: ProcessResult?) { lock.withLock { result = value } }
    func get() -> ProcessResult? { lock.withLock { result } }
  }
}
