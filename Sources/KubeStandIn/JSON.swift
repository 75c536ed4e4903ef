/// A JSON document as the stand-in stores and serves it.
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
    case .double(let d) where d.rounded() == d && abs(d) < 9e15: Int(d)
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

extension JSONValue {
  /// Converts Foundation-style values (`[String: Any]`, `[Any]`, `String`, `Int`, `Double`, `Bool`, `nil`).
  /// Anything else becomes its string description.
  public init(any value: Any?) {
    switch value {
    case nil: self = .null
    case let v as JSONValue: self = v
    case let v as Bool: self = .bool(v)
    case let v as Int: self = .int(v)
    case let v as Int64: self = .int(Int(v))
    case let v as Int32: self = .int(Int(v))
    case let v as UInt: self = .int(Int(v))
    case let v as Double: self = .double(v)
    case let v as Float: self = .double(Double(v))
    case let v as String: self = .string(v)
    case let v as Substring: self = .string(String(v))
    case let v as [Any?]: self = .array(v.map { JSONValue(any: $0) })
    case let v as [String: Any?]: self = .object(v.mapValues { JSONValue(any: $0) })
    case let v as [AnyHashable: Any?]:
      self = .object(
        Dictionary(v.map { ("\($0.key.base)", JSONValue(any: $0.value)) }, uniquingKeysWith: { a, _ in a }))
    case .some(let other):
      if "\(type(of: other))" == "NSNull" { self = .null } else { self = .string("\(other)") }
    }
  }

  /// The value as Foundation-style `Any` (`[String: Any]`, `[Any]`, `String`, `Int`, `Double`, `Bool`, or `Optional<Any>.none` for null).
  public var anyValue: Any? {
    switch self {
    case .null: nil
    case .bool(let b): b
    case .int(let i): i
    case .double(let d): d
    case .string(let s): s
    case .array(let a): a.map(\.anyValue) as [Any?]
    case .object(let o): o.mapValues(\.anyValue) as [String: Any?]
    }
  }
}

// MARK: - Serialization

extension JSONValue {
  /// Compact JSON with sorted keys.
  public func serialized(pretty: Bool = false) -> String {
    var out = ""
    out.reserveCapacity(256)
    write(to: &out, pretty: pretty, indent: 0)
    return out
  }

  /// Compact JSON as UTF-8 bytes.
  public var jsonBytes: [UInt8] { Array(serialized().utf8) }

  private func write(to out: inout String, pretty: Bool, indent: Int) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .double(let d):
      if d.isNaN || d.isInfinite {
        out += "null"
      } else if d.rounded() == d && abs(d) < 1e15 {
        out += String(Int(d))
      } else {
        out += "\(d)"
      }
    case .string(let s): Self.writeString(s, to: &out)
    case .array(let items):
      if items.isEmpty {
        out += "[]"
        return
      }
      out += "["
      for (index, item) in items.enumerated() {
        if index > 0 { out += "," }
        if pretty { Self.newline(&out, indent + 1) }
        item.write(to: &out, pretty: pretty, indent: indent + 1)
      }
      if pretty { Self.newline(&out, indent) }
      out += "]"
    case .object(let members):
      if members.isEmpty {
        out += "{}"
        return
      }
      out += "{"
      for (index, key) in members.keys.sorted().enumerated() {
        if index > 0 { out += "," }
        if pretty { Self.newline(&out, indent + 1) }
        Self.writeString(key, to: &out)
        out += pretty ? ": " : ":"
        members[key]!.write(to: &out, pretty: pretty, indent: indent + 1)
      }
      if pretty { Self.newline(&out, indent) }
      out += "}"
    }
  }

  private static func newline(_ out: inout String, _ indent: Int) {
    out += "\n"
    out += String(repeating: "  ", count: indent)
  }

  private static func writeString(_ s: String, to out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    out += "\""
  }
}

extension JSONValue: CustomStringConvertible {
  public var description: String { serialized() }
}

// MARK: - Parsing

/// A JSON text that could not be parsed.
public struct JSONParseError: Error, CustomStringConvertible, Sendable {
  public let offset: Int
  public let reason: String
  public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

extension JSONValue {
  /// Parses one JSON document (surrounding whitespace allowed).
  public static func parse(_ text: String) throws -> JSONValue {
    try parse(Array(text.utf8))
  }

