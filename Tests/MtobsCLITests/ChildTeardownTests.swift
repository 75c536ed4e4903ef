import Foundation
import KubeStandIn
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// However mtobs ends — killed outright, or stopped by SIGTERM or SIGHUP — the children it started
/// (kubectl here) end too. The API server hangs so that the children are mid-request when it ends.
@Suite(
  "Children end with mtobs", requires("kubectl"),
  .enabled(if: ProcessTable.isReadable, Comment(rawValue: ProcessTable.unreadableReason)))
struct ChildTeardownTests {
  let home: TemporaryDirectory
  let cli: CLI

  init() throws {
    home = try TemporaryDirectory()
    cli = CLI(home: home.url)
  }

  /// `mtobs health` against a stand-in that never answers, once its kubectl children are running.
  private struct HangingHealth {
    let process: Process
    let stack: StackScenario
    let errorFile: URL
    /// mtobs's children and the process groups they lead (their own children share them).
    let children: [ProcessTable.Entry]
    var groups: Set<Int32> { Set(children.map(\.group)) }

    var standardError: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }
  }

  private func startHangingHealth() async throws -> HangingHealth {
    let stack = try await StackScenario.start(in: home)
    stack.cluster.server.updateBehavior { $0.rules = [.hang()] }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLI.mtobsPath)
    process.arguments = ["health", "-o", "json"] + stack.cluster.flags
    process.environment = cli.environment
    process.currentDirectoryURL = cli.workingDirectory
    let errorFile = home.url.appendingPathComponent("stderr-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    process.standardError = try FileHandle(forWritingTo: errorFile)
    process.standardOutput = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let pid = process.processIdentifier
    // The children are found before mtobs ends: afterwards nothing links them to it.
    var children: [ProcessTable.Entry] = []
    _ = try await ProcessTable.wait(upTo: .seconds(30)) {
      children = ProcessTable.living(childrenOf: pid).filter { Self.isKubectl($0.pid) }
      return !children.isEmpty
    }
    return HangingHealth(process: process, stack: stack, errorFile: errorFile, children: children)
  }

  /// A kubectl child, whether it has already left the exec helper or not.
  private static func isKubectl(_ pid: Int32) -> Bool {
    let commandLine = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
    return commandLine.split(separator: 0).contains { String(decoding: $0, as: UTF8.self).hasSuffix("/kubectl") }
  }

  /// Waits for mtobs to end; false when it outlives `deadline` (then it is killed).
  private func waitForExit(_ process: Process, upTo deadline: Duration) async throws -> Bool {
    let ended = try await ProcessTable.wait(upTo: deadline) { !process.isRunning }
    if !ended { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    return ended
  }

  /// Polls until no process of `run`'s children or their groups runs; reports and kills survivors.
  private func expectNoChildrenLeft(_ run: HangingHealth) async throws {
    let groups = run.groups
    let pids = Set(run.children.map(\.pid))
    var survivors: [ProcessTable.Entry] = []
    _ = try await ProcessTable.wait(upTo: .seconds(10)) {
      survivors = ProcessTable.all().filter { !$0.isZombie && (pids.contains($0.pid) || groups.contains($0.group)) }
      return survivors.isEmpty
    }
    #expect(survivors.isEmpty, "still running after mtobs ended: \(survivors.map(\.pid))")
    for survivor in survivors { kill(survivor.pid, SIGKILL) }
  }

  @Test func killingMtobsOutrightEndsItsKubectlChildren() async throws {
    let run = try await startHangingHealth()
    let cluster = run.stack.cluster
    defer { Task { await cluster.stop() } }
    try #require(!run.children.isEmpty, "mtobs started no kubectl child within 30 s: \(run.standardError)")
    kill(run.process.processIdentifier, SIGKILL)
    #expect(try await waitForExit(run.process, upTo: .seconds(10)))
    try await expectNoChildrenLeft(run)
  }

  @Test(arguments: [(SIGTERM, Int32(143)), (SIGHUP, Int32(129))])
  func aTerminationSignalStopsMtobsAndItsChildren(signal: Int32, status: Int32) async throws {
    let run = try await startHangingHealth()
    let cluster = run.stack.cluster
    defer { Task { await cluster.stop() } }
    try #require(!run.children.isEmpty, "mtobs started no kubectl child within 30 s: \(run.standardError)")
    kill(run.process.processIdentifier, signal)
    #expect(try await waitForExit(run.process, upTo: .seconds(20)), "mtobs did not stop: \(run.standardError)")
    #expect(run.process.terminationReason == .exit, "mtobs itself was killed by the signal")
    #expect(run.process.terminationStatus == status, "\(run.standardError)")
    try await expectNoChildrenLeft(run)
  }
}
