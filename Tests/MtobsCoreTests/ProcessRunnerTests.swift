import Foundation
import Synchronization
import Testing

@testable import MtobsCore

/// Real children, real signals: the runner must collect both streams, time out, and leave
/// nothing running (grandchildren included) on timeout and on cancellation.
@Suite("Process runner")
struct ProcessRunnerTests {
  let runner = SubprocessRunner(
    locator: ExecutableLocator(environment: ProcessInfo.processInfo.environment), gracePeriod: .milliseconds(500))

  @Test func collectsBothStreamsAndTheExitCode() async throws {
    // 200 KiB on each stream: a runner that drains one pipe after the other would deadlock.
    let script = "head -c 204800 /dev/zero | tr '\\0' o; head -c 204800 /dev/zero | tr '\\0' e >&2; exit 4"
    let result = try await runner.run(Invocation("bash", ["-c", script]), timeout: .seconds(20))
    #expect(result.termination == .exited(4))
    #expect(result.standardOutput.count == 204_800)
    #expect(result.standardError.count == 204_800)
    #expect(!result.succeeded)
  }

  @Test func passesInputAndEnvironment() async throws {
    let result = try await runner.run(
      Invocation(
        "bash", ["-c", "read line; echo \"$line $MTOBS_TEST_VALUE\""], environment: ["MTOBS_TEST_VALUE": "there"],
        standardInput: Array("hello\n".utf8)),
      timeout: .seconds(10))
    #expect(result.outputText == "hello there\n")
  }

  @Test func streamsLinesFromBothStreamsAsTheyCome() async throws {
    let seen = LinesSeen()
    let result = try await runner.stream(
      Invocation("bash", ["-c", "for i in $(seq 1 30); do echo out$i; echo err$i >&2; done; exit 3"]),
      timeout: .seconds(20)
    ) { line in seen.add(line) }
    #expect(result.termination == .exited(3))
    let lines = seen.lines
    #expect(lines.filter { $0.stream == .standardOutput }.map(\.text) == (1...30).map { "out\($0)" })
    #expect(lines.filter { $0.stream == .standardError }.map(\.text) == (1...30).map { "err\($0)" })
    #expect(result.lastLines.count == 20)
    // The two streams are read concurrently, so only the very last line is certain to be kept.
    #expect(result.lastLines.last == "out30" || result.lastLines.last == "err30")
  }

  @Test func streamTimesOut() async throws {
    await #expect(throws: ProcessError.self) {
      try await runner.stream(Invocation("sleep", ["30"]), timeout: .milliseconds(300)) { _ in }
    }
  }

  @Test func missingExecutableIsNotFound() async {
    await #expect(throws: ProcessError.notFound(executable: "mtobs-no-such-tool")) {
      try await runner.run(Invocation("mtobs-no-such-tool", []), timeout: .seconds(5))
    }
  }

  @Test func timeoutTearsDownTheWholeGroup() async throws {
    let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("mtobs-grandchild-\(UUID().uuidString)")
      .path
    defer { try? FileManager.default.removeItem(atPath: pidFile) }
    // The child starts a grandchild that ignores nothing and outlives it unless the group is killed.
    let script = "sleep 300 & echo $! > \(pidFile); wait"
    let started = ContinuousClock.now
    await #expect(throws: ProcessError.self) {
      try await runner.run(Invocation("bash", ["-c", script]), timeout: .milliseconds(700))
    }
    #expect(ContinuousClock.now - started < .seconds(10))
    let grandchild = try #require(
      Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
    try await expectGone(grandchild)
  }

  @Test func cancellationTearsDownAChildThatIgnoresSIGTERM() async throws {
    let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("mtobs-stubborn-\(UUID().uuidString)")
      .path
    defer { try? FileManager.default.removeItem(atPath: pidFile) }
    let script = "trap '' TERM; echo $$ > \(pidFile); while :; do sleep 0.1; done"
    let runner = runner
    let task = Task { try await runner.run(Invocation("bash", ["-c", script]), timeout: nil) }
    try await waitForFile(pidFile)
    task.cancel()
    _ = await task.result
    let child = try #require(
      Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
    try await expectGone(child)
  }

  private func waitForFile(_ path: String) async throws {
    for _ in 0..<100 where !FileManager.default.fileExists(atPath: path) {
      try await Task.sleep(for: .milliseconds(50))
    }
  }

  /// Gone or a zombie: `kill(pid, 0)` succeeds for zombies, so read the state from /proc. Without
  /// a readable /proc nothing can be proven, and that is a failure, never a pass.
  private func expectGone(_ pid: Int32) async throws {
    try #require(ProcessTable.isReadable, Comment(rawValue: ProcessTable.unreadableReason))
    let gone = try await ProcessTable.wait(upTo: .seconds(3)) { !ProcessTable.isRunning(pid) }
    if !gone {
      Issue.record("process \(pid) is still running")
      kill(pid, SIGKILL)
    }
  }
}

private final class LinesSeen: Sendable {
  private let storage = Mutex<[OutputLine]>([])
  func add(_ line: OutputLine) { storage.withLock { $0.append(line) } }
  var lines: [OutputLine] { storage.withLock { $0 } }
}
