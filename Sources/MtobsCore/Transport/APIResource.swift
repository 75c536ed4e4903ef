import Foundation

/// Where a kind lives in the API (`deployments` → `/apis/apps/v1/namespaces/NS/deployments`),
/// the way kubectl resolves the names users type.
public struct APIResource: Sendable, Equatable {
  /// "" for the core group.
  public var group: String
  public var version: String
  public var plural: String
  public var namespaced: Bool

  public init(group: String, version: String, plural: String, namespaced: Bool) {
    self.group = group
    self.version = version
    self.plural = plural
    self.namespaced = namespaced
  }

  public var groupVersionPath: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }

  /// The collection (or, with `name`, one object); `namespace` nil means all namespaces.
  public func path(namespace: String?, name: String? = nil) -> String {
    var path = groupVersionPath
    if namespaced, let namespace { path += "/namespaces/\(namespace)" }
    path += "/\(plural)"
    if let name { path += "/\(name)" }
    return path
  }

  /// The kinds every cluster serves, with the short and singular names kubectl accepts.
  private static let builtins: [(resource: APIResource, names: [String])] = [
    (core("pods"), ["po", "pod"]),
    (core("services"), ["svc", "service"]),
    (core("events"), ["ev", "event"]),
    (core("configmaps"), ["cm", "configmap"]),
    (core("endpoints"), ["ep", "endpoint"]),
    (core("secrets"), ["secret"]),
    (core("serviceaccounts"), ["sa", "serviceaccount"]),
    (core("persistentvolumeclaims"), ["pvc", "persistentvolumeclaim"]),
    (core("namespaces", namespaced: false), ["ns", "namespace"]),
    (core("nodes", namespaced: false), ["no", "node"]),
    (APIResource(group: "apps", version: "v1", plural: "deployments", namespaced: true), ["deploy", "deployment"]),
    (APIResource(group: "apps", version: "v1", plural: "daemonsets", namespaced: true), ["ds", "daemonset"]),
    (APIResource(group: "apps", version: "v1", plural: "statefulsets", namespaced: true), ["sts", "statefulset"]),
    (APIResource(group: "apps", version: "v1", plural: "replicasets", namespaced: true), ["rs", "replicaset"]),
    (APIResource(group: "batch", version: "v1", plural: "jobs", namespaced: true), ["job"]),
    (APIResource(group: "batch", version: "v1", plural: "cronjobs", namespaced: true), ["cj", "cronjob"]),
    (
      APIResource(group: "discovery.k8s.io", version: "v1", plural: "endpointslices", namespaced: true),
      ["endpointslice"]
    ),
    (rbac("roles", namespaced: true), ["role"]),
    (rbac("rolebindings", namespaced: true), ["rolebinding"]),
    (rbac("clusterroles", namespaced: false), ["clusterrole"]),
    (rbac("clusterrolebindings", namespaced: false), ["clusterrolebinding"]),
    (
      APIResource(
        group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions", namespaced: false),
      ["crd", "crds", "customresourcedefinition"]
    ),
    // Dapr's kinds, read on every health run: known, so no discovery round trips before the list.
    (APIResource(group: "dapr.io", version: "v1alpha1", plural: "configurations", namespaced: true), []),
    (APIResource(group: "dapr.io", version: "v1alpha1", plural: "components", namespaced: true), []),
  ]

  private static func core(_ plural: String, namespaced: Bool = true) -> APIResource {
    APIResource(group: "", version: "v1", plural: plural, namespaced: namespaced)
  }

  private static func rbac(_ plural: String, namespaced: Bool) -> APIResource {
    APIResource(group: "rbac.authorization.k8s.io", version: "v1", plural: plural, namespaced: namespaced)
  }

  /// A kind every cluster serves (`pods`, `deploy`, `deployments.apps`), or nil.
  public static func builtin(_ name: String) -> APIResource? {
    let lower = name.lowercased()
    for (resource, names) in builtins {
      if lower == resource.plural || names.contains(lower) { return resource }
      if !resource.group.isEmpty, lower == "\(resource.plural).\(resource.group)" { return resource }
    }
    return nil
  }

  /// `configurations.dapr.io` → (`configurations`, `dapr.io`): a name that needs discovery.
  public static func groupedName(_ name: String) -> (plural: String, group: String)? {
    let lower = name.lowercased()
    guard let dot = lower.firstIndex(of: "."), dot != lower.startIndex else { return nil }
    let group = lower[lower.index(after: dot)...]
    guard !group.isEmpty, group.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else {
      return nil
    }
    return (String(lower[..<dot]), String(group))
  }
}
