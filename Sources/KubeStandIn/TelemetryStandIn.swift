import Foundation
import Synchronization

/// A stand-in LGTM stack behind the API server's proxy, for `mtobs verify`: Loki, Tempo, Mimir
/// and Pyroscope answer their query APIs from what they hold, and the collector's OTLP/HTTP and
/// Zipkin receivers record every POST and, unless told not to, pass what they receive on to the
/// backends (after `ingestDelay`), so a round trip finds what was sent.
public final class TelemetryStandIn: Sendable {
  public struct LogLine: Sendable, Equatable {
    public var labels: [String: String]
    public var line: String
    public var time: Date

    public init(labels: [String: String], line: String, time: Date) {
      self.labels = labels
      self.line = line
      self.time = time
    }
  }

  public struct Trace: Sendable, Equatable {
    public var traceID: String
    public var service: String
    public var name: String
    public var time: Date

    public init(traceID: String, service: String, name: String, time: Date) {
      self.traceID = traceID
      self.service = service
      self.name = name
      self.time = time
    }
  }

  /// One POST a receiver got.
  public struct Post: Sendable, Equatable {
    /// `otlp-http` or `zipkin`.
    public var receiver: String
    public var path: String
    public var body: [UInt8]
    public var time: Date
  }

  /// What the stand-in holds; tests change it between runs.
  public struct Contents: Sendable {
    public var logs: [LogLine] = []
    public var traces: [Trace] = []
    /// PromQL query, exactly as sent → the sample values of its series (labels → value).
    public var metrics: [String: [([String: String], String)]] = [:]
    public var profileServices: [String] = []
    /// False: the receivers accept but nothing reaches the backends (an exporter failing).
    public var forwardReceived = true
    /// A receiver's answer instead of accepting (`["zipkin": 503]`: the collector refuses).
    public var refusing: [String: Int] = [:]
    /// How long a received signal takes to become visible in its backend.
    public var ingestDelay: TimeInterval = 0
    /// How long a backend (`loki`, `tempo`, `mimir`, `pyroscope`) takes to answer a query.
    public var answerDelay: [String: Duration] = [:]

    public init() {}
  }

  private struct State {
    var contents = Contents()
    var posts: [Post] = []
    /// Received signals that become visible at their time.
    var pendingLogs: [LogLine] = []
    var pendingTraces: [Trace] = []
    var pendingMetrics: [(query: String, labels: [String: String], value: String, visibleAt: Date)] = []
    var answered: [String: Int] = [:]
  }

  private let state = Mutex(State())

  public init() {}

  public func update(_ change: (inout Contents) -> Void) { state.withLock { change(&$0.contents) } }

  public var posts: [Post] { state.withLock { $0.posts } }

  /// Answers the proxy requests of each role's Service and port on `cluster`.
  public func install(
    on cluster: ClusterState, namespace: String, loki: (String, Int), tempo: (String, Int), mimir: (String, Int),
    pyroscope: (String, Int), collector: (service: String, otlpHTTP: Int, zipkin: Int)
  ) {
    cluster.setProxyHandler(namespace: namespace, name: loki.0, port: String(loki.1)) { [self] in
      self.delayed("loki", self.loki($0))
    }
    cluster.setProxyHandler(namespace: namespace, name: tempo.0, port: String(tempo.1)) { [self] in
      self.delayed("tempo", self.tempo($0))
    }
    cluster.setProxyHandler(namespace: namespace, name: mimir.0, port: String(mimir.1)) { [self] in
      self.delayed("mimir", self.mimir($0))
    }
    cluster.setProxyHandler(namespace: namespace, name: pyroscope.0, port: String(pyroscope.1)) { [self] in
      self.delayed("pyroscope", self.pyroscope($0))
    }
    cluster.setProxyHandler(namespace: namespace, name: collector.service, port: String(collector.otlpHTTP)) {
      [self] in self.receive($0, receiver: "otlp-http")
    }
    cluster.setProxyHandler(namespace: namespace, name: collector.service, port: String(collector.zipkin)) {
      [self] in self.receive($0, receiver: "zipkin")
    }
  }

  // MARK: Backends

  /// Counts the answers and adds the backend's `answerDelay`.
  private func delayed(_ backend: String, _ response: ProxyResponse?) -> ProxyResponse? {
    guard var response else { return nil }
    let delay = state.withLock { state in
      state.answered[backend, default: 0] += 1
      return state.contents.answerDelay[backend]
    }
    if let delay { response.delay = delay }
    return response
  }

