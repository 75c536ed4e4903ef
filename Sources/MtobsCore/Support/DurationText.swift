import Foundation

/// Parses and prints durations the way kubectl and Go do (`500ms`, `10s`, `1m30s`, `2h`).
///
/// Hand-written because Swift's `Duration` has no parser and operators already type these in
/// kubectl flags; accepting the same spelling everywhere avoids surprises.
public enum DurationText {
  private static let units: [(suffix: String, seconds: Double)] = [
    ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600),
  ]

  /// Returns nil for anything that is not one or more `<number><unit>` groups.
  public static func parse(_ text: String) -> Duration? {
    var rest = Substring(text.trimmingCharacters(in: .whitespaces))
    guard !rest.isEmpty else { return nil }
    var total = 0.0
    while !rest.isEmpty {
      let number = rest.prefix { $0.isNumber || $0 == "." }
      guard !number.isEmpty, let value = Double(number) else { return nil }
      rest = rest.dropFirst(number.count)
      // Longest suffix first, so "ms" is not read as "m" followed by garbage.
      guard
        let unit = units.sorted(by: { $0.suffix.count > $1.suffix.count })
          .first(where: { rest.hasPrefix($0.suffix) })
      else { return nil }
      rest = rest.dropFirst(unit.suffix.count)
      total += value * unit.seconds
    }
    return .milliseconds(Int64((total * 1000).rounded()))
  }

  /// Whole milliseconds, as reports and probes record durations.
  public static func milliseconds(_ duration: Duration) -> Int {
    Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
  }

  /// Formats a duration compactly: `10s`, `1m30s`, `250ms`.
  public static func format(_ duration: Duration) -> String {
    let totalMilliseconds = milliseconds(duration)
    if totalMilliseconds % 1000 != 0 { return "\(totalMilliseconds)ms" }
    var seconds = totalMilliseconds / 1000
    var text = ""
    if seconds >= 3600 {
      text += "\(seconds / 3600)h"
      seconds %= 3600
    }
    if seconds >= 60 {
      text += "\(seconds / 60)m"
      seconds %= 60
    }
    if seconds > 0 || text.isEmpty { text += "\(seconds)s" }
    return text
  }
}
