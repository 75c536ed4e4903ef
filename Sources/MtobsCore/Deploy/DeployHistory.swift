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

/// The `mtobs-deployments` ConfigMap in the stack namespace: the last deploys, newest first (pure).
public enum DeployHistory {
  public static let configMapName = "mtobs-deployments"
  public static let dataKey = "deployments.json"
  public static let limit = 20

  /// The records in a ConfigMap as kubectl returned it; an absent or unreadable one holds none.
  public static func records(in configMap: KubeObject?) -> [DeployRecord] {
    guard let text = configMap?.raw[path: "data", dataKey]?.string else { return [] }
    return (try? JSONDecoder().decode([DeployRecord].self, from: Data(text.utf8))) ?? []
  }

  public static func adding(_ record: DeployRecord, to records: [DeployRecord]) -> [DeployRecord] {
    Array(([record] + records).prefix(limit))
  }

  /// The ConfigMap to apply, as JSON for `kubectl apply -f -`.
  public static func configMap(records: [DeployRecord], namespace: String) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = String(decoding: try encoder.encode(records), as: UTF8.self)
    let manifest: JSONValue = .object([
      "apiVersion": .string("v1"),
      "kind": .string("ConfigMap"),
      "metadata": .object([
        "name": .string(configMapName),
        "namespace": .string(namespace),
        "labels": .object(["app.kubernetes.io/managed-by": .string("mtobs")]),
      ]),
      "data": .object([dataKey: .string(data)]),
    ])
    return Array(try encoder.encode(manifest))
  }

  public static func table(_ records: [DeployRecord]) -> String {
    let rows = records.map { record in
      [
        record.time, record.outcome.rawValue, record.profile.isEmpty ? "(default)" : record.profile, record.context,
        record.commit.map { String($0.prefix(12)) + (record.dirty == true ? "+dirty" : "") } ?? "-",
        record.branch ?? "-", record.user, record.tool.rawValue,
      ]
    }
    return TextTable.render(
      header: ["TIME", "RESULT", "PROFILE", "CONTEXT", "COMMIT", "BRANCH", "USER", "TOOL"], rows: rows)
  }
}
