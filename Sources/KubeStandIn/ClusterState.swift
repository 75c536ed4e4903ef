import Foundation
import Synchronization

/// The stand-in cluster's contents: objects, the kinds they belong to, canned proxy answers and pod logs.
///
/// Thread-safe (one lock); share one instance between a test and its server. Changes made here are
/// seen by watches immediately, exactly like changes made through the API.
///
/// Objects loaded through this Swift API keep the `uid`, `creationTimestamp` and `generation` they carry
/// (missing ones are filled in); `resourceVersion` is always assigned afresh. Namespaces that objects
/// refer to are created on the fly unless `autoCreateNamespaces` is false.
public final class ClusterState: Sendable {
  /// The namespaces a new cluster has.
  public static let defaultNamespaces = ["default", "kube-node-lease", "kube-public", "kube-system"]

  let storage: Mutex<Storage>

  /// Runs `body` with the storage locked (the one way other files reach it).
  func withStorage<Result: Sendable, E: Error>(_ body: (inout Storage) throws(E) -> Result) throws(E) -> Result {
    try storage.withLock { (storage: inout sending Storage) throws(E) -> sending Result in try body(&storage) }
  }

  public init(
    namespaces: [String] = ClusterState.defaultNamespaces, types: [ResourceType] = [], autoCreateNamespaces: Bool = true
  ) {
    var storage = Storage()
    storage.autoCreateNamespaces = autoCreateNamespaces
    for type in types { storage.registry.register(type) }
    for namespace in namespaces { storage.ensureNamespace(namespace) }
    self.storage = Mutex(storage)
  }

  /// A state holding the objects of a YAML (or JSON) text: several documents and `kind: List` are fine.
  public convenience init(yaml: String) throws {
    self.init()
    try load(yaml: yaml)
  }

  // MARK: Loading

  /// Adds (or replaces) every object of a YAML or JSON text; several documents and `kind: List` are fine.
  public func load(yaml: String) throws {
    try add(JSONValue.parseYAMLDocuments(yaml))
  }

  /// Adds every object of a YAML or JSON file.
  public func load(contentsOfFile path: String) throws {
    try load(yaml: String(contentsOfFile: path, encoding: .utf8))
  }

  /// Adds or replaces objects; `kind: List` (and `*List`) values are unpacked.
  public func add(_ objects: [JSONValue]) throws {
    for object in objects { try add(object) }
  }

  /// Adds or replaces one object (a `kind: List` is unpacked), sending ADDED or MODIFIED to watchers.
  public func add(_ object: JSONValue) throws {
    guard let kind = object["kind"]?.string, !kind.isEmpty else {
      throw StandInError("an object has no kind: \(object.serialized().prefix(200))")
    }
    if kind == "List" || (kind.hasSuffix("List") && object["items"]?.array != nil) {
      try add(object["items"]?.array ?? [])
      return
    }
    guard let apiVersion = object["apiVersion"]?.string, !apiVersion.isEmpty else {
      throw StandInError("\(kind) has no apiVersion")
    }
    guard let name = object[path: "metadata", "name"]?.string, !name.isEmpty else {
      throw StandInError("a \(kind) has no metadata.name")
    }
    storage.withLock { storage in
      let namespace = object[path: "metadata", "namespace"]?.string ?? ""
      let type = storage.registry.typeFor(apiVersion: apiVersion, kind: kind, namespaced: !namespace.isEmpty)
      let effectiveNamespace = type.namespaced ? (namespace.isEmpty ? "default" : namespace) : ""
      if type.namespaced, storage.autoCreateNamespaces { storage.ensureNamespace(effectiveNamespace) }
      let existing = storage.object(type, namespace: effectiveNamespace, name: name)
      var stored = object
      stored["apiVersion"] = .string(type.apiVersion)
      Storage.fillMetadata(&stored, type: type, namespace: effectiveNamespace, previous: existing)
      storage.commit(type, stored, previous: existing)
    }
  }

  /// Registers a kind (for custom resources without a CustomResourceDefinition object).
  public func register(_ type: ResourceType) {
    storage.withLock { $0.registry.register(type) }
  }

  /// Every kind discovery currently advertises.
  public var resourceTypes: [ResourceType] { storage.withLock { $0.registry.types } }

  // MARK: Reading and changing

  /// Objects of a kind (all kinds when nil), in one namespace or all; sorted by namespace and name.
  public func objects(kind: String? = nil, apiVersion: String? = nil, namespace: String? = nil) -> [JSONValue] {
    storage.withLock { storage in
      storage.registry.types.filter { type in
        (kind == nil || type.kind == kind || type.plural == kind)
          && (apiVersion == nil || type.apiVersion == apiVersion)
      }.flatMap { storage.list($0, namespace: namespace) }
    }
  }

