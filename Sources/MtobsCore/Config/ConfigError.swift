/// A configuration that cannot be used: `file:line: key: what is wrong`. Nothing runs after it.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
  public let path: String
  public let line: Int?
  public let key: String?
  public let message: String

  public init(path: String, line: Int?, key: String?, message: String) {
    self.path = path
    self.line = line
    self.key = key
    self.message = message
  }

  public var description: String {
    var location = path
    if let line { location += ":\(line)" }
    if let key { location += ": \(key)" }
    return "\(location): \(message)"
  }
}
