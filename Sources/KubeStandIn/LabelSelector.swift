import Foundation

/// A parsed `labelSelector` query parameter (the syntax of `k8s.io/apimachinery/pkg/labels`):
/// `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<1`; commas mean AND.
public struct LabelSelector: Sendable, Equatable {
  public enum Operator: Sendable, Equatable {
    case equals(String)
    case notEquals(String)
    case `in`([String])
    case notIn([String])
    case exists
    case doesNotExist
    case greaterThan(Int)
    case lessThan(Int)
  }

  public struct Requirement: Sendable, Equatable {
    public var key: String
    public var op: Operator
  }

  public var requirements: [Requirement]

  /// An empty selector matches everything.
  public init(parsing text: String) throws(SelectorError) {
    requirements = []
    for part in Self.splitTopLevel(text) {
      let trimmed = part.trimmingSpaces
      if trimmed.isEmpty {
        if text.trimmingSpaces.isEmpty { continue }
        throw SelectorError("found ',', expected: identifier")
      }
      requirements.append(try Self.requirement(trimmed))
    }
  }

  public func matches(_ labels: [String: String]) -> Bool {
    requirements.allSatisfy { requirement in
      let value = labels[requirement.key]
      switch requirement.op {
      case .equals(let expected): return value == expected
      case .notEquals(let unexpected): return value != unexpected
      case .in(let values): return value.map(values.contains) ?? false
      case .notIn(let values): return !(value.map(values.contains) ?? false)
      case .exists: return value != nil
      case .doesNotExist: return value == nil
      case .greaterThan(let bound): return value.flatMap { Int($0) }.map { $0 > bound } ?? false
      case .lessThan(let bound): return value.flatMap { Int($0) }.map { $0 < bound } ?? false
      }
    }
  }

  /// Splits on commas that are not inside parentheses.
  static func splitTopLevel(_ text: String) -> [String] {
    var parts: [String] = []
    var current = ""
    var depth = 0
    for char in text {
      switch char {
      case "(": depth += 1; current.append(char)
      case ")": depth -= 1; current.append(char)
      case "," where depth == 0: parts.append(current); current = ""
      default: current.append(char)
      }
    }
    parts.append(current)
    return parts
  }

  private static func isKeyCharacter(_ c: Character) -> Bool {
    c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || c == "." || c == "/")
  }

  private static func requirement(_ text: String) throws(SelectorError) -> Requirement {
    if text.hasPrefix("!") {
      let key = String(text.dropFirst()).trimmingSpaces
      guard !key.isEmpty, key.allSatisfy(isKeyCharacter) else { throw SelectorError("invalid label key \"\(key)\"") }
      return Requirement(key: key, op: .doesNotExist)
    }
    let key = String(text.prefix(while: isKeyCharacter))
    guard !key.isEmpty else { throw SelectorError("unable to parse requirement: \"\(text)\"") }
    let rest = String(text.dropFirst(key.count)).trimmingSpaces
    func value(after prefix: Int) throws(SelectorError) -> String {
      let v = String(rest.dropFirst(prefix)).trimmingSpaces
      guard v.allSatisfy({ isKeyCharacter($0) }) else { throw SelectorError("invalid label value: \"\(v)\"") }
      return v
    }
    if rest.isEmpty { return Requirement(key: key, op: .exists) }
    if rest.hasPrefix("!=") { return Requirement(key: key, op: .notEquals(try value(after: 2))) }
    if rest.hasPrefix("==") { return Requirement(key: key, op: .equals(try value(after: 2))) }
    if rest.hasPrefix("=") { return Requirement(key: key, op: .equals(try value(after: 1))) }
    if rest.hasPrefix(">") || rest.hasPrefix("<") {
      guard let bound = Int(String(rest.dropFirst()).trimmingSpaces) else {
        throw SelectorError("for 'Gt', 'Lt' operators, the value must be an integer")
      }
      return Requirement(key: key, op: rest.hasPrefix(">") ? .greaterThan(bound) : .lessThan(bound))
    }
    for (word, negated) in [("notin", true), ("in", false)] where rest.hasPrefix(word) {
      let list = String(rest.dropFirst(word.count)).trimmingSpaces
      guard list.hasPrefix("("), list.hasSuffix(")") else { throw SelectorError("found '\(list)', expected: '('") }
      let values = list.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false).map {
        String($0).trimmingSpaces
      }
      return Requirement(key: key, op: negated ? .notIn(values) : .in(values))
    }
    throw SelectorError("unable to parse requirement: found '\(rest)', expected: in, notin, =, ==, !=, gt, lt")
  }
}

/// A parsed `fieldSelector`: `path=value`, `path==value`, `path!=value`, comma = AND.
/// Any dotted path into the object is accepted (the real server accepts only a few per kind).
public struct FieldSelector: Sendable, Equatable {
  public struct Requirement: Sendable, Equatable {
    public var path: [String]
    public var value: String
    public var negated: Bool
  }

  public var requirements: [Requirement]

  public init(parsing text: String) throws(SelectorError) {
    requirements = []
    for part in Self.splitUnescaped(text, on: ",") where !part.trimmingSpaces.isEmpty {
      let negated: Bool
      let pieces: [String]
      if let range = part.range(of: "!=") {
        negated = true
        pieces = [String(part[..<range.lowerBound]), String(part[range.upperBound...])]
      } else if let range = part.range(of: "==") {
        negated = false
        pieces = [String(part[..<range.lowerBound]), String(part[range.upperBound...])]
      } else if let range = part.range(of: "=") {
        negated = false
        pieces = [String(part[..<range.lowerBound]), String(part[range.upperBound...])]
      } else {
        throw SelectorError("invalid selector: '\(part)'; can't understand '\(part)'")
      }
      let path = pieces[0].trimmingSpaces.split(separator: ".").map(String.init)
      guard !path.isEmpty else { throw SelectorError("invalid field selector: '\(part)'") }
      requirements.append(Requirement(path: path, value: Self.unescape(pieces[1].trimmingSpaces), negated: negated))
    }
  }

  public func matches(_ object: JSONValue) -> Bool {
    requirements.allSatisfy { requirement in
      let actual: String
      switch object[keyPath: requirement.path] {
      case .string(let s): actual = s
      case nil, .null: actual = ""
      case .some(let other): actual = other.serialized()
      }
      return (actual == requirement.value) != requirement.negated
    }
  }

  /// The value required for `metadata.name` (used to answer single-object watches cheaply).
  var requiredName: String? {
    requirements.first { $0.path == ["metadata", "name"] && !$0.negated }?.value
  }

  static func splitUnescaped(_ text: String, on separator: Character) -> [String] {
    var parts: [String] = []
    var current = ""
    var escaped = false
    for char in text {
      if escaped {
        current.append("\\")
        current.append(char)
        escaped = false
      } else if char == "\\" {
        escaped = true
      } else if char == separator {
        parts.append(current)
        current = ""
      } else {
        current.append(char)
      }
    }
    parts.append(current)
    return parts
  }

  static func unescape(_ text: String) -> String {
    var out = ""
    var escaped = false
    for char in text {
      if escaped {
        out.append(char)
        escaped = false
      } else if char == "\\" {
        escaped = true
      } else {
        out.append(char)
      }
    }
    return out
  }
}

/// A selector the server cannot parse; answered with 400 BadRequest.
public struct SelectorError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String
  init(_ message: String) { self.message = message }
  public var description: String { message }
}

extension StringProtocol {
  var trimmingSpaces: String {
    var slice = Substring(self)
    while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
    while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
    return String(slice)
  }
}
