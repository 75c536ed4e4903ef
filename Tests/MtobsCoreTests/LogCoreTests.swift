import Foundation
import Testing

@testable import MtobsCore

/// The byte-level parts of `mtobs logs`: splitting, timestamps, JSON, the time-order merge, Loki answers.
@Suite("logs: bytes, timestamps, merge")
struct LogCoreTests {
  private func split(_ chunks: [String], maxLine: Int = 1 << 20) -> [String] {
    var splitter = LogLineSplitter(maxLine: maxLine)
    var lines: [String] = []
    for chunk in chunks {
      Array(chunk.utf8).withUnsafeBytes { bytes in
        splitter.feed(bytes) { lines.append(String(decoding: $0, as: UTF8.self)) }
      }
    }
    splitter.finish { lines.append(String(decoding: $0, as: UTF8.self)) }
    return lines
  }

  @Test func linesCutByChunkBoundariesComeOutWhole() {
    #expect(split(["a\nbb", "b\n", "", "c", "c\ndd"]) == ["a", "bbb", "cc", "dd"])
    #expect(split(["\n\n"]) == ["", ""])
  }

  @Test func aRunawayLineIsCutIntoBoundedPieces() {
    #expect(split(["abcdefg", "h\n"], maxLine: 3) == ["abc", "def", "gh"])
  }

  private func parse(_ text: String) -> (Int64, Int)? {
    Array(text.utf8).withUnsafeBytes { LogTimestamp.parse($0).map { ($0.nanoseconds, $0.length) } }
  }

  @Test func timestampsParseToComparableNanoseconds() throws {
    let full = try #require(parse("2026-09-21T14:13:20.500000000Z message"))
    #expect(full.0 == 1_790_000_000_500_000_000)
    #expect(full.1 == 30)
    // RFC3339Nano drops trailing zeros: ".5Z" and ".55Z" must still order by value.
    let short = try #require(parse("2026-09-21T14:13:20.5Z x"))
    let longer = try #require(parse("2026-09-21T14:13:20.55Z x"))
    #expect(short.0 < longer.0)
    #expect(parse("2026-09-21T16:13:20+02:00 x")?.0 == 1_790_000_000_000_000_000)
    #expect(parse("not a timestamp at all, no") == nil)
    #expect(parse("2026-13-21T14:13:20Z x") == nil)
    #expect(LogTimestamp.secondsText(1_790_000_000_999_000_000) == "2026-09-21T14:13:20Z")
  }

  @Test func jsonStringsEscapeControlsAndRepairBadUTF8() {
    var output: [UInt8] = []
    ([0x61, 0x22, 0x5C, 0x0A, 0x01, 0xFF, 0xC3, 0xA9] as [UInt8]).withUnsafeBytes {
      JSONBytes.appendString($0, to: &output)
    }
    #expect(String(decoding: output, as: UTF8.self) == #""a\"\\\n\u0001\#u{FFFD}é""#)
    #expect((try? JSONSerialization.jsonObject(with: Data(output), options: .fragmentsAllowed)) != nil)
  }

  @Test func theColourOfAStreamIsStable() {
    let formatter = LogFormatter(format: .text, timestamps: false, color: true)
    let stream = LogStreamID(namespace: "monitoring", pod: "loki-0", container: "loki", node: "")
    #expect(formatter.head(for: stream) == formatter.head(for: stream))
    let plain = LogFormatter(format: .text, timestamps: false, color: false)
    #expect(String(decoding: plain.head(for: stream), as: UTF8.self) == "loki-0/loki ")
  }

  @Test func theMergerReleasesInTimeOrderOnceEveryOpenStreamHasALine() async throws {
    let output = CollectedLogOutput()
    let merger = LogMerger(sink: output)
    await merger.open("a")
    await merger.open("b")
    try await merger.add([(3, Array("a3\n".utf8)), (5, Array("a5\n".utf8))], from: "a")
    // b has nothing yet: nothing may go out (b could still bring an earlier line).
    #expect(output.text.isEmpty)
    try await merger.add([(1, Array("b1\n".utf8)), (4, Array("b4\n".utf8))], from: "b")
    #expect(output.text == "b1\na3\nb4\n")
    try await merger.close("b")
    #expect(output.text == "b1\na3\nb4\na5\n")
  }

  @Test func lokiStreamsBecomeEntries() throws {
    let body = #"""
      {"status":"success","data":{"resultType":"streams","result":[
      {"stream":{"pod":"p"},"values":[["20","two"],["10","one"],["x","bad"]]}]}}
      """#
    let entries = try LokiQuery.entries(in: Array(body.utf8))
    #expect(entries.map(\.line) == ["two", "one"])
    #expect(entries.map(\.nanoseconds) == [20, 10])
    let matrix = #"{"status":"success","data":{"resultType":"matrix","result":[]}}"#
    #expect(throws: CommandFailure.self) { try LokiQuery.entries(in: Array(matrix.utf8)) }
  }
}