  /// One object; `namespace` nil means "default" for namespaced kinds.
  public func object(kind: String, name: String, namespace: String? = nil, apiVersion: String? = nil) -> JSONValue? {
    storage.withLock { storage in
      guard let type = storage.registry.lookup(kind: kind, apiVersion: apiVersion) else { return nil }
      return storage.object(type, namespace: type.namespaced ? namespace ?? "default" : "", name: name)
    }
  }

  /// Changes one object in place (watchers see MODIFIED). Throws when it does not exist.
  @discardableResult
  public func modify(
    kind: String, name: String, namespace: String? = nil, apiVersion: String? = nil,
    _ change: (inout JSONValue) throws -> Void
  ) throws -> JSONValue {
    try storage.withLock { storage in
      guard let type = storage.registry.lookup(kind: kind, apiVersion: apiVersion) else {
        throw StandInError("unknown kind \(kind)")
      }
      let namespace = type.namespaced ? namespace ?? "default" : ""
      guard let existing = storage.object(type, namespace: namespace, name: name) else {
        throw StandInError("\(type.qualifiedName) \"\(name)\" not found")
      }
      var changed = existing
      try change(&changed)
      Storage.fillMetadata(&changed, type: type, namespace: namespace, previous: existing)
      return storage.commit(type, changed, previous: existing)
    }
  }

  /// Deletes one object (watchers see DELETED); returns it, or nil when there was none.
  @discardableResult
  public func remove(kind: String, name: String, namespace: String? = nil, apiVersion: String? = nil) -> JSONValue? {
    storage.withLock { storage in
      guard let type = storage.registry.lookup(kind: kind, apiVersion: apiVersion) else { return nil }
      return storage.delete(type, namespace: type.namespaced ? namespace ?? "default" : "", name: name)
    }
  }

  /// The current resource version (the revision of the latest change).
  public var resourceVersion: String { storage.withLock { String($0.revision) } }

  /// The `gitVersion` `/version` reports (default `v1.32.4`). Note: the gcloud kubectl dispatcher picks
  /// its kubectl binary by this minor version.
  public var serverVersion: String {
    get { storage.withLock { $0.serverVersion } }
    set { storage.withLock { $0.serverVersion = newValue } }
  }

  // MARK: Export

  /// Every object (namespaces first, then in discovery order).
  public func allObjects() -> [JSONValue] { objects() }

  /// All objects as one `kind: List` value.
  public func exportList() -> JSONValue {
    ["apiVersion": "v1", "kind": "List", "metadata": ["resourceVersion": ""], "items": .array(allObjects())]
  }
}

/// A misuse of the Swift API or a malformed state file.
public struct StandInError: Error, Sendable, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

// MARK: - Storage

/// Everything behind the lock.
struct Storage: Sendable {
  var registry = TypeRegistry()
  /// "group/plural" → "namespace/name" → object.
  var objects: [String: [String: JSONValue]] = [:]
  var revision = 1
  var autoCreateNamespaces = true
  var serverVersion = "v1.32.4"
  var history: [ChangeEvent] = []
  /// Changes at or below this revision are no longer in `history`.
  var historyFloor = 0
  var watchers: [Int: Watcher] = [:]
  var nextSubscriberID = 1
  var proxyAnswers: [ProxyAnswer] = []
  var proxyHandlers: [ProxyHandlerEntry] = []
  var logs: [LogKey: [LogLine]] = [:]
  var logFollowers: [Int: LogFollower] = [:]

  static let historyLimit = 10_000
  /// Kinds whose objects carry no `metadata.generation` on a real server.
  static let kindsWithoutGeneration: Set<String> = [
    "ConfigMap", "Secret", "Event", "Endpoints", "ServiceAccount", "Namespace", "Node", "Pod", "Service",
    "PersistentVolumeClaim", "PersistentVolume",
  ]

  static func typeKey(_ type: ResourceType) -> String { "\(type.group)/\(type.plural)" }
  static func objectKey(namespace: String, name: String) -> String { "\(namespace)/\(name)" }

  func object(_ type: ResourceType, namespace: String, name: String) -> JSONValue? {
    objects[Self.typeKey(type)]?[Self.objectKey(namespace: namespace, name: name)]
  }

  /// Objects of one kind, in one namespace (nil: all), sorted like etcd keys.
  func list(_ type: ResourceType, namespace: String?) -> [JSONValue] {
    guard let all = objects[Self.typeKey(type)] else { return [] }
    let prefix = namespace.map { "\($0)/" }
    return all.keys.sorted().compactMap { key in
      if let prefix, type.namespaced, !key.hasPrefix(prefix) { return nil }
      return all[key]
    }
  }

