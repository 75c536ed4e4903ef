import Foundation

/// The REST verbs on objects: list, get, create, update, patch, delete, deletecollection.
extension Router {
  func resource(_ request: APIRequest, info: RequestInfo, type: ResourceType) throws(APIError) -> Reply {
    if !type.namespaced, info.namespace != nil { throw .pathNotFound }
    if type.namespaced, info.namespace == nil, info.name != nil { throw .pathNotFound }
    if type.verbs == ["create"] {
      guard info.verb == "create" else { throw .methodNotAllowed }
      return .full(try review(request, type: type))
    }
    switch info.verb {
    case "list": return .full(try list(request, info: info, type: type))
    case "watch": return try watch(request, info: info, type: type)
    case "get": return .full(try get(request, info: info, type: type))
    case "create":
      guard info.name == nil else { throw .methodNotAllowed }
      if type.namespaced, info.namespace == nil { throw .pathNotFound }
      return .full(try create(request, info: info, type: type))
    case "update": return .full(try update(request, info: info, type: type))
    case "patch": return .full(try patch(request, info: info, type: type))
    case "delete": return .full(try delete(request, info: info, type: type))
    case "deletecollection": return .full(try deleteCollection(request, info: info, type: type))
    default: throw .methodNotAllowed
    }
  }

  // MARK: Reading

  func filter(_ request: APIRequest, info: RequestInfo, type: ResourceType) throws(APIError) -> ObjectFilter {
    let labels: LabelSelector
    var fields: FieldSelector
    do {
      labels = try LabelSelector(parsing: request.query["labelSelector"] ?? "")
    } catch {
      throw .badRequest("unable to parse requirement: \(error.message)")
    }
    do {
      fields = try FieldSelector(parsing: request.query["fieldSelector"] ?? "")
    } catch {
      throw .badRequest(error.message)
    }
    if let name = info.name {  // the old single-object watch form: …/pods/NAME?watch=true
      fields.requirements.append(FieldSelector.Requirement(path: ["metadata", "name"], value: name, negated: false))
    }
    return ObjectFilter(type: type, namespace: type.namespaced ? info.namespace : nil, labels: labels, fields: fields)
  }

  private func list(_ request: APIRequest, info: RequestInfo, type: ResourceType) throws(APIError) -> HTTPReply {
    let filter = try filter(request, info: info, type: type)
    let (all, revision) = state.withStorage { storage in
      (storage.list(type, namespace: filter.namespace).filter(filter.matches), storage.revision)
    }
    var items = all
    var continueToken: String?
    var remaining: Int?
    let offset = request.query["continue"].flatMap { $0.hasPrefix("standin-") ? Int($0.dropFirst(8)) : nil } ?? 0
    if offset > 0 { items = Array(items.dropFirst(offset)) }
    if let limit = request.query["limit"].flatMap({ Int($0) }), limit > 0, items.count > limit {
      remaining = items.count - limit
      items = Array(items.prefix(limit))
      continueToken = "standin-\(offset + limit)"
    }
    if Table.wanted(accept: request.header("accept")) {
      return .json(
        Table.table(
          items, type: type, resourceVersion: String(revision), includeObject: request.query["includeObject"],
          continueToken: continueToken))
    }
    var metadata: JSONValue = ["resourceVersion": .string(String(revision))]
    if let continueToken { metadata["continue"] = .string(continueToken) }
    if let remaining { metadata["remainingItemCount"] = .int(remaining) }
    return .json([
      "kind": .string(type.listKind), "apiVersion": .string(type.apiVersion), "metadata": metadata,
      "items": .array(items),
    ])
  }

  func get(_ request: APIRequest, info: RequestInfo, type: ResourceType) throws(APIError) -> HTTPReply {
    let name = info.name ?? ""
    guard let object = state.withStorage({ $0.object(type, namespace: info.namespace ?? "", name: name) }) else {
      throw .notFound(type, name: name)
    }
    if Table.wanted(accept: request.header("accept")) {
      return .json(
        Table.table(
          [object], type: type, resourceVersion: object[path: "metadata", "resourceVersion"]?.string ?? "",
          includeObject: request.query["includeObject"]))
    }
    return .json(object)
  }

  // MARK: Writing

  func body(_ request: APIRequest, yaml: Bool = false) throws(APIError) -> JSONValue {
    guard !request.body.isEmpty else { throw .badRequest("the body of the request was empty") }
    if (request.header("content-type") ?? "").contains("protobuf") {
      do {
        return try Protobuf.decodeObject(request.body)
      } catch {
        throw APIError(
          code: 415, reason: "UnsupportedMediaType",
          message:
            "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (stand-in: \(error.message))"
        )
      }
    }
    if let json = try? JSONValue.parse(request.body) { return json }
    let contentType = request.header("content-type") ?? ""
    if yaml || contentType.contains("yaml") {
      do {
        return try JSONValue.parseYAML(request.bodyText)
      } catch {
        throw .badRequest("error decoding YAML: \(error)")
      }
    }
    throw .badRequest(
      "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml"
    )
  }

