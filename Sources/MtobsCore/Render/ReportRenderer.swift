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

  /// For people: checks grouped by category, a hint under each problem, then a summary.
  public static func table(_ report: Report, color: Bool) -> String {
    var lines: [String] = []
    var category: String?
    for check in report.checks {
      if check.category != category {
        if category != nil { lines.append("") }
        category = check.category
        lines.append(Style.bold(check.category, color))
        lines.append(String(repeating: "-", count: check.category.count))
      }
      lines.append("\(styled(check.status, mark(check.status), color)) \(check.title): \(check.message)")
      if let hint = check.hint, check.status == .fail || check.status == .warn {
        lines.append("    " + Style.dim("hint:", color) + " " + hint)
      }
    }
    lines.append("")
    lines.append(summary(report, color: color))
    return lines.joined(separator: "\n")
  }

  static func summary(_ report: Report, color: Bool) -> String {
    let s = report.summary
    let verdict = styled(report.status, report.status == .fail ? "Status: fail" : report.status == .warn ? "Status: warn" : "Status: ok", color)
    return "\(verdict) — \(s.pass) passed, \(s.warn) warnings, \(s.fail) failed, \(s.skip) skipped in \(report.durationMs) ms"
  }

  /// For pasting into a chat: one line per check that is not a pass, then the status.
  public static func short(_ report: Report) -> String {
    let lines = report.checks.filter { $0.status != .pass }.map { "\($0.status.rawValue.uppercased()) \($0.id): \($0.message)" }
    return (lines + [summary(report, color: false)]).joined(separator: "\n")
  }

  /// For machines: exactly one JSON document.
  public static func json(_ report: Report) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return (try? String(decoding: encoder.encode(report), as: UTF8.self)) ?? "{}"
  }

  /// The JSON document `-o json` prints when mtobs could not run at all (exit 2).
  public static func errorDocument(for error: any Error, command: String) -> String? {
    let (message, hint): (String, String?) =
      switch error {
      case let error as KubeError: (error.message, error.hint)
      case let error as ConfigError: (error.description, "fix the configuration; `mtobs config` shows what is in effect")
      case let error as BundleFile.Error: (error.message, error.hint)
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
