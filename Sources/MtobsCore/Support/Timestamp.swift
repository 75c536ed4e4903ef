import Foundation

/// The time stamps mtobs writes (deploy records, reports, bundles): RFC 3339 in UTC, to the second.
public enum Timestamp {
  public static func now() -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: Date())
  }
}
