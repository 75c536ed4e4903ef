import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization

/// What `mtobs logs` was asked for (besides which pods: `LogSelection`).
public struct LogRequest: Sendable {
  public var namespace: String
  public var selection: LogSelection
  /// Server-side label selector (`-l`).
  public var labelSelector: String?
  public var follow: Bool
  public var since: Duration?
  /// Lines per stream at the start; nil: all.
  public var tail: Int?
  public var grep: LogPattern?
  public var exclude: LogPattern?
  public var formatter: LogFormatter
  public var order: LogOrder
  /// Above this many streams a warning says so (nothing is refused).
  public var streamWarningLimit: Int
  /// First retry delay of a stream or the watch, doubled up to `maxBackoff`.
  public var backoff: Duration = .milliseconds(250)
  public var maxBackoff: Duration = .seconds(10)
  /// Following: a stream that delivers nothing for this long while its pod is there is reopened
  /// from its last timestamp (a silent stream cannot be told from a quiet container, so this
  /// also reopens quiet ones: one request each, no line twice). nil: never.
  public var stallTimeout: Duration? = LogRequest.defaultStallTimeout
  public static let defaultStallTimeout = Duration.seconds(120)

  public init(
    namespace: String, selection: LogSelection, labelSelector: String? = nil, follow: Bool = false,
    since: Duration? = nil, tail: Int? = nil, grep: LogPattern? = nil, exclude: LogPattern? = nil,
    formatter: LogFormatter, order: LogOrder = .arrival, streamWarningLimit: Int = 100
  ) {
    self.namespace = namespace
    self.selection = selection
    self.labelSelector = labelSelector
    self.follow = follow
    self.since = since
    self.tail = tail
    self.grep = grep
    self.exclude = exclude
    self.formatter = formatter
    self.order = order
    self.streamWarningLimit = streamWarningLimit
  }
}

public enum LogOrder: String, Sendable, CaseIterable {
  /// Lines as they arrive (fastest; each stream in order, streams interleaved by line).
  case arrival
  /// One timeline across streams (`LogMerger`).
  case time
}

/// What happened besides lines, for the command to show on stderr.
public enum LogEvent: Sendable, Equatable {
  case streamStarted(LogStreamID)
  /// A stream failed; in follow mode it is retried (the same message is reported once).
  case streamFailed(LogStreamID, message: String)
  /// A container ended and restarted (from the pod's status): once per restart.
  case containerRestarted(LogStreamID, reason: String, exitCode: Int?)
  case waitingForPods(String)
  case watchFailed(message: String)
  case manyStreams(count: Int, limit: Int)
  /// A followed stream delivered nothing for `after` and was reopened from its last line.
  case streamReopened(LogStreamID, after: Duration)
}

/// How a session ended.
public struct LogOutcome: Sendable, Equatable {
  public var streams: Int
  public var failedStreams: Int
  /// The reader went away (`| head`): not an error.
  public var outputClosed: Bool
}

/// Reads every matching container's log over the run's `kubectl proxy` at once (one HTTP stream
/// each), splits on bytes, filters, formats and hands whole-line batches to the sink. With
/// `follow`, a watch adds pods that appear, a stream that ends is resumed from its last timestamp
/// (duplicates skipped) while its pod exists, failures retry with backoff, and no stream's
/// failure stops the others.
public final class LogSession: Sendable {
  let kube: KubeClient
  let request: LogRequest
  let sink: any LogLineSink
  /// With `--order time`: every line goes through it.
  let merger: LogMerger?
  let events: @Sendable (LogEvent) -> Void

  private struct State {
    var pods: [String: KubeObject] = [:]
    var started: Set<String> = []
    var live = 0
    var failed = 0
    var warnedMany = false
    var outputClosed = false
    var restarts: [String: Int] = [:]
  }

  private enum Control: Sendable {
    case start(LogStreamID)
    case stop
  }

  private let state = Mutex(State())
  private let control: AsyncStream<Control>
  private let controlInput: AsyncStream<Control>.Continuation

