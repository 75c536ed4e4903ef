/// Where a resumed stream picks up: the last timestamp printed and how many lines carried it.
struct LogResumePoint {
  var nanoseconds: Int64?
  var linesAtLast = 0
}

/// One stream's lines on their way out: the API server's timestamp cut off (and tracked, for a
/// resume without duplicates and for `--order time`), filters applied, formatted into `batch`
/// (or `timed`). A value the stream's task owns, so the per-line path has no shared state, no
/// closure captures and no optional copies.
struct LogLineHandler: Sendable {
  let formatter: LogFormatter
  let head: [UInt8]
  let grep: LogPattern?
  let exclude: LogPattern?
  private let filtered: Bool
  /// The lines start with the API server's timestamp (asked for only when it is used).
  let timestamped: Bool
  /// Timestamps are parsed (resume, time order); otherwise the text is only cut off.
  let tracksTime: Bool
  let timeOrdered: Bool

  private(set) var resume = LogResumePoint()
  /// Lines at `resume`'s timestamp still to skip after a reconnect (they were printed).
  private var skipAtLast = 0
  /// Formatted lines not handed on yet.
  var batch: [UInt8] = []
  var timed: [(Int64, [UInt8])] = []

  init(
    formatter: LogFormatter, head: [UInt8], grep: LogPattern?, exclude: LogPattern?, timestamped: Bool = true,
    tracksTime: Bool, timeOrdered: Bool
  ) {
    self.timestamped = timestamped
    self.formatter = formatter
    self.head = head
    self.grep = grep
    self.exclude = exclude
    filtered = grep != nil || exclude != nil
    self.tracksTime = tracksTime
    self.timeOrdered = timeOrdered
  }

  /// A new connection starts at `resume`: what carried its timestamp was printed already.
  mutating func reconnected() { skipAtLast = resume.linesAtLast }

  mutating func take(_ line: UnsafeRawBufferPointer) {
    var message = line
    var timestamp = UnsafeRawBufferPointer(start: nil, count: 0)
    var nanoseconds: Int64?
    if !timestamped {
      // The whole line is the message: nothing to cut, and a message that looks like a
      // timestamp stays whole.
    } else if tracksTime {
      if let parsed = LogTimestamp.parse(line) {
        nanoseconds = parsed.nanoseconds
        timestamp = UnsafeRawBufferPointer(rebasing: line[0..<parsed.length])
        let start = parsed.length < line.count && line[parsed.length] == 0x20 ? parsed.length + 1 : parsed.length
        message = UnsafeRawBufferPointer(rebasing: line[start..<line.count])
      }
    } else if let cut = LogTimestamp.cut(line) {
      timestamp = UnsafeRawBufferPointer(rebasing: line[0..<cut.length])
      message = UnsafeRawBufferPointer(rebasing: line[cut.messageStart..<line.count])
    }
    if let nanoseconds, !isNew(nanoseconds) { return }
    if filtered {
      if let grep, !grep.matches(message) { return }
      if let exclude, exclude.matches(message) { return }
    }
    if timeOrdered {
      var one: [UInt8] = []
      formatter.append(head: head, timestamp: timestamp, message: message, to: &one)
      timed.append((nanoseconds ?? Int64.max, one))
    } else {
      formatter.append(head: head, timestamp: timestamp, message: message, to: &batch)
    }
  }

  /// Records a line's timestamp; false for a line printed before a reconnect.
  private mutating func isNew(_ nanoseconds: Int64) -> Bool {
    guard let last = resume.nanoseconds else {
      resume = LogResumePoint(nanoseconds: nanoseconds, linesAtLast: 1)
      return true
    }
    if nanoseconds < last { return false }
    if nanoseconds == last {
      if skipAtLast > 0 {
        skipAtLast -= 1
        return false
      }
      resume.linesAtLast += 1
    } else {
      resume = LogResumePoint(nanoseconds: nanoseconds, linesAtLast: 1)
      skipAtLast = 0
    }
    return true
  }
}
