import Foundation

/// Parses and prints durations the way kubectl and Go do (`500ms`, `10s`, `1m30s`, `2h`).
///
/// Hand-written because Swift's `Duration` has no parser and operators already type these in
/// kubectl flags; accepting the same spelling everywhere avoids surprises.
public enum DurationText {
  /// Why a text is not a usable duration.
  public enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not one or more `<number><unit>` groups.
    case malformed
    /// Longer than `maximum`.
    case tooLarge

    public var description: String {
      switch self {
      case .malformed: "expected a duration such as 10s, 500ms, 2m or 1h"
      case .tooLarge: "too large: at most \(DurationText.format(DurationText.maximum))"
      }
    }
  }

  /// The longest duration accepted: Go's `time.Duration` limit in whole hours, because these
  /// values are handed on to kubectl, helm and skaffold, which could not read a longer one.
  public static let maximum: Duration = .seconds(2_562_047 * 3600)

  private static let units: [(suffix: String, seconds: Double)] = [
    ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600),
  ]

  /// Returns nil for anything that is not one or more `<number><unit>` groups, or that is longer
  /// than `maximum`; `read` says which.
  public static func parse(_ text: String) -> Duration? { try? read(text).get() }

  /// The duration `text` spells, or why it is not one. Never traps, whatever the text.
  public static func read(_ text: String) -> Result<Duration, Problem> {
    var rest = Substring(text.trimmingCharacters(in: .whitespaces))
    guard !rest.isEmpty else { return .failure(.malformed) }
    var total = 0.0
    while !rest.isEmpty {
      let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
      guard !number.isEmpty, let value = Double(number) else { return .failure(.malformed) }
      rest = rest.dropFirst(number.count)
      // Longest suffix first, so "ms" is not read as "m" followed by garbage.
      guard
        let unit = units.sorted(by: { $0.suffix.count > $1.suffix.count })
          .first(where: { rest.hasPrefix($0.suffix) })
      else { return .failure(.malformed) }
      rest = rest.dropFirst(unit.suffix.count)
      total += value * unit.seconds
      // Checked per group: a huge number (or one Double reads as infinity) must never reach Int64.
      guard total.isFinite, total <= Double(maximum.components.seconds) else { return .failure(.tooLarge) }
    }
    return .success(.milliseconds(Int64((total * 1000).rounded())))
  }

  /// Whole milliseconds, as reports and probes record durations; saturates rather than trapping
  /// for durations too long to count in an `Int`.
  public static func milliseconds(_ duration: Duration) -> Int {
    let (seconds, attoseconds) = duration.components
    let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
    guard !overflow else { return seconds < 0 ? Int.min : Int.max }
    let (sum, overflowAdding) = whole.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
    guard !overflowAdding else { return seconds < 0 ? Int.min : Int.max }
    return Int(clamping: sum)
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
