import Yams

/// YAML reading and writing for `JSONValue`, following what Kubernetes' `sigs.k8s.io/yaml` does:
/// timestamps stay strings, mappings become objects with string keys.
extension JSONValue {
  /// Every non-empty document of a (multi-document) YAML text. JSON texts are YAML too.
  public static func parseYAMLDocuments(_ text: String) throws -> [JSONValue] {
    var documents: [JSONValue] = []
    var sequence = try Yams.compose_all(yaml: text)
    while let node = sequence.next() {
      let value = JSONValue(yamlNode: node)
      if value != .null { documents.append(value) }
    }
    if let error = sequence.error { throw error }
    return documents
  }

  /// One YAML (or JSON) document; an empty text is `null`.
  public static func parseYAML(_ text: String) throws -> JSONValue {
    try parseYAMLDocuments(text).first ?? .null
  }

  init(yamlNode node: Node) {
    switch node {
    case .scalar(let scalar):
      switch Tag.Name(rawValue: node.tag.rawValue) {
      case .null: self = .null
      case .bool: self = node.bool.map(JSONValue.bool) ?? .string(scalar.string)
      case .int: self = node.int.map(JSONValue.int) ?? .string(scalar.string)
      case .float: self = node.float.map(JSONValue.double) ?? .string(scalar.string)
      default: self = .string(scalar.string)
      }
    case .mapping(let mapping):
      var members: [String: JSONValue] = [:]
      for (key, value) in mapping {
        let name: String
        switch key {
        case .scalar(let scalar): name = scalar.string
        default: name = JSONValue(yamlNode: key).serialized()
        }
        members[name] = JSONValue(yamlNode: value)
      }
      self = .object(members)
    case .sequence(let sequence):
      self = .array(sequence.map { JSONValue(yamlNode: $0) })
    case .alias:
      self = .null
    }
  }

  var yamlNode: Node {
    switch self {
    case .null: Node("null", Tag(.null))
    case .bool(let b): Node(b ? "true" : "false", Tag(.bool))
    case .int(let i): Node(String(i), Tag(.int))
    case .double: Node(serialized(), Tag(.float))
    case .string(let s): Node(s, Tag(.str), Self.scalarStyle(for: s))
    case .array(let items): .sequence(Node.Sequence(items.map(\.yamlNode)))
    case .object(let members):
      .mapping(Node.Mapping(members.keys.sorted().map { (Node($0, Tag(.str)), members[$0]!.yamlNode) }))
    }
  }

  /// Strings that would read back as another type (`"2"`, `"true"`, `""`, `"null"`) are quoted.
  private static func scalarStyle(for text: String) -> Node.Scalar.Style {
    if text.contains("\n") { return .literal }
    let plain = Node(text)
    let resolved = Resolver.default.resolveTag(of: plain)
    if text.isEmpty || (resolved != .str && resolved != .timestamp) { return .doubleQuoted }
    return .any
  }

  /// The value as one YAML document (keys sorted).
  public func yaml() throws -> String {
    try Yams.serialize(node: yamlNode, indent: 2, width: -1, allowUnicode: true)
  }
}