  func isDryRun(_ request: APIRequest) -> Bool { request.query["dryRun"] == "All" }

  /// Prepares an object sent for creation: identity fields are the server's to set.
  static func prepareNew(_ body: JSONValue, type: ResourceType, namespace: String, name: String) -> JSONValue {
    var object = body
    object[path: "metadata", "name"] = .string(name)
    for field in ["uid", "resourceVersion", "creationTimestamp", "generation", "deletionTimestamp", "managedFields"] {
      object[path: "metadata", field] = nil
    }
    if object["metadata"]?.object?.isEmpty ?? true { object["metadata"] = ["name": .string(name)] }
    Storage.fillMetadata(&object, type: type, namespace: namespace, previous: nil)
    applyDefaults(&object, type: type)
    return object
  }

  /// The few defaults of the real server that kubectl users notice.
  static func applyDefaults(_ object: inout JSONValue, type: ResourceType) {
    guard type.group.isEmpty else { return }
    switch type.kind {
    case "Secret":
      if object["type"]?.string?.isEmpty ?? true { object["type"] = "Opaque" }
    case "Service":
      if object[path: "spec", "type"] == nil { object[path: "spec", "type"] = "ClusterIP" }
      if object[path: "spec", "clusterIP"] == nil, object[path: "spec", "type"]?.string != "ExternalName" {
        let address = "10.96.\(Int.random(in: 0...255)).\(Int.random(in: 1...254))"
        object[path: "spec", "clusterIP"] = .string(address)
        object[path: "spec", "clusterIPs"] = [.string(address)]
      }
    case "Pod":
      if object[path: "status", "phase"] == nil { object[path: "status", "phase"] = "Pending" }
    default:
      break
    }
  }

  static func generatedName(_ prefix: String) -> String {
    let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
    return prefix + String((0..<5).map { _ in alphabet.randomElement()! })
  }

  private func create(_ request: APIRequest, info: RequestInfo, type: ResourceType) throws(APIError) -> HTTPReply {
    let body = try body(request)
    guard body.object != nil else { throw .badRequest("the body of the request must be an object") }
    if let kind = body["kind"]?.string, !kind.isEmpty, kind != type.kind {
      throw .badRequest(
        "the API version in the data (\(body["apiVersion"]?.string ?? "")) does not match the expected API version (\(type.apiVersion))"
      )
    }
    let namespace = type.namespaced ? info.namespace ?? "" : ""
    if type.namespaced, let given = body[path: "metadata", "namespace"]?.string, !given.isEmpty, given != namespace {
      throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
    }
    var name = body[path: "metadata", "name"]?.string ?? ""
    if name.isEmpty, let prefix = body[path: "metadata", "generateName"]?.string, !prefix.isEmpty {
      name = Self.generatedName(prefix)
    }
    guard !name.isEmpty else {
      throw .invalid(type, name: "", "metadata.name: Required value: name or generateName is required")
    }
    let object = Self.prepareNew(body, type: type, namespace: namespace, name: name)
    let dryRun = isDryRun(request)
    let created = try state.withStorage { storage throws(APIError) -> JSONValue in
      if type.namespaced, let namespaces = storage.registry.type(group: "", plural: "namespaces"),
        storage.object(namespaces, namespace: "", name: namespace) == nil
      {
        throw .notFound(namespaces, name: namespace)
      }
      guard storage.object(type, namespace: namespace, name: name) == nil else {
        throw .alreadyExists(type, name: name)
      }
      return dryRun ? object : storage.commit(type, object, previous: nil)
    }
    return .json(created, status: 201)
  }

  private func update(_ request: APIRequest, info: RequestInfo, type: ResourceType) throws(APIError) -> HTTPReply {
    let body = try body(request)
    let name = info.name ?? ""
    if let given = body[path: "metadata", "name"]?.string, given != name {
      throw .badRequest("the name of the object (\(given)) does not match the name on the URL (\(name))")
    }
    let dryRun = isDryRun(request)
    let updated = try state.withStorage { storage throws(APIError) -> JSONValue in
      let namespace = info.namespace ?? ""
      guard let existing = storage.object(type, namespace: namespace, name: name) else {
        throw .notFound(type, name: name)
      }
      if let version = body[path: "metadata", "resourceVersion"]?.string, !version.isEmpty,
        version != existing[path: "metadata", "resourceVersion"]?.string
      {
        throw .conflict(type, name: name)
      }
      var object = body
      object[path: "metadata", "name"] = .string(name)
      Self.keepIdentity(&object, from: existing)
      if type.subresources.contains("status") { object["status"] = existing["status"] }
      Storage.fillMetadata(&object, type: type, namespace: namespace, previous: existing)
      return dryRun ? object : storage.commit(type, object, previous: existing)
    }
    return .json(updated)
  }

  static func keepIdentity(_ object: inout JSONValue, from existing: JSONValue) {
    for field in ["uid", "creationTimestamp", "generation", "deletionTimestamp"] {
      object[path: "metadata", field] = existing[path: "metadata", field]
    }
  }

