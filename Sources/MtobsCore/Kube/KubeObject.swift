/// One Kubernetes object as kubectl returned it, with the few fields every caller needs.
public struct KubeObject: Sendable, Hashable, Codable {
  public let raw: JSONValue

  public init(_ raw: JSONValue) { self.raw = raw }

  public var kind: String { raw["kind"]?.string ?? "" }
  public var name: String { raw[path: "metadata", "name"]?.string ?? "" }
  public var namespace: String? { raw[path: "metadata", "namespace"]?.string }
  public var labels: [String: String] {
    raw[path: "metadata", "labels"]?.object?.compactMapValues(\.string) ?? [:]
  }

  /// `namespace/kind/name` in lower case, the form reports use to point at objects.
  public var reference: String {
    [namespace, kind.lowercased(), name].compactMap { $0 }.joined(separator: "/")
  }
}
