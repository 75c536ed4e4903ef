import Foundation

/// The three renderings of a `Report` (PRODUCT.md §4), as pure functions of it.
public enum ReportRenderer {
  static func mark(_ status: CheckStatus) -> String {
    switch status {
    case .pass: "✔"
    case .warn: "⚠"
    case .fail: "✖"
    case .skip: "–"
    }
  }

  static func styled(_ status: CheckStatus, _ text: String, _ color: Bool) -> String {
    switch status {
    case .pass: Style.green(text, color)
    case .warn: Style.yellow(text, color)
    case .fail: Style.red(text, color)
    case .skip: Style.dim(text, color)
    }
  }

  /// For people: checks grouped by category (in order of first appearance) under an underlined
  /// header, `✔ ⚠ ✖ –` and the message, the hint indented under each problem (and under a skip
  /// that has one, such as `grafana.datasources`), then the summary line.
  public static func table(_ report: Report, color: Bool) -> String {
    var order: [String] = []
    var groups: [String: [CheckResult]] = [:]
    for check in report.checks {
      if groups[check.category] == nil { order.append(check.category) }
      groups[check.category, default: []].append(check)
    }
    var lines: [String] = []
    for category in order {
      if !lines.isEmpty { lines.append("") }
      lines.append(Style.bold(category, color))
      lines.append(String(repeating: "-", count: category.count))
      for check in groups[category] ?? [] {
        lines.append("\(styled(check.status, mark(check.status), color)) \(check.title): \(check.message)")
        if let hint = check.hint, !hint.isEmpty, check.status != .pass {
          lines.append("    " + Style.dim("hint:", color) + " " + hint)
        }
      }
    }
    if !lines.isEmpty { lines.append("") }
    lines.append(summary(report, color: color))
    return lines.joined(separator: "\n")
  }

  /// `Status: fail — N passed, N warnings, N failed, N skipped in X ms`.
  static func summary(_ report: Report, color: Bool) -> String {
    let s = report.summary
    let word =
      switch report.status {
      case .fail: "fail"
      case .warn: "warn"
      case .pass, .skip: "ok"
      }
    let verdict = styled(report.status, "Status: \(word)", color)
    return
      "\(verdict) — \(s.pass) passed, \(s.warn) warnings, \(s.fail) failed, \(s.skip) skipped in \(report.durationMs) ms"
  }

  /// For pasting into a chat: `STATUS id: message` for each check that is not a pass, then the
  /// summary line. Never coloured.
  public static func short(_ report: Report) -> String {
    let lines = report.checks.filter { $0.status != .pass }.map {
      "\($0.status.rawValue.uppercased()) \($0.id): \($0.message)"
    }
    return (lines + [summary(report, color: false)]).joined(separator: "\n")
  }

  /// For machines: exactly one pretty-printed JSON document with sorted keys, without a trailing
  /// newline (the caller prints it as one line of output, which adds the newline).
  public static func json(_ report: Report) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Encoding plain strings, numbers and arrays cannot fail; "{}" keeps the one-document promise.
    return (try? String(decoding: encoder.encode(report), as: UTF8.self)) ?? "{}"
  }

  /// The JSON document `-o json` prints when mtobs could not run at all (exit 2).
  public static func errorDocument(for error: any Error, command: String) -> String? {
    let (message, hint): (String, String?) =
      switch error {
      case let error as any MtobsError: (error.errorMessage, error.errorHint.isEmpty ? nil : error.errorHint)
      default: ("\(error)", nil)
      }
    var document: [String: JSONValue] = [
      "apiVersion": .string("mtobs/v1"), "kind": .string("Error"), "command": .string(command),
      "error": .string(message),
    ]
    if let hint { document["hint"] = .string(hint) }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(JSONValue.object(document))).map { String(decoding: $0, as: UTF8.self) }
  }
}