  private func patch(_ request: APIRequest, info: RequestInfo, type: ResourceType) throws(APIError) -> HTTPReply {
    guard let kind = Patch.Kind(contentType: request.header("content-type")) else {
      throw APIError(
        code: 415, reason: "UnsupportedMediaType",
        message:
          "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
      )
    }
    let patchBody = try body(request, yaml: kind == .apply)
    let name = info.name ?? ""
    let namespace = info.namespace ?? ""
    let dryRun = isDryRun(request)
    let (result, created) = try state.withStorage { storage throws(APIError) -> (JSONValue, Bool) in
      guard let existing = storage.object(type, namespace: namespace, name: name) else {
        guard kind == .apply else { throw .notFound(type, name: name) }
        if type.namespaced, let namespaces = storage.registry.type(group: "", plural: "namespaces"),
          storage.object(namespaces, namespace: "", name: namespace) == nil
        {
          throw .notFound(namespaces, name: namespace)
        }
        let object = Self.prepareNew(patchBody, type: type, namespace: namespace, name: name)
        return (dryRun ? object : storage.commit(type, object, previous: nil), true)
      }
      var patched = try Self.applyPatch(kind, patchBody, to: existing, type: type, name: name)
      if [.merge, .strategic].contains(kind), let version = patchBody[path: "metadata", "resourceVersion"]?.string,
        version != existing[path: "metadata", "resourceVersion"]?.string
      {
        throw .conflict(type, name: name)
      }
      patched[path: "metadata", "name"] = .string(name)
      Self.keepIdentity(&patched, from: existing)
      if type.subresources.contains("status") { patched["status"] = existing["status"] }
      Storage.fillMetadata(&patched, type: type, namespace: namespace, previous: existing)
      return (dryRun ? patched : storage.commit(type, patched, previous: existing), false)
    }
    return .json(result, status: created ? 201 : 200)
  }

  static func applyPatch(
    _ kind: Patch.Kind, _ patch: JSONValue, to existing: JSONValue, type: ResourceType, name: String
  )
    throws(APIError) -> JSONValue
  {
    switch kind {
    case .merge:
      return Patch.merge(existing, patch)
    case .strategic:
      return Patch.strategic(existing, patch) ?? existing
    case .apply:
      if let kind = patch["kind"]?.string, kind != type.kind {
        throw .badRequest("the kind in the applied configuration (\(kind)) does not match \(type.kind)")
      }
      return Patch.apply(existing, patch)
    case .json:
      do {
        return try Patch.jsonPatch(existing, patch)
      } catch {
        throw .invalid(type, name: name, error.message)
      }
    }
  }

  private func delete(_ request: APIRequest, info: RequestInfo, type: ResourceType) throws(APIError) -> HTTPReply {
    let options = request.body.isEmpty ? JSONValue.null : ((try? JSONValue.parse(request.body)) ?? .null)
    let name = info.name ?? ""
    let namespace = info.namespace ?? ""
    let dryRun = isDryRun(request) || options["dryRun"]?.array?.contains("All") == true
    let deleted = try state.withStorage { storage throws(APIError) -> JSONValue in
      guard let existing = storage.object(type, namespace: namespace, name: name) else {
        throw .notFound(type, name: name)
      }
      if let uid = options[path: "preconditions", "uid"]?.string, uid != existing[path: "metadata", "uid"]?.string {
        throw APIError(
          code: 409, reason: "Conflict",
          message:
            "Precondition failed: UID in precondition: \(uid), UID in object meta: \(existing[path: "metadata", "uid"]?.string ?? "")"
        )
      }
      if let version = options[path: "preconditions", "resourceVersion"]?.string,
        version != existing[path: "metadata", "resourceVersion"]?.string
      {
        throw .conflict(type, name: name)
      }
      return dryRun ? existing : storage.delete(type, namespace: namespace, name: name) ?? existing
    }
    if type.group.isEmpty, ["Pod", "Namespace"].contains(type.kind) { return .json(deleted) }
    var details: JSONValue = [
      "name": .string(name), "kind": .string(type.plural), "uid": deleted[path: "metadata", "uid"] ?? "",
    ]
    if !type.group.isEmpty { details["group"] = .string(type.group) }
    return .json(["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "details": details])
  }

  private func deleteCollection(
    _ request: APIRequest, info: RequestInfo, type: ResourceType
  ) throws(APIError) -> HTTPReply {
    let filter = try filter(request, info: info, type: type)
    let dryRun = isDryRun(request)
    let (deleted, revision) = state.withStorage { storage in
      let matching = storage.list(type, namespace: filter.namespace).filter(filter.matches)
      if dryRun { return (matching, storage.revision) }
      let gone = matching.compactMap { object in
        storage.delete(
          type, namespace: object[path: "metadata", "namespace"]?.string ?? "",
          name: object[path: "metadata", "name"]?.string ?? "")
      }
      return (gone, storage.revision)
    }
    return .json([
      "kind": .string(type.listKind), "apiVersion": .string(type.apiVersion),
      "metadata": ["resourceVersion": .string(String(revision))], "items": .array(deleted),
    ])
  }
}
