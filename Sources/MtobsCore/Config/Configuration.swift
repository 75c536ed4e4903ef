/// The effective configuration: every key's value and where it came from.
///
/// Built by a pure merge of layers, highest precedence first: flags, environment, the explicit
/// `--config` file, the repository's `mtobs.yaml`, the user's `config.yaml`, built-in defaults.
public struct Configuration: Sendable, Equatable {
  public struct Setting: Sendable, Equatable {
    public let key: ConfigKey
    public let value: ConfigValue?
    public let origin: ConfigOrigin
  }

  /// A value given on the command line, with the flag's spelling for `mtobs config`.
  public struct FlagValue: Sendable, Equatable {
    public let key: ConfigKey
    public let text: String
    public let flag: String
    public init(key: ConfigKey, text: String, flag: String) {
      self.key = key
      self.text = text
      self.flag = flag
    }
  }

  public let settings: [Setting]
  /// The files that were read, lowest precedence first.
  public let files: [String]

  /// Merges the layers. `files` are ordered lowest precedence first.
  public static func resolve(
    flags: [FlagValue], environment: [String: String], files: [ConfigFile]
  ) throws(ConfigError) -> Configuration {
    var settings: [Setting] = []
    for key in ConfigKey.all {
      if let flag = flags.last(where: { $0.key == key }) {
        settings.append(
          Setting(key: key, value: try parse(flag.text, key: key, source: flag.flag), origin: .flag(flag.flag)))
      } else if let variable = key.environmentVariable, let text = environment[variable], !text.isEmpty {
        settings.append(
          Setting(key: key, value: try parse(text, key: key, source: variable), origin: .environment(variable)))
      } else if let file = files.last(where: { $0.entries[key] != nil }), let entry = file.entries[key] {
        settings.append(Setting(key: key, value: entry.value, origin: .file(path: file.path, line: entry.line)))
      } else {
        settings.append(Setting(key: key, value: key.defaultValue, origin: .builtIn))
      }
    }
    return Configuration(settings: settings, files: files.map(\.path))
  }

  private static func parse(_ text: String, key: ConfigKey, source: String) throws(ConfigError) -> ConfigValue {
    switch ConfigValue.parse(text, as: key.kind) {
    case .success(let value): return value
    case .failure(let problem): throw ConfigError(path: source, line: nil, key: key.name, message: problem.message)
    }
  }

  /// The built-in defaults alone.
  public static let defaults = Configuration(
    settings: ConfigKey.all.map { Setting(key: $0, value: $0.defaultValue, origin: .builtIn) }, files: [])

  public func setting(_ key: ConfigKey) -> Setting {
    // Every key is resolved, so this cannot miss; fall back to the default to keep callers total.
    settings.first { $0.key == key } ?? Setting(key: key, value: key.defaultValue, origin: .builtIn)
  }

  public func string(_ key: ConfigKey) -> String? {
    if case .string(let text)? = setting(key).value { return text }
    return nil
  }

  /// The value of a string key that has a built-in default: never nil, and the default is stated
  /// once, in `ConfigKey`, not again at each use. A key without a default answers "".
  public func text(_ key: ConfigKey) -> String {
    if case .string(let text)? = setting(key).value { return text }
    if case .string(let text)? = key.defaultValue { return text }
    return ""
  }

  public func port(_ key: ConfigKey) -> Int {
    if case .port(let port)? = setting(key).value { return port }
    if case .port(let port)? = key.defaultValue { return port }
    preconditionFailure("\(key) is not a port key")
  }

  public func duration(_ key: ConfigKey) -> Duration {
    if case .duration(let duration)? = setting(key).value { return duration }
    if case .duration(let duration)? = key.defaultValue { return duration }
    preconditionFailure("\(key) is not a duration key")
  }

  public func list(_ key: ConfigKey) -> [String] {
    if case .list(let items)? = setting(key).value { return items }
    return []
  }
}
