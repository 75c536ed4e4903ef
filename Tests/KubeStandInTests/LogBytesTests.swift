import Foundation
import Testing

@testable import KubeStandIn

/// Log bodies rendered as bytes say exactly what the String rendering says.
@Suite struct LogBytesTests {
  static let times: [Double] = [
    0, 1_764_421_601.123_456_789, 1_764_421_601.999_999_999_9, 951_782_400.5, -86_400.25, 253_402_300_799.000_001,
    1_764_421_601,
  ]

  @Test(arguments: [false, true])
  func bytesMatchTheTextRendering(timestamps: Bool) {
    let options = LogOptions(query: timestamps ? ["timestamps": "true"] : [:])
    let lines = Self.times.map { LogLine(time: Date(timeIntervalSince1970: $0), text: "level=info msg=\"é ok\"") }
    for line in lines {
      #expect(options.bytes(line) == Array(options.render(line).utf8), "\(line.time.timeIntervalSince1970)")
    }
    #expect(options.body(lines) == Array(lines.map(options.render).joined().utf8))
  }
}
