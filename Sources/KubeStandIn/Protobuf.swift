import Foundation

/// Decodes the protobuf request bodies kubectl's typed clients send (`kubectl create configmap|secret|
/// namespace|serviceaccount|service|deployment`, `kubectl auth can-i|whoami`, evictions): kubectl 1.32
/// sends `application/vnd.kubernetes.protobuf` for built-in kinds and does not retry with JSON after a
/// 415. Answers stay JSON, which those clients accept.
///
/// The envelope is `k8s\0` + runtime.Unknown{typeMeta{apiVersion, kind}, raw}. Only the fields listed in
/// `schemas` are decoded (others are skipped); empty strings, lists and objects are dropped as Go's
/// `omitempty` would.
enum Protobuf {
  indirect enum FieldType: Sendable {
    case string, bytes, int, bool, time, intOrString, quantity
    /// An integer Go omits when zero (`omitempty`).
    case optionalInt
    case message(String)
    case map(FieldType)
  }

  struct Field: Sendable {
    var name: String
    var type: FieldType
    var repeated = false
  }

  struct DecodeError: Error { var message: String }

  static func decodeObject(_ body: [UInt8]) throws(DecodeError) -> JSONValue {
    guard body.count >= 4, body[0...3] == [0x6B, 0x38, 0x73, 0x00] else {
      throw DecodeError(message: "missing k8s protobuf envelope")
    }
    var reader = Reader(bytes: body, index: 4, end: body.count)
    var apiVersion = ""
    var kind = ""
    var raw: ArraySlice<UInt8> = []
    while let (field, wire) = try reader.key() {
      switch (field, wire) {
      case (1, 2):
        var typeMeta = try reader.nested()
        while let (inner, innerWire) = try typeMeta.key() {
          if inner == 1, innerWire == 2 {
            apiVersion = try typeMeta.string()
          } else if inner == 2, innerWire == 2 {
            kind = try typeMeta.string()
          } else {
            try typeMeta.skip(innerWire)
          }
        }
      case (2, 2):
        raw = try reader.lengthDelimited()
      default:
        try reader.skip(wire)
      }
    }
    guard let schema = schemas[kind] else { throw DecodeError(message: "cannot decode protobuf for kind \(kind)") }
    var object = try decodeMessage(Reader(bytes: Array(raw), index: 0, end: raw.count), schema: schema) ?? [:]
    object["apiVersion"] = .string(apiVersion)
    object["kind"] = .string(kind)
    return object
  }

  private static func decodeMessage(_ reader: Reader, schema: [Int: Field]) throws(DecodeError) -> JSONValue? {
    var reader = reader
    var members: [String: JSONValue] = [:]
    while let (number, wire) = try reader.key() {
      guard let field = schema[number] else {
        try reader.skip(wire)
        continue
      }
      guard let value = try decodeValue(&reader, wire: wire, type: field.type) else { continue }
      if case .map = field.type, case .object(let entry) = value {
        var map = members[field.name]?.object ?? [:]
        for (key, item) in entry { map[key] = item }
        members[field.name] = .object(map)
      } else if field.repeated {
        members[field.name] = .array((members[field.name]?.array ?? []) + [value])
      } else {
        members[field.name] = value
      }
    }
    return members.isEmpty ? nil : .object(members)
  }

  private static func decodeValue(_ reader: inout Reader, wire: Int, type: FieldType) throws(DecodeError) -> JSONValue?
  {
    switch type {
    case .string, .quantity:
      let text = try reader.string()
      return text.isEmpty ? nil : .string(text)
    case .bytes:
      let bytes = try reader.lengthDelimited()
      return .string(Data(bytes).base64EncodedString())
    case .int:
      return .int(Int(truncatingIfNeeded: try reader.varint()))
    case .optionalInt:
      let value = Int(truncatingIfNeeded: try reader.varint())
      return value == 0 ? nil : .int(value)
    case .bool:
      return .bool(try reader.varint() != 0)
    case .time:
      var nested = try reader.nested()
      var seconds = 0
      while let (number, innerWire) = try nested.key() {
        if number == 1 { seconds = Int(truncatingIfNeeded: try nested.varint()) } else { try nested.skip(innerWire) }
      }
      return nested.end == nested.start ? nil : .string(RFC3339.seconds(Date(timeIntervalSince1970: Double(seconds))))
    case .intOrString:
      var nested = try reader.nested()
      var kind = 0
      var number = 0
      var text = ""
      while let (field, innerWire) = try nested.key() {
        switch field {
        case 1: kind = Int(truncatingIfNeeded: try nested.varint())
        case 2: number = Int(truncatingIfNeeded: try nested.varint())
        case 3: text = try nested.string()
        default: try nested.skip(innerWire)
        }
      }
      return kind == 1 ? .string(text) : .int(number)
    case .message(let name):
      let nested = try reader.nested()
      return try decodeMessage(nested, schema: schemas[name] ?? [:]) ?? .object([:])
    case .map(let valueType):
      var nested = try reader.nested()
      var key = ""
      var value: JSONValue = valueType.isText ? "" : .null
      while let (field, innerWire) = try nested.key() {
        switch field {
        case 1: key = try nested.string()
        case 2: value = try decodeValue(&nested, wire: innerWire, type: valueType) ?? (valueType.isText ? "" : .null)
        default: try nested.skip(innerWire)
        }
      }
      return .object([key: value])
    }
  }