  /// How many queries a backend (`loki`, …) has answered (computed; a delayed one may still be on its way).
  public func answered(_ backend: String) -> Int { state.withLock { $0.answered[backend] ?? 0 } }

  private func visible(_ now: Date) -> Contents {
    state.withLock { state in
      var contents = state.contents
      contents.logs += state.pendingLogs.filter { $0.time <= now }
      contents.traces += state.pendingTraces.filter { $0.time <= now }
      for metric in state.pendingMetrics where metric.visibleAt <= now {
        contents.metrics[metric.query, default: []].append((metric.labels, metric.value))
      }
      return contents
    }
  }

  func loki(_ request: ProxyRequest) -> ProxyResponse? {
    guard request.path == "/loki/api/v1/query_range" else { return nil }
    guard let query = request.query["query"], let selector = LogQuery(query) else {
      return .text("parse error : queries require at least one regexp or equality matcher", status: 400)
    }
    let start = request.query["start"].flatMap(Double.init).map { Date(timeIntervalSince1970: $0 / 1e9) }
    let limit = request.query["limit"].flatMap(Int.init) ?? 100
    let lines = visible(Date()).logs.filter { line in
      selector.matches(line) && start.map { line.time >= $0 } ?? true
    }.sorted { $0.time > $1.time }.prefix(limit)
    var streams: [[String: String]: [LogLine]] = [:]
    for line in lines { streams[line.labels, default: []].append(line) }
    let result: [JSONValue] = streams.map { labels, lines -> JSONValue in
      .object([
        "stream": .object(labels.mapValues { JSONValue.string($0) }),
        "values": .array(
          lines.map { line -> JSONValue in
            .array([.string(String(Int64(line.time.timeIntervalSince1970 * 1e9))), .string(line.line)])
          }),
      ])
    }
    return .json(["status": "success", "data": ["resultType": "streams", "result": .array(result)]])
  }

  func tempo(_ request: ProxyRequest) -> ProxyResponse? {
    let traces = visible(Date()).traces
    if request.path == "/api/search" {
      let start = request.query["start"].flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
      let found = traces.filter { trace in start.map { trace.time >= $0 } ?? true }.sorted { $0.time > $1.time }
      let limit = request.query["limit"].flatMap(Int.init) ?? 20
      return .json([
        "traces": .array(
          found.prefix(limit).map { trace -> JSONValue in
            [
              "traceID": .string(trace.traceID), "rootServiceName": .string(trace.service),
              "rootTraceName": .string(trace.name),
              "startTimeUnixNano": .string(String(Int64(trace.time.timeIntervalSince1970 * 1e9))),
            ]
          }),
        "metrics": ["inspectedTraces": .int(found.count)],
      ])
    }
    let prefix = "/api/traces/"
    guard request.path.hasPrefix(prefix) else { return nil }
    let id = String(request.path.dropFirst(prefix.count)).lowercased()
    guard let trace = traces.first(where: { $0.traceID.lowercased() == id }) else {
      return .text("trace not found", status: 404)
    }
    return .json([
      "batches": [
        [
          "resource": ["attributes": [["key": "service.name", "value": ["stringValue": .string(trace.service)]]]],
          "scopeSpans": [["spans": [["traceId": .string(trace.traceID), "name": .string(trace.name)]]]],
        ]
      ]
    ])
  }

  func mimir(_ request: ProxyRequest) -> ProxyResponse? {
    guard request.path == "/prometheus/api/v1/query" else { return nil }
    guard let query = request.query["query"] else {
      return .json(["status": "error", "errorType": "bad_data", "error": "invalid parameter \"query\""], status: 400)
    }
    let series = visible(Date()).metrics[query] ?? []
    let now = Date().timeIntervalSince1970
    return .json([
      "status": "success",
      "data": [
        "resultType": "vector",
        "result": .array(
          series.map { labels, value -> JSONValue in
            ["metric": .object(labels.mapValues { JSONValue.string($0) }), "value": [.double(now), .string(value)]]
          }),
      ],
    ])
  }

  func pyroscope(_ request: ProxyRequest) -> ProxyResponse? {
    guard request.method == "POST", request.path == "/querier.v1.QuerierService/LabelValues" else { return nil }
    let name = (try? JSONValue.parse(request.body))?["name"]?.string
    guard name == "service_name" else { return .json(["names": []]) }
    return .json(["names": .array(visible(Date()).profileServices.map { JSONValue.string($0) })])
  }

  // MARK: Receivers

