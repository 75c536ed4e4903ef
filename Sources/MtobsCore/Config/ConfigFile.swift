import Foundation
import Yams

/// One configuration file (`mtobs.yaml`, the user's `config.yaml`, or `--config FILE`), read and
/// checked: every key must be known and every value of the right type, or nothing runs.
public struct ConfigFile: Sendable, Equatable {
  public struct Entry: Sendable, Equatable {
    public let value: ConfigValue
    public let line: Int
  }

  public let path: String
  public let entries: [ConfigKey: Entry]

  /// Reads and validates the file at `path`.
  public static func load(path: String) throws(ConfigError) -> ConfigFile {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw ConfigError(
        path: path, line: nil, key: nil, message: "cannot read the file (\(error.localizedDescription))")
    }
    return try parse(text, path: path)
  }

  /// Validates YAML text; `path` is only used in messages.
  public static func parse(_ text: String, path: String) throws(ConfigError) -> ConfigFile {
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch let error as YamlError {
      throw ConfigError(path: path, line: error.line, key: nil, message: "invalid YAML: \(error.problem)")
    } catch {
      throw ConfigError(path: path, line: nil, key: nil, message: "invalid YAML: \(error)")
    }
    guard let root else { return ConfigFile(path: path, entries: [:]) }  // an empty file sets nothing
    guard case .mapping(let mapping) = root else {
      throw ConfigError(
        path: path, line: root.mark?.line, key: nil, message: "expected a mapping of keys at the top level")
    }
    var entries: [ConfigKey: Entry] = [:]
    try collect(mapping, prefix: "", path: path, into: &entries)
    return ConfigFile(path: path, entries: entries)
  }

  private static func collect(
    _ mapping: Node.Mapping, prefix: String, path: String, into entries: inout [ConfigKey: Entry]
  ) throws(ConfigError) {
    for (keyNode, valueNode) in mapping {
      let line = keyNode.mark?.line
      guard let keyText = keyNode.scalar?.string else {
        throw ConfigError(path: path, line: line, key: nil, message: "keys must be plain names")
      }
      let name = prefix + keyText
      if let key = ConfigKey.named(name) {
        let value = try value(of: valueNode, for: key, path: path)
        entries[key] = Entry(value: value, line: line ?? 0)
      } else if ConfigKey.all.contains(where: { $0.name.hasPrefix(name + ".") }) {
        guard case .mapping(let nested) = valueNode else {
          throw ConfigError(
            path: path, line: line, key: name,
            message: "expected a mapping of \(name).* keys, got \(valueNode.kindName)")
        }
        try collect(nested, prefix: name + ".", path: path, into: &entries)
      } else {
        let known = ConfigKey.all.map(\.name)
        let hint = Suggestions.closest(to: name, among: known).first.map { " (did you mean '\($0)'?)" } ?? ""
        throw ConfigError(path: path, line: line, key: name, message: "unknown key\(hint)")
      }
    }
  }

  private static func value(of node: Node, for key: ConfigKey, path: String) throws(ConfigError) -> ConfigValue {
    let line = node.mark?.line
    switch (key.kind, node) {
    case (.stringList, .sequence(let items)):
      var strings: [String] = []
      for item in items {
        guard let text = item.scalar?.string else {
          throw ConfigError(path: path, line: item.mark?.line, key: key.name, message: "expected a list of strings")
        }
        strings.append(text)
      }
      return .list(strings)
    case (_, .scalar(let scalar)):
      switch ConfigValue.parse(scalar.string, as: key.kind) {
      case .success(let value): return value
      case .failure(let problem):
        throw ConfigError(path: path, line: line, key: key.name, message: problem.message)
      }
    default:
      throw ConfigError(
        path: path, line: line, key: key.name, message: "expected a \(key.kind.rawValue), got \(node.kindName)")
    }
  }
}

extension Node {
  fileprivate var kindName: String {
    switch self {
    case .scalar: "a scalar"
    case .mapping: "a mapping"
    case .sequence: "a list"
    case .alias: "an alias"
    }
  }
}

extension YamlError {
  fileprivate var line: Int? {
    switch self {
    case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
    case .duplicatedKeysInMapping(_, let context): context.mark.line
    default: nil
    }
  }

  fileprivate var problem: String {
    switch self {
    case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
      .composer(let context, let problem, _, _):
      [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
    case .duplicatedKeysInMapping(let duplicates, _):
      "duplicated key \(duplicates.joined(separator: ", "))"
    default: String(describing: self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
  }
}