  public init(
    kube: KubeClient, request: LogRequest, sink: any LogLineSink, events: @escaping @Sendable (LogEvent) -> Void
  ) {
    self.kube = kube
    self.request = request
    self.events = events
    (control, controlInput) = AsyncStream.makeStream(of: Control.self)
    self.sink = sink
    merger = request.order == .time ? LogMerger(sink: sink, window: request.follow ? LogMerger.window : nil) : nil
  }

  private var podsPath: String {
    "/api/v1/namespaces/\(request.namespace)/pods"
  }

  private var selectorQuery: String {
    request.labelSelector.map { "labelSelector=\(KubeClient.queryValue($0))" } ?? ""
  }

  /// Runs until every stream ended (without `follow`), the reader went away, or the task is cancelled.
  public func run() async throws -> LogOutcome {
    let (pods, resourceVersion) = try await listPods()
    var initial: [LogStreamID] = []
    state.withLock { state in
      for pod in pods {
        state.pods[pod.name] = pod
        state.restarts.merge(
          LogSelection.terminations(of: pod).map { ("\(pod.name)/\($0.key)", $0.value.restarts) }
        ) { $1 }
      }
    }
    for pod in pods { initial += request.selection.streams(of: pod, namespace: request.namespace) }
    if initial.isEmpty {
      guard request.follow else {
        throw CommandFailure(
          "no container in namespace '\(request.namespace)' matches \(describeSelection())",
          hint: "list the pods with `kubectl get pods -n \(request.namespace)`; `mtobs logs all` reads every pod",
          status: .failed)
      }
      events(.waitingForPods(describeSelection()))
    }
    for stream in initial { begin(stream) }
    if !request.follow, initial.isEmpty { controlInput.finish() }
    await withTaskGroup(of: Void.self) { group in
      if request.follow {
        group.addTask { await self.watchPods(from: resourceVersion) }
      }
      if let merger {
        // Releases lines held longer than the reorder window while streams are quiet.
        group.addTask {
          while !Task.isCancelled {
            try? await Task.sleep(for: LogMerger.window / 5)
            do { try await merger.tick() } catch { self.outputClosed() }
          }
        }
      }
      loop: for await message in control {
        switch message {
        case .start(let stream): group.addTask { await self.read(stream) }
        case .stop: break loop
        }
      }
      group.cancelAll()
    }
    if let merger {
      do { try await merger.flushAll() } catch { state.withLock { $0.outputClosed = true } }
    }
    return state.withLock { state in
      LogOutcome(streams: state.started.count, failedStreams: state.failed, outputClosed: state.outputClosed)
    }
  }

  func describeSelection() -> String {
    var parts = request.selection.roles.map { $0 == .alloy ? "alloy-receiver" : $0.rawValue }
    parts += request.selection.podPatterns.map { "/\($0.source)/" }
    if let selector = request.labelSelector { parts.append("-l \(selector)") }
    if parts.isEmpty { parts.append("any pod") }
    if let node = request.selection.node { parts.append("on node \(node)") }
    if let container = request.selection.containerPattern { parts.append("container /\(container.source)/") }
    return parts.joined(separator: ", ")
  }

  /// Registers a stream and asks the group to start it, once per container.
  private func begin(_ stream: LogStreamID) {
    let (isNew, count, warn) = state.withLock { state -> (Bool, Int, Bool) in
      guard !state.outputClosed, state.started.insert(stream.key + "/" + stream.podUID).inserted else {
        return (false, 0, false)
      }
      state.live += 1
      let warn = state.started.count > request.streamWarningLimit && !state.warnedMany
      if warn { state.warnedMany = true }
      return (true, state.started.count, warn)
    }
    guard isNew else { return }
    if warn { events(.manyStreams(count: count, limit: request.streamWarningLimit)) }
    controlInput.yield(.start(stream))
  }

