import Foundation

/// The time stamps mtobs writes (deploy records, reports, bundles): RFC 3339 in UTC, to the second.
public enum Timestamp {
  /// `Date.ISO8601FormatStyle` is Swift all the way down; `ISO8601DateFormatter` would load ICU's
  /// calendar data (milliseconds) on Linux for a fixed format.
  public static func now() -> String { string(from: Date()) }

  static func string(from date: Date) -> String { date.formatted(.iso8601) }
}
