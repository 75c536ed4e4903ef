/// The `status` and `scale` subresources and pod eviction.
extension Router {
  func status(_ request: APIRequest, info: RequestInfo, type: ResourceType) throws(APIError) -> HTTPReply {
    guard type.subresources.contains("status"), let name = info.name else { throw .pathNotFound }
    let namespace = info.namespace ?? ""
    if info.verb == "get" { return try get(request, info: info, type: type) }
    guard info.verb == "update" || info.verb == "patch" else { throw .methodNotAllowed }
    let kind = info.verb == "patch" ? Patch.Kind(contentType: request.header("content-type")) : nil
    if info.verb == "patch", kind == nil {
      throw APIError(code: 415, reason: "UnsupportedMediaType", message: "unsupported patch type")
    }
    let body = try body(request, yaml: kind == .apply)
    let dryRun = isDryRun(request)
    let updated = try state.withStorage { storage throws(APIError) -> JSONValue in
      guard let existing = storage.object(type, namespace: namespace, name: name) else {
        throw .notFound(type, name: name)
      }
      let source =
        try kind.map { kind throws(APIError) in try Self.applyPatch(kind, body, to: existing, type: type, name: name) }
        ?? body
      var object = existing
      object["status"] = source["status"]
      return dryRun ? object : storage.commit(type, object, previous: existing)
    }
    return .json(updated)
  }

  func scale(_ request: APIRequest, info: RequestInfo, type: ResourceType) throws(APIError) -> HTTPReply {
    guard let name = info.name else { throw .pathNotFound }
    let namespace = info.namespace ?? ""
    func scaleObject(_ object: JSONValue) -> JSONValue {
      let selector = (object[path: "spec", "selector", "matchLabels"]?.object ?? [:]).keys.sorted().map { key in
        "\(key)=\(object[path: "spec", "selector", "matchLabels", key]?.string ?? "")"
      }.joined(separator: ",")
      return [
        "kind": "Scale", "apiVersion": "autoscaling/v1",
        "metadata": [
          "name": .string(name), "namespace": .string(namespace), "uid": object[path: "metadata", "uid"] ?? "",
          "resourceVersion": object[path: "metadata", "resourceVersion"] ?? "",
          "creationTimestamp": object[path: "metadata", "creationTimestamp"] ?? .null,
        ],
        "spec": ["replicas": .int(object[path: "spec", "replicas"]?.int ?? 1)],
        "status": ["replicas": .int(object[path: "status", "replicas"]?.int ?? 0), "selector": .string(selector)],
      ]
    }
    if info.verb == "get" {
      guard let object = state.withStorage({ $0.object(type, namespace: namespace, name: name) }) else {
        throw .notFound(type, name: name)
      }
      return .json(scaleObject(object))
    }
    guard info.verb == "update" || info.verb == "patch" else { throw .methodNotAllowed }
    let kind = info.verb == "patch" ? Patch.Kind(contentType: request.header("content-type")) : nil
    let body = try body(request, yaml: kind == .apply)
    let updated = try state.withStorage { storage throws(APIError) -> JSONValue in
      guard let existing = storage.object(type, namespace: namespace, name: name) else {
        throw .notFound(type, name: name)
      }
      let current = scaleObject(existing)
      let wanted =
        try kind.map { kind throws(APIError) in try Self.applyPatch(kind, body, to: current, type: type, name: name) }
        ?? body
      var object = existing
      object[path: "spec", "replicas"] = .int(wanted[path: "spec", "replicas"]?.int ?? 1)
      Storage.fillMetadata(&object, type: type, namespace: namespace, previous: existing)
      return storage.commit(type, object, previous: existing)
    }
    return .json(scaleObject(updated))
  }

  func evict(_ request: APIRequest, info: RequestInfo, type: ResourceType) throws(APIError) -> HTTPReply {
    let name = info.name ?? ""
    let namespace = info.namespace ?? ""
    try state.withStorage { storage throws(APIError) in
      guard storage.delete(type, namespace: namespace, name: name) != nil else { throw .notFound(type, name: name) }
    }
    return .json(
      ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "code": 201], status: 201)
  }
}
