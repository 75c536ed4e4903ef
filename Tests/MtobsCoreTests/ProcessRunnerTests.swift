import Foundation
import Testing

@testable import MtobsCore

/// Real children, real signals: the runner must collect both streams, time out, and leave
/// nothing running (grandchildren included) on timeout and on cancellation.
@Suite("Process runner")
struct ProcessRunnerTests {
  let runner = SubprocessRunner(locator: ExecutableLocator(environment: ProcessInfo.processInfo.environment), gracePeriod: .milliseconds(500))

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
      Invocation("bash", ["-c", "read line; echo \"$line $MTOBS_TEST_VALUE\""], environment: ["MTOBS_TEST_VALUE": "there"],
        standardInput: Array("hello\n".utf8)),
      timeout: .seconds(10))
    #expect(result.outputText == "hello there\n")
  }

  @Test func missingExecutableIsNotFound() async {
    await #expect(throws: ProcessError.notFound(executable: "mtobs-no-such-tool")) {
      try await runner.run(Invocation("mtobs-no-such-tool", []), timeout: .seconds(5))
    }
  }

  @Test func timeoutTearsDownTheWholeGroup() async throws {
    let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("mtobs-grandchild-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: pidFile) }
    // The child starts a grandchild that ignores nothing and outlives it unless the group is killed.
    let script = "sleep 300 & echo $! > \(pidFile); wait"
    let started = ContinuousClock.now
    await #expect(throws: ProcessError.self) {
      try await runner.run(Invocation("bash", ["-c", script]), timeout: .milliseconds(700))
    }
    #expect(ContinuousClock.now - started < .seconds(10))
    let grandchild = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
    try await expectGone(grandchild)
  }

  @Test func cancellationTearsDownAChildThatIgnoresSIGTERM() async throws {
    let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("mtobs-stubborn-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: pidFile) }
    let script = "trap '' TERM; echo $$ > \(pidFile); while :; do sleep 0.1; done"
    let runner = runner
    let task = Task { try await runner.run(Invocation("bash", ["-c", script]), timeout: nil) }
    try await waitForFile(pidFile)
    task.cancel()
    _ = await task.result
    let child = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
    try await expectGone(child)
  }

  private func waitForFile(_ path: String) async throws {
    for _ in 0..<100 where !FileManager.default.fileExists(atPath: path) {
      try await Task.sleep(for: .milliseconds(50))
    }
  }

  /// Gone or a zombie: `kill(pid, 0)` succeeds for zombies, so read the state from /proc.
  private func expectGone(_ pid: Int32) async throws {
    for _ in 0..<60 {
      guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return }
      let state = stat.split(separator: ")").last?.split(separator: " ").first
      if state == "Z" { return }
      try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("process \(pid) is still running")
    kill(pid, SIGKILL)
  }
}
