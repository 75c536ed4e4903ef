import ArgumentParser
import Foundation
import MtobsCore
import Synchronization
import Testing

@testable import MtobsCLI

/// Commands parsed and run inside the test process, with a fake runner, captured output and a
/// fixed clock: what the binary adds (process start, signals) is not the point here.
@Suite struct InProcessCommandTests {
  /// Answers every child with a fixed result and records what it was asked to run.
  final class RecordingRunner: ProcessRunning {
    let answer: ProcessResult
    private let calls = Mutex<[Invocation]>([])

    init(answer: ProcessResult) { self.answer = answer }

    var invocations: [Invocation] { calls.withLock { $0 } }

    func run(_ invocation: Invocation, timeout: Duration?) async throws -> ProcessResult {
      calls.withLock { $0.append(invocation) }
      return answer
    }

    func stream(
      _ invocation: Invocation, timeout: Duration?, onLine: @escaping @Sendable (OutputLine) -> Void
    ) async throws -> StreamedResult {
      calls.withLock { $0.append(invocation) }
      return StreamedResult(termination: answer.termination, lastLines: [])
    }
  }

  struct FixedClock: RunClock {
    func now() -> ContinuousClock.Instant { ContinuousClock.now }
    func sleep(for duration: Duration) async throws {}
    func timestamp() -> String { "2026-11-29T10:00:00Z" }
  }

  static func makeRun(
    _ settings: GlobalSettings = GlobalSettings(), runner: any ProcessRunning, output: CapturedOutput
  ) throws -> Run {
    var run = Run(
      settings: settings,
      configuration: try Configuration.resolve(flags: settings.configurationFlags, environment: [:], files: []),
      environment: ["PATH": "/usr/bin:/bin"], workingDirectory: "/", repositoryRoot: nil,
      console: Console(sink: output, terminal: .none), runner: runner,
      locator: ExecutableLocator(environment: ["PATH": "/usr/bin:/bin"]))
    run.clock = FixedClock()
    return run
  }

  static let brokenBundle = CLI.packageRoot.appendingPathComponent("examples/bundles/broken.json").path

  @Test func healthFromABundleRendersJSONAndCarriesTheStatus() async throws {
    var command = try #require(
      try MtobsEntry.parse(["health", "--from", Self.brokenBundle, "-ojson"]) as? HealthCommand)
    let output = CapturedOutput()
    let runner = RecordingRunner(answer: ProcessResult(termination: .exited(0), standardOutput: [], standardError: []))
    await #expect(throws: ExitCode(1)) {
      try await command.execute(in: try Self.makeRun(runner: runner, output: output))
    }
    let report = try JSONDecoder().decode(Report.self, from: Data(output.standardOutput.utf8))
    #expect(report.command == "health")
    #expect(report.status == .fail)
    #expect(report.summary.fail > 0)
    // A bundle is evaluated offline: not one child process.
    #expect(runner.invocations.isEmpty)
  }

  @Test func configRunsWithAFakeRunnerAndShowsTheFlagOrigin() async throws {
    var command = try #require(try MtobsEntry.parse(["config", "--context", "dev", "-o", "json"]) as? ConfigCommand)
    let output = CapturedOutput()
    let runner = RecordingRunner(answer: ProcessResult(termination: .exited(1), standardOutput: [], standardError: []))
    let run = try Self.makeRun(command.global.settings, runner: runner, output: output)
    try await command.execute(in: run)
    await run.shutdown()
    let json = try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any]
    let settings = json?["settings"] as? [[String: Any]] ?? []
    #expect(settings.first { $0["key"] as? String == "context" }?["origin"] as? String == "flag --context")
    // The context is named: no kubectl call was needed to find the current one. The one child is
    // the run's `kubectl proxy` for discovery's best-effort list of the stack; it fails here (the
    // fake answers exit 1), and that failure is an origin, not an error.
    #expect(runner.invocations.count == 1, "\(runner.invocations)")
    #expect(runner.invocations.first?.arguments.contains("proxy") == true, "\(runner.invocations)")
    #expect(runner.invocations.first?.arguments.contains("--context") == true, "\(runner.invocations)")
    let loki = settings.first { $0["key"] as? String == "loki.service" }
    #expect((loki?["origin"] as? String)?.hasPrefix("default (not discovered: ") == true, "\(loki ?? [:])")
  }

  struct SomethingUnexpected: Error {}

  /// 1 means "a check failed"; an error nobody classified means mtobs could not do its job: 2.
  @Test func anUnknownErrorExitsTwoAndEveryMtobsErrorItsOwnStatus() {
    #expect(MtobsEntry.report(SomethingUnexpected()) == 2)
    #expect(MtobsEntry.report(CommandFailure("x", status: .usage)) == 64)
    #expect(MtobsEntry.report(DeployError.rolloutFailed(objects: ["a"], namespace: "m", context: "c")) == 1)
    #expect(MtobsEntry.report(KubeError.kubectlMissing("kubectl")) == 2)
    #expect(MtobsEntry.report(Interrupted(signal: SIGTERM)) == 143)
    #expect(MtobsEntry.report(ExitCode(1)) == 1)
  }
}
