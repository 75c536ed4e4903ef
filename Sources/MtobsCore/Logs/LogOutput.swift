import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

/// The reader of our output went away (`mtobs logs … | head -1`): time to stop, quietly.
public struct OutputClosed: Error, Sendable {}

/// Where log lines go: whole batches of whole lines, in the order they are handed in.
public protocol LogLineSink: Sendable {
  /// Returns once the batch is accepted; waits while too much is queued (back-pressure).
  func write(_ batch: [UInt8]) async throws(OutputClosed)
}

/// Log output to a file descriptor (stdout) from one writer thread: producers hand in batches
/// and wait while more than `highWater` bytes are queued, so a slow reader slows the streams
/// (and through them the connections) instead of growing memory. A closed pipe (EPIPE) ends the
/// output; every waiting and later `write` throws `OutputClosed`.
public final class FileLogOutput: LogLineSink, @unchecked Sendable {
  public static let defaultHighWater = 1 << 20

  private let descriptor: Int32
  private let highWater: Int
  // Guards everything below; the writer thread waits on it.
  private let condition = NSCondition()
  private var queue: [[UInt8]] = []
  private var queued = 0
  private var waiting: [CheckedContinuation<Void, Never>] = []
  private var closed = false
  private var finishing = false
  private var finished: [CheckedContinuation<Void, Never>] = []
  private var threadDone = false
  private let onClosed: @Sendable () -> Void

  /// `onClosed` runs once when the reader goes away (EPIPE or another write error).
  public init(
    descriptor: Int32 = STDOUT_FILENO, highWater: Int = FileLogOutput.defaultHighWater,
    onClosed: @escaping @Sendable () -> Void = {}
  ) {
    self.descriptor = descriptor
    self.highWater = highWater
    self.onClosed = onClosed
    // EPIPE as an error to handle, not a signal that kills mtobs mid-line.
    signal(SIGPIPE, SIG_IGN)
    let thread = Thread { [self] in drain() }
    thread.name = "mtobs-log-output"
    thread.start()
    if Self.isPipeOrSocket(descriptor) {
      // A reader that goes away while the streams are quiet is noticed now, not at the next line.
      let watcher = Thread { [self] in watchForReaderGone() }
      watcher.name = "mtobs-log-reader"
      watcher.start()
    }
  }

  static func isPipeOrSocket(_ descriptor: Int32) -> Bool {
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { return false }
    // S_IFMT, S_IFIFO, S_IFSOCK (their imported types differ between platforms).
    let type = UInt32(info.st_mode) & 0o170000
    return type == 0o010000 || type == 0o140000
  }

  /// Polls the descriptor for POLLERR/POLLHUP (the read end of the pipe was closed).
  private func watchForReaderGone() {
    var entry = pollfd(fd: descriptor, events: 0, revents: 0)
    while true {
      condition.lock()
      let done = threadDone || closed
      condition.unlock()
      if done { return }
      entry.revents = 0
      let ready = poll(&entry, 1, 200)
      guard ready > 0, entry.revents & Int16(POLLERR | POLLHUP) != 0 else { continue }
      condition.lock()
      let wasClosed = closed
      closed = true
      queue = []
      queued = 0
      let toResume = waiting
      waiting = []
      condition.signal()
      condition.unlock()
      for continuation in toResume { continuation.resume() }
      if !wasClosed { onClosed() }
      return
    }
  }

  public var isClosed: Bool {
    condition.lock()
    defer { condition.unlock() }
    return closed
  }

  public func write(_ batch: [UInt8]) async throws(OutputClosed) {
    guard !batch.isEmpty else { return }
    switch enqueue(batch) {
    case .closed: throw OutputClosed()
    case .accepted: return
    case .full:
      await withCheckedContinuation { park($0) }
      if isClosed { throw OutputClosed() }
    }
  }

  private enum Enqueued { case accepted, full, closed }

  private func enqueue(_ batch: [UInt8]) -> Enqueued {
    condition.lock()
    defer { condition.unlock() }
    if closed { return .closed }
    queue.append(batch)
    queued += batch.count
    condition.signal()
    return queued > highWater ? .full : .accepted
  }

  /// Waits for the writer to bring the queue down (or the output to close).
  private func park(_ continuation: CheckedContinuation<Void, Never>) {
    condition.lock()
    if closed || queued <= highWater {
      condition.unlock()
      continuation.resume()
      return
    }
    waiting.append(continuation)
    condition.unlock()
  }

  /// Writes what is queued, then stops the writer thread.
  public func finish() async {
    await withCheckedContinuation { continuation in
      condition.lock()
      if threadDone {
        condition.unlock()
        continuation.resume()
        return
      }
      finishing = true
      finished.append(continuation)
      condition.signal()
      condition.unlock()
    }
  }

  /// Batches are joined up to this size before a write.
  static let joinLimit = 64 << 10

  private func drain() {
    var joined: [UInt8] = []
    joined.reserveCapacity(Self.joinLimit)
    while true {
      condition.lock()
      while queue.isEmpty, !finishing, !closed { condition.wait() }
      if queue.isEmpty || closed {
        threadDone = true
        let toResume = waiting + finished
        waiting = []
        finished = []
        condition.unlock()
        for continuation in toResume { continuation.resume() }
        return
      }
      let batches = queue
      queue = []
      condition.unlock()
      var written = 0
      var failed = false
      // Small batches (one stream's chunk each) are joined: one write(2) per `joinLimit` bytes.
      for batch in batches {
        if joined.count + batch.count > Self.joinLimit, !joined.isEmpty {
          guard writeAll(joined) else {
            failed = true
            break
          }
          written += joined.count
          joined.removeAll(keepingCapacity: true)
        }
        if batch.count >= Self.joinLimit {
          guard writeAll(batch) else {
            failed = true
            break
          }
          written += batch.count
        } else {
          joined += batch
        }
      }
      if !failed, !joined.isEmpty {
        failed = !writeAll(joined)
        if !failed { written += joined.count }
      }
      joined.removeAll(keepingCapacity: true)
      condition.lock()
      queued -= written
      var toResume: [CheckedContinuation<Void, Never>] = []
      if failed {
        closed = true
        queue = []
        queued = 0
      }
      if failed || queued <= highWater / 2 {
        toResume = waiting
        waiting = []
      }
      condition.unlock()
      for continuation in toResume { continuation.resume() }
      if failed { onClosed() }
    }
  }

  private func writeAll(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let result = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if result < 0 {
          if errno == EINTR || errno == EAGAIN { continue }
          return false
        }
        offset += result
      }
      return true
    }
  }
}

/// write(2); a method of the same name shadows it inside `FileLogOutput`.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
    Glibc.write(descriptor, bytes, count)
  #else
    Darwin.write(descriptor, bytes, count)
  #endif
}

/// Keeps everything, for tests that run the session in-process.
public final class CollectedLogOutput: LogLineSink {
  private let bytes = Mutex<[UInt8]>([])
  public init() {}
  public func write(_ batch: [UInt8]) async throws(OutputClosed) { bytes.withLock { $0 += batch } }
  public var text: String { String(decoding: bytes.withLock { $0 }, as: UTF8.self) }
}
