import Foundation

/// The outcome of one check. Ordered by severity, so a report's status is the worst of its checks.
public enum CheckStatus: String, Sendable, Codable, Comparable, CaseIterable {
  case pass, skip, warn, fail

  private var severity: Int {
    switch self {
    case .pass: 0
    case .skip: 1
    case .warn: 2
    case .fail: 3
    }
  }

  public static func < (lhs: CheckStatus, rhs: CheckStatus) -> Bool { lhs.severity < rhs.severity }
}

/// One check's verdict, as `-o json` prints it (PRODUCT.md §4).
public struct CheckResult: Sendable, Equatable, Codable {
  /// Stable, dotted, lower-case (`collector.ready`).
  public var id: String
  public var category: String
  public var title: String
  public var status: CheckStatus
  public var message: String
  /// What to run next, for warnings and failures.
  public var hint: String?
  /// `namespace/kind/name` of the objects the verdict is about.
  public var objects: [String]
  public var durationMs: Int

  public init(
    id: String, category: String, title: String, status: CheckStatus, message: String, hint: String? = nil,
    objects: [String] = [], durationMs: Int = 0
  ) {
    self.id = id
    self.category = category
    self.title = title
    self.status = status
    self.message = message
    self.hint = hint
    self.objects = objects
    self.durationMs = durationMs
  }
}

/// One model for `health`, `debug-dapr` and later checkers; rendered as table, JSON or short.
public struct Report: Sendable, Equatable, Codable {
  public struct Summary: Sendable, Equatable, Codable {
    public var pass: Int
    public var warn: Int
    public var fail: Int
    public var skip: Int
  }

  public var apiVersion = "mtobs/v1"
  public var kind = "Report"
  public var command: String
  public var context: String?
  public var namespace: String
  public var status: CheckStatus
  public var startedAt: String
  public var durationMs: Int
  public var checks: [CheckResult]
  public var summary: Summary

  public init(
    command: String, context: String?, namespace: String, startedAt: String, durationMs: Int, checks: [CheckResult]
  ) {
    self.command = command
    self.context = context
    self.namespace = namespace
    self.startedAt = startedAt
    self.durationMs = durationMs
    self.checks = checks
    // The worst verdict; a skipped check says nothing about health, so it only decides the status
    // when nothing else ran.
    let ran = checks.map(\.status).filter { $0 != .skip }
    self.status = ran.max() ?? (checks.isEmpty ? .pass : .skip)
    self.summary = Summary(
      pass: checks.count { $0.status == .pass }, warn: checks.count { $0.status == .warn },
      fail: checks.count { $0.status == .fail }, skip: checks.count { $0.status == .skip })
  }

  /// PRODUCT.md §4: 0 when nothing failed (warnings count with `failOnWarning`), 1 otherwise.
  public func exitCode(failOnWarning: Bool) -> Int32 {
    if summary.fail > 0 { return 1 }
    if failOnWarning && summary.warn > 0 { return 1 }
    return 0
  }
}
