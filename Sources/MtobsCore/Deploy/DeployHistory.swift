import Foundation

/// One deploy as recorded in the cluster: what was deployed, from which commit, by whom, and how it ended.
public struct DeployRecord: Sendable, Equatable, Codable {
  public enum Outcome: String, Sendable, Equatable, Codable {
    case succeeded, failed, interrupted
  }

  public var time: String
  public var user: String
  public var context: String
  public var namespace: String
  public var profile: String
  public var tool: DeployTool
  /// The skaffold.yaml deployed.
  public var source: String
  public var commit: String?
  public var branch: String?
  public var dirty: Bool?
  public var outcome: Outcome
  public var message: String?
  public var mtobsVersion: String

  public init(
    time: String, user: String, context: String, namespace: String, profile: String, tool: DeployTool, source: String,
    commit: String?, branch: String?, dirty: Bool?, outcome: Outcome, message: String?, mtobsVersion: String
  ) {
    self.time = time
    self.user = user
    self.context = context
    self.namespace = namespace
    self.profile = profile
    self.tool = tool
    self.source = source
    self.commit = commit
    self.branch = branch
    self.dirty = dirty
    self.outcome = outcome
    self.message = message
    self.mtobsVersion = mtobsVersion
  }
}

/// One entry of the history: a record this mtobs understands, or one it does not (written by
/// another version, or edited by hand), kept as stored so that rewriting the history never loses it.
public enum DeployHistoryEntry: Sendable, Equatable, Encodable {
  case record(DeployRecord)
  case unreadable(JSONValue)

  /// Encodes as stored: an unreadable entry is written back exactly as it was read.
  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .record(let record): try record.encode(to: encoder)
    case .unreadable(let raw): try raw.encode(to: encoder)
    }
  }

  public var record: DeployRecord? {
    if case .record(let record) = self { return record }
    return nil
  }
}

/// The `mtobs-deployments` ConfigMap in the stack namespace: the last deploys, newest first (pure).
public enum DeployHistory {
  public static let configMapName = "mtobs-deployments"
  public static let dataKey = "deployments.json"
  public static let limit = 20

  /// The entries in a ConfigMap as kubectl returned it; an absent one holds none. Entries this
  /// version cannot decode are kept as `.unreadable`, and a data value that is not a JSON list is
  /// kept whole as one unreadable entry (a string), so nothing is dropped on the next write.
  public static func entries(in configMap: KubeObject?) -> [DeployHistoryEntry] {
    guard let text = configMap?.raw[path: "data", dataKey]?.string else { return [] }
    guard let list = (try? JSONValue.decode(Array(text.utf8)))?.array else {
      return text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? [] : [.unreadable(.string(text))]
    }
    return list.map(entry)
  }

  static func entry(_ raw: JSONValue) -> DeployHistoryEntry {
    guard let data = try? JSONEncoder().encode(raw),
      let record = try? JSONDecoder().decode(DeployRecord.self, from: data)
    else {
      return .unreadable(raw)
    }
    return .record(record)
  }

  /// The `resourceVersion` of the ConfigMap as read, for a write that must not overwrite a newer one.
  public static func resourceVersion(of configMap: KubeObject?) -> String? {
    configMap?.raw[path: "metadata", "resourceVersion"]?.string
  }

  public static func adding(_ record: DeployRecord, to entries: [DeployHistoryEntry]) -> [DeployHistoryEntry] {
    Array(([.record(record)] + entries).prefix(limit))
  }

  /// The ConfigMap to write, as JSON for `kubectl create -f -` (no `resourceVersion`) or
  /// `kubectl replace -f -` (with the `resourceVersion` read, so a concurrent write makes it fail).
  public static func configMap(
    entries: [DeployHistoryEntry], namespace: String, resourceVersion: String? = nil
  ) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = String(decoding: try encoder.encode(entries), as: UTF8.self)
    var metadata: [String: JSONValue] = [
      "name": .string(configMapName),
      "namespace": .string(namespace),
      "labels": .object(["app.kubernetes.io/managed-by": .string("mtobs")]),
    ]
    if let resourceVersion { metadata["resourceVersion"] = .string(resourceVersion) }
    let manifest: JSONValue = .object([
      "apiVersion": .string("v1"),
      "kind": .string("ConfigMap"),
      "metadata": .object(metadata),
      "data": .object([dataKey: .string(data)]),
    ])
    return Array(try encoder.encode(manifest))
  }

  public static func table(_ entries: [DeployHistoryEntry]) -> String {
    let rows = entries.map { entry in
      switch entry {
      case .record(let record):
        [
          record.time, record.outcome.rawValue, record.profile.isEmpty ? "(default)" : record.profile, record.context,
          record.commit.map { String($0.prefix(12)) + (record.dirty == true ? "+dirty" : "") } ?? "-",
          record.branch ?? "-", record.user, record.tool.rawValue,
        ]
      case .unreadable(let raw):
        // Whatever fields are readable, and the outcome marked as not understood by this version.
        [
          raw["time"]?.string ?? "-", (raw["outcome"]?.string).map { "\($0) (unknown)" } ?? "(unreadable)",
          raw["profile"]?.string ?? "-", raw["context"]?.string ?? "-",
          raw["commit"]?.string.map { String($0.prefix(12)) } ?? "-", raw["branch"]?.string ?? "-",
          raw["user"]?.string ?? "-", raw["tool"]?.string ?? "-",
        ]
      }
    }
    let table = TextTable.render(
      header: ["TIME", "RESULT", "PROFILE", "CONTEXT", "COMMIT", "BRANCH", "USER", "TOOL"], rows: rows)
    let unreadable = entries.filter { $0.record == nil }.count
    guard unreadable > 0 else { return table }
    return table
      + "\n\(unreadable) record(s) not understood by this mtobs (written by another version?) are kept as stored;"
      + " `-o json` shows them whole"
  }
}