  mutating func ensureNamespace(_ name: String) {
    let type = registry.type(group: "", plural: "namespaces")!
    guard object(type, namespace: "", name: name) == nil else { return }
    var namespace: JSONValue = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
    Self.fillMetadata(&namespace, type: type, namespace: "", previous: nil)
    commit(type, namespace, previous: nil)
  }

  /// Sets identity fields: kind/apiVersion, namespace, uid, creationTimestamp, generation.
  static func fillMetadata(_ object: inout JSONValue, type: ResourceType, namespace: String, previous: JSONValue?) {
    object["kind"] = .string(type.kind)
    object["apiVersion"] = .string(type.apiVersion)
    var metadata = object["metadata"]?.object ?? [:]
    if type.namespaced { metadata["namespace"] = .string(namespace) } else { metadata["namespace"] = nil }
    if metadata["uid"]?.string?.isEmpty ?? true {
      metadata["uid"] = previous?[path: "metadata", "uid"] ?? .string(UUID().uuidString.lowercased())
    }
    if metadata["creationTimestamp"]?.string?.isEmpty ?? true {
      metadata["creationTimestamp"] =
        previous?[path: "metadata", "creationTimestamp"] ?? .string(RFC3339.seconds(Date()))
    }
    if !type.group.isEmpty || !kindsWithoutGeneration.contains(type.kind) {
      let old = previous?[path: "metadata", "generation"]?.int
      let provided = metadata["generation"]?.int
      if let provided, provided != old {
        metadata["generation"] = .int(provided)  // set explicitly by the caller: keep it
      } else if let old {
        metadata["generation"] = .int(previous?["spec"] != object["spec"] ? old + 1 : old)
      } else {
        metadata["generation"] = 1
      }
    }
    if type.kind == "Namespace", type.group.isEmpty {
      var labels = metadata["labels"]?.object ?? [:]
      labels["kubernetes.io/metadata.name"] = .string(metadata["name"]?.string ?? "")
      metadata["labels"] = .object(labels)
      if object[path: "status", "phase"] == nil { object[path: "status", "phase"] = "Active" }
      if object[path: "spec", "finalizers"] == nil { object[path: "spec", "finalizers"] = ["kubernetes"] }
    }
    object["metadata"] = .object(metadata)
  }

  /// Stores a new version of an object under a fresh resourceVersion and tells watchers.
  @discardableResult
  mutating func commit(_ type: ResourceType, _ object: JSONValue, previous: JSONValue?) -> JSONValue {
    revision += 1
    var stored = object
    stored[path: "metadata", "resourceVersion"] = .string(String(revision))
    let namespace = stored[path: "metadata", "namespace"]?.string ?? ""
    let name = stored[path: "metadata", "name"]?.string ?? ""
    objects[Self.typeKey(type), default: [:]][Self.objectKey(namespace: namespace, name: name)] = stored
    if type.kind == "CustomResourceDefinition", type.group == "apiextensions.k8s.io",
      let declared = ResourceType.from(customResourceDefinition: stored)
    {
      registry.register(declared)
    }
    record(
      ChangeEvent(
        revision: revision, typeKey: Self.typeKey(type), kind: previous == nil ? .added : .modified, old: previous,
        new: stored))
    return stored
  }

  /// Deletes an object (and, for a namespace, everything in it). Returns the deleted object.
  mutating func delete(_ type: ResourceType, namespace: String, name: String) -> JSONValue? {
    let key = Self.objectKey(namespace: namespace, name: name)
    guard let existing = objects[Self.typeKey(type)]?[key] else { return nil }
    objects[Self.typeKey(type)]?[key] = nil
    revision += 1
    var gone = existing
    gone[path: "metadata", "resourceVersion"] = .string(String(revision))
    record(ChangeEvent(revision: revision, typeKey: Self.typeKey(type), kind: .deleted, old: existing, new: gone))
    if type.kind == "Namespace", type.group.isEmpty {
      for inner in registry.types where inner.namespaced {
        for object in list(inner, namespace: name) {
          _ = delete(inner, namespace: name, name: object[path: "metadata", "name"]?.string ?? "")
        }
      }
    }
    return gone
  }
}

extension TypeRegistry {
  /// A kind by name (`Pod`, `pods`, `pod` or a short name), optionally pinned to an apiVersion.
  func lookup(kind: String, apiVersion: String?) -> ResourceType? {
    let candidates = types.filter { apiVersion == nil || $0.apiVersion == apiVersion }
    return candidates.first { $0.kind == kind } ?? candidates.first { $0.plural == kind || $0.singular == kind }
      ?? candidates.first { $0.shortNames.contains(kind) }
      ?? candidates.first { $0.kind.lowercased() == kind.lowercased() }
  }
}

extension JSONValue {
  /// `metadata.labels` as strings.
  var labels: [String: String] {
    (self[path: "metadata", "labels"]?.object ?? [:]).compactMapValues { $0.string }
  }
}
