import Foundation

/// A typed configuration value.
public enum ConfigValue: Hashable, Sendable, CustomStringConvertible {
  case string(String)
  case port(Int)
  case duration(Duration)
  case list([String])

  public var description: String {
    switch self {
    case .string(let text): text
    case .port(let port): String(port)
    case .duration(let duration): DurationText.format(duration)
    case .list(let items): items.joined(separator: ",")
    }
  }

  /// Reads `text` as a value of `kind`, or says in a few words why it cannot.
  public static func parse(_ text: String, as kind: ConfigKey.Kind) -> Result<ConfigValue, ConfigProblem> {
    switch kind {
    case .string:
      return text.isEmpty ? .failure(.init("must not be empty")) : .success(.string(text))
    case .port:
      guard let port = Int(text), (1...65535).contains(port) else {
        return .failure(.init("expected a port number (1-65535), got '\(text)'"))
      }
      return .success(.port(port))
    case .duration:
      switch DurationText.read(text) {
      case .success(let duration) where duration > .zero: return .success(.duration(duration))
      case .failure(.tooLarge): return .failure(.init("\(DurationText.Problem.tooLarge), got '\(text)'"))
      default: return .failure(.init("expected a duration such as 10s, 500ms or 2m, got '\(text)'"))
      }
    case .stringList:
      let items = text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
      return .success(.list(items.filter { !$0.isEmpty }))
    }
  }
}

/// Why a value was refused (the caller adds where it came from).
public struct ConfigProblem: Error, Hashable, Sendable {
  public let message: String
  public init(_ message: String) { self.message = message }
}

/// Where an effective value came from, as `mtobs config` shows it.
public enum ConfigOrigin: Hashable, Sendable, CustomStringConvertible {
  case flag(String)
  case environment(String)
  case file(path: String, line: Int)
  case builtIn

  public var description: String {
    switch self {
    case .flag(let name): "flag \(name)"
    case .environment(let name): "env \(name)"
    case .file(let path, let line): "\(path):\(line)"
    case .builtIn: "default"
    }
  }
}
