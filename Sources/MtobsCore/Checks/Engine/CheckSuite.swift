import Foundation

/// One check as data: what it is, what it needs first, and how it judges its input (pure).
public struct Check<Input: Sendable>: Sendable {
  /// Stable, dotted, lower-case (`collector.ready`); `--skip` globs match it.
  public let id: String
  public let category: String
  public let title: String
  /// Checks that must pass (or warn) first; if one failed or was skipped this one is skipped.
  /// Each must be defined before this check (a suite is evaluated in one pass).
  public let dependencies: [String]
  let judge: @Sendable (Input) -> Verdict

  public init(
    id: String, category: String, title: String, dependencies: [String],
    judge: @escaping @Sendable (Input) -> Verdict
  ) {
    self.id = id
    self.category = category
    self.title = title
    self.dependencies = dependencies
    self.judge = judge
  }
}

/// A named list of checks over one kind of input, and the pure evaluation of that input: the
/// check engine that `health` and later `debug-dapr` and `verify` are suites of (PRODUCT.md §4).
public struct CheckSuite<Input: Sendable>: Sendable {
  /// The command whose report this is (`health`): the report's `command`.
  public let command: String
  /// The categories, in report order (`--category` accepts these).
  public let categories: [String]
  public let checks: [Check<Input>]

  public init(command: String, categories: [String], checks: [Check<Input>]) {
    self.command = command
    self.categories = categories
    self.checks = checks
  }

  /// Evaluates every check in definition order.
  ///
  /// - `skip`: fnmatch globs on ids. A matching check is reported as `skip` ("skipped by --skip")
  ///   rather than left out, so a report always lists every check and a JSON consumer can tell
  ///   "not checked" from "does not exist" (linkerd drops skipped checks silently).
  /// - `categories`: keeps only those categories in the result; the others are still evaluated,
  ///   because a kept check may depend on them.
  public func assess(_ input: Input, skip: [String] = [], categories: [String]? = nil) -> [Assessment] {
    var verdicts: [String: Verdict] = [:]
    // The check a skip goes back to, so a cascade names the root cause, not the previous link.
    var rootCause: [String: String] = [:]
    var assessments: [Assessment] = []
    for check in checks {
      let verdict: Verdict
      if skip.contains(where: { Glob.matches($0, check.id) }) {
        verdict = .skip("skipped by --skip")
        rootCause[check.id] = "\(check.id) was skipped by --skip"
      } else if let blocker = check.dependencies.first(where: { verdicts[$0].map(Self.blocks) ?? false }) {
        let reason = rootCause[blocker] ?? "\(blocker) failed"
        verdict = .skip("skipped: \(reason)")
        rootCause[check.id] = reason
      } else {
        verdict = check.judge(input)
        if verdict.status == .fail { rootCause[check.id] = "\(check.id) failed" }
        if verdict.status == .skip {
          rootCause[check.id] =
            verdict.message.hasPrefix("skipped: ") ? String(verdict.message.dropFirst(9)) : "\(check.id) was skipped"
        }
      }
      verdicts[check.id] = verdict
      guard categories.map({ $0.contains(check.category) }) ?? true else { continue }
      assessments.append(
        Assessment(
          result: CheckResult(
            id: check.id, category: check.category, title: check.title, status: verdict.status,
            message: verdict.message, hint: verdict.status == .pass ? nil : verdict.hint,
            objects: verdict.objects, durationMs: verdict.durationMs),
          recoverable: verdict.status == .pass || verdict.recoverable))
    }
    return assessments
  }

  /// Whether `skip` and `categories` leave every check of `category` out of the report, so what
  /// only those checks need (debug-dapr's probe pod) need not be done. No check depends on them.
  public func leavesOut(category: String, skip: [String], categories: [String]?) -> Bool {
    checks.filter { $0.category == category }.allSatisfy { check in
      skip.contains { Glob.matches($0, check.id) } || !(categories?.contains(check.category) ?? true)
    }
  }

  /// The report of one evaluation; `context` and `namespace` say what was judged.
  public func report(
    assessments: [Assessment], context: String?, namespace: String, startedAt: String, durationMs: Int
  ) -> Report {
    Report(
      command: command, context: context, namespace: namespace, startedAt: startedAt, durationMs: durationMs,
      checks: assessments.map(\.result))
  }

  private static func blocks(_ verdict: Verdict) -> Bool { verdict.status == .fail || verdict.status == .skip }
}

/// Shell-style globs for `--skip` (`grafana.*`).
enum Glob {
  static func matches(_ pattern: String, _ text: String) -> Bool { fnmatch(pattern, text, 0) == 0 }
}
