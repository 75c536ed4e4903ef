/// `--order time`: one timeline across streams. Each container's log is in time order, so a line
/// is safe to print once every open stream has a later (or equal) line waiting: a k-way merge.
/// Without following, streams end, so that is exact (unless `maxHeld` lines wait: then the
/// oldest goes out). Following, a quiet stream would hold everything back, so a line also goes
/// out once it has waited `window` (500 ms: longer than the usual delivery skew between streams,
/// short enough to read live); a line that arrives later than that behind its time is printed
/// when it arrives, slightly out of order: the window is the bound.
public actor LogMerger {
  public static let window: Duration = .milliseconds(500)
  public static let maxHeld = 20_000
  /// Released bytes waiting for the sink; above this, producers wait (back-pressure).
  static let outboxLimit = 1 << 20

  struct Held {
    var nanoseconds: Int64
    var sequence: Int
    var bytes: [UInt8]
    var arrived: ContinuousClock.Instant
    var stream: String

    func before(_ other: Held) -> Bool {
      nanoseconds != other.nanoseconds ? nanoseconds < other.nanoseconds : sequence < other.sequence
    }
  }

  private let sink: any LogLineSink
  /// nil: lines wait for every open stream, however long (without following).
  private let window: Duration?
  private var heap: [Held] = []
  private var pending: [String: Int] = [:]
  private var openStreams: Set<String> = []
  private var sequence = 0
  private var outbox: [[UInt8]] = []
  private var outboxBytes = 0
  private var draining = false
  private var waiters: [CheckedContinuation<Void, Never>] = []

  public init(sink: any LogLineSink, window: Duration? = LogMerger.window) {
    self.sink = sink
    self.window = window
  }

  public func open(_ stream: String) {
    openStreams.insert(stream)
    pending[stream] = pending[stream] ?? 0
  }

  public func close(_ stream: String) async throws {
    openStreams.remove(stream)
    try await releaseAndDrain(all: false)
  }

  /// Lines of one stream, in its order: (nanoseconds since 1970, formatted bytes).
  public func add(_ lines: [(Int64, [UInt8])], from stream: String) async throws {
    let now = ContinuousClock.now
    for (nanoseconds, bytes) in lines {
      push(Held(nanoseconds: nanoseconds, sequence: sequence, bytes: bytes, arrived: now, stream: stream))
      sequence += 1
      pending[stream, default: 0] += 1
    }
    try await releaseAndDrain(all: false)
  }

  public func tick() async throws { try await releaseAndDrain(all: false) }

  public func flushAll() async throws { try await releaseAndDrain(all: true) }

  private func releaseAndDrain(all: Bool) async throws {
    var batch: [UInt8] = []
    let now = ContinuousClock.now
    while let top = heap.first {
      let safe = openStreams.allSatisfy { (pending[$0] ?? 0) > 0 }
      let waitedEnough = window.map { now - top.arrived >= $0 } ?? false
      guard all || safe || waitedEnough || heap.count > Self.maxHeld else { break }
      let line = pop()
      pending[line.stream, default: 1] -= 1
      batch += line.bytes
    }
    if !batch.isEmpty {
      outbox.append(batch)
      outboxBytes += batch.count
    }
    if draining {
      // Another caller is writing; wait while too much is waiting for it.
      if outboxBytes > Self.outboxLimit { await withCheckedContinuation { waiters.append($0) } }
      return
    }
    draining = true
    defer {
      draining = false
      let resume = waiters
      waiters = []
      for waiter in resume { waiter.resume() }
    }
    while !outbox.isEmpty {
      let next = outbox.removeFirst()
      outboxBytes -= next.count
      try await sink.write(next)
      if outboxBytes <= Self.outboxLimit / 2 {
        let resume = waiters
        waiters = []
        for waiter in resume { waiter.resume() }
      }
    }
  }

  // A binary min-heap on (time, arrival order).
  private func push(_ item: Held) {
    heap.append(item)
    var child = heap.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard heap[child].before(heap[parent]) else { break }
      heap.swapAt(child, parent)
      child = parent
    }
  }

  private func pop() -> Held {
    let top = heap[0]
    let last = heap.removeLast()
    guard !heap.isEmpty else { return top }
    heap[0] = last
    var parent = 0
    while true {
      let left = 2 * parent + 1
      let right = left + 1
      var smallest = parent
      if left < heap.count, heap[left].before(heap[smallest]) { smallest = left }
      if right < heap.count, heap[right].before(heap[smallest]) { smallest = right }
      guard smallest != parent else { break }
      heap.swapAt(parent, smallest)
      parent = smallest
    }
    return top
  }
}
