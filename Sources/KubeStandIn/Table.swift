import Foundation

/// Server-side printing: `meta.k8s.io/v1` `Table` answers for clients that ask for them
/// (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`, what plain `kubectl get` sends).
/// Columns follow the real server for common kinds; other kinds get NAME and AGE like custom resources.
enum Table {
  static func wanted(accept: String?) -> Bool {
    guard let accept else { return false }
    return accept.split(separator: ",").first.map { $0.contains("as=Table") } ?? false
  }

  struct Column {
    var name: String
    var type: String
    var format = ""
    var priority = 0
    var cell: (JSONValue) -> JSONValue
  }

  static func table(
    _ objects: [JSONValue], type: ResourceType, resourceVersion: String, includeObject: String?,
    withColumns: Bool = true,
    continueToken: String? = nil
  ) -> JSONValue {
    let columns = columns(for: type)
    let rows = objects.map { object -> JSONValue in
      var row: JSONValue = ["cells": .array(columns.map { $0.cell(object) })]
      switch includeObject {
      case "None": break
      case "Object": row["object"] = object
      default:
        row["object"] = [
          "kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": object["metadata"] ?? [:],
        ]
      }
      return row
    }
    var metadata: JSONValue = ["resourceVersion": .string(resourceVersion)]
    if let continueToken { metadata["continue"] = .string(continueToken) }
    var table: JSONValue = [
      "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": metadata, "rows": .array(rows),
    ]
    table["columnDefinitions"] =
      withColumns
      ? .array(
        columns.map {
          [
            "name": .string($0.name), "type": .string($0.type), "format": .string($0.format), "description": "",
            "priority": .int($0.priority),
          ]
        }) : .array([])
    return table
  }

  private static func name(_ object: JSONValue) -> JSONValue { object[path: "metadata", "name"] ?? "" }
  private static func age(_ object: JSONValue) -> JSONValue {
    .string(humanAge(since: object[path: "metadata", "creationTimestamp"]?.string.flatMap(RFC3339.parse)))
  }
  private static func int(_ value: JSONValue?) -> Int { value?.int ?? 0 }

  static func columns(for type: ResourceType) -> [Column] {
    let nameColumn = Column(name: "Name", type: "string", format: "name", cell: name)
    let ageColumn = Column(name: "Age", type: "string", cell: age)
    switch (type.group, type.kind) {
    case ("", "Pod"):
      return [
        nameColumn,
        Column(name: "Ready", type: "string") { pod in
          let statuses = pod[path: "status", "containerStatuses"]?.array ?? []
          let total = pod[path: "spec", "containers"]?.array?.count ?? statuses.count
          return .string("\(statuses.filter { $0["ready"]?.bool == true }.count)/\(total)")
        },
        Column(name: "Status", type: "string") { pod in
          if pod[path: "metadata", "deletionTimestamp"] != nil { return "Terminating" }
          for status in pod[path: "status", "containerStatuses"]?.array ?? [] {
            if let reason = status[path: "state", "waiting", "reason"]?.string { return .string(reason) }
            if let reason = status[path: "state", "terminated", "reason"]?.string { return .string(reason) }
          }
          return pod[path: "status", "phase"] ?? "Unknown"
        },
        Column(name: "Restarts", type: "string") { pod in
          .string(
            String((pod[path: "status", "containerStatuses"]?.array ?? []).reduce(0) { $0 + int($1["restartCount"]) }))
        },
        ageColumn,
        Column(name: "IP", type: "string", priority: 1) { $0[path: "status", "podIP"] ?? "<none>" },
        Column(name: "Node", type: "string", priority: 1) { $0[path: "spec", "nodeName"] ?? "<none>" },
      ]
    case ("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "ReplicaSet"):
      return [
        nameColumn,
        Column(name: "Ready", type: "string") { object in
          .string("\(int(object[path: "status", "readyReplicas"]))/\(object[path: "spec", "replicas"]?.int ?? 1)")
        },
        Column(name: "Up-to-date", type: "integer") { .int(int($0[path: "status", "updatedReplicas"])) },
        Column(name: "Available", type: "integer") { .int(int($0[path: "status", "availableReplicas"])) },
        ageColumn,
      ]
    case ("apps", "DaemonSet"):
      return [
        nameColumn,
        Column(name: "Desired", type: "integer") { .int(int($0[path: "status", "desiredNumberScheduled"])) },
        Column(name: "Current", type: "integer") { .int(int($0[path: "status", "currentNumberScheduled"])) },
        Column(name: "Ready", type: "integer") { .int(int($0[path: "status", "numberReady"])) },
        Column(name: "Up-to-date", type: "integer") { .int(int($0[path: "status", "updatedNumberScheduled"])) },
        Column(name: "Available", type: "integer") { .int(int($0[path: "status", "numberAvailable"])) },
        ageColumn,
      ]
    case ("", "Service"):
      return [
        nameColumn,
        Column(name: "Type", type: "string") { $0[path: "spec", "type"] ?? "ClusterIP" },
        Column(name: "Cluster-IP", type: "string") { $0[path: "spec", "clusterIP"] ?? "<none>" },
        Column(name: "External-IP", type: "string") { _ in "<none>" },
        Column(name: "Port(s)", type: "string") { service in
          let ports = (service[path: "spec", "ports"]?.array ?? []).map { port in
            "\(port["port"]?.int ?? 0)/\(port["protocol"]?.string ?? "TCP")"
          }
          return .string(ports.isEmpty ? "<none>" : ports.joined(separator: ","))
        },
        ageColumn,
      ]
    case ("", "Namespace"):
      return [
        nameColumn, Column(name: "Status", type: "string") { $0[path: "status", "phase"] ?? "Active" }, ageColumn,
      ]
    case ("", "ConfigMap"), ("", "Secret"):
      return [nameColumn, Column(name: "Data", type: "integer") { .int($0["data"]?.object?.count ?? 0) }, ageColumn]
    default:
      return [nameColumn, ageColumn]
    }
  }
}
