/// What the collector's service account may read, judged from the RBAC objects bound to it (pure):
/// the `k8sattributes` processor needs get/list/watch on pods, namespaces and replicasets.
enum CollectorRBAC {
  struct Resource: Hashable {
    var group: String
    var name: String
    var display: String { group.isEmpty ? name : "\(name).\(group)" }
  }

  static let verbs = ["get", "list", "watch"]
  /// What the chart's ClusterRole grants for the `kubernetesAttributes` preset.
  static let needed = [
    Resource(group: "", name: "pods"), Resource(group: "", name: "namespaces"),
    Resource(group: "apps", name: "replicasets"),
  ]

  /// Whether a binding names the service account `namespace/name` (directly or through the
  /// service-account groups).
  static func binds(_ binding: KubeObject, serviceAccounts: [String], namespace: String) -> Bool {
    (binding.raw["subjects"]?.array ?? []).contains { subject in
      switch subject["kind"]?.string {
      case "ServiceAccount":
        return serviceAccounts.contains(subject["name"]?.string ?? "")
          && (subject["namespace"]?.string ?? binding.namespace) == namespace
      case "Group":
        let group = subject["name"]?.string
        return group == "system:serviceaccounts" || group == "system:serviceaccounts:\(namespace)"
      default:
        return false
      }
    }
  }

  /// Of `objects` (roles and bindings), the bindings naming the service accounts and the roles
  /// they refer to: what a snapshot keeps, so it does not carry the cluster's whole RBAC.
  static func relevant(_ objects: [KubeObject], serviceAccounts: [String], namespace: String) -> [KubeObject] {
    let bindings = objects.filter {
      ($0.kind == "ClusterRoleBinding" || $0.kind == "RoleBinding")
        && binds($0, serviceAccounts: serviceAccounts, namespace: namespace)
    }
    let referenced = Set(
      bindings.compactMap { binding -> String? in
        guard let kind = binding.raw[path: "roleRef", "kind"]?.string,
          let name = binding.raw[path: "roleRef", "name"]?.string
        else { return nil }
        return "\(kind)/\(name)"
      })
    return bindings + objects.filter { referenced.contains("\($0.kind)/\($0.name)") }
  }

  /// The grants the bindings give, cluster-wide (ClusterRoleBindings) or in the namespace
  /// (RoleBindings), and the bindings whose role does not exist.
  struct Grants {
    var clusterWide: Set<String> = []
    var inNamespace: Set<String> = []
    var bindings: [String] = []
    var danglingRoles: [String] = []

    static func key(_ resource: Resource, _ verb: String) -> String { "\(resource.group)/\(resource.name)/\(verb)" }
  }

  static func grants(
    cluster: [KubeObject], namespaced: [KubeObject], serviceAccounts: [String], namespace: String
  )
    -> Grants
  {
    var grants = Grants()
    let all = cluster + namespaced
    for binding in all where binding.kind.hasSuffix("RoleBinding") {
      guard binds(binding, serviceAccounts: serviceAccounts, namespace: namespace),
        let roleKind = binding.raw[path: "roleRef", "kind"]?.string,
        let roleName = binding.raw[path: "roleRef", "name"]?.string
      else { continue }
      grants.bindings.append("\(binding.kind) \(binding.name) → \(roleKind) \(roleName)")
      let role = all.first { $0.kind == roleKind && $0.name == roleName }
      guard let role else {
        grants.danglingRoles.append(
          "\(binding.kind) \(binding.name) refers to \(roleKind) \(roleName), which does not exist")
        continue
      }
      let granted = permissions(of: role)
      if binding.kind == "ClusterRoleBinding" {
        grants.clusterWide.formUnion(granted)
      } else {
        grants.inNamespace.formUnion(granted)
      }
    }
    return grants
  }

  /// The needed (resource, verb) pairs a role's rules allow (rules naming resourceNames cannot
  /// list or watch, so they do not count).
  static func permissions(of role: KubeObject) -> Set<String> {
    var granted: Set<String> = []
    for rule in role.raw["rules"]?.array ?? [] {
      guard (rule["resourceNames"]?.array ?? []).isEmpty else { continue }
      let groups = rule["apiGroups"]?.array?.compactMap(\.string) ?? []
      let resources = rule["resources"]?.array?.compactMap(\.string) ?? []
      let ruleVerbs = rule["verbs"]?.array?.compactMap(\.string) ?? []
      for resource in needed
      where (groups.contains(resource.group) || groups.contains("*"))
        && (resources.contains(resource.name) || resources.contains("*"))
      {
        for verb in verbs where ruleVerbs.contains(verb) || ruleVerbs.contains("*") {
          granted.insert(Grants.key(resource, verb))
        }
      }
    }
    return granted
  }

  /// What is missing cluster-wide, by resource (`pods: list, watch`).
  static func missing(_ grants: Grants) -> [(resource: Resource, verbs: [String])] {
    needed.compactMap { resource in
      let absent = verbs.filter { !grants.clusterWide.contains(Grants.key(resource, $0)) }
      return absent.isEmpty ? nil : (resource, absent)
    }
  }

  /// Whether the configuration runs the processor that needs these permissions.
  static func usesKubernetesAttributes(_ config: CollectorConfig) -> Bool {
    let types = ["k8sattributes", "k8s_attributes"]
    let used = Set(config.pipelines.flatMap(\.processors))
    return used.contains { types.contains(CollectorConfig.type(of: $0)) }
  }
}