  private func streamEnded() {
    let last = state.withLock { state in
      state.live -= 1
      return state.live == 0
    }
    if last, !request.follow {
      controlInput.yield(.stop)
      controlInput.finish()
    }
  }

  /// Ends the session as if the reader had gone away (every stream closed, outcome `outputClosed`).
  public func stop() { outputClosed() }

  private func outputClosed() {
    state.withLock { $0.outputClosed = true }
    controlInput.yield(.stop)
    controlInput.finish()
  }

  /// Whether the stream's pod (that very pod, not one recreated under its name) is still there.
  private func podExists(_ stream: LogStreamID) -> Bool {
    state.withLock { state in
      guard let pod = state.pods[stream.pod] else { return false }
      return stream.podUID.isEmpty || pod.raw[path: "metadata", "uid"]?.string == stream.podUID
    }
  }

  // MARK: Listing and watching pods

  private func listPods() async throws -> ([KubeObject], String?) {
    let query = selectorQuery.isEmpty ? "" : "?" + selectorQuery
    let body = try await kube.apiGet(podsPath + query, what: "listing pods in \(request.namespace)")
    guard let json = try? JSONValue.decode(body) else {
      throw KubeError(.invalidResponse, "the API server's answer is not JSON", hint: "rerun with -v")
    }
    let pods = (json["items"]?.array ?? []).map { item -> KubeObject in
      guard case .object(var fields) = item else { return KubeObject(item) }
      fields["kind"] = fields["kind"] ?? .string("Pod")
      return KubeObject(.object(fields))
    }
    .filter { request.selection.matches(pod: $0) }
    return (pods, json[path: "metadata", "resourceVersion"]?.string)
  }

  /// Follows pod changes: new matching containers start streams, deleted pods let theirs end,
  /// restarts are reported once. A watch that ends or fails is started again (after a relist
  /// when its resourceVersion is too old).
  private func watchPods(from resourceVersion: String?) async {
    var version = resourceVersion
    var attempt = 0
    var lastError: String?
    while !Task.isCancelled {
      do {
        if version == nil {
          let (pods, listed) = try await listPods()
          for pod in pods { podChanged(pod) }
          version = listed
        }
        var query = "watch=true&allowWatchBookmarks=true"
        if let version { query += "&resourceVersion=\(version)" }
        if !selectorQuery.isEmpty { query += "&" + selectorQuery }
        let body = try await kube.openStream(podsPath + "?" + query, what: "watching pods in \(request.namespace)")
        var splitter = LogLineSplitter(maxLine: KubeTransport.bodyLimit)
        var expired = false
        for try await chunk in body {
          var lines: [[UInt8]] = []
          splitter.feed(chunk) { lines.append(Array($0)) }
          for line in lines {
            guard let event = try? JSONValue.decode(line), let type = event["type"]?.string else { continue }
            if type == "ERROR" {
              // 410 Gone: the version is too old; list again.
              version = nil
              expired = true
              break
            }
            guard let object = event["object"] else { continue }
            if let seen = object[path: "metadata", "resourceVersion"]?.string { version = seen }
            guard type != "BOOKMARK" else { continue }
            var fields = object.object ?? [:]
            fields["kind"] = fields["kind"] ?? .string("Pod")
            let pod = KubeObject(.object(fields))
            if type == "DELETED" {
              _ = state.withLock { $0.pods.removeValue(forKey: pod.name) }
            } else if request.selection.matches(pod: pod) {
              podChanged(pod)
            }
          }
          attempt = 0
          lastError = nil
          if expired { break }
        }
      } catch is CancellationError {
        return
      } catch {
        if Task.isCancelled { return }
        let message = (error as? any MtobsError)?.errorMessage ?? "\(error)"
        if message != lastError { events(.watchFailed(message: message)) }
        lastError = message
        version = nil
      }
      attempt += 1
      guard await pause(attempt: attempt) else { return }
    }
  }

