/// PATCH bodies: JSON merge patch (RFC 7386), JSON patch (RFC 6902), a strategic merge patch good
/// enough for what kubectl sends, and server-side apply (create, or merge into the live object).
enum Patch {
  enum Kind: Equatable {
    case json, merge, strategic, apply

    init?(contentType: String?) {
      let type = (contentType ?? "").split(separator: ";").first.map { $0.trimmingSpaces.lowercased() } ?? ""
      switch type {
      case "application/json-patch+json": self = .json
      case "application/merge-patch+json": self = .merge
      case "application/strategic-merge-patch+json": self = .strategic
      case "application/apply-patch+yaml", "application/apply-patch+json": self = .apply
      default: return nil
      }
    }
  }

  /// RFC 7386: objects merge recursively, `null` deletes, anything else replaces.
  static func merge(_ target: JSONValue?, _ patch: JSONValue) -> JSONValue {
    guard case .object(let patchMembers) = patch else { return patch }
    var result = target?.object ?? [:]
    for (key, value) in patchMembers {
      if value == .null {
        result[key] = nil
      } else {
        result[key] = merge(result[key], value)
      }
    }
    return .object(result)
  }

  /// A strategic merge patch: a merge patch that also understands kubectl's directives.
  /// Lists named in `$setElementOrder/FIELD` merge element-wise on the key those entries carry
  /// (`name`, `containerPort`, …) and take that order; `$patch: delete`/`replace`, `$retainKeys` and
  /// `$deleteFromPrimitiveList/FIELD` are honoured. Other lists are replaced, as in a merge patch.
  static func strategic(_ target: JSONValue?, _ patch: JSONValue) -> JSONValue? {
    guard case .object(var members) = patch else { return patch }
    if members["$patch"]?.string == "delete" { return nil }
    if members["$patch"]?.string == "replace" {
      members["$patch"] = nil
      return strip(.object(members))
    }
    var result = target?.object ?? [:]
    let retainKeys = members.removeValue(forKey: "$retainKeys")?.array?.compactMap(\.string)
    var orders: [String: [JSONValue]] = [:]
    var deletions: [String: [JSONValue]] = [:]
    for key in members.keys where key.hasPrefix("$") {
      let value = members.removeValue(forKey: key)
      if key.hasPrefix("$setElementOrder/") {
        orders[String(key.dropFirst("$setElementOrder/".count))] = value?.array ?? []
      } else if key.hasPrefix("$deleteFromPrimitiveList/") {
        deletions[String(key.dropFirst("$deleteFromPrimitiveList/".count))] = value?.array ?? []
      }
    }
    for (key, value) in members {
      switch value {
      case .null:
        result[key] = nil
      case .object:
        result[key] = strategic(result[key], value)
      case .array(let items) where orders[key] != nil || items.contains(where: { $0["$patch"] != nil }):
        result[key] = .array(mergeList(result[key]?.array ?? [], items, order: orders[key]))
      case .array(let items) where Self.isNamedList(items) && Self.isNamedList(result[key]?.array ?? []):
        // Lists of named objects (containers, env, volumes, ports…) merge on `name`, as their
        // patchMergeKey says for the built-in kinds.
        result[key] = .array(mergeList(result[key]?.array ?? [], items, order: nil))
      default:
        result[key] = strip(value)
      }
    }
    for (key, order) in orders where members[key] == nil {
      if let current = result[key]?.array { result[key] = .array(mergeList(current, [], order: order)) }
    }
    for (key, removed) in deletions {
      if let current = result[key]?.array { result[key] = .array(current.filter { !removed.contains($0) }) }
    }
    if let retainKeys {
      result = result.filter { retainKeys.contains($0.key) }
    }
    return .object(result)
  }

  private static func mergeList(_ current: [JSONValue], _ patch: [JSONValue], order: [JSONValue]?) -> [JSONValue] {
    let mergeKey =
      (order?.first?.object?.keys.first) ?? (patch.first?.object?.keys.first { $0 != "$patch" && $0 == "name" })
    guard let mergeKey else {
      // A primitive list: the order directive lists the final elements.
      if let order, order.allSatisfy({ $0.object == nil }) {
        var result = order
        for item in patch where !result.contains(item) { result.append(item) }
        return result
      }
      return patch.map(strip)
    }
    var result = current
    for item in patch {
      let key = item[mergeKey]
      if let index = result.firstIndex(where: { $0[mergeKey] == key && key != nil }) {
        if let merged = strategic(result[index], item) { result[index] = merged } else { result.remove(at: index) }
      } else if item["$patch"]?.string != "delete" {
        result.append(strip(item))
      }
    }
    guard let order else { return result }
    let keys = order.compactMap { $0[mergeKey] }
    let ordered = keys.compactMap { key in result.first { $0[mergeKey] == key } }
    return ordered + result.filter { item in !keys.contains { $0 == item[mergeKey] } }
  }

  private static func isNamedList(_ items: [JSONValue]) -> Bool {
    !items.isEmpty && items.allSatisfy { $0["name"]?.string != nil }
  }

