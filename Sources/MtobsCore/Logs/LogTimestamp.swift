/// The RFC 3339 timestamp the API server puts before each line with `timestamps=true`
/// (`2026-11-29T13:06:41.123456789Z `; RFC3339Nano drops trailing zeros, so the text does not
/// sort: the value does).
public enum LogTimestamp {
  /// Nanoseconds since 1970 and the length of the timestamp text (the space after it not
  /// included); nil when the line does not start with one.
  public static func parse(_ bytes: UnsafeRawBufferPointer) -> (nanoseconds: Int64, length: Int)? {
    let count = bytes.count
    guard count >= 20 else { return nil }
    func digits(_ from: Int, _ length: Int) -> Int? {
      var value = 0
      for index in from..<(from + length) {
        let digit = Int(bytes[index]) &- 0x30
        guard digit >= 0, digit <= 9 else { return nil }
        value = value &* 10 &+ digit
      }
      return value
    }
    guard bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54 || bytes[10] == 0x74, bytes[13] == 0x3A,
      bytes[16] == 0x3A,
      let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2), let hour = digits(11, 2),
      let minute = digits(14, 2), let second = digits(17, 2),
      (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
    else { return nil }
    var index = 19
    var fraction: Int64 = 0
    if index < count, bytes[index] == 0x2E {
      index += 1
      var scale: Int64 = 100_000_000
      while index < count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
        fraction += Int64(bytes[index] - 0x30) * scale
        scale /= 10
        index += 1
      }
    }
    guard index < count else { return nil }
    var offsetSeconds = 0
    switch bytes[index] {
    case 0x5A, 0x7A: index += 1
    case 0x2B, 0x2D:
      guard index + 6 <= count, bytes[index + 3] == 0x3A, let hours = digits(index + 1, 2),
        let minutes = digits(index + 4, 2)
      else { return nil }
      offsetSeconds = (hours * 3600 + minutes * 60) * (bytes[index] == 0x2B ? 1 : -1)
      index += 6
    default: return nil
    }
    let days = daysFromCivil(year: year, month: month, day: day)
    let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
    return (seconds * 1_000_000_000 + fraction, index)
  }

  /// Where the timestamp ends and the message starts, found by shape (cheaper than `parse` when
  /// the value is not needed); nil when the line does not start with a timestamp.
  public static func cut(_ bytes: UnsafeRawBufferPointer) -> (length: Int, messageStart: Int)? {
    // Longest form: 2026-11-29T13:06:41.123456789+00:00
    let longest = 35
    let count = bytes.count
    guard count >= 20, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54 || bytes[10] == 0x74, bytes[13] == 0x3A,
      bytes[16] == 0x3A, (0x30...0x39).contains(bytes[0]), (0x30...0x39).contains(bytes[18])
    else { return nil }
    var index = 19
    let end = min(count, longest + 1)
    while index < end {
      if bytes[index] == 0x20 {
        let last = bytes[index - 1]
        return last == 0x5A || last == 0x7A || (0x30...0x39).contains(last) ? (index, index + 1) : nil
      }
      index += 1
    }
    guard count <= longest, let parsed = parse(bytes), parsed.length == count else { return nil }
    return (count, count)
  }

  /// Howard Hinnant's days_from_civil.
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// `2026-11-29T13:06:41Z`: whole seconds, for `sinceTime` (which the API server reads to the second).
  public static func secondsText(_ nanoseconds: Int64) -> String {
    var seconds = nanoseconds / 1_000_000_000
    if nanoseconds < 0, nanoseconds % 1_000_000_000 != 0 { seconds -= 1 }
    let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    let rest = Int(seconds - Int64(days) * 86_400)
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    func pad(_ value: Int, _ width: Int) -> String {
      let text = String(value)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(rest / 3600, 2)):\(pad(rest % 3600 / 60, 2)):"
      + "\(pad(rest % 60, 2))Z"
  }
}
