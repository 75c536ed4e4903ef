/// One kind the stand-in serves: what discovery advertises and how the router finds it.
public struct ResourceType: Sendable, Hashable {
  public var group: String
  public var version: String
  public var kind: String
  /// The resource name in URLs (`deployments`).
  public var plural: String
  public var singular: String
  public var namespaced: Bool
  public var shortNames: [String]
  public var categories: [String]
  public var verbs: [String]
  /// Subresources such as `status`, `log`, `proxy`, `scale`.
  public var subresources: [String]

  public static let standardVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

  public init(
    group: String, version: String, kind: String, plural: String? = nil, singular: String? = nil,
    namespaced: Bool = true,
    shortNames: [String] = [], categories: [String] = [], verbs: [String] = ResourceType.standardVerbs,
    subresources: [String] = []
  ) {
    self.group = group
    self.version = version
    self.kind = kind
    self.plural = plural ?? ResourceType.guessPlural(kind)
    self.singular = singular ?? kind.lowercased()
    self.namespaced = namespaced
    self.shortNames = shortNames
    self.categories = categories
    self.verbs = verbs
    self.subresources = subresources
  }

  public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
  public var listKind: String { kind + "List" }
  /// `deployments.apps`, `pods` (the form used in error messages).
  public var qualifiedName: String { group.isEmpty ? plural : "\(plural).\(group)" }

  /// Splits `apps/v1` into (`apps`, `v1`) and `v1` into (``, `v1`).
  static func split(apiVersion: String) -> (group: String, version: String) {
    if let slash = apiVersion.firstIndex(of: "/") {
      return (String(apiVersion[..<slash]), String(apiVersion[apiVersion.index(after: slash)...]))
    }
    return ("", apiVersion)
  }

  /// The plural the API machinery would pick for a kind without a registration (`Policy` → `policies`).
  static func guessPlural(_ kind: String) -> String {
    let lower = kind.lowercased()
    if lower.hasSuffix("s") || lower.hasSuffix("x") || lower.hasSuffix("ch") || lower.hasSuffix("sh") {
      return lower + "es"
    }
    if lower.hasSuffix("y"), let last = lower.dropLast().last, !"aeiou".contains(last) {
      return lower.dropLast() + "ies"
    }
    return lower + "s"
  }

  /// The verbs and response kind of a subresource, as discovery reports them.
  func subresourceInfo(_ name: String) -> (verbs: [String], group: String, version: String, kind: String) {
    switch name {
    case "status": (["get", "patch", "update"], group, version, kind)
    case "log": (["get"], "", "v1", "Pod")
    case "proxy":
      (
        ["create", "delete", "get", "patch", "update"], "", "v1",
        kind == "Pod" ? "PodProxyOptions" : kind == "Node" ? "NodeProxyOptions" : "ServiceProxyOptions"
      )
    case "portforward": (["create", "get"], "", "v1", "PodPortForwardOptions")
    case "exec": (["create", "get"], "", "v1", "PodExecOptions")
    case "attach": (["create", "get"], "", "v1", "PodAttachOptions")
    case "eviction": (["create"], "policy", "v1", "Eviction")
    case "binding": (["create"], "", "v1", "Binding")
    case "scale": (["get", "patch", "update"], "autoscaling", "v1", "Scale")
    case "token": (["create"], "authentication.k8s.io", "v1", "TokenRequest")
    case "ephemeralcontainers": (["get", "patch", "update"], group, version, kind)
    case "finalize": (["update"], group, version, kind)
    default: (["get"], group, version, kind)
    }
  }
}