  func receive(_ request: ProxyRequest, receiver: String) -> ProxyResponse? {
    guard request.method == "POST" else { return .text("405 method not allowed, supported: [POST]", status: 405) }
    let now = Date()
    return state.withLock { state -> ProxyResponse in
      state.posts.append(Post(receiver: receiver, path: request.path, body: request.body, time: now))
      if let status = state.contents.refusing[receiver] {
        return .text("the collector refused the data", status: status)
      }
      guard state.contents.forwardReceived else { return .json([:]) }
      let visibleAt = now.addingTimeInterval(state.contents.ingestDelay)
      let body = (try? JSONValue.parse(request.body)) ?? .null
      switch (receiver, request.path) {
      case ("zipkin", _):
        for span in body.array ?? [] {
          guard let id = span["traceId"]?.string else { continue }
          state.pendingTraces.append(
            Trace(
              traceID: id, service: span[path: "localEndpoint", "serviceName"]?.string ?? "",
              name: span["name"]?.string ?? "", time: visibleAt))
        }
      case (_, "/v1/traces"):
        for resource in body["resourceSpans"]?.array ?? [] {
          let service = Self.serviceName(resource)
          for scope in resource["scopeSpans"]?.array ?? [] {
            for span in scope["spans"]?.array ?? [] {
              guard let id = span["traceId"]?.string else { continue }
              state.pendingTraces.append(
                Trace(traceID: id, service: service, name: span["name"]?.string ?? "", time: visibleAt))
            }
          }
        }
      case (_, "/v1/logs"):
        for resource in body["resourceLogs"]?.array ?? [] {
          let service = Self.serviceName(resource)
          for scope in resource["scopeLogs"]?.array ?? [] {
            for record in scope["logRecords"]?.array ?? [] {
              guard let text = record[path: "body", "stringValue"]?.string else { continue }
              state.pendingLogs.append(
                LogLine(labels: ["service_name": service], line: text, time: visibleAt))
            }
          }
        }
      case (_, "/v1/metrics"):
        for resource in body["resourceMetrics"]?.array ?? [] {
          for scope in resource["scopeMetrics"]?.array ?? [] {
            for metric in scope["metrics"]?.array ?? [] {
              guard let name = metric["name"]?.string else { continue }
              let points = metric[path: "gauge", "dataPoints"]?.array ?? metric[path: "sum", "dataPoints"]?.array ?? []
              for point in points {
                var labels: [String: String] = [:]
                for attribute in point["attributes"]?.array ?? [] {
                  if let key = attribute["key"]?.string, let value = attribute[path: "value", "stringValue"]?.string {
                    labels[key] = value
                  }
                }
                let value: String
                if case .double(let number)? = point["asDouble"] {
                  value = String(format: "%g", number)
                } else {
                  value = point["asInt"]?.string ?? point["asDouble"]?.int.map(String.init) ?? "1"
                }
                // Found by the query `name{key="value",…}` with the labels in sorted order.
                let selector = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }
                  .joined(separator: ",")
                labels["__name__"] = name
                state.pendingMetrics.append((name + "{\(selector)}", labels, value, visibleAt))
              }
            }
          }
        }
      default:
        return .text("404 page not found\n", status: 404)
      }
      return .json([:])
    }
  }

  static func serviceName(_ resource: JSONValue) -> String {
    (resource[path: "resource", "attributes"]?.array ?? []).first { $0["key"]?.string == "service.name" }?[
      path: "value", "stringValue"]?.string ?? "unknown_service"
  }
}

/// The LogQL the stand-in Loki understands: `{a="b", c="d"}` and optionally `|= "text"`.
struct LogQuery {
  var matchers: [String: String]
  var contains: String?

  init?(_ text: String) {
    guard let open = text.firstIndex(of: "{"), let close = text.firstIndex(of: "}"), open < close else { return nil }
    var matchers: [String: String] = [:]
    for part in text[text.index(after: open)..<close].split(separator: ",") {
      let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      guard pair.count == 2 else { return nil }
      matchers[pair[0]] = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
    guard !matchers.isEmpty else { return nil }
    self.matchers = matchers
    let rest = text[text.index(after: close)...]
    if let filter = rest.range(of: "|=") {
      contains = rest[filter.upperBound...].trimmingCharacters(in: .whitespaces).trimmingCharacters(
        in: CharacterSet(charactersIn: "\"`"))
    }
  }

  func matches(_ line: TelemetryStandIn.LogLine) -> Bool {
    matchers.allSatisfy { line.labels[$0.key] == $0.value } && (contains.map { line.line.contains($0) } ?? true)
  }
}
