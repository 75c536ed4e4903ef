import Foundation

/// `mtobs logs --loki LOGQL`: Loki's `query_range` through the API server's proxy to the logs
/// backend's Service. Once: the newest `limit` lines of the window, printed oldest first. With
/// `follow`: then polls forward from the last timestamp, printing only lines not printed yet
/// (lines at the edge timestamp are remembered, so a window that ends mid-second repeats none).
public struct LokiQuery: Sendable {
  public var query: String
  public var since: Duration
  public var limit: Int
  public var follow: Bool
  public var pollInterval: Duration = .seconds(2)
  /// The Service and port that serve Loki's HTTP API.
  public var namespace: String
  public var service: String
  public var port: Int

  public init(
    query: String, since: Duration, limit: Int, follow: Bool, namespace: String, service: String, port: Int
  ) {
    self.query = query
    self.since = since
    self.limit = limit
    self.follow = follow
    self.namespace = namespace
    self.service = service
    self.port = port
  }

  /// One entry of a `streams` answer.
  public struct Entry: Sendable, Equatable {
    public var nanoseconds: Int64
    public var timestamp: String
    public var labels: [String: String]
    public var line: String
  }

  /// Runs the query (and the polls); each batch of new entries, oldest first, goes to `emit`.
  public func run(
    kube: KubeClient, now: @Sendable () -> Date = Date.init, emit: ([Entry]) async throws -> Void
  )
    async throws
  {
    let end = Self.nanoseconds(now())
    let start = end - Self.nanoseconds(since)
    var entries = try await fetch(kube: kube, start: start, end: end, direction: "backward")
    entries.sort { $0.nanoseconds < $1.nanoseconds }
    try await emit(entries)
    guard follow else { return }
    var last = entries.last?.nanoseconds ?? end
    var atLast = Set(entries.filter { $0.nanoseconds == last }.map(Self.identity))
    while !Task.isCancelled {
      try await Task.sleep(for: pollInterval)
      let polled = try await fetch(kube: kube, start: last, end: Self.nanoseconds(now()), direction: "forward")
      let fresh = polled.sorted { $0.nanoseconds < $1.nanoseconds }.filter { entry in
        entry.nanoseconds > last || (entry.nanoseconds == last && !atLast.contains(Self.identity(entry)))
      }
      guard let newest = fresh.last?.nanoseconds else { continue }
      if newest != last { atLast = [] }
      last = newest
      atLast.formUnion(fresh.filter { $0.nanoseconds == last }.map(Self.identity))
      try await emit(fresh)
    }
  }

  static func identity(_ entry: Entry) -> String {
    entry.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") + "\u{0}"
      + entry.line
  }

  func path(start: Int64, end: Int64, direction: String) -> String {
    let query = [
      "query=\(KubeClient.queryValue(query))", "start=\(start)", "end=\(end)", "limit=\(limit)",
      "direction=\(direction)",
    ].joined(separator: "&")
    return KubeClient.serviceProxyPath(
      namespace: namespace, service: service, port: port, path: "/loki/api/v1/query_range?\(query)")
  }

  func fetch(kube: KubeClient, start: Int64, end: Int64, direction: String) async throws -> [Entry] {
    let path = path(start: start, end: end, direction: direction)
    let what = "querying Loki (\(service):\(port))"
    let response = try await kube.fetch(path, what: what)
    guard response.succeeded else {
      let error = kube.failure(response, path: path, what: what)
      if error.failure?.kind == .backendAnswered {
        // Loki's own words (a LogQL parse error, a limit), as Loki wrote them.
        let body = String(decoding: response.body.prefix(64 << 10), as: UTF8.self)
          .trimmingCharacters(in: .whitespacesAndNewlines)
        throw CommandFailure(
          "Loki answered \(response.status): \(body)",
          hint: "that is Loki's own answer; LogQL reference: https://grafana.com/docs/loki/latest/query/",
          status: .failed)
      }
      throw error
    }
    return try Self.entries(in: response.body)
  }

  /// The entries of a `query_range` answer of type `streams`.
  public static func entries(in body: [UInt8]) throws -> [Entry] {
    guard let json = try? JSONValue.decode(body) else {
      throw CommandFailure("Loki's answer is not JSON", hint: "rerun with -v to see the request", status: .failed)
    }
    guard json[path: "data", "resultType"]?.string == "streams" else {
      let type = json[path: "data", "resultType"]?.string ?? "nothing"
      throw CommandFailure(
        "the query returns \(type), not log lines",
        hint: "a metric query (rate, count_over_time, …) belongs in Grafana; give a log query such as "
          + "'{namespace=\"mathtrail\"}'", status: .usage)
    }
    var entries: [Entry] = []
    for stream in json[path: "data", "result"]?.array ?? [] {
      let labels = (stream["stream"]?.object ?? [:]).compactMapValues(\.string)
      for value in stream["values"]?.array ?? [] {
        guard let pair = value.array, pair.count >= 2, let text = pair[0].string, let stamp = Int64(text),
          let line = pair[1].string
        else { continue }
        entries.append(Entry(nanoseconds: stamp, timestamp: text, labels: labels, line: line))
      }
    }
    return entries
  }

  static func nanoseconds(_ date: Date) -> Int64 {
    let value = date.timeIntervalSince1970 * 1e9
    guard value.isFinite, value < 9e18, value > -9e18 else { return 0 }
    return Int64(value)
  }

  static func nanoseconds(_ duration: Duration) -> Int64 { KubeTransport.nanoseconds(duration) }

  /// RFC 3339 with nanoseconds, for the `timestamp` of an entry.
  public static func rfc3339(_ nanoseconds: Int64) -> String {
    let whole = LogTimestamp.secondsText(nanoseconds)
    var fraction = nanoseconds % 1_000_000_000
    if fraction < 0 { fraction += 1_000_000_000 }
    let digits = String(fraction)
    return whole.dropLast() + "." + String(repeating: "0", count: 9 - digits.count) + digits + "Z"
  }
}

extension LokiQuery {
  /// Entries as `logs` prints lines: labelled `pod/container` when Loki's labels say which
  /// (k8s-monitoring's `pod` and `container`), else by the whole label set.
  public static func render(_ entries: [Entry], formatter: LogFormatter) -> [UInt8] {
    var output: [UInt8] = []
    var heads: [String: [UInt8]] = [:]
    for entry in entries {
      let stream = LogStreamID(
        namespace: entry.labels["namespace"] ?? "", pod: entry.labels["pod"] ?? "",
        container: entry.labels["container"] ?? "", node: entry.labels["node"] ?? entry.labels["node_name"] ?? "")
      let key = identity(Entry(nanoseconds: 0, timestamp: "", labels: entry.labels, line: ""))
      var head: [UInt8]
      if let known = heads[key] {
        head = known
      } else {
        head = formatter.head(for: stream)
        if formatter.format == .text, stream.pod.isEmpty {
          let labels = entry.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }
          head = Array(("{" + labels.joined(separator: ", ") + "} ").utf8)
        }
        heads[key] = head
      }
      var timestamp = rfc3339(entry.nanoseconds)
      var line = entry.line
      timestamp.withUTF8 { stamp in
        line.withUTF8 { message in
          formatter.append(
            head: head, timestamp: UnsafeRawBufferPointer(stamp), message: UnsafeRawBufferPointer(message),
            to: &output)
        }
      }
    }
    return output
  }
}
