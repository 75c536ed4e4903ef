import Foundation

/// Discovery: `/version`, `/api`, `/apis`, `/apis/GROUP`, `/api/v1`, `/apis/GROUP/VERSION`.
///
/// kubectl 1.32 asks `/api` and `/apis` for aggregated discovery (`apidiscovery.k8s.io/v2`
/// `APIGroupDiscoveryList`) and falls back to the legacy per-group-version documents when the answer is
/// plain JSON. Both are served: aggregated when the Accept header asks for it (two requests cover all
/// kinds, as with a real 1.32 server), legacy otherwise.
enum Discovery {
  static let aggregatedV2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
  static let aggregatedV2Beta1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"

  /// The aggregated version the client accepts, preferring v2.
  static func aggregatedVersion(accept: String?) -> String? {
    guard let accept else { return nil }
    let offers = accept.split(separator: ",").map { $0.replacingOccurrences(of: " ", with: "") }
    for offer in offers where offer.contains("as=APIGroupDiscoveryList") && offer.contains("g=apidiscovery.k8s.io") {
      if offer.contains("v=v2beta1") { return "v2beta1" }
      if offer.contains("v=v2") { return "v2" }
    }
    return nil
  }

  static func version(_ gitVersion: String) -> JSONValue {
    let numbers = gitVersion.drop { $0 == "v" }.split(separator: ".")
    let major = numbers.first.map(String.init) ?? "1"
    let minor = numbers.count > 1 ? String(numbers[1]) : "32"
    return [
      "major": .string(major), "minor": .string(minor), "gitVersion": .string(gitVersion),
      "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean",
      "buildDate": "2025-04-22T16:03:29Z", "goVersion": "go1.23.6", "compiler": "gc", "platform": "linux/amd64",
    ]
  }

  // MARK: Legacy documents

  static func apiVersions(serverAddress: String) -> JSONValue {
    [
      "kind": "APIVersions", "versions": ["v1"],
      "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]],
    ]
  }

  static func apiGroup(_ group: String, registry: TypeRegistry) -> JSONValue {
    let versions = registry.versions(ofGroup: group).map { version -> JSONValue in
      ["groupVersion": .string("\(group)/\(version)"), "version": .string(version)]
    }
    return ["name": .string(group), "versions": .array(versions), "preferredVersion": versions.first ?? .null]
  }

  static func apiGroupList(_ registry: TypeRegistry) -> JSONValue {
    let groups = registry.groups.filter { !$0.isEmpty }.map { apiGroup($0, registry: registry) }
    return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups)]
  }

  static func resourceList(group: String, version: String, registry: TypeRegistry) -> JSONValue? {
    let types = registry.types(group: group, version: version)
    guard !types.isEmpty else { return nil }
    var resources: [JSONValue] = []
    for type in types {
      var entry: JSONValue = [
        "name": .string(type.plural), "singularName": .string(type.singular), "namespaced": .bool(type.namespaced),
        "kind": .string(type.kind), "verbs": .array(type.verbs.map(JSONValue.string)),
      ]
      if !type.shortNames.isEmpty { entry["shortNames"] = .array(type.shortNames.map(JSONValue.string)) }
      if !type.categories.isEmpty { entry["categories"] = .array(type.categories.map(JSONValue.string)) }
      resources.append(entry)
      for subresource in type.subresources {
        let info = type.subresourceInfo(subresource)
        var sub: JSONValue = [
          "name": .string("\(type.plural)/\(subresource)"), "singularName": "", "namespaced": .bool(type.namespaced),
          "kind": .string(info.kind), "verbs": .array(info.verbs.map(JSONValue.string)),
        ]
        if info.group != type.group || info.version != type.version {
          sub["group"] = .string(info.group)
          sub["version"] = .string(info.version)
        }
        resources.append(sub)
      }
    }
    let groupVersion = group.isEmpty ? version : "\(group)/\(version)"
    return [
      "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(groupVersion),
      "resources": .array(resources),
    ]
  }

  // MARK: Aggregated documents

  /// `APIGroupDiscoveryList` for `/api` (core only) or `/apis` (every other group).
  static func aggregated(core: Bool, registry: TypeRegistry, version apiVersion: String) -> JSONValue {
    let groups = registry.groups.filter { core ? $0.isEmpty : !$0.isEmpty }
    let items = groups.map { group -> JSONValue in
      let versions = registry.versions(ofGroup: group).map { version -> JSONValue in
        [
          "version": .string(version), "freshness": "Current",
          "resources": .array(registry.types(group: group, version: version).map(aggregatedResource)),
        ]
      }
      var metadata: JSONValue = ["creationTimestamp": .null]
      if !group.isEmpty { metadata["name"] = .string(group) }
      return ["metadata": metadata, "versions": .array(versions)]
    }
    return [
      "kind": "APIGroupDiscoveryList", "apiVersion": .string("apidiscovery.k8s.io/\(apiVersion)"), "metadata": [:],
      "items": .array(items),
    ]
  }

  static func aggregatedResource(_ type: ResourceType) -> JSONValue {
    var entry: JSONValue = [
      "resource": .string(type.plural),
      "responseKind": ["group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind)],
      "scope": type.namespaced ? "Namespaced" : "Cluster", "singularResource": .string(type.singular),
      "verbs": .array(type.verbs.map(JSONValue.string)),
    ]
    if !type.shortNames.isEmpty { entry["shortNames"] = .array(type.shortNames.map(JSONValue.string)) }
    if !type.categories.isEmpty { entry["categories"] = .array(type.categories.map(JSONValue.string)) }
    if !type.subresources.isEmpty {
      entry["subresources"] = .array(
        type.subresources.map { name -> JSONValue in
          let info = type.subresourceInfo(name)
          return [
            "subresource": .string(name),
            "responseKind": [
              "group": .string(info.group), "version": .string(info.version), "kind": .string(info.kind),
            ],
            "verbs": .array(info.verbs.map(JSONValue.string)),
          ]
        })
    }
    return entry
  }
}