  private func podChanged(_ pod: KubeObject) {
    let namespace = request.namespace
    let notices = state.withLock { state -> [LogEvent] in
      state.pods[pod.name] = pod
      var notices: [LogEvent] = []
      for (container, termination) in LogSelection.terminations(of: pod) {
        let key = "\(pod.name)/\(container)"
        let before = state.restarts[key]
        state.restarts[key] = termination.restarts
        if let before, termination.restarts > before, !termination.reason.isEmpty {
          let stream = LogStreamID(
            namespace: namespace, pod: pod.name, container: container,
            node: pod.raw[path: "spec", "nodeName"]?.string ?? "")
          notices.append(.containerRestarted(stream, reason: termination.reason, exitCode: termination.exitCode))
        }
      }
      return notices
    }
    for notice in notices { events(notice) }
    for stream in request.selection.streams(of: pod, namespace: namespace) { begin(stream) }
  }

  /// Waits before retry `attempt` (1, 2, …); false when cancelled.
  private func pause(attempt: Int) async -> Bool {
    let exponent = min(attempt - 1, 16)
    var delay = request.backoff * (1 << exponent)
    if delay > request.maxBackoff { delay = request.maxBackoff }
    // Jitter: streams that failed together do not retry together.
    delay = delay * Double.random(in: 0.75...1.25)
    do {
      try await Task.sleep(for: delay)
      return true
    } catch {
      return false
    }
  }

  // MARK: One container's stream

  /// Whether streams ask for the API server's timestamps: to resume a followed stream without
  /// repeating lines, to order by time, or to show them. A plain read goes without (about a third
  /// fewer bytes through kubectl proxy, docs/benchmarks.md, "Logs").
  var timestamped: Bool { request.follow || merger != nil || request.formatter.showsTimestamps }

  func logPath(_ stream: LogStreamID, resume: LogResumePoint) -> String {
    var query = ["container=\(KubeClient.queryValue(stream.container))"]
    if timestamped { query.append("timestamps=true") }
    if request.follow { query.append("follow=true") }
    if request.selection.previous { query.append("previous=true") }
    if let last = resume.nanoseconds {
      // sinceTime is read to the second: what was already printed is skipped by timestamp.
      query.append("sinceTime=\(KubeClient.queryValue(LogTimestamp.secondsText(last)))")
    } else {
      if let tail = request.tail { query.append("tailLines=\(tail)") }
      if let since = request.since {
        let seconds = max(1, since.components.seconds + (since.components.attoseconds > 0 ? 1 : 0))
        query.append("sinceSeconds=\(seconds)")
      }
    }
    return "/api/v1/namespaces/\(stream.namespace)/pods/\(stream.pod)/log?" + query.joined(separator: "&")
  }

  private func read(_ stream: LogStreamID) async {
    events(.streamStarted(stream))
    if let merger { await merger.open(stream.key) }
    await readUntilDone(stream)
    if let merger {
      do { try await merger.close(stream.key) } catch { outputClosed() }
    }
    streamEnded()
  }

  private func readUntilDone(_ stream: LogStreamID) async {
    var lines = LogLineHandler(
      formatter: request.formatter, head: request.formatter.head(for: stream), grep: request.grep,
      exclude: request.exclude, timestamped: timestamped, tracksTime: request.follow || merger != nil,
      timeOrdered: merger != nil)
    var attempt = 0
    var lastError: String?
    let timeOrdered = merger
    while !Task.isCancelled {
      do {
        let body = try await kube.openStream(
          logPath(stream, resume: lines.resume), what: "reading the log of \(stream.pod)/\(stream.container)")
        lines.reconnected()
        let read = await readConnection(body, from: lines, stream: stream.key, merger: timeOrdered)
        lines = read.lines
        if read.received {
          attempt = 0
          lastError = nil
        }
        if let error = read.error { throw error }
        guard request.follow else { return }
      } catch let stalled as StreamStalled {
        // Reopened at once: the pod is still there and a new request is cheap.
        events(.streamReopened(stream, after: stalled.after))
        guard podExists(stream) else { return }
        continue
      } catch is OutputClosed {
        outputClosed()
        return
      } catch is CancellationError {
        return
      } catch {
        if Task.isCancelled { return }
        let message = (error as? any MtobsError)?.errorMessage ?? "\(error)"
        if message != lastError { events(.streamFailed(stream, message: message)) }
        lastError = message
        guard request.follow else {
          state.withLock { $0.failed += 1 }
          return
        }
      }
      // Following: the stream ended or failed; go on while the pod is there.
      guard podExists(stream) else { return }
      attempt += 1
      guard await pause(attempt: attempt) else { return }
    }
  }

