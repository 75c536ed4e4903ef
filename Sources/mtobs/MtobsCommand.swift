import ArgumentParser
import MtobsCore

/// A built-in command: declares its options and hands the work to the core with a `Context`
/// (swiftly's `SwiftlyCommand`, SwiftPM's `AsyncSwiftCommand`).
protocol MtobsCommand: AsyncParsableCommand {
  var global: GlobalOptions { get }
  /// The global options plus the command's own that set configuration keys.
  var settings: GlobalSettings { get }
  /// Whether the command works without a readable configuration (so `completion` still prints).
  mutating func run(_ context: Context) async throws
}

extension MtobsCommand {
  var settings: GlobalSettings { global.settings }

  mutating func run() async throws {
    let context = try Context.live(settings: settings)
    try await run(context)
  }
}
