import Foundation
import NIOCore

/// Splits a byte stream into lines without making a `String` of anything: a chunk's complete
/// lines are handed on as views into the chunk; only a line cut by a chunk boundary is copied.
/// A line longer than `maxLine` is handed on in `maxLine` pieces (a runaway line never holds
/// unbounded memory).
public struct LogLineSplitter: Sendable {
  public static let defaultMaxLine = 1 << 20

  private var partial: [UInt8] = []
  private let maxLine: Int

  public init(maxLine: Int = LogLineSplitter.defaultMaxLine) { self.maxLine = max(1, maxLine) }

  /// Calls `line` for every complete line in `chunk` (without its `\n`).
  public mutating func feed(_ chunk: ByteBuffer, _ line: (UnsafeRawBufferPointer) throws -> Void) rethrows {
    try chunk.withUnsafeReadableBytes { bytes in try feed(bytes, line) }
  }

  public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ line: (UnsafeRawBufferPointer) throws -> Void) rethrows {
    var start = 0
    let count = bytes.count
    while start < count {
      guard let newline = Self.index(of: 0x0A, in: bytes, from: start) else {
        partial.append(contentsOf: bytes[start..<count])
        while partial.count >= maxLine {
          try partial.withUnsafeBytes { try line(UnsafeRawBufferPointer(rebasing: $0[0..<maxLine])) }
          partial.removeFirst(maxLine)
        }
        return
      }
      if partial.isEmpty {
        try line(UnsafeRawBufferPointer(rebasing: bytes[start..<newline]))
      } else {
        partial.append(contentsOf: bytes[start..<newline])
        try partial.withUnsafeBytes { try line($0) }
        partial.removeAll(keepingCapacity: partial.capacity <= 64 << 10)
      }
      start = newline + 1
    }
  }

  /// Hands on what is left when the stream ends without a final `\n`.
  public mutating func finish(_ line: (UnsafeRawBufferPointer) throws -> Void) rethrows {
    guard !partial.isEmpty else { return }
    try partial.withUnsafeBytes { try line($0) }
    partial.removeAll()
  }

  static func index(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
    guard let base = bytes.baseAddress, start < bytes.count else { return nil }
    guard let found = memchr(base + start, Int32(byte), bytes.count - start) else { return nil }
    return base.distance(to: UnsafeRawPointer(found))
  }
}
