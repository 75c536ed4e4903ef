import Foundation
import Testing

@testable import MtobsCore

/// The per-line path of `mtobs logs`: timestamps cut by shape when their value is not needed,
/// parsed and deduplicated when it is; batches joined into large writes.
@Suite("logs: the per-line path")
struct LogLineHandlerTests {
  private func cut(_ text: String) -> (length: Int, messageStart: Int)? {
    Array(text.utf8).withUnsafeBytes { LogTimestamp.cut($0) }
  }

  @Test func aTimestampIsCutWhereParsingWouldCutIt() {
    for line in [
      "2026-11-29T13:06:41.123456789Z hello world", "2026-11-29T13:06:41Z x", "2026-11-29T13:06:41.5+02:00 offset",
      "2026-11-29T13:06:41.123456789Z ",
    ] {
      let parsed = Array(line.utf8).withUnsafeBytes { LogTimestamp.parse($0) }
      #expect(cut(line)?.length == parsed?.length, "\(line)")
      #expect(cut(line)?.messageStart == parsed.map { $0.length + 1 }, "\(line)")
    }
    #expect(cut("2026-11-29T13:06:41.123456789Z")?.length == 30)
    #expect(cut("2026-11-29T13:06:41.123456789Z")?.messageStart == 30)
    #expect(cut("level=info 2026-11-29T13:06:41Z")?.length == nil)
    #expect(cut("2026-11-29 13:06:41 not an API timestamp")?.length == nil)
    #expect(cut("short")?.length == nil)
  }

  private func run(_ handler: inout LogLineHandler, _ lines: [String]) -> String {
    for line in lines { Array(line.utf8).withUnsafeBytes { handler.take($0) } }
    defer { handler.batch.removeAll() }
    return String(decoding: handler.batch, as: UTF8.self)
  }

  @Test func withoutTrackingTheTimestampIsCutAndShownOnlyWhenAsked() {
    for timestamps in [false, true] {
      let formatter = LogFormatter(format: .text, timestamps: timestamps, color: false)
      var handler = LogLineHandler(
        formatter: formatter, head: Array("p/c ".utf8), grep: nil, exclude: nil, tracksTime: false, timeOrdered: false)
      let output = run(&handler, ["2026-11-29T13:06:41.1Z one", "no timestamp here"])
      #expect(
        output == (timestamps ? "p/c 2026-11-29T13:06:41.1Z one\n" : "p/c one\n") + "p/c no timestamp here\n")
    }
  }

  /// Lines read without `timestamps=true` are messages whole, even one that starts like a timestamp.
  @Test func aLineReadWithoutTimestampsIsNeverCut() {
    let formatter = LogFormatter(format: .text, timestamps: false, color: false)
    var handler = LogLineHandler(
      formatter: formatter, head: Array("p/c ".utf8), grep: nil, exclude: nil, timestamped: false, tracksTime: false,
      timeOrdered: false)
    let output = run(&handler, ["2026-11-29T13:06:41.1Z said the app", "plain"])
    #expect(output == "p/c 2026-11-29T13:06:41.1Z said the app\np/c plain\n")
  }

  @Test func aReconnectSkipsTheLinesAlreadyPrintedAtTheLastTimestamp() {
    let formatter = LogFormatter(format: .text, timestamps: false, color: false)
    var handler = LogLineHandler(
      formatter: formatter, head: [], grep: try? LogPattern("keep|again|new"), exclude: nil, tracksTime: true,
      timeOrdered: false)
    #expect(run(&handler, ["2026-11-29T13:06:41.1Z keep 1", "2026-11-29T13:06:41.1Z keep 2"]) == "keep 1\nkeep 2\n")
    handler.reconnected()
    // sinceTime brings back the whole second: both lines again, then one new at the same instant.
    let again = run(
      &handler,
      [
        "2026-11-29T13:06:41.0Z before", "2026-11-29T13:06:41.1Z keep 1", "2026-11-29T13:06:41.1Z keep 2",
        "2026-11-29T13:06:41.1Z again", "2026-11-29T13:06:42Z new",
      ])
    #expect(again == "again\nnew\n")
  }

  @Test func smallBatchesComeOutWholeAndInOrderThroughJoinedWrites() async throws {
    var ends: [Int32] = [0, 0]
    #expect(pipe(&ends) == 0)
    let output = FileLogOutput(descriptor: ends[1])
    let expected = (0..<20_000).map { "line \($0)\n" }.joined()
    let readEnd = ends[0]
    let reader = Task.detached { () -> [UInt8] in
      var all: [UInt8] = []
      var buffer = [UInt8](repeating: 0, count: 1 << 16)
      while true {
        let count = read(readEnd, &buffer, buffer.count)
        guard count > 0 else { return all }
        all += buffer[0..<count]
      }
    }
    for index in 0..<20_000 { try await output.write(Array("line \(index)\n".utf8)) }
    await output.finish()
    close(ends[1])
    let received = await reader.value
    close(ends[0])
    #expect(received.count == expected.utf8.count)
    #expect(String(decoding: received, as: UTF8.self) == expected)
  }
}
