/// Parses JSON bytes into a `JSONValue` (RFC 8259, UTF-8).
///
/// Written by hand because Foundation decodes an untyped tree slowly: `JSONDecoder` through
/// `JSONValue`'s `Codable` conformance tries each type in turn and builds an error for every miss,
/// and `JSONSerialization` is no faster; both read a 23-pod list (22 KB) in about 6 ms, which a
/// namespace of 230 pods turns into 60 ms on the path of every `health` run. This reads the bytes
/// once. Outside input never traps: malformed text, invalid UTF-8 and nesting deeper than
/// `maximumDepth` are errors.
struct JSONParser {
  struct Failure: Error, Equatable {
    var offset: Int
    var reason: String
  }

  /// Deeper documents are refused rather than risking the stack.
  static let maximumDepth = 512

  private let bytes: [UInt8]
  private var index = 0
  private var depth = 0

  private init(_ bytes: [UInt8]) { self.bytes = bytes }

  static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
    var parser = JSONParser(bytes)
    // A byte order mark before the document is allowed, as Foundation allows it.
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
    parser.skipWhitespace()
    let value = try parser.value()
    parser.skipWhitespace()
    guard parser.index == bytes.count else { throw parser.failure("unexpected text after the document") }
    return value
  }

  private func failure(_ reason: String) -> Failure { Failure(offset: index, reason: reason) }

  private mutating func skipWhitespace() {
    while index < bytes.count,
      bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09
    {
      index += 1
    }
  }

  private mutating func value() throws(Failure) -> JSONValue {
    guard index < bytes.count else { throw failure("unexpected end") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try object()
    case UInt8(ascii: "["): return try array()
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): return try literal("true", .bool(true))
    case UInt8(ascii: "f"): return try literal("false", .bool(false))
    case UInt8(ascii: "n"): return try literal("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
    default: throw failure("unexpected character")
    }
  }

  private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(Failure) -> JSONValue {
    let count = word.utf8CodeUnitCount
    guard index + count <= bytes.count else { throw failure("unexpected end") }
    for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
      throw failure("unexpected character")
    }
    index += count
    return value
  }

  private mutating func enter() throws(Failure) {
    depth += 1
    guard depth <= Self.maximumDepth else { throw failure("nested deeper than \(Self.maximumDepth) levels") }
    index += 1
  }

  private mutating func object() throws(Failure) -> JSONValue {
    try enter()
    var fields: [String: JSONValue] = [:]
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      depth -= 1
      return .object(fields)
    }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a key") }
      let key = try string()
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
      index += 1
      skipWhitespace()
      let member = try value()
      // A repeated name keeps its first value, as Foundation's decoder did before this parser.
      if fields[key] == nil { fields[key] = member }
      skipWhitespace()
      guard index < bytes.count else { throw failure("unexpected end") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        // A trailing comma is accepted, as Foundation accepts it.
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
          index += 1
          depth -= 1
          return .object(fields)
        }
        continue
      }
      guard bytes[index] == UInt8(ascii: "}") else { throw failure("expected ',' or '}'") }
      index += 1
      depth -= 1
      return .object(fields)
    }
  }

  private mutating func array() throws(Failure) -> JSONValue {
    try enter()
    var elements: [JSONValue] = []
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      depth -= 1
      return .array(elements)
    }
    while true {
      skipWhitespace()
      elements.append(try value())
      skipWhitespace()
      guard index < bytes.count else { throw failure("unexpected end") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
          index += 1
          depth -= 1
          return .array(elements)
        }
        continue
      }
      guard bytes[index] == UInt8(ascii: "]") else { throw failure("expected ',' or ']'") }
      index += 1
      depth -= 1
      return .array(elements)
    }
  }

  private mutating func string() throws(Failure) -> String {
    index += 1  // the opening quote
    let start = index
    // The common case: no escapes, so the bytes are the string.
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        let text = try utf8(bytes[start..<index])
        index += 1
        return text
      }
      if byte == UInt8(ascii: "\\") { break }
      guard byte >= 0x20 else { throw failure("control character in a string") }
      index += 1
    }
    var buffer = Array(bytes[start..<index])
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\""):
        index += 1
        return try utf8(buffer[...])
      case UInt8(ascii: "\\"):
        index += 1
        guard index < bytes.count else { throw failure("unexpected end") }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"): buffer.append(contentsOf: try unicodeEscape())
        default: throw failure("unknown escape")
        }
      default:
        guard byte >= 0x20 else { throw failure("control character in a string") }
        buffer.append(byte)
        index += 1
      }
    }
    throw failure("unterminated string")
  }

  /// `\uXXXX` (after the `u`), with a surrogate pair's second half; unpaired halves become U+FFFD,
  /// as Foundation does.
  private mutating func unicodeEscape() throws(Failure) -> [UInt8] {
    let first = try hex4()
    var scalar: Unicode.Scalar?
    if (0xD800..<0xDC00).contains(first), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
      bytes[index + 1] == UInt8(ascii: "u")
    {
      let saved = index
      index += 2
      let second = try hex4()
      if (0xDC00..<0xE000).contains(second) {
        scalar = Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
      } else {
        index = saved
      }
    } else {
      scalar = Unicode.Scalar(first)
    }
    return Array(String(Character(scalar ?? "\u{FFFD}")).utf8)
  }

  private mutating func hex4() throws(Failure) -> UInt32 {
    guard index + 4 <= bytes.count else { throw failure("unexpected end") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: throw failure("bad \\u escape")
      }
      value = value << 4 | UInt32(digit)
      index += 1
    }
    return value
  }

  private func utf8(_ slice: ArraySlice<UInt8>) throws(Failure) -> String {
    guard let text = String(validating: slice, as: UTF8.self) else { throw failure("invalid UTF-8 in a string") }
    return text
  }

  /// RFC 8259's number grammar, read by `Double` once the extent is known.
  private mutating func number() throws(Failure) -> Double {
    let start = index
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard index < bytes.count, isDigit(bytes[index]) else { throw failure("bad number") }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
    } else {
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard index < bytes.count, isDigit(bytes[index]) else { throw failure("bad number") }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
      guard index < bytes.count, isDigit(bytes[index]) else { throw failure("bad number") }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    // The grammar above admits only ASCII, so this String is exact.
    let text = bytes[start..<index]
    guard let value = Double(String(decoding: text, as: UTF8.self)), value.isFinite else {
      throw failure("number out of range")
    }
    // Too small to hold (1e-400) is out of range too, as Foundation has it, rather than zero.
    if value == 0,
      text.prefix(while: { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }).contains(where: {
        $0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "9")
      })
    {
      throw failure("number out of range")
    }
    return value
  }

  private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
