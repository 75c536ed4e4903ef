import Foundation
import KubeStandIn
import Testing

/// Ctrl-C during a read-only command is an interrupt, never a verdict: exit 130, "interrupted"
/// on stderr, and no report (or bundle) built from reads that were cut short.
@Suite("interrupting health and bundle", requires("kubectl"))
struct InterruptTests {
  let home: TemporaryDirectory
  let cli: CLI

  init() throws {
    home = try TemporaryDirectory()
    cli = CLI(home: home.url)
  }

  /// Starts mtobs against a stand-in that never answers, waits until mtobs's first request has
  /// arrived, sends `signal`, and returns the exit status, stdout and stderr.
  private func interrupt(
    _ arguments: [String], signal: Int32 = SIGINT
  ) async throws -> (status: Int32, output: String, error: String) {
    let stack = try await StackScenario.start(in: home)
    defer { Task { await stack.cluster.stop() } }
    stack.cluster.server.updateBehavior { $0.rules = [.hang()] }
    stack.cluster.server.clearRequests()

    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLI.mtobsPath)
    process.arguments = arguments + stack.cluster.flags
    process.environment = cli.environment
    process.currentDirectoryURL = home.url
    let outputFile = home.url.appendingPathComponent("stdout-\(UUID().uuidString)")
    let errorFile = home.url.appendingPathComponent("stderr-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: outputFile)
    process.standardError = try FileHandle(forWritingTo: errorFile)
    process.standardInput = FileHandle.nullDevice
    try process.run()

    let reached = try await ProcessTable.wait(upTo: .seconds(30)) {
      !stack.cluster.server.requests.filter({ !$0.isDispatcherProbe }).isEmpty
    }
    #expect(reached, "mtobs never reached the stand-in")
    kill(process.processIdentifier, signal)
    let ended = try await ProcessTable.wait(upTo: .seconds(30)) { !process.isRunning }
    #expect(ended, "mtobs did not stop after the signal")
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    return (
      process.terminationStatus, try String(contentsOf: outputFile, encoding: .utf8),
      try String(contentsOf: errorFile, encoding: .utf8)
    )
  }

  @Test func ctrlCDuringHealthIsAnInterruptNotAFailedReport() async throws {
    let outcome = try await interrupt(["health", "-o", "json"])
    #expect(outcome.status == 130, "\(outcome)")
    #expect(outcome.output.isEmpty, "no report from cut-short reads: \(outcome.output)")
    #expect(outcome.error.contains("interrupted (SIGINT)"), "\(outcome.error)")
    #expect(!outcome.error.contains("CancellationError"), "\(outcome.error)")
  }

  @Test func ctrlCDuringTheTableReportPrintsNoVerdict() async throws {
    let outcome = try await interrupt(["health"])
    #expect(outcome.status == 130, "\(outcome)")
    #expect(!outcome.output.contains("✖"), "\(outcome.output)")
    #expect(!outcome.output.contains("API server"), "\(outcome.output)")
  }

  @Test func ctrlCDuringBundleWritesNoBundle() async throws {
    let path = home.url.appendingPathComponent("incident.json").path
    let outcome = try await interrupt(["bundle", "-o", path])
    #expect(outcome.status == 130, "\(outcome)")
    #expect(!FileManager.default.fileExists(atPath: path))
    #expect(outcome.error.contains("interrupted (SIGINT)"), "\(outcome.error)")
    #expect(!outcome.error.contains("CancellationError"), "\(outcome.error)")
  }
}
