import Dispatch
import Foundation
import Synchronization
import Testing

@testable import MtobsCore

#if canImport(Glibc)
  import Glibc
#endif

/// Children die with mtobs (PR_SET_PDEATHSIG), and only then: the death signal follows the thread
/// that forked the child, so a child must never be forked from a thread that may end while mtobs
/// runs on. The test binary links MtobsCore, so it carries the same exec helper as mtobs.
@Suite(
  "Children die with mtobs",
  .enabled("the parent-death helper exists only on Linux with /proc") { ParentDeathSignal.helper != nil },
  .enabled(if: ProcessTable.isReadable, Comment(rawValue: ProcessTable.unreadableReason)))
struct ChildDeathTests {
  let runner = SubprocessRunner(
    locator: ExecutableLocator(environment: ProcessInfo.processInfo.environment), gracePeriod: .milliseconds(500))
  let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mtobs-death-\(UUID().uuidString)").path

  /// A shell that writes its pid to `pidFile` and exits 0 once `flag` exists.
  private func waiterScript(pidFile: String, flag: String) -> String {
    "echo $$ > '\(pidFile)'; while [ ! -e '\(flag)' ]; do sleep 0.05; done; exit 0"
  }

  /// The tiny helper is built beside the binaries (and installed beside mtobs), so it is the one used.
  @Test func theTinyHelperIsFoundBesideTheBinary() {
    #expect(ParentDeathSignal.installedHelper()?.hasSuffix("/mtobs-exec-child") == true)
    #expect(ParentDeathSignal.helper == ParentDeathSignal.installedHelper())
  }

  /// Both helpers, the tiny executable and this binary itself (`/proc/self/exe`), do the same.
  @Test(arguments: ["tiny", "self"])
  func theHelperGivesTheChildADeathSignalBoundToTheThreadThatStartedIt(_ which: String) async throws {
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let pidFile = scratch + "/pid"
    let flag = scratch + "/go"
    let helper = which == "self" ? "/proc/self/exe" : try #require(ParentDeathSignal.installedHelper())
    let command = ParentDeathSignal.command(
      path: "/bin/sh", arguments: ["-c", waiterScript(pidFile: pidFile, flag: flag)], through: helper)
    // posix_spawn (fork and exec in one call, no Swift code in between) from a thread of our own.
    let thread = HeldThread { Self.spawn(command.executable, command.arguments) }
    let child = try #require(thread.value ?? nil, "posix_spawn of the helper failed")
    defer { kill(child, SIGKILL) }
    // The shell runs only after the helper has set the signal; until then the thread is held.
    let started = try await ProcessTable.wait(upTo: .seconds(20)) { FileManager.default.fileExists(atPath: pidFile) }
    #expect(started, "the child never wrote its pid")
    let tid = try #require(thread.threadID)
    thread.release()
    let threadEnded = try await ProcessTable.wait(upTo: .seconds(10)) { !ProcessTable.threadExists(tid) }
    #expect(threadEnded, "thread \(tid) never ended")
    // Only now may the child finish by itself; had the signal not come, it would exit 0.
    FileManager.default.createFile(atPath: flag, contents: nil)
    #expect(Self.waitStatus(child) == .signaled(ParentDeathSignal.signal))
  }

  @Test func aRunnerChildOutlivesTheThreadItWasRequestedFrom() async throws {
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let pidFile = scratch + "/pid"
    let flag = scratch + "/go"
    let caller = ThreadThatEnds()
    let runner = runner
    let script = waiterScript(pidFile: pidFile, flag: flag)
    let run = Task(executorPreference: caller) {
      try await runner.run(Invocation("sh", ["-c", script]), timeout: .seconds(60))
    }
    let started = try await ProcessTable.wait(upTo: .seconds(20)) { FileManager.default.fileExists(atPath: pidFile) }
    #expect(started, "the child never wrote its pid")
    caller.end()
    let threadEnded = try await ProcessTable.wait(upTo: .seconds(10)) { !ProcessTable.threadExists(caller.threadID) }
    #expect(threadEnded, "the caller's thread \(caller.threadID) never ended")
    FileManager.default.createFile(atPath: flag, contents: nil)
    let result = try await run.value
    #expect(result.termination == .exited(0), "the child was killed when the thread that asked for it ended")
  }

