import Foundation
import Synchronization
import TestSupport
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

/// A reader that does not read holds the writers back (bounded memory); one that leaves ends the output.
@Suite("logs: output back-pressure")
struct LogOutputTests {
  @Test func writersWaitWhileTheReaderDoesNotRead() async throws {
    var ends: [Int32] = [0, 0]
    #expect(pipe(&ends) == 0)
    let (readEnd, writeEnd) = (ends[0], ends[1])
    defer { close(readEnd) }
    let output = FileLogOutput(descriptor: writeEnd, highWater: 64 << 10)
    let accepted = Atomic<Int>(0)
    let batch = [UInt8](repeating: 0x61, count: 16 << 10)
    let writer = Task {
      for _ in 0..<100 {
        try await output.write(batch)
        accepted.add(1, ordering: .relaxed)
      }
    }
    // Pipe buffer (64 KiB) + high water (64 KiB) + one batch: about 9 of the 100 batches.
    let ranAway = try await ProcessTable.wait(upTo: .seconds(2)) { accepted.load(ordering: .relaxed) >= 20 }
    #expect(!ranAway, "\(accepted.load(ordering: .relaxed)) batches accepted while nobody read")
    // Read everything: the writer finishes.
    let reader = Thread {
      var buffer = [UInt8](repeating: 0, count: 1 << 16)
      while read(readEnd, &buffer, buffer.count) > 0 {}
    }
    reader.start()
    try await writer.value
    await output.finish()
    close(writeEnd)
    #expect(accepted.load(ordering: .relaxed) == 100)
  }

  @Test func aReaderThatLeavesClosesTheOutput() async throws {
    var ends: [Int32] = [0, 0]
    #expect(pipe(&ends) == 0)
    close(ends[0])
    let closed = Atomic<Bool>(false)
    let output = FileLogOutput(descriptor: ends[1], onClosed: { closed.store(true, ordering: .relaxed) })
    defer { close(ends[1]) }
    // The first batch meets EPIPE (not SIGPIPE: mtobs lives on to stop its streams), unless the
    // reader-gone watch saw the closed pipe first.
    try? await output.write(Array("line\n".utf8))
    #expect(try await ProcessTable.wait(upTo: .seconds(5)) { closed.load(ordering: .relaxed) })
    await #expect(throws: OutputClosed.self) { try await output.write(Array("more\n".utf8)) }
    await output.finish()
  }
}
