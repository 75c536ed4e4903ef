import Foundation

/// One external command, as a value: what runs, what `--verbose` echoes and what `--dry-run`
/// prints are all made from the same `Invocation`, so users see exactly what runs.
public struct Invocation: Sendable, Equatable {
  /// An absolute path, or a name looked up on `PATH` when run.
  public var executable: String
  public var arguments: [String]
  /// Variables added to (or replacing those of) mtobs's own environment.
  public var environment: [String: String]
  /// Values never to print (tokens, passwords); `display` shows `***` instead.
  public var secrets: [String]
  /// True when running it changes the cluster; `--dry-run` prints it instead of running it.
  public var mutates: Bool
  public var standardInput: [UInt8]?

  public init(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:], secrets: [String] = [],
    mutates: Bool = false, standardInput: [UInt8]? = nil
  ) {
    self.executable = executable
    self.arguments = arguments
    self.environment = environment
    self.secrets = secrets
    self.mutates = mutates
    self.standardInput = standardInput
  }

  /// The command line, shell-quoted and copy-pasteable, with secrets masked.
  public var display: String {
    let words = [executable] + arguments.enumerated().map { index, argument in masked(argument, at: index) }
    let assignments = environment.keys.sorted().map { key in
      "\(key)=\(ShellQuoting.quote(secrets.contains(environment[key] ?? "") ? "***" : environment[key] ?? ""))"
    }
    return (assignments + words.map(ShellQuoting.quote)).joined(separator: " ")
  }

  /// Flags whose value is a credential whatever it is.
  private static let credentialFlags = ["--token", "--password", "--client-key-data", "--username-password"]

  /// Flags whose value is `key=value`, where the key says whether the value is a credential
  /// (`helm --set grafana.adminPassword=…` from a skaffold.yaml's setValues).
  private static let assignmentFlags = ["--set", "--set-string", "--set-literal", "--set-file"]
  private static let credentialWords = ["password", "passwd", "token", "secret", "apikey", "api-key", "credential"]

  static func looksLikeCredential(_ key: String) -> Bool {
    let lower = key.lowercased()
    return credentialWords.contains { lower.contains($0) }
  }

  private func masked(_ argument: String, at index: Int) -> String {
    for flag in Self.credentialFlags {
      if argument.hasPrefix(flag + "=") { return flag + "=***" }
      if index > 0, arguments[index - 1] == flag { return "***" }
    }
    if index > 0, Self.assignmentFlags.contains(arguments[index - 1]) {
      // helm accepts several comma-separated assignments in one --set.
      return argument.split(separator: ",", omittingEmptySubsequences: false).map { pair -> String in
        guard let equals = pair.firstIndex(of: "="), Self.looksLikeCredential(String(pair[..<equals])) else {
          return String(pair)
        }
        return pair[..<equals] + "=***"
      }.joined(separator: ",")
    }
    return secrets.filter { !$0.isEmpty }.reduce(argument) { text, secret in
      text.replacingOccurrences(of: secret, with: "***")
    }
  }
}
