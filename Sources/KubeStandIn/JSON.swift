import Foundation

/// A JSON document as the stand-in stores and serves it. Reading and writing are Foundation's
/// (`JSONDecoder`/`JSONEncoder`); this type only keeps the shape.
///
/// Integers and floating-point numbers are kept apart so that `replicas: 3` round-trips as `3`.
/// Objects are unordered; serialization sorts keys (like Go's `map[string]interface{}`).
public enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])
}

// MARK: - Accessors

extension JSONValue {
  public var string: String? { if case .string(let s) = self { s } else { nil } }
  public var int: Int? {
    switch self {
    case .int(let i): i
    case .double(let d): Int(exactly: d)
    case .string(let s): Int(s)
    default: nil
    }
  }
  public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
  public var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
  public var object: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }
  public var isNull: Bool { self == .null }

  /// The member `key` of an object (nil for other values). Setting on a non-object makes it an object.
  public subscript(key: String) -> JSONValue? {
    get { object?[key] }
    set {
      var members = object ?? [:]
      members[key] = newValue
      self = .object(members)
    }
  }

  /// The value at a path of object keys, e.g. `value[path: "metadata", "name"]`.
  public subscript(path keys: String...) -> JSONValue? {
    get { self[keyPath: keys] }
    set { self[keyPath: keys] = newValue }
  }

  /// The value at a path of object keys given as an array.
  public subscript(keyPath keys: [String]) -> JSONValue? {
    get {
      var current: JSONValue? = self
      for key in keys { current = current?[key] }
      return current
    }
    set {
      guard let first = keys.first else {
        self = newValue ?? .null
        return
      }
      if keys.count == 1 {
        self[first] = newValue
        return
      }
      var child = self[first] ?? .object([:])
      child[keyPath: Array(keys.dropFirst())] = newValue
      self[first] = child
    }
  }
}

// MARK: - Literals

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
  public init(nilLiteral: ()) { self = .null }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(integerLiteral value: Int) { self = .int(value) }
  public init(floatLiteral value: Double) { self = .double(value) }
  public init(stringLiteral value: String) { self = .string(value) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
}

// MARK: - Foundation coding

extension JSONValue: Codable {
  /// Tries the JSON types from the most specific: a number that fits `Int` stays an integer.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Int.self) {
      self = .int(value)
    } else if let value = try? container.decode(Double.self) {
      self = .double(value)
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
    case .bool(let b): try container.encode(b)
    case .int(let i): try container.encode(i)
    case .double(let d):
      // JSON has no NaN or infinity; whole numbers are written without a fraction, as Go does.
      if !d.isFinite {
        try container.encodeNil()
      } else if let whole = Int(exactly: d), abs(whole) < 1_000_000_000_000_000 {
        try container.encode(whole)
      } else {
        try container.encode(d)
      }
    case .string(let s): try container.encode(s)
    case .array(let items): try container.encode(items)
    case .object(let members): try container.encode(members)
    }
  }
}

/// A JSON text that could not be parsed.
public struct JSONParseError: Error, CustomStringConvertible, Sendable {
  public let reason: String
  public var description: String { "invalid JSON: \(reason)" }
}

extension JSONValue {
  /// Parses one JSON document (surrounding whitespace allowed).
  public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
    try parse(Array(text.utf8))
  }

  /// Parses one JSON document from UTF-8 bytes.
  public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
    do {
      return try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    } catch {
      throw JSONParseError(reason: "\(error)")
    }
  }

  /// JSON with sorted keys; compact unless `pretty`.
  public func serialized(pretty: Bool = false) -> String {
    String(decoding: encoded(pretty: pretty), as: UTF8.self)
  }

  /// Compact JSON as UTF-8 bytes.
  public var jsonBytes: [UInt8] { Array(encoded(pretty: false)) }

  private func encoded(pretty: Bool) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting =
      pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
    // Cannot fail: every case encodes (non-finite doubles become null).
    return (try? encoder.encode(self)) ?? Data("null".utf8)
  }
}

extension JSONValue: CustomStringConvertible {
  public var description: String { serialized() }
}