  /// Removes `$`-directives from a value that is stored as is.
  private static func strip(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let members):
      return .object(members.filter { !$0.key.hasPrefix("$") }.mapValues(strip))
    case .array(let items):
      return .array(items.map(strip))
    default:
      return value
    }
  }

  /// Server-side apply, simplified: objects merge recursively, lists and scalars from the applied
  /// configuration replace the live ones. (No field ownership, so no conflicts and no removals.)
  static func apply(_ target: JSONValue?, _ applied: JSONValue) -> JSONValue {
    guard case .object(let appliedMembers) = applied, case .object(var result)? = target else { return applied }
    for (key, value) in appliedMembers {
      result[key] = value.object != nil ? apply(result[key], value) : value
    }
    return .object(result)
  }

  // MARK: RFC 6902

  struct JSONPatchError: Error { var message: String }

  static func jsonPatch(_ target: JSONValue, _ operations: JSONValue) throws(JSONPatchError) -> JSONValue {
    guard let operations = operations.array else { throw JSONPatchError(message: "a JSON patch must be an array") }
    var document = target
    for operation in operations {
      guard let op = operation["op"]?.string, let path = operation["path"]?.string else {
        throw JSONPatchError(message: "missing op or path in \(operation.serialized())")
      }
      let pointer = try parsePointer(path)
      switch op {
      case "add":
        document = try insert(document, at: pointer, value: operation["value"] ?? .null, replacing: false)
      case "replace":
        guard value(document, at: pointer) != nil else {
          throw JSONPatchError(message: "replace operation does not apply: doc is missing path: \(path)")
        }
        document = try insert(document, at: pointer, value: operation["value"] ?? .null, replacing: true)
      case "remove":
        document = try remove(document, at: pointer)
      case "test":
        guard value(document, at: pointer) == operation["value"] else {
          throw JSONPatchError(message: "testing value \(path) failed")
        }
      case "move", "copy":
        guard let fromPath = operation["from"]?.string else { throw JSONPatchError(message: "\(op) needs from") }
        let from = try parsePointer(fromPath)
        guard let moved = value(document, at: from) else { throw JSONPatchError(message: "missing path \(fromPath)") }
        if op == "move" { document = try remove(document, at: from) }
        document = try insert(document, at: pointer, value: moved, replacing: false)
      default:
        throw JSONPatchError(message: "unexpected operation \(op)")
      }
    }
    return document
  }

  private static func parsePointer(_ path: String) throws(JSONPatchError) -> [String] {
    if path.isEmpty { return [] }
    guard path.hasPrefix("/") else { throw JSONPatchError(message: "invalid JSON pointer \(path)") }
    return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
      String($0).replacing("~1", with: "/").replacing("~0", with: "~")
    }
  }

  private static func value(_ document: JSONValue, at pointer: [String]) -> JSONValue? {
    var current = document
    for token in pointer {
      switch current {
      case .object(let members):
        guard let next = members[token] else { return nil }
        current = next
      case .array(let items):
        guard let index = Int(token), items.indices.contains(index) else { return nil }
        current = items[index]
      default:
        return nil
      }
    }
    return current
  }

  private static func insert(
    _ document: JSONValue, at pointer: [String], value: JSONValue, replacing: Bool
  ) throws(JSONPatchError)
    -> JSONValue
  {
    guard let token = pointer.first else { return value }
    let rest = Array(pointer.dropFirst())
    switch document {
    case .object(var members):
      if rest.isEmpty {
        members[token] = value
      } else {
        guard let child = members[token] else { throw JSONPatchError(message: "missing path segment \(token)") }
        members[token] = try insert(child, at: rest, value: value, replacing: replacing)
      }
      return .object(members)
    case .array(var items):
      if rest.isEmpty {
        if token == "-" {
          items.append(value)
        } else if let index = Int(token), index >= 0, index <= items.count {
          if replacing {
            guard index < items.count else { throw JSONPatchError(message: "index \(index) out of range") }
            items[index] = value
          } else {
            items.insert(value, at: index)
          }
        } else {
          throw JSONPatchError(message: "bad array index \(token)")
        }
      } else {
        guard let index = Int(token), items.indices.contains(index) else {
          throw JSONPatchError(message: "bad array index \(token)")
        }
        items[index] = try insert(items[index], at: rest, value: value, replacing: replacing)
      }
      return .array(items)
    default:
      throw JSONPatchError(message: "cannot descend into a scalar at \(token)")
    }
  }

  private static func remove(_ document: JSONValue, at pointer: [String]) throws(JSONPatchError) -> JSONValue {
    guard let token = pointer.first else { throw JSONPatchError(message: "cannot remove the whole document") }
    let rest = Array(pointer.dropFirst())
    switch document {
    case .object(var members):
      guard let child = members[token] else {
        throw JSONPatchError(message: "remove operation does not apply: doc is missing path")
      }
      // Not `members[token] = rest.isEmpty ? nil : …`: JSONValue takes the nil literal as
      // `null`, which kept the key with a null value.
      if rest.isEmpty { members.removeValue(forKey: token) } else { members[token] = try remove(child, at: rest) }
      return .object(members)
    case .array(var items):
      guard let index = Int(token), items.indices.contains(index) else {
        throw JSONPatchError(message: "bad array index \(token)")
      }
      if rest.isEmpty { items.remove(at: index) } else { items[index] = try remove(items[index], at: rest) }
      return .array(items)
    default:
      throw JSONPatchError(message: "cannot descend into a scalar at \(token)")
    }
  }
}