  struct Reader {
    let bytes: [UInt8]
    var index: Int
    let end: Int
    var start: Int

    init(bytes: [UInt8], index: Int, end: Int) {
      self.bytes = bytes
      self.index = index
      self.end = end
      self.start = index
    }

    mutating func varint() throws(DecodeError) -> UInt64 {
      var result: UInt64 = 0
      var shift: UInt64 = 0
      while index < end {
        let byte = bytes[index]
        index += 1
        result |= UInt64(byte & 0x7F) << shift
        if byte & 0x80 == 0 { return result }
        shift += 7
        if shift > 63 { break }
      }
      throw DecodeError(message: "bad varint")
    }

    mutating func key() throws(DecodeError) -> (Int, Int)? {
      guard index < end else { return nil }
      let key = try varint()
      return (Int(key >> 3), Int(key & 7))
    }

    mutating func lengthDelimited() throws(DecodeError) -> ArraySlice<UInt8> {
      let length = Int(try varint())
      guard length >= 0, index + length <= end else { throw DecodeError(message: "truncated field") }
      defer { index += length }
      return bytes[index..<index + length]
    }

    mutating func nested() throws(DecodeError) -> Reader {
      let slice = try lengthDelimited()
      return Reader(bytes: bytes, index: slice.startIndex, end: slice.endIndex)
    }

    mutating func string() throws(DecodeError) -> String {
      String(decoding: try lengthDelimited(), as: UTF8.self)
    }

    mutating func skip(_ wire: Int) throws(DecodeError) {
      switch wire {
      case 0: _ = try varint()
      case 1: index += 8
      case 2: _ = try lengthDelimited()
      case 5: index += 4
      default: throw DecodeError(message: "unsupported wire type \(wire)")
      }
      guard index <= end else { throw DecodeError(message: "truncated field") }
    }
  }

  // MARK: Schemas (field numbers from k8s.io/api generated.proto)

  private static func f(_ name: String, _ type: FieldType, repeated: Bool = false) -> Field {
    Field(name: name, type: type, repeated: repeated)
  }

