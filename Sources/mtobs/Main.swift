import ArgumentParser
import Foundation
import MtobsCore
import Plugins

/// Entry point: hands unknown command names to the plugin dispatcher, runs built-ins under a
/// signal trap, and is the only place that turns errors into exit codes (PRODUCT.md §4).
@main
enum Main {
  static func main() async {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if let command = CommandLineScan.commandName(in: arguments), !RootCommand.builtinNames.contains(command.name) {
      dispatchToPlugin(command.name, arguments: Array(arguments[(command.index + 1)...]))
    }

    let parsed: any ParsableCommand
    do {
      parsed = try RootCommand.parseAsRoot(CommandLineScan.globalOptionsAfterCommand(arguments))
    } catch {
      RootCommand.exit(withError: error)  // help, usage errors (64), unknown flags
    }

    // Ctrl-C, SIGTERM and SIGHUP cancel the command's task; children are torn down on the way out.
    let box = CommandBox(command: parsed)
    let work = Task { () async throws -> Void in
      var command = box.command
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    }
    // A second signal stops waiting for clean-up (e.g. the record of an interrupted deploy).
    let trap = SignalTrap(
      onSignal: { _ in work.cancel() },
      onRepeat: { first in
        FileHandle.standardError.write(Data("\ninterrupted again: exiting now\n".utf8))
        exit(128 + first)
      })
    let outcome = await work.result
    if let signal = trap.receivedSignal {
      // Say what was interrupted and what state it may have left, then exit with the conventional
      // status of a process stopped by a signal.
      if case .failure(let error) = outcome, !(error is CancellationError) { _ = report(error) }
      exit(128 + signal)
    }
    if case .failure(let error) = outcome {
      exit(report(error))
    }
    exit(0)
  }

  private static func dispatchToPlugin(_ name: String, arguments: [String]) -> Never {
    let console = Console(
      noColorFlag: arguments.contains("--no-color"), environment: ProcessInfo.processInfo.environment)
    switch CommandDispatch(builtins: RootCommand.builtinNames.filter { $0 != "help" }).dispatch(
      name: name, arguments: arguments)
    {
    case .unknown(let message, let hint):
      console.error(message, hint: hint)
      exit(ExitCode.validationFailure.rawValue)
    }
  }

  /// Prints `error` for people and returns the exit code: 2 when mtobs could not run, 64 for usage.
  private static func report(_ error: any Error) -> Int32 {
    let console = Console(
      noColorFlag: CommandLine.arguments.contains("--no-color"), environment: ProcessInfo.processInfo.environment)
    switch error {
    case let error as ConfigError:
      console.error(error.description, hint: "fix the configuration; `mtobs config` shows what is in effect")
      return 2
    case let error as KubeError:
      console.error(error.message, hint: error.hint)
      return 2
    case let error as DeployError:
      console.error(error.message, hint: error.hint)
      switch error {
      case .stepFailed, .rolloutFailed, .interrupted: return 1  // the deploy ran and failed
      default: return 2  // it could not start
      }
    case let error as BundleFile.Error:
      console.error(error.message, hint: error.hint)
      return 2
    case let error as ProcessError:
      console.error(describe(error))
      return 2
    case is CancellationError:
      return 130
    default:
      // ExitCode, CleanExit and the parser's own errors keep their meaning.
      let code = RootCommand.exitCode(for: error).rawValue
      let message = RootCommand.fullMessage(for: error)
      // Help and version requests (CleanExit) belong on stdout; real errors on stderr.
      if !message.isEmpty {
        if code == ExitCode.success.rawValue { console.print(message) } else { console.printError(message) }
      }
      return code
    }
  }

  private static func describe(_ error: ProcessError) -> String {
    switch error {
    case .notFound(let executable): "'\(executable)' not found on PATH"
    case .timedOut(let command, let after): "timed out after \(DurationText.format(after)): \(command)"
    case .launchFailed(let command, let reason): "could not start \(command): \(reason)"
    }
  }
}

/// Moves the parsed command into the task that runs it. Parsed commands are plain values that no
/// other code touches after this point, but `ParsableCommand` does not promise `Sendable`.
private struct CommandBox: @unchecked Sendable {
  let command: any ParsableCommand
}