  /// A followed stream that delivered nothing for `after`.
  struct StreamStalled: Error {
    let after: Duration
  }

  /// How one connection's body was read: the handler (with its resume point) however it ended.
  struct ConnectionRead: Sendable {
    var lines: LogLineHandler
    var error: (any Error)?
    /// Whether any bytes came (the stream works: the retry count starts again).
    var received: Bool
  }

  private enum ReadPart: Sendable {
    case read(ConnectionRead)
    case stalled
    case watchEnded
  }

  /// Reads one connection's body to its end, each chunk's lines handed on at once (the writer
  /// joins queued batches into large writes). Following, a watchdog ends a connection that
  /// stays silent for `stallTimeout` (`StreamStalled`).
  private func readConnection(
    _ body: HTTPClientResponse.Body, from start: LogLineHandler, stream: String, merger: LogMerger?
  ) async -> ConnectionRead {
    let activity = StreamActivity()
    let stall = request.follow ? request.stallTimeout : nil
    return await withTaskGroup(of: ReadPart.self) { group in
      group.addTask {
        var lines = start
        var splitter = LogLineSplitter()
        var received = false
        do {
          for try await chunk in body {
            received = true
            splitter.feed(chunk) { lines.take($0) }
            // A slow reader of our output holds the stream up: that is not silence.
            activity.busy(true)
            try await self.deliver(&lines, stream: stream, merger: merger)
            activity.busy(false)
          }
          try Task.checkCancellation()
          splitter.finish { lines.take($0) }
          try await self.deliver(&lines, stream: stream, merger: merger)
          return .read(ConnectionRead(lines: lines, error: nil, received: received))
        } catch {
          return .read(ConnectionRead(lines: lines, error: error, received: received))
        }
      }
      if let stall {
        group.addTask {
          while (try? await Task.sleep(for: stall / 4)) != nil {
            if activity.silence >= stall { return .stalled }
          }
          return .watchEnded
        }
      }
      var result: ConnectionRead?
      var stalled = false
      for await part in group {
        switch part {
        case .read(let read):
          result = read
          group.cancelAll()
        case .stalled:
          // Cancelling the reader drops the connection.
          stalled = true
          group.cancelAll()
        case .watchEnded: break
        }
      }
      var read = result ?? ConnectionRead(lines: start, error: CancellationError(), received: false)
      if stalled, let stall, !Task.isCancelled { read.error = StreamStalled(after: stall) }
      return read
    }
  }

  private func deliver(_ lines: inout LogLineHandler, stream: String, merger: LogMerger?) async throws {
    if let merger {
      if !lines.timed.isEmpty {
        let timed = lines.timed
        lines.timed.removeAll(keepingCapacity: true)
        try await merger.add(timed, from: stream)
      }
      return
    }
    guard !lines.batch.isEmpty else { return }
    let bytes = lines.batch
    lines.batch.removeAll(keepingCapacity: true)
    try await sink.write(bytes)
  }
}

/// When a stream last delivered bytes (or finished handing them on).
private final class StreamActivity: Sendable {
  private let state = Mutex((last: ContinuousClock.now, busy: false))

  func busy(_ busy: Bool) { state.withLock { $0 = (.now, busy) } }

  /// How long the stream has been silent while its reader waited for bytes.
  var silence: Duration {
    state.withLock { $0.busy ? .zero : .now - $0.last }
  }
}
