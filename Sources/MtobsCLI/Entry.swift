import ArgumentParser
import Foundation
import MtobsCore
import Plugins

/// What the executable's `@main` calls: hands unknown command names to the plugin dispatcher,
/// runs built-ins under a signal trap, and turns the error a command ends with into its exit
/// status (the `MtobsError` it carries; PRODUCT.md §4). In this library so tests drive it too.
public enum MtobsEntry {
  /// The scan that finds the command name, answered by the parser's own global options.
  static let scan = CommandLineScan { words in (try? GlobalOptions.parse(words)) != nil }

  public static func main(_ arguments: [String]) async -> Never {
    // The completion scripts' run-time questions (plugins, a plugin's arguments): answered first,
    // before anything else starts, since they run at every TAB.
    if arguments.first == DynamicCompletion.marker {
      let lines = DynamicCompletion.answer(
        Array(arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
      StandardStreams().write(lines.map { $0.map { $0 + "\n" }.joined() } ?? "", to: .standardOutput)
      exit(lines == nil ? ExitStatus.usage.rawValue : 0)
    }
    let command = scan.commandName(in: arguments)
    if let command, !RootCommand.builtinNames.contains(command.name) {
      PluginDispatch.run(
        command.name, globalWords: Array(arguments[..<command.index]),
        arguments: Array(arguments[(command.index + 1)...]))
    }
    let topics = command.map { arguments[($0.index + 1)...].filter { !$0.hasPrefix("-") } } ?? []
    if PluginDispatch.isRootHelpRequest(arguments, commandName: command?.name, topics: topics) {
      PluginDispatch.printRootHelp()
    }
    // `mtobs help NAME` for a plugin is the plugin's own help.
    if let command, command.name == "help", let topic = topics.first, !RootCommand.builtinNames.contains(topic),
      PluginDispatch.catalog(readMetadata: false).plugin(named: topic) != nil
    {
      PluginDispatch.run(topic, globalWords: Array(arguments[..<command.index]), arguments: ["--help"])
    }
    if PluginListCommand.isPlainRequest(arguments) {
      do {
        try PluginListCommand.list(output: .table, noColor: false)
        exit(0)
      } catch {
        exit(report(error))
      }
    }
    if let failure = unknownHelpTopic(arguments) {
      exit(report(failure))
    }

    let parsed: any ParsableCommand
    do {
      parsed = try parse(arguments)
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
    // A second signal stops waiting for clean-up (e.g. the record of an interrupted deploy);
    // children still die with mtobs (PR_SET_PDEATHSIG).
    let trap = SignalTrap(
      onSignal: { _ in work.cancel() },
      onRepeat: { first in
        FileHandle.standardError.write(Data("\ninterrupted again: exiting now\n".utf8))
        exit(ExitStatus.interrupted(by: first).rawValue)
      })
    let outcome = await work.result
    if let signal = trap.receivedSignal {
      // A forward's work is to run until interrupted: a clean interrupt is success.
      if box.command is any RunsUntilInterrupted, endedByInterrupt(outcome) { exit(0) }
      // Say what was interrupted and what state it may have left, then exit with the conventional
      // status of a process stopped by a signal.
      if case .failure(let error) = outcome, !(error is CancellationError), !(error is Interrupted) {
        _ = report(error)
      } else if !(parsed is LogsCommand) {
        // An interrupt is not a verdict: say so, and print no report built from cut-short reads.
        // (Ctrl-C is how `logs -f` ends: nothing to say.)
        _ = report(Interrupted(signal: signal))
      }
      exit(ExitStatus.interrupted(by: signal).rawValue)
    }
    if case .failure(let error) = outcome {
      exit(report(error))
    }
    exit(0)
  }

  private static func endedByInterrupt(_ outcome: Result<Void, any Error>) -> Bool {
    switch outcome {
    case .success: true
    case .failure(let error): error is CancellationError
    }
  }

  /// Parses a built-in command line as `main` does (global options anywhere), for in-process use.
  static func parse(_ arguments: [String]) throws -> any ParsableCommand {
    try RootCommand.parseAsRoot(scan.globalOptionsAfterCommand(arguments))
  }

  /// `mtobs help NOSUCH` is a usage error with a suggestion, not the root help and exit 0.
  static func unknownHelpTopic(_ arguments: [String]) -> CommandFailure? {
    guard let command = scan.commandName(in: arguments), command.name == "help" else { return nil }
    let topics = arguments[(command.index + 1)...].filter { !$0.hasPrefix("-") }
    guard !topics.isEmpty else { return nil }
    var current: any ParsableCommand.Type = RootCommand.self
    for word in topics {
      guard
        let next = current.configuration.subcommands.first(where: { $0.configuration.commandName == word })
      else {
        var names = current.configuration.subcommands.compactMap { $0.configuration.commandName }
        if current == RootCommand.self {
          names += PluginDispatch.catalog(readMetadata: false).runnable.map(\.name)
        }
        let suggestions = Suggestions.closest(to: word, among: names)
        return CommandFailure(
          "no help topic '\(topics.joined(separator: " "))': '\(word)' is not a command",
          hint: suggestions.isEmpty
            ? "run 'mtobs --help' for the list of commands"
            : "did you mean " + suggestions.map { "'mtobs help \($0)'" }.joined(separator: " or ") + "?",
          status: .usage)
      }
      current = next
    }
    return nil
  }

  /// Prints `error` for people and returns the exit status it carries.
  static func report(_ error: any Error) -> Int32 {
    let console = Console(
      noColorFlag: CommandLine.arguments.contains("--no-color"), environment: ProcessInfo.processInfo.environment)
    switch error {
    case let error as any MtobsError:
      console.error(error.errorMessage, hint: error.errorHint)
      return error.exitStatus.rawValue
    case is CancellationError:
      return ExitStatus.interrupted(by: SIGINT).rawValue
    default:
      // ExitCode, CleanExit and the parser's own errors keep their meaning.
      let code = RootCommand.exitCode(for: error).rawValue
      let message = RootCommand.fullMessage(for: error)
      if code == ExitCode.failure.rawValue, !(error is ExitCode) {
        // Not the parser's and not ours: mtobs could not do what was asked. 1 is reserved for
        // "a check failed", so an unknown error is 2.
        console.error(message.isEmpty ? "\(error)" : message, hint: "rerun with -v; if it persists, report it")
        return ExitStatus.couldNotRun.rawValue
      }
      // Help and version requests (CleanExit) belong on stdout; real errors on stderr.
      if !message.isEmpty {
        if code == ExitCode.success.rawValue { console.print(message) } else { console.printError(message) }
      }
      return code
    }
  }
}

/// Moves the parsed command into the task that runs it. Parsed commands are plain values that no
/// other code touches after this point, but `ParsableCommand` does not promise `Sendable`.
private struct CommandBox: @unchecked Sendable {
  let command: any ParsableCommand
}
