import Foundation

/// Log bodies rendered straight into bytes. A million lines with timestamps is the logs
/// benchmark's load, and a `String` built per line (and per timestamp part) made the stand-in,
/// not the client under test, the bottleneck.
extension RFC3339 {
  /// The bytes of `nanoseconds(date)`: `2006-01-02T15:04:05.999999999Z`.
  static func appendNanoseconds(_ date: Date, to output: inout [UInt8]) {
    let (year, month, day, rest, nanos) = parts(date)
    func digits(_ value: Int, _ width: Int) {
      var divisor = 1
      for _ in 1..<width { divisor *= 10 }
      // Wider than `width` (a year past 9999) is written whole, as String(year) would.
      while divisor <= value / 10 { divisor *= 10 }
      while divisor > 0 {
        output.append(UInt8(truncatingIfNeeded: 0x30 + value / divisor % 10))
        divisor /= 10
      }
    }
    digits(year, 4)
    output.append(0x2D)
    digits(month, 2)
    output.append(0x2D)
    digits(day, 2)
    output.append(0x54)
    digits(rest / 3600, 2)
    output.append(0x3A)
    digits(rest % 3600 / 60, 2)
    output.append(0x3A)
    digits(rest % 60, 2)
    output.append(0x2E)
    digits(nanos, 9)
    output.append(0x5A)
  }
}

extension LogOptions {
  /// `render(line)` appended as bytes.
  func append(_ line: LogLine, to output: inout [UInt8]) {
    if timestamps {
      RFC3339.appendNanoseconds(line.time, to: &output)
      output.append(0x20)
    }
    output.append(contentsOf: line.text.utf8)
    output.append(0x0A)
  }

  func bytes(_ line: LogLine) -> [UInt8] {
    var output: [UInt8] = []
    append(line, to: &output)
    return output
  }

  /// The whole body of `lines`.
  func body(_ lines: [LogLine]) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(lines.count * ((lines.first?.text.utf8.count ?? 0) + (timestamps ? 32 : 1)))
    for line in lines { append(line, to: &output) }
    return output
  }
}