extension ResourceType {
  /// The kinds every stand-in serves, in discovery order: a bare cluster. Add-ons such as Dapr come
  /// with their CustomResourceDefinitions (or a registered type), as on a real cluster.
  public static let builtIn: [ResourceType] = {
    let all = ["all"]
    let create = ["create"]
    return [
      ResourceType(
        group: "", version: "v1", kind: "Namespace", namespaced: false, shortNames: ["ns"],
        subresources: ["finalize", "status"]),
      ResourceType(
        group: "", version: "v1", kind: "Node", namespaced: false, shortNames: ["no"],
        subresources: ["proxy", "status"]),
      ResourceType(
        group: "", version: "v1", kind: "Pod", shortNames: ["po"], categories: all,
        subresources: [
          "attach", "binding", "ephemeralcontainers", "eviction", "exec", "log", "portforward", "proxy", "status",
        ]),
      ResourceType(
        group: "", version: "v1", kind: "Service", shortNames: ["svc"], categories: all,
        subresources: ["proxy", "status"]),
      ResourceType(group: "", version: "v1", kind: "ConfigMap", shortNames: ["cm"]),
      ResourceType(group: "", version: "v1", kind: "Secret"),
      ResourceType(group: "", version: "v1", kind: "Event", shortNames: ["ev"]),
      ResourceType(
        group: "", version: "v1", kind: "Endpoints", plural: "endpoints", singular: "endpoints", shortNames: ["ep"]),
      ResourceType(group: "", version: "v1", kind: "ServiceAccount", shortNames: ["sa"], subresources: ["token"]),
      ResourceType(
        group: "", version: "v1", kind: "PersistentVolumeClaim", shortNames: ["pvc"], subresources: ["status"]),
      ResourceType(
        group: "", version: "v1", kind: "PersistentVolume", namespaced: false, shortNames: ["pv"],
        subresources: ["status"]),
      ResourceType(
        group: "apps", version: "v1", kind: "Deployment", shortNames: ["deploy"], categories: all,
        subresources: ["scale", "status"]),
      ResourceType(
        group: "apps", version: "v1", kind: "DaemonSet", shortNames: ["ds"], categories: all, subresources: ["status"]),
      ResourceType(
        group: "apps", version: "v1", kind: "StatefulSet", shortNames: ["sts"], categories: all,
        subresources: ["scale", "status"]),
      ResourceType(
        group: "apps", version: "v1", kind: "ReplicaSet", shortNames: ["rs"], categories: all,
        subresources: ["scale", "status"]),
      ResourceType(group: "apps", version: "v1", kind: "ControllerRevision"),
      ResourceType(group: "batch", version: "v1", kind: "Job", categories: all, subresources: ["status"]),
      ResourceType(
        group: "batch", version: "v1", kind: "CronJob", shortNames: ["cj"], categories: all, subresources: ["status"]),
      ResourceType(
        group: "networking.k8s.io", version: "v1", kind: "Ingress", plural: "ingresses", shortNames: ["ing"],
        subresources: ["status"]),
      ResourceType(
        group: "authentication.k8s.io", version: "v1", kind: "SelfSubjectReview", namespaced: false, verbs: create),
      ResourceType(
        group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectAccessReview", namespaced: false, verbs: create),
      ResourceType(
        group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectRulesReview", namespaced: false, verbs: create),
      // What a collector's service account may do (mtobs reads them to judge k8sattributes' access).
      ResourceType(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", namespaced: false),
      ResourceType(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", namespaced: false),
      ResourceType(group: "rbac.authorization.k8s.io", version: "v1", kind: "Role"),
      ResourceType(group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding"),
      ResourceType(
        group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", namespaced: false,
        shortNames: ["crd", "crds"], categories: ["api-extensions"], subresources: ["status"]),
    ]
  }()

  /// The type a CustomResourceDefinition object declares (its storage version, or first served one).
  static func from(customResourceDefinition crd: JSONValue) -> ResourceType? {
    guard let group = crd[path: "spec", "group"]?.string, let names = crd[path: "spec", "names"],
      let kind = names["kind"]?.string, let plural = names["plural"]?.string
    else { return nil }
    let versions = crd[path: "spec", "versions"]?.array ?? []
    let chosen =
      versions.first { $0["storage"]?.bool == true } ?? versions.first { $0["served"]?.bool == true } ?? versions.first
    guard let version = chosen?["name"]?.string else { return nil }
    var subresources: [String] = []
    if chosen?[path: "subresources", "status"] != nil { subresources.append("status") }
    if chosen?[path: "subresources", "scale"] != nil { subresources.append("scale") }
    return ResourceType(
      group: group, version: version, kind: kind, plural: plural, singular: names["singular"]?.string,
      namespaced: crd[path: "spec", "scope"]?.string != "Cluster",
      shortNames: names["shortNames"]?.array?.compactMap(\.string) ?? [],
      categories: names["categories"]?.array?.compactMap(\.string) ?? [], subresources: subresources)
  }
}

/// The kinds known to one cluster state: the built-ins, registered ones, and ones inferred from objects.
struct TypeRegistry: Sendable {
  private(set) var types: [ResourceType]

  init(types: [ResourceType] = ResourceType.builtIn) { self.types = types }

  /// Adds or replaces (same group and plural) a type.
  mutating func register(_ type: ResourceType) {
    if let index = types.firstIndex(where: { $0.group == type.group && $0.plural == type.plural }) {
      types[index] = type
    } else {
      types.append(type)
    }
  }

  func type(group: String, version: String, plural: String) -> ResourceType? {
    types.first { $0.group == group && $0.plural == plural && $0.version == version }
  }

  func type(group: String, plural: String) -> ResourceType? {
    types.first { $0.group == group && $0.plural == plural }
  }

  func type(apiVersion: String, kind: String) -> ResourceType? {
    let (group, version) = ResourceType.split(apiVersion: apiVersion)
    return types.first { $0.group == group && $0.kind == kind && $0.version == version }
      ?? types.first { $0.group == group && $0.kind == kind }
  }

  /// The type for an object, registering a guessed one for kinds never seen before.
  mutating func typeFor(apiVersion: String, kind: String, namespaced: Bool) -> ResourceType {
    if let known = type(apiVersion: apiVersion, kind: kind) { return known }
    let (group, version) = ResourceType.split(apiVersion: apiVersion)
    let guessed = ResourceType(group: group, version: version, kind: kind, namespaced: namespaced)
    register(guessed)
    return guessed
  }

  /// Group names in discovery order (the core group, "", first).
  var groups: [String] {
    var seen: [String] = []
    for type in types where !seen.contains(type.group) { seen.append(type.group) }
    return seen
  }

  func versions(ofGroup group: String) -> [String] {
    var seen: [String] = []
    for type in types where type.group == group && !seen.contains(type.version) { seen.append(type.version) }
    return seen
  }

  func types(group: String, version: String) -> [ResourceType] {
    types.filter { $0.group == group && $0.version == version }
  }
}