  /// Parses one JSON document from UTF-8 bytes.
  public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
    var parser = JSONParser(bytes: bytes)
    parser.skipWhitespace()
    let value = try parser.parseValue(depth: 0)
    parser.skipWhitespace()
    guard parser.index == bytes.count else { throw parser.error("trailing characters") }
    return value
  }
}

private struct JSONParser {
  let bytes: [UInt8]
  var index = 0

  init(bytes: [UInt8]) { self.bytes = bytes }

  func error(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

  mutating func skipWhitespace() {
    while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
  }

  mutating func parseValue(depth: Int) throws -> JSONValue {
    guard depth < 512 else { throw error("nesting too deep") }
    guard index < bytes.count else { throw error("unexpected end") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try parseObject(depth: depth)
    case UInt8(ascii: "["): return try parseArray(depth: depth)
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): try expect("true"); return .bool(true)
    case UInt8(ascii: "f"): try expect("false"); return .bool(false)
    case UInt8(ascii: "n"): try expect("null"); return .null
    default: return try parseNumber()
    }
  }

  mutating func expect(_ word: String) throws {
    for byte in word.utf8 {
      guard index < bytes.count, bytes[index] == byte else { throw error("expected \(word)") }
      index += 1
    }
  }

  mutating func parseObject(depth: Int) throws -> JSONValue {
    index += 1
    var members: [String: JSONValue] = [:]
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
      let key = try parseString()
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
      index += 1
      skipWhitespace()
      members[key] = try parseValue(depth: depth + 1)
      skipWhitespace()
      guard index < bytes.count else { throw error("unterminated object") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
      } else if bytes[index] == UInt8(ascii: "}") {
        index += 1
        return .object(members)
      } else {
        throw error("expected ',' or '}'")
      }
    }
  }

  mutating func parseArray(depth: Int) throws -> JSONValue {
    index += 1
    var items: [JSONValue] = []
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      return .array(items)
    }
    while true {
      skipWhitespace()
      items.append(try parseValue(depth: depth + 1))
      skipWhitespace()
      guard index < bytes.count else { throw error("unterminated array") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
      } else if bytes[index] == UInt8(ascii: "]") {
        index += 1
        return .array(items)
      } else {
        throw error("expected ',' or ']'")
      }
    }
  }

  mutating func parseString() throws -> String {
    index += 1
    var runStart = index
    var text = ""
    func flushRun(_ end: Int) {
      if end > runStart { text += String(decoding: bytes[runStart..<end], as: UTF8.self) }
    }
    while true {
      guard index < bytes.count else { throw error("unterminated string") }
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        flushRun(index)
        index += 1
        return text
      }
      if byte == UInt8(ascii: "\\") {
        flushRun(index)
        index += 1
        guard index < bytes.count else { throw error("unterminated escape") }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""): text += "\""
        case UInt8(ascii: "\\"): text += "\\"
        case UInt8(ascii: "/"): text += "/"
        case UInt8(ascii: "b"): text += "\u{08}"
        case UInt8(ascii: "f"): text += "\u{0C}"
        case UInt8(ascii: "n"): text += "\n"
        case UInt8(ascii: "r"): text += "\r"
        case UInt8(ascii: "t"): text += "\t"
        case UInt8(ascii: "u"):
          var code = try parseHex4()
          if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
            bytes[index + 1] == UInt8(ascii: "u")
          {
            index += 2
            let low = try parseHex4()
            if (0xDC00..<0xE000).contains(low) {
              code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
          }
          text.unicodeScalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
        default: throw error("bad escape")
        }
        runStart = index
        continue
      }
      index += 1
    }
  }

  mutating func parseHex4() throws -> UInt32 {
    guard index + 4 <= bytes.count else { throw error("short \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
      default: throw error("bad hex digit")
      }
      value = value * 16 + digit
      index += 1
    }
    return value
  }

  mutating func parseNumber() throws -> JSONValue {
    let start = index
    var isInteger = true
    while index < bytes.count {
      let byte = bytes[index]
      if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
        || byte == UInt8(ascii: "+")
      {
        index += 1
      } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
        isInteger = false
        index += 1
      } else {
        break
      }
    }
    let text = String(decoding: bytes[start..<index], as: UTF8.self)
    guard !text.isEmpty else { throw error("unexpected character") }
    if isInteger, let value = Int(text) { return .int(value) }
    guard let value = Double(text) else { throw error("bad number \(text)") }
    return .double(value)
  }
}
