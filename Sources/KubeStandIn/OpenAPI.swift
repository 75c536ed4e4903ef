/// A minimal OpenAPI v3 (`/openapi/v3` and `/openapi/v3/api/v1`, `/openapi/v3/apis/GROUP/VERSION`).
///
/// kubectl's `create`/`apply` validate with `--validate=strict` by default: they ask OpenAPI v3 whether
/// the server takes the `fieldValidation` query parameter for the kind, and without OpenAPI (v3 or
/// protobuf v2) they fail with "failed to download openapi". So each PATCH operation here names its
/// group/version/kind and the `fieldValidation` parameter. Patch bodies deliberately omit
/// `application/strategic-merge-patch+json`, so client-side apply computes strategic merge patches from
/// its compiled-in types (and JSON merge patches for custom resources), as it does without schemas.
enum OpenAPI {
  static func hash(_ group: String, _ version: String) -> String {
    var value: UInt64 = 1_469_598_103_934_665_603
    for byte in "\(group)/\(version)".utf8 {
      value = (value ^ UInt64(byte)) &* 1_099_511_628_211
    }
    return String(value, radix: 16, uppercase: true)
  }

  static func path(group: String, version: String) -> String {
    group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
  }

  static func root(_ registry: TypeRegistry) -> JSONValue {
    var paths: [String: JSONValue] = [:]
    for group in registry.groups {
      for version in registry.versions(ofGroup: group) {
        let path = path(group: group, version: version)
        paths[path] = ["serverRelativeURL": .string("/openapi/v3/\(path)?hash=\(hash(group, version))")]
      }
    }
    return ["paths": .object(paths)]
  }

  static func document(group: String, version: String, registry: TypeRegistry, serverVersion: String) -> JSONValue? {
    let types = registry.types(group: group, version: version)
    guard !types.isEmpty else { return nil }
    let base = "/" + path(group: group, version: version)
    var paths: [String: JSONValue] = [:]
    for type in types where type.verbs.contains("patch") {
      let gvk: JSONValue = ["group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind)]
      let schema: JSONValue = ["type": "object"]
      let patch: JSONValue = [
        "operationId": .string("patch\(type.kind)"),
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": gvk,
        "parameters": [
          ["name": "dryRun", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
          ["name": "fieldManager", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
          ["name": "fieldValidation", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
          ["name": "force", "in": "query", "schema": ["type": "boolean", "uniqueItems": true]],
        ],
        "requestBody": [
          "content": [
            "application/json-patch+json": ["schema": schema],
            "application/merge-patch+json": ["schema": schema],
            "application/apply-patch+yaml": ["schema": schema],
          ],
          "required": true,
        ],
        "responses": ["200": ["description": "OK", "content": ["application/json": ["schema": schema]]]],
      ]
      let namePath =
        type.namespaced
        ? "\(base)/namespaces/{namespace}/\(type.plural)/{name}" : "\(base)/\(type.plural)/{name}"
      var pathParameters: [JSONValue] = [
        ["name": "name", "in": "path", "required": true, "schema": ["type": "string"]]
      ]
      if type.namespaced {
        pathParameters.append(["name": "namespace", "in": "path", "required": true, "schema": ["type": "string"]])
      }
      paths[namePath] = ["patch": patch, "parameters": .array(pathParameters)]
    }
    return [
      "openapi": "3.0.0",
      "info": ["title": "Kubernetes", "version": .string(serverVersion)],
      "paths": .object(paths),
      "components": ["schemas": [:]],
    ]
  }
}