  @Test func theHelperExecsInPlaceSoTheChildIsTheProgramItself() async throws {
    // No wrapper process stays between mtobs and the program: the group mtobs signals and the
    // pid it waits for are the program's own, with the argument list it asked for.
    let shell = try #require(runner.locator.locate("sh"))
    let result = try await runner.run(
      Invocation("sh", ["-c", "echo $PPID; tr '\\0' '\\n' < /proc/$$/cmdline"]), timeout: .seconds(10))
    #expect(result.termination == .exited(0), "\(result.errorText)")
    let lines = result.outputText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.first == String(getpid()), "\(result.outputText)")
    #expect(Array(lines.dropFirst().prefix(2)) == [shell, "-c"], "\(result.outputText)")
  }

  // MARK: - Helpers

  enum WaitStatus: Equatable {
    case exited(Int32)
    case signaled(Int32)
    case failed(Int32)
  }

  /// Reaps `pid` and says how it ended.
  static func waitStatus(_ pid: pid_t) -> WaitStatus {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      if errno != EINTR { return .failed(errno) }
    }
    let signal = status & 0x7f
    return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
  }

  /// Starts `executable` with default signal dispositions (this test process may ignore some).
  static func spawn(_ executable: String, _ arguments: [String]) -> pid_t? {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var all = sigset_t()
    sigfillset(&all)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, executable, nil, &attributes, argv, environ)
    return rc == 0 ? pid : nil
  }

}

/// A thread that runs `body`, then waits until released and ends.
final class HeldThread<Value: Sendable>: Sendable {
  private let outcome = Mutex<(value: Value, threadID: Int32?)?>(nil)
  private let held = DispatchSemaphore(value: 0)

  init(_ body: @escaping @Sendable () -> Value) {
    let done = DispatchSemaphore(value: 0)
    let thread = Thread { [self] in
      let value = body()
      outcome.withLock { $0 = (value, ProcessTable.currentThreadID()) }
      done.signal()
      held.wait()
    }
    thread.start()
    done.wait()
  }

  var value: Value? { outcome.withLock { $0?.value } }
  var threadID: Int32? { outcome.withLock { $0?.threadID } }

  func release() { held.signal() }
}

/// A task executor on one thread that ends when told; jobs that arrive later run on fresh threads,
/// so tasks that prefer it still finish.
final class ThreadThatEnds: TaskExecutor, @unchecked Sendable {
  private struct State {
    var jobs: [UnownedJob] = []
    var ended = false
    var threadID: Int32?
  }

  private let state = Mutex(State())
  private let wake = DispatchSemaphore(value: 0)
  private let ready = DispatchSemaphore(value: 0)

  init() {
    let thread = Thread { [self] in loop() }
    thread.start()
    ready.wait()
  }

  var threadID: Int32 { state.withLock { $0.threadID ?? -1 } }

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    let ended = state.withLock { state in
      if !state.ended { state.jobs.append(job) }
      return state.ended
    }
    if ended {
      Thread.detachNewThread { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    } else {
      wake.signal()
    }
  }

  /// Lets the thread finish what it holds and end.
  func end() {
    state.withLock { $0.ended = true }
    wake.signal()
  }

  private func loop() {
    state.withLock { $0.threadID = ProcessTable.currentThreadID() }
    ready.signal()
    while true {
      wake.wait()
      let (jobs, ended) = state.withLock { state in
        defer { state.jobs = [] }
        return (state.jobs, state.ended)
      }
      for job in jobs { job.runSynchronously(on: asUnownedTaskExecutor()) }
      if ended { return }
    }
  }
}
