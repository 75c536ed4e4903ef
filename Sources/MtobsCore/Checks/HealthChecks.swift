import Foundation

/// One check as data: what it is, what it needs first, and how it judges a snapshot (pure).
public struct HealthCheck: Sendable {
  public let id: String
  public let category: String
  public let title: String
  /// Checks that must pass (or warn) first; otherwise this one is skipped with the reason.
  public let dependencies: [String]
  let judge: @Sendable (Snapshot) -> Verdict
}

/// A check's verdict before it becomes a `CheckResult`.
public struct Verdict: Sendable, Equatable {
  public var status: CheckStatus
  public var message: String
  public var hint: String?
  public var objects: [String] = []
  public var durationMs: Int = 0
  /// False when waiting cannot help (a crash loop, a missing object, a wrong endpoint).
  public var recoverable = true

  static func pass(_ message: String, objects: [String] = [], durationMs: Int = 0) -> Verdict {
    Verdict(status: .pass, message: message, hint: nil, objects: objects, durationMs: durationMs)
  }

  static func skip(_ message: String) -> Verdict { Verdict(status: .skip, message: message, hint: nil) }
}

/// A result plus whether `--wait` should retry it.
public struct Assessment: Sendable, Equatable {
  public var result: CheckResult
  public var recoverable: Bool
}

/// The checks of `mtobs health`, in report order, and the pure evaluation of a snapshot.
public enum HealthChecks {
  public static let categories = ["kubernetes", "workloads", "collector", "backends", "grafana", "dapr"]

  public static let all: [HealthCheck] =
    KubernetesChecks.all + WorkloadChecks.all + CollectorChecks.all + BackendChecks.all + DaprChecks.all

  /// Evaluates every check; `skip` globs (fnmatch) mark checks skipped, `categories` keeps only those.
  public static func assess(_ snapshot: Snapshot, skip: [String] = [], categories: [String]? = nil) -> [Assessment] {
    var verdicts: [String: Verdict] = [:]
    var assessments: [Assessment] = []
    for check in all {
      let verdict: Verdict
      if skip.contains(where: { fnmatch($0, check.id, 0) == 0 }) {
        verdict = .skip("skipped by --skip")
      } else if let blocker = check.dependencies.first(where: { verdicts[$0].map { $0.status == .fail || $0.status == .skip } ?? false }) {
        verdict = .skip("skipped: \(blocker) \(verdicts[blocker]?.status == .fail ? "failed" : "was skipped")")
      } else {
        verdict = check.judge(snapshot)
      }
      verdicts[check.id] = verdict
      guard categories.map({ $0.contains(check.category) }) ?? true else { continue }
      assessments.append(
        Assessment(
          result: CheckResult(
            id: check.id, category: check.category, title: check.title, status: verdict.status,
            message: verdict.message, hint: verdict.status == .pass || verdict.status == .skip ? nil : verdict.hint,
            objects: verdict.objects, durationMs: verdict.durationMs),
          recoverable: verdict.recoverable))
    }
    return assessments
  }

  public static func evaluate(_ snapshot: Snapshot, skip: [String] = [], categories: [String]? = nil) -> [CheckResult] {
    assess(snapshot, skip: skip, categories: categories).map(\.result)
  }

  // MARK: - Helpers shared by the check groups

  static func reference(_ namespace: String, _ kind: String, _ name: String) -> String {
    "\(namespace)/\(kind.lowercased())/\(name)"
  }

  static func failure(from error: ReadError, what: String, recoverable: Bool = true) -> Verdict {
    Verdict(status: .fail, message: "\(what): \(error.message)", hint: error.hint, recoverable: recoverable)
  }
}
