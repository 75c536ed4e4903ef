import ArgumentParser
import MtobsCore

/// What a checker's options need of its suite: the check ids and categories to complete and the
/// categories `--category` accepts.
protocol CheckerSuite {
  static var checkIDCompletion: CompletionKind { get }
  static var categoryCompletion: CompletionKind { get }
  static var categories: [String] { get }
}

enum HealthSuite: CheckerSuite {
  static var checkIDCompletion: CompletionKind { CompletionValues.checkIDs(of: HealthChecks.suite) }
  static var categoryCompletion: CompletionKind { CompletionValues.categories(of: HealthChecks.suite) }
  static var categories: [String] { HealthChecks.categories }
}

enum DaprSuite: CheckerSuite {
  static var checkIDCompletion: CompletionKind { CompletionValues.checkIDs(of: DaprDebugChecks.suite) }
  static var categoryCompletion: CompletionKind { CompletionValues.categories(of: DaprDebugChecks.suite) }
  static var categories: [String] { DaprDebugChecks.categories }
}

enum VerifySuite: CheckerSuite {
  static var checkIDCompletion: CompletionKind { CompletionValues.checkIDs(of: VerifyChecks.suite(send: true)) }
  static var categoryCompletion: CompletionKind { CompletionValues.categories(of: VerifyChecks.suite(send: true)) }
  static var categories: [String] { VerifyChecks.categories }
}

/// The report options every checker shares (`health`, `debug-dapr`, `verify`; PRODUCT.md §4):
/// one definition, so their spelling, help and completion cannot drift apart.
struct ReportOptions<Suite: CheckerSuite>: ParsableArguments {
  @Option(name: [.customShort("o", allowingJoined: true), .long], help: "Output format: table, json or short.")
  var output: ReportFormat = .table

  @Option(help: ArgumentHelp("Also fail (exit 1) on warnings.", valueName: "warning"))
  var failOn: FailOn?

  @Option(
    help: ArgumentHelp("Skip the checks whose id matches the glob (repeatable).", valueName: "id-glob"),
    completion: Suite.checkIDCompletion)
  var skip: [String] = []

  @Option(
    help: ArgumentHelp("Only run the checks of this category (repeatable).", valueName: "category"),
    completion: Suite.categoryCompletion)
  var category: [String] = []

  @Option(
    help: ArgumentHelp("Evaluate a bundle made by `mtobs bundle` instead of the cluster.", valueName: "bundle"),
    completion: .file())
  var from: String?

  enum FailOn: String, ExpressibleByArgument, CaseIterable { case warning }

  var failOnWarning: Bool { failOn == .warning }

  /// `--category` as the runners take it: nil runs them all.
  var categories: [String]? { category.isEmpty ? nil : category }

  func validate() throws {
    let known = Set(Suite.categories)
    for name in category where !known.contains(name) {
      throw ValidationError(
        "unknown category '\(name)'; the categories are: \(Suite.categories.joined(separator: ", "))")
    }
  }
}
