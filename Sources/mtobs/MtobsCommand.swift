import ArgumentParser
import MtobsCore

/// A built-in command: declares its options and hands the work to the core with a `Context`
/// (swiftly's `SwiftlyCommand`, SwiftPM's `AsyncSwiftCommand`).
protocol MtobsCommand: AsyncParsableCommand {
  var global: GlobalOptions { get }
  /// Whether the command works without a readable configuration (so `completion` still prints).
  mutating func run(_ context: Context) async throws
}

extension MtobsCommand {
  mutating func run() async throws {
    let context = try Context.live(settings: global.settings)
    try await run(context)
  }
}
