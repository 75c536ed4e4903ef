/// Watches: the change history and the live subscribers behind `?watch=true`.
///
/// Every change is kept (up to `Storage.historyLimit`) so that a watch starting from the
/// resourceVersion of an earlier list (what `kubectl get -w`, `kubectl wait` and `rollout status` do)
/// sees exactly the changes made since, like a real server.

/// One event as sent on a watch stream: `{"type":"ADDED","object":{…}}`.
struct WatchEvent: Sendable, Equatable {
  var type: String
  var object: JSONValue

  var json: JSONValue { ["type": .string(type), "object": object] }
}

struct ChangeEvent: Sendable {
  enum Kind: Sendable { case added, modified, deleted }
  var revision: Int
  var typeKey: String
  var kind: Kind
  var old: JSONValue?
  var new: JSONValue
}

/// Which objects a watch (or list) is about.
struct ObjectFilter: Sendable {
  var type: ResourceType
  var namespace: String?
  var labels: LabelSelector
  var fields: FieldSelector

  func matches(_ object: JSONValue) -> Bool {
    if let namespace, type.namespaced, object[path: "metadata", "namespace"]?.string != namespace { return false }
    return labels.matches(object.labels) && fields.matches(object)
  }

  /// What a subscriber with this filter sees of a change (objects moving in or out count as ADDED/DELETED).
  func translate(_ event: ChangeEvent) -> WatchEvent? {
    guard event.typeKey == Storage.typeKey(type) else { return nil }
    switch event.kind {
    case .added:
      return matches(event.new) ? WatchEvent(type: "ADDED", object: event.new) : nil
    case .deleted:
      return matches(event.old ?? event.new) ? WatchEvent(type: "DELETED", object: event.new) : nil
    case .modified:
      switch (event.old.map(matches) ?? false, matches(event.new)) {
      case (true, true): return WatchEvent(type: "MODIFIED", object: event.new)
      case (false, true): return WatchEvent(type: "ADDED", object: event.new)
      case (true, false): return WatchEvent(type: "DELETED", object: event.new)
      case (false, false): return nil
      }
    }
  }
}

struct Watcher: Sendable {
  var filter: ObjectFilter
  /// Called with the lock held, in change order; must only hand the event on (e.g. to an event loop).
  var sink: @Sendable (WatchEvent) -> Void
}

extension Storage {
  mutating func record(_ event: ChangeEvent) {
    history.append(event)
    if history.count > Self.historyLimit {
      history.removeFirst(history.count - Self.historyLimit + 1000)
      historyFloor = (history.first?.revision ?? revision) - 1
    }
    for watcher in watchers.values {
      if let translated = watcher.filter.translate(event) { watcher.sink(translated) }
    }
  }
}

extension ClusterState {
  /// Starts a watch: returns the events to send first and an id for `stopWatch`. Later matching
  /// changes go to `sink` (called with the state's lock held, in order).
  ///
  /// - `resourceVersion` nil, "" or "0": ADDED for every current object first (like the real server).
  /// - a revision: the changes after it (410 Expired if they are no longer known).
  /// - `sendInitialEvents`: ADDED for current objects, then a BOOKMARK marking the end of them.
  func startWatch(
    _ filter: ObjectFilter, resourceVersion: String?, sendInitialEvents: Bool,
    sink: @escaping @Sendable (WatchEvent) -> Void
  ) throws(APIError) -> (initial: [WatchEvent], id: Int) {
    try withStorage { storage throws(APIError) in
      var initial: [WatchEvent] = []
      let from = resourceVersion.flatMap { Int($0) } ?? 0
      if sendInitialEvents || from == 0 {
        initial = storage.list(filter.type, namespace: filter.namespace).filter(filter.matches).map {
          WatchEvent(type: "ADDED", object: $0)
        }
        if sendInitialEvents {
          let bookmark: JSONValue = [
            "kind": .string(filter.type.kind), "apiVersion": .string(filter.type.apiVersion),
            "metadata": [
              "resourceVersion": .string(String(storage.revision)),
              "annotations": ["k8s.io/initial-events-end": "true"],
            ],
          ]
          initial.append(WatchEvent(type: "BOOKMARK", object: bookmark))
        }
      } else {
        if from < storage.historyFloor {
          throw APIError(
            code: 410, reason: "Expired", message: "too old resource version: \(from) (\(storage.historyFloor + 1))")
        }
        initial = storage.history.filter { $0.revision > from }.compactMap(filter.translate)
      }
      let id = storage.nextSubscriberID
      storage.nextSubscriberID += 1
      storage.watchers[id] = Watcher(filter: filter, sink: sink)
      return (initial, id)
    }
  }

  func stopWatch(_ id: Int) {
    _ = withStorage { $0.watchers.removeValue(forKey: id) }
  }

  /// How many watch and log-follow streams are open (for tests that check nothing leaks).
  public var openStreamCount: Int {
    withStorage { $0.watchers.count + $0.logFollowers.count }
  }
}

extension Router {
  /// `?watch=true` on a list path: a chunked stream of `{"type":…,"object":…}` lines.
  func watch(_ request: APIRequest, info: RequestInfo, type: ResourceType) throws(APIError) -> Reply {
    let filter = try filter(request, info: info, type: type)
    let asTable = Table.wanted(accept: request.header("accept"))
    let includeObject = request.query["includeObject"]
    let timeout = request.query["timeoutSeconds"].flatMap { Int($0) }.map { Duration.seconds($0) }
    let resourceVersion = request.query["resourceVersion"]
    let sendInitialEvents = request.query["sendInitialEvents"].map(isTrue) ?? false
    let state = self.state
    let encode: @Sendable (WatchEvent) -> [UInt8] = { event in
      var event = event
      if asTable, event.type != "BOOKMARK", event.type != "ERROR" {
        event.object = Table.table(
          [event.object], type: type, resourceVersion: event.object[path: "metadata", "resourceVersion"]?.string ?? "",
          includeObject: includeObject)
      }
      return event.json.jsonBytes + [UInt8(ascii: "\n")]
    }
    return .stream(
      StreamPlan(contentType: "application/json", timeout: timeout) { emit throws(APIError) in
        let (initial, id) = try state.startWatch(
          filter, resourceVersion: resourceVersion, sendInitialEvents: sendInitialEvents
        ) {
          event in emit(.data(encode(event)))
        }
        return (initial.map(encode), { state.stopWatch(id) })
      })
  }
}
