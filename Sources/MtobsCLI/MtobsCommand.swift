import ArgumentParser
import Foundation
import MtobsCore

/// A built-in command: declares its options and hands the work to the core with a `Run`
/// (swiftly's `SwiftlyCommand`, SwiftPM's `AsyncSwiftCommand`).
protocol MtobsCommand: AsyncParsableCommand {
  var global: GlobalOptions { get }
  /// True when the user asked for `-o json`: then stdout holds one JSON document whatever
  /// happens, an error document when the command could not run.
  var wantsJSON: Bool { get }
  /// True for the commands that must work with a broken configuration (`config` shows the
  /// problem, `version --client` needs none).
  var runsWithBrokenConfiguration: Bool { get }
  mutating func execute(in run: Run) async throws
}

extension MtobsCommand {
  var wantsJSON: Bool { false }
  var runsWithBrokenConfiguration: Bool { false }

  /// The one run path of every built-in: build the `Run` (per-run services), execute, and turn an interrupt
  /// into an interrupt (never a verdict) and an error into the `-o json` error document.
  mutating func run() async throws {
    do {
      let run = try Run.live(
        settings: global.settings, skippingConfigurationProblems: runsWithBrokenConfiguration)
      // The API connection (kubectl proxy) ends with the command, however the command ends.
      do {
        try await execute(in: run)
      } catch {
        await run.shutdown()
        throw error
      }
      await run.shutdown()
    } catch let exit as ExitCode {
      throw exit  // the report was printed; only its status remains
    } catch {
      // An interrupt is reported as one; a command that says what the interrupt left behind
      // (deploy) throws its own error, which is kept.
      if error is CancellationError || (Task.isCancelled && !(error is any MtobsError)) {
        throw CancellationError()
      }
      if wantsJSON, !(error is AlreadyInReport),
        let document = ReportRenderer.errorDocument(for: error, command: Self._commandName)
      {
        StandardStreams().write(document + "\n", to: .standardOutput)
      }
      throw error
    }
    // A command that finished its work while a signal arrived has not delivered a trustworthy
    // result (a report built from cancelled reads blames the cluster): report the interrupt.
    if Task.isCancelled { throw CancellationError() }
  }
}
