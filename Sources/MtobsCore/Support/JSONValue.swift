import Foundation

/// Any JSON document, for Kubernetes objects whose shape mtobs reads only in part.
///
/// Hand-written (a few lines) because Foundation's `JSONSerialization` returns untyped `Any`,
/// which is neither `Sendable` nor `Equatable`; this keeps snapshots and bundles plain values.
public enum JSONValue: Sendable, Hashable, Codable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let value): try container.encode(value)
    case .number(let value):
      if value.rounded() == value, abs(value) < 1e15 {
        try container.encode(Int64(value))
      } else {
        try container.encode(value)
      }
    case .string(let value): try container.encode(value)
    case .array(let value): try container.encode(value)
    case .object(let value): try container.encode(value)
    }
  }

  /// Parses a JSON document (`JSONParser`: one pass over the bytes).
  public static func decode(_ bytes: [UInt8]) throws -> JSONValue {
    try JSONParser.parse(bytes)
  }

  /// `value["metadata"]["name"]`, nil-safe all the way down.
  public subscript(key: String) -> JSONValue? {
    if case .object(let object) = self { return object[key] }
    return nil
  }

  public subscript(path keys: String...) -> JSONValue? {
    keys.reduce(Optional(self)) { value, key in value?[key] }
  }

  public var string: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// A whole number JSON can carry exactly (±2^53); nil for fractions and anything larger, which
  /// a converting `Int(_:)` would trap on.
  public var int: Int? {
    guard case .number(let value) = self, abs(value) <= 9_007_199_254_740_992 else { return nil }
    return Int(exactly: value)
  }

  public var bool: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  public var array: [JSONValue]? {
    if case .array(let value) = self { return value }
    return nil
  }

  public var object: [String: JSONValue]? {
    if case .object(let value) = self { return value }
    return nil
  }
}
