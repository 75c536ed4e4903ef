import Foundation

/// RFC 3339 times as the API server writes them (UTC, `Z`), in pure Swift so it is `Sendable` and fast.
enum RFC3339 {
  /// `2006-01-02T15:04:05Z` (what `metadata.creationTimestamp` uses).
  static func seconds(_ date: Date) -> String {
    let (civil, _) = split(date)
    return civil
  }

  /// `2006-01-02T15:04:05.999999999Z` with all nine digits (what `kubectl logs --timestamps` shows).
  static func nanoseconds(_ date: Date) -> String {
    let (civil, nanos) = split(date)
    let digits = String(nanos)
    return civil.dropLast() + "." + String(repeating: "0", count: 9 - digits.count) + digits + "Z"
  }

  /// A date's calendar day (UTC), second of that day and nanoseconds, for both renderings.
  static func parts(_ date: Date) -> (year: Int, month: Int, day: Int, secondOfDay: Int, nanos: Int) {
    let interval = date.timeIntervalSince1970
    var seconds = Int(interval.rounded(.down))
    var nanos = Int(((interval - Double(seconds)) * 1e9).rounded())
    if nanos >= 1_000_000_000 {
      seconds += 1
      nanos -= 1_000_000_000
    }
    var days = seconds / 86_400
    var rest = seconds % 86_400
    if rest < 0 {
      rest += 86_400
      days -= 1
    }
    let (year, month, day) = civil(fromDays: days)
    return (year, month, day, rest, nanos)
  }

  private static func split(_ date: Date) -> (String, Int) {
    let (year, month, day, rest, nanos) = parts(date)
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    let yearText = String(year)
    let text =
      "\(String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
    return (text, nanos)
  }

  /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
  static func parse(_ text: String) -> Date? {
    let chars = Array(text.utf8)
    guard chars.count >= 20 else { return nil }
    func number(_ range: Range<Int>) -> Int? {
      var value = 0
      for i in range {
        guard i < chars.count, (48...57).contains(chars[i]) else { return nil }
        value = value * 10 + Int(chars[i] - 48)
      }
      return value
    }
    guard let year = number(0..<4), chars[4] == UInt8(ascii: "-"), let month = number(5..<7),
      chars[7] == UInt8(ascii: "-"), let day = number(8..<10),
      chars[10] == UInt8(ascii: "T") || chars[10] == UInt8(ascii: "t"),
      let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
    else { return nil }
    var index = 19
    var fraction = 0.0
    if index < chars.count, chars[index] == UInt8(ascii: ".") {
      index += 1
      var scale = 0.1
      while index < chars.count, (48...57).contains(chars[index]) {
        fraction += Double(chars[index] - 48) * scale
        scale /= 10
        index += 1
      }
    }
    var offset = 0
    guard index < chars.count else { return nil }
    if chars[index] == UInt8(ascii: "Z") || chars[index] == UInt8(ascii: "z") {
      index += 1
    } else if chars[index] == UInt8(ascii: "+") || chars[index] == UInt8(ascii: "-") {
      guard let hours = number(index + 1..<index + 3), let minutes = number(index + 4..<index + 6) else { return nil }
      offset = (hours * 3600 + minutes * 60) * (chars[index] == UInt8(ascii: "+") ? 1 : -1)
      index += 6
    } else {
      return nil
    }
    guard index == chars.count else { return nil }
    let days = daysFromCivil(year: year, month: month, day: day)
    let total = Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
    return Date(timeIntervalSince1970: total)
  }

  // Howard Hinnant's civil-from-days algorithms.
  static func civil(fromDays z0: Int) -> (Int, Int, Int) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, m, d)
  }

  private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = month > 2 ? month - 3 : month + 9
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }
}

/// A short age like kubectl prints (`5s`, `3m`, `2h`, `4d`), used in Table rows.
func humanAge(since date: Date?, now: Date = Date()) -> String {
  guard let date else { return "<unknown>" }
  let seconds = max(0, Int(now.timeIntervalSince(date)))
  if seconds < 120 { return "\(seconds)s" }
  if seconds < 3600 * 2 { return "\(seconds / 60)m" }
  if seconds < 86_400 * 2 { return "\(seconds / 3600)h" }
  return "\(seconds / 86_400)d"
}