  static let schemas: [String: [Int: Field]] = [
    "ObjectMeta": [
      1: f("name", .string), 2: f("generateName", .string), 3: f("namespace", .string), 5: f("uid", .string),
      6: f("resourceVersion", .string), 7: f("generation", .optionalInt), 8: f("creationTimestamp", .time),
      9: f("deletionTimestamp", .time), 10: f("deletionGracePeriodSeconds", .optionalInt),
      11: f("labels", .map(.string)),
      12: f("annotations", .map(.string)), 13: f("ownerReferences", .message("OwnerReference"), repeated: true),
      14: f("finalizers", .string, repeated: true),
    ],
    "OwnerReference": [
      1: f("kind", .string), 3: f("name", .string), 4: f("uid", .string), 5: f("apiVersion", .string),
      6: f("controller", .bool), 7: f("blockOwnerDeletion", .bool),
    ],
    "ObjectReference": [
      1: f("kind", .string), 2: f("namespace", .string), 3: f("name", .string), 4: f("uid", .string),
      5: f("apiVersion", .string), 6: f("resourceVersion", .string), 7: f("fieldPath", .string),
    ],
    "LocalObjectReference": [1: f("name", .string)],
    "ConfigMap": [
      1: f("metadata", .message("ObjectMeta")), 2: f("data", .map(.string)), 3: f("binaryData", .map(.bytes)),
      4: f("immutable", .bool),
    ],
    "Secret": [
      1: f("metadata", .message("ObjectMeta")), 2: f("data", .map(.bytes)), 3: f("type", .string),
      4: f("stringData", .map(.string)), 5: f("immutable", .bool),
    ],
    "Namespace": [1: f("metadata", .message("ObjectMeta")), 2: f("spec", .message("NamespaceSpec"))],
    "NamespaceSpec": [1: f("finalizers", .string, repeated: true)],
    "ServiceAccount": [
      1: f("metadata", .message("ObjectMeta")), 2: f("secrets", .message("ObjectReference"), repeated: true),
      3: f("imagePullSecrets", .message("LocalObjectReference"), repeated: true),
      4: f("automountServiceAccountToken", .bool),
    ],
    "Service": [1: f("metadata", .message("ObjectMeta")), 2: f("spec", .message("ServiceSpec"))],
    "ServiceSpec": [
      1: f("ports", .message("ServicePort"), repeated: true), 2: f("selector", .map(.string)),
      3: f("clusterIP", .string),
      4: f("type", .string), 5: f("externalIPs", .string, repeated: true), 11: f("externalName", .string),
    ],
    "ServicePort": [
      1: f("name", .string), 2: f("protocol", .string), 3: f("port", .int), 4: f("targetPort", .intOrString),
      5: f("nodePort", .optionalInt),
    ],
    "Deployment": [1: f("metadata", .message("ObjectMeta")), 2: f("spec", .message("DeploymentSpec"))],
    "DeploymentSpec": [
      1: f("replicas", .int), 2: f("selector", .message("LabelSelector")),
      3: f("template", .message("PodTemplateSpec")),
      4: f("strategy", .message("DeploymentStrategy")),
    ],
    "DeploymentStrategy": [1: f("type", .string)],
    "LabelSelector": [
      1: f("matchLabels", .map(.string)),
      2: f("matchExpressions", .message("LabelSelectorRequirement"), repeated: true),
    ],
    "LabelSelectorRequirement": [
      1: f("key", .string), 2: f("operator", .string), 3: f("values", .string, repeated: true),
    ],
    "PodTemplateSpec": [1: f("metadata", .message("ObjectMeta")), 2: f("spec", .message("PodSpec"))],
    "PodSpec": [
      2: f("containers", .message("Container"), repeated: true), 3: f("restartPolicy", .string),
      4: f("terminationGracePeriodSeconds", .int), 6: f("dnsPolicy", .string), 7: f("nodeSelector", .map(.string)),
      8: f("serviceAccountName", .string), 10: f("nodeName", .string),
      20: f("initContainers", .message("Container"), repeated: true),
    ],
    "Container": [
      1: f("name", .string), 2: f("image", .string), 3: f("command", .string, repeated: true),
      4: f("args", .string, repeated: true), 5: f("workingDir", .string),
      6: f("ports", .message("ContainerPort"), repeated: true), 7: f("env", .message("EnvVar"), repeated: true),
      8: f("resources", .message("ResourceRequirements")), 13: f("terminationMessagePath", .string),
      14: f("imagePullPolicy", .string), 20: f("terminationMessagePolicy", .string),
    ],
    "ResourceRequirements": [1: f("limits", .map(.quantity)), 2: f("requests", .map(.quantity))],
    "ContainerPort": [
      1: f("name", .string), 2: f("hostPort", .optionalInt), 3: f("containerPort", .int), 4: f("protocol", .string),
    ],
    "EnvVar": [1: f("name", .string), 2: f("value", .string)],
    "SelfSubjectAccessReview": [
      1: f("metadata", .message("ObjectMeta")), 2: f("spec", .message("SelfSubjectAccessReviewSpec")),
    ],
    "SelfSubjectAccessReviewSpec": [
      1: f("resourceAttributes", .message("ResourceAttributes")),
      2: f("nonResourceAttributes", .message("NonResourceAttributes")),
    ],
    "ResourceAttributes": [
      1: f("namespace", .string), 2: f("verb", .string), 3: f("group", .string), 4: f("version", .string),
      5: f("resource", .string), 6: f("subresource", .string), 7: f("name", .string),
    ],
    "NonResourceAttributes": [1: f("path", .string), 2: f("verb", .string)],
    "SelfSubjectRulesReview": [
      1: f("metadata", .message("ObjectMeta")), 2: f("spec", .message("SelfSubjectRulesReviewSpec")),
    ],
    "SelfSubjectRulesReviewSpec": [1: f("namespace", .string)],
    "SelfSubjectReview": [1: f("metadata", .message("ObjectMeta"))],
    "Eviction": [1: f("metadata", .message("ObjectMeta"))],
  ]
}

extension Protobuf.FieldType {
  var isText: Bool {
    switch self {
    case .string, .quantity, .bytes: true
    default: false
    }
  }
}
